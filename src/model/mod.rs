//! Stage 3, model: the immutable, indexed site that every renderer reads.
//!
//! Built once by `validate` from checked input; after that nothing changes.
//! Programmes are sorted by id; every per-page lookup (programmes of a
//! municipality, of a theme; totals) goes through an index built here, so
//! rendering has no quadratic step. Amounts are integers (千円), summed in
//! `u128` so no corpus can overflow.

pub mod build;
pub mod rules;
pub mod series;
pub mod totals;
pub mod years;

use crate::config::{Dimension, Entry, Measure, SiteConfig, Source};

/// A calendar date (ISO `YYYY-MM-DD` in files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s[0..4].parse().ok()?;
        let month: u32 = s[5..7].parse().ok()?;
        let day: u32 = s[8..10].parse().ok()?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }
    /// ISO form.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
    /// Japanese form, 2024年4月1日.
    pub fn japanese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
    /// The Japanese fiscal year (April–March) the date falls in.
    pub fn fiscal_year(&self) -> i32 {
        if self.month >= 4 {
            self.year
        } else {
            self.year - 1
        }
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// A programme's value of one measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureValue {
    /// `-` in the source, `~`/null in the file: the measure does not apply.
    NotApplicable,
    /// Absent from the file (the measure is optional for this dataset).
    Missing,
    /// A figure of its own.
    Own(u64),
    /// Shared (merged cell): this programme carries the amount for itself
    /// and the listed others (indices into `Site::programmes`).
    Lead {
        /// The shared amount.
        amount: u64,
        /// The other members of the group.
        covers: Vec<usize>,
    },
    /// Shared: the amount is carried by programme `lead`.
    Member {
        /// Index of the programme that carries the amount.
        lead: usize,
    },
}

impl MeasureValue {
    /// The figure this programme carries itself, if any.
    pub fn own(&self) -> Option<u64> {
        match self {
            MeasureValue::Own(v) => Some(*v),
            MeasureValue::Lead { amount, .. } => Some(*amount),
            _ => None,
        }
    }
}

/// One programme (one row of a source table).
#[derive(Debug, Clone)]
pub struct Programme {
    /// File stem; also the URL slug.
    pub id: String,
    /// Content file, relative to content/.
    pub file: String,
    /// Fiscal year.
    pub fiscal_year: i32,
    /// Index into `Site::sources`.
    pub source: usize,
    /// 整理番号 in the source table.
    pub number: Option<u32>,
    /// Page in the source document.
    pub page: Option<u32>,
    /// Name (事業名).
    pub name: String,
    /// Component label when a programme spans rows.
    pub part: Option<String>,
    /// Markdown summary (untrusted).
    pub summary: String,
    /// Body that runs it when not the municipality (東久留米市商工会).
    pub implementer: Option<String>,
    /// Start date.
    pub start: Option<Date>,
    /// The programme this row continues (index), for rows with an empty 事業名.
    pub continues: Option<usize>,
    /// Old ids that redirect here.
    pub aliases: Vec<String>,
    /// Editorial notes: what was changed from the source, and why.
    pub notes: Vec<String>,
    /// Per dimension (same order as `Site::dims`): indices of entries.
    pub dims: Vec<Vec<usize>>,
    /// Per measure (same order as `Site::measures`).
    pub measures: Vec<MeasureValue>,
    /// Index into `Site::series`: the same programme in other years.
    pub series: usize,
}

/// The same programme across fiscal years: its records, one per year at
/// most. Without `series:` in `_site.yaml`, every record is its own series
/// (with the record's id).
#[derive(Debug, Clone)]
pub struct Series {
    /// The permalink id (`programmes/<id>/`): no year, no row number.
    pub id: String,
    /// Its records (indices into `Site::programmes`), by fiscal year.
    pub records: Vec<usize>,
}

