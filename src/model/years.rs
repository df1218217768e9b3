//! Fiscal years in the model: which records belong to which year, each
//! record's previous-year record in its series, and the change of a set of
//! programmes from one year to the next.
//!
//! Years never mix silently: a total is taken over the records of one year
//! (the pages ask for [`Site::current`], the latest year, or a year's
//! set); what spans years is a [`YearChange`] that keeps each year apart.

use super::{Site, Total};
use crate::format::group_digits;

/// Where a series stands in a year, against the year before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// A record this year and the year before.
    Continued,
    /// A record this year, none the year before.
    New,
    /// A record the year before, none this year (absent from this year's list).
    Ended,
}

impl Status {
    /// The word of the changes files and the pages' data attributes.
    pub fn word(self) -> &'static str {
        match self {
            Status::Continued => "continued",
            Status::New => "new",
            Status::Ended => "absent",
        }
    }
}

/// One series' change between two years (records are indices into
/// `Site::programmes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesChange {
    /// The series (index into `Site::series`).
    pub series: usize,
    /// Its record of the earlier year.
    pub previous: Option<usize>,
    /// Its record of the later year.
    pub current: Option<usize>,
    /// Continued, new or ended.
    pub status: Status,
}

/// A set of programmes (a dimension value, the whole site) in year `year`
/// against `previous`, the year before it among the site's years.
#[derive(Debug, Clone)]
pub struct YearChange {
    /// The later year.
    pub year: i32,
    /// The earlier year.
    pub previous: i32,
    /// Records of the set in `year` (sorted).
    pub current_set: Vec<usize>,
    /// Records of the set in `previous` (sorted).
    pub previous_set: Vec<usize>,
    /// Per series touching either set, by series index.
    pub series: Vec<SeriesChange>,
}

/// A signed difference of two totals, formatted as Japanese budget
/// documents write it: `+1,526,937`, `△883,563` (△ for a decrease), and
/// the per cent with one decimal, rounded half away from zero (`+18.8%`,
/// `−26.4%`; empty when the earlier figure is 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    /// Grouped digits without a sign.
    pub digits: String,
    /// Whether the amount fell.
    pub decrease: bool,
    /// Whether the amount rose.
    pub increase: bool,
    /// `+1,526,937`, `△883,563` or `0`.
    pub text: String,
    /// `+18.8%`, `−26.4%`, or empty when there is no earlier figure.
    pub percent: String,
}

impl Difference {
    /// From an earlier and a later figure.
    pub fn of(previous: u128, current: u128) -> Difference {
        let (decrease, increase) = (current < previous, current > previous);
        let abs = current.abs_diff(previous);
        let digits = group_digits(abs);
        let text = if decrease {
            format!("△{digits}")
        } else if increase {
            format!("+{digits}")
        } else {
            "0".to_string()
        };
        let percent = if previous == 0 {
            String::new()
        } else {
            // Per mille, rounded half up on the absolute value.
            let pm = (abs * 2000 + previous) / (2 * previous);
            let sign = if decrease {
                "−"
            } else if increase {
                "+"
            } else {
                ""
            };
            format!("{sign}{}.{}%", pm / 10, pm % 10)
        };
        Difference {
            digits,
            decrease,
            increase,
            text,
            percent,
        }
    }
}

impl Site {
    /// The latest fiscal year of the records (0 for a site without records).
    pub fn latest_year(&self) -> i32 {
        self.years.last().copied().unwrap_or(0)
    }

    /// Whether the site holds records of more than one fiscal year.
    pub fn multi_year(&self) -> bool {
        self.years.len() > 1
    }

    /// The records of the latest year (every record of a one-year site),
    /// sorted: what the home page, the value pages and their charts total.
    pub fn current(&self) -> &[usize] {
        &self.current
    }