/// What an editor recorded in `_series.yaml`: a judgement the source does
/// not make.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// A rename (one record continues another), a merge or a split.
    pub kind: JudgementKind,
    /// The earlier records (indices into `Site::programmes`).
    pub from: Vec<usize>,
    /// The later records.
    pub to: Vec<usize>,
    /// The editor's reasoning, shown as an editorial judgement.
    pub note: String,
}

/// The kinds of [`Judgement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JudgementKind {
    /// `to` continues `from` under another name or classification (same series).
    Continues,
    /// `from` were merged into `to`.
    Merged,
    /// `from` was split into `to`.
    Split,
}

/// A dimension with its resolved entries.
#[derive(Debug, Clone)]
pub struct DimModel {
    /// The declaration.
    pub decl: Dimension,
    /// Entries in registry order.
    pub entries: Vec<Entry>,
    /// Per entry: programmes (indices, sorted by id).
    pub programmes: Vec<Vec<usize>>,
}

/// The whole site, immutable.
#[derive(Debug, Clone)]
pub struct Site {
    /// Site config.
    pub config: SiteConfig,
    /// Source documents, in file order.
    pub sources: Vec<Source>,
    /// Dimensions, in declaration order.
    pub dims: Vec<DimModel>,
    /// Measures, in declaration order.
    pub measures: Vec<Measure>,
    /// Programmes sorted by id.
    pub programmes: Vec<Programme>,
    /// Per source: programmes (indices), sorted by number then id.
    pub by_source: Vec<Vec<usize>>,
    /// The series (one per programme when the site declares none), by id.
    pub series: Vec<Series>,
    /// The editor's judgements of `_series.yaml`, in file order.
    pub judgements: Vec<Judgement>,
    /// The fiscal years of the records, ascending.
    pub years: Vec<i32>,
    /// The records of the latest year, sorted ([`Site::current`]).
    pub current: Vec<usize>,
    /// Per fiscal year, per measure: the total over the year's records
    /// (made when first asked).
    pub grand_totals: std::sync::OnceLock<Vec<(i32, Vec<Total>)>>,
    /// Which optional core fields any programme uses (made on first use).
    pub used: std::sync::OnceLock<UsedFields>,
    /// Each source's table file, when it is found beside the content and
    /// offered for download (`load::source_tables`).
    pub source_tables: Vec<Option<crate::load::SourceTable>>,
}

/// The optional core fields some programme of the site uses: the data
/// files carry a column only for these (a list without multi-row
/// programmes has no `part` or `continues` column).
#[derive(Debug, Clone, Copy, Default)]
pub struct UsedFields {
    /// `part` (a programme spanning rows).
    pub part: bool,
    /// `continues` (a row continuing the one above).
    pub continues: bool,
    /// `start` (a start date).
    pub start: bool,
}

impl Site {
    /// Which optional core fields any programme uses.
    pub fn used_fields(&self) -> UsedFields {
        *self.used.get_or_init(|| UsedFields {
            part: self.programmes.iter().any(|p| p.part.is_some()),
            continues: self.programmes.iter().any(|p| p.continues.is_some()),
            start: self.programmes.iter().any(|p| p.start.is_some()),
        })
    }
}

/// A total over a set of programmes for one measure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Total {
    /// Sum of the figures counted (u128: cannot overflow).
    pub value: u128,
    /// How many programmes had a figure (own or shared lead).
    pub counted: usize,
    /// Whether any programme had a figure at all (else "not applicable").
    pub any: bool,
    /// Shared amounts whose group lies only partly in the set: (lead, amount,
    /// members in set, group size). Not included in `value`.
    pub partial_groups: Vec<(usize, u64, usize, usize)>,
}

impl Site {
    /// Index of a dimension by key.
    pub fn dim_index(&self, key: &str) -> Option<usize> {
        self.dims.iter().position(|d| d.decl.key == key)
    }
    /// Index of a measure by key.
    pub fn measure_index(&self, key: &str) -> Option<usize> {
        self.measures.iter().position(|m| m.key == key)
    }

    /// All members of the shared group programme `p` belongs to for measure
    /// `m` (lead first), or None when it is not shared.
    pub fn group_of(&self, p: usize, m: usize) -> Option<(usize, Vec<usize>)> {
        match &self.programmes[p].measures[m] {
            MeasureValue::Lead { covers, .. } => {
                let mut all = vec![p];
                all.extend(covers.iter().copied());
                Some((p, all))
            }
            MeasureValue::Member { lead } => self.group_of(*lead, m),
            _ => None,
        }
    }

    /// [`Site::total`] over every record of fiscal year `year` (the whole
    /// a value's share is of), computed once per site and year.
    pub fn year_total(&self, year: i32, m: usize) -> Total {
        let per_year = self.grand_totals.get_or_init(|| {
            self.years
                .iter()
                .map(|&y| {
                    let set = self.in_year(&self.all(), y);
                    (
                        y,
                        (0..self.measures.len())
                            .map(|m| self.total(&set, m))
                            .collect(),
                    )
                })
                .collect()
        });
        per_year
            .iter()
            .find(|(y, _)| *y == year)
            .and_then(|(_, t)| t.get(m))
            .cloned()
            .unwrap_or_default()
    }

    /// Totals of measure `m` over the programmes `set` (sorted indices).
    /// A shared amount counts once, and only when its whole group is in the
    /// set; otherwise it is reported in `partial_groups`.
    pub fn total(&self, set: &[usize], m: usize) -> Total {
        let mut t = Total::default();
        for &p in set {
            match &self.programmes[p].measures[m] {
                MeasureValue::Own(v) => {
                    t.value += u128::from(*v);
                    t.counted += 1;
                    t.any = true;
                }
                MeasureValue::Lead { amount, covers } => {
                    t.any = true;
                    let inside = 1 + covers
                        .iter()
                        .filter(|c| set.binary_search(c).is_ok())
                        .count();
                    if inside == covers.len() + 1 {
                        t.value += u128::from(*amount);
                        t.counted += 1;
                    } else {
                        t.partial_groups
                            .push((p, *amount, inside, covers.len() + 1));
                    }
                }
                MeasureValue::Member { lead } => {
                    t.any = true;
                    if set.binary_search(lead).is_err() {
                        // Report the group once, from its first member in the set.
                        if !t.partial_groups.iter().any(|g| g.0 == *lead) {
                            if let MeasureValue::Lead { amount, covers } =
                                &self.programmes[*lead].measures[m]
                            {
                                let inside = covers
                                    .iter()
                                    .filter(|c| set.binary_search(c).is_ok())
                                    .count();
                                t.partial_groups
                                    .push((*lead, *amount, inside, covers.len() + 1));
                            }
                        }
                    }
                }
                MeasureValue::NotApplicable | MeasureValue::Missing => {}
            }
        }
        t.partial_groups.sort();
        t
    }

    /// All programme indices (0..n), for site-wide totals.
    pub fn all(&self) -> Vec<usize> {
        (0..self.programmes.len()).collect()
    }

    /// Display label of a programme: "name（part）", each isolated (U+2068 …
    /// U+2069) when it holds right-to-left text or a bidi control, so that
    /// neither reorders the other or what follows (a page title, a chart).
    pub fn programme_title(&self, p: usize) -> String {
        use crate::diag::chars::isolate;
        let pr = &self.programmes[p];
        match &pr.part {
            Some(part) => format!("{}（{}）", isolate(&pr.name), isolate(part)),
            None => isolate(&pr.name).into_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_checked() {
        assert_eq!(Date::parse_iso("2024-04-01").unwrap().fiscal_year(), 2024);
        assert_eq!(Date::parse_iso("2025-03-31").unwrap().fiscal_year(), 2024);
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("2024-4-1").is_none());
        assert!(Date::parse_iso("2024-13-01").is_none());
    }
}