    /// The records of `set` (sorted) of fiscal year `year`.
    pub fn in_year(&self, set: &[usize], year: i32) -> Vec<usize> {
        set.iter()
            .copied()
            .filter(|&p| self.programmes[p].fiscal_year == year)
            .collect()
    }

    /// The year before `year` among the site's years.
    pub fn previous_year(&self, year: i32) -> Option<i32> {
        self.years.iter().copied().take_while(|&y| y < year).last()
    }

    /// The record of series `s` in fiscal year `year`.
    pub fn record_in(&self, s: usize, year: i32) -> Option<usize> {
        self.series[s]
            .records
            .iter()
            .copied()
            .find(|&p| self.programmes[p].fiscal_year == year)
    }

    /// The record of `p`'s series in the site's year before `p`'s.
    pub fn previous_record(&self, p: usize) -> Option<usize> {
        let pr = &self.programmes[p];
        self.record_in(pr.series, self.previous_year(pr.fiscal_year)?)
    }

    /// Whether the pages compare years: several years, and records joined
    /// into series by a declared key.
    pub fn compares_years(&self) -> bool {
        self.multi_year() && self.config.series.is_some()
    }

    /// The first measure that is summed (the one changes are told in).
    pub fn main_measure(&self) -> Option<usize> {
        self.measures.iter().position(|m| m.sum)
    }

    /// How `set` (every record of a value or of the site, any year,
    /// sorted) changed from the year before `year` to `year`; `None` for
    /// the first year.
    pub fn year_change(&self, set: &[usize], year: i32) -> Option<YearChange> {
        let previous = self.previous_year(year)?;
        let current_set = self.in_year(set, year);
        let previous_set = self.in_year(set, previous);
        let mut by_series: std::collections::BTreeMap<usize, (Option<usize>, Option<usize>)> =
            Default::default();
        for &p in &previous_set {
            by_series.entry(self.programmes[p].series).or_default().0 = Some(p);
        }
        for &p in &current_set {
            by_series.entry(self.programmes[p].series).or_default().1 = Some(p);
        }
        let series = by_series
            .into_iter()
            .map(|(series, (previous, current))| SeriesChange {
                series,
                previous,
                current,
                status: match (previous, current) {
                    (Some(_), Some(_)) => Status::Continued,
                    (None, _) => Status::New,
                    (_, None) => Status::Ended,
                },
            })
            .collect();
        Some(YearChange {
            year,
            previous,
            current_set,
            previous_set,
            series,
        })
    }

    /// The figure of measure `m` a record carries (its own, or a shared
    /// amount it leads), as a total of one.
    pub fn figure(&self, p: usize, m: usize) -> Option<u64> {
        self.programmes[p].measures[m].own()
    }

    /// Totals of measure `m` over `set` per year of the site, ascending.
    pub fn totals_by_year(&self, set: &[usize], m: usize) -> Vec<(i32, Total)> {
        self.years
            .iter()
            .map(|&y| (y, self.total(&self.in_year(set, y), m)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Difference;

    #[test]
    fn differences_read_as_budget_documents_write_them() {
        let d = Difference::of(8_111_541, 9_638_478);
        assert_eq!(
            (d.text.as_str(), d.percent.as_str()),
            ("+1,526,937", "+18.8%")
        );
        let d = Difference::of(3_341_541, 2_457_978);
        assert_eq!(
            (d.text.as_str(), d.percent.as_str()),
            ("△883,563", "−26.4%")
        );
        assert!(d.decrease && !d.increase);
        let d = Difference::of(0, 5);
        assert_eq!((d.text.as_str(), d.percent.as_str()), ("+5", ""));
        assert_eq!(Difference::of(7, 7).text, "0");
        // Half up: 1/8 = 12.5 % exactly; 1/16 = 6.25 % → 6.3 %.
        assert_eq!(Difference::of(8, 9).percent, "+12.5%");
        assert_eq!(Difference::of(16, 17).percent, "+6.3%");
        assert_eq!(Difference::of(16, 15).percent, "−6.3%");
    }
}
