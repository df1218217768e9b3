//! Japanese era dates (和暦) → ISO dates.
//!
//! Accepted forms (after NFKC, whitespace ignored):
//!
//! * `令和6年4月1日`, `平成31年4月30日`, `昭和64年1月7日`; `元年` for year 1;
//! * abbreviations `R6.4.1`, `H31.4.30`, `S64.1.7` (also with `/` or `-`);
//! * Gregorian `2024年4月1日`, `2024-04-01`, `2024/4/1`;
//! * month only (`令和6年4月`, `2024年4月`): the first of the month, reported as
//!   such so the importer can say so in the programme's notes.
//!
//! Every date is checked: the day exists, and an era date lies inside its era
//! (令和 from 2019-05-01, 平成 1989-01-08 – 2019-04-30, 昭和 1926-12-25 –
//! 1989-01-07).

use unicode_normalization::UnicodeNormalization;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year (Gregorian).
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Ymd {
    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A parsed date and how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    /// The date (the first of the month when no day was written).
    pub date: Ymd,
    /// Whether the text gave the day.
    pub day_given: bool,
}

struct Era {
    name: &'static str,
    abbr: char,
    /// Gregorian year of the era's first year (元年).
    first_year: i32,
    start: Ymd,
    end: Option<Ymd>,
}

const ERAS: &[Era] = &[
    Era {
        name: "令和",
        abbr: 'R',
        first_year: 2019,
        start: Ymd {
            year: 2019,
            month: 5,
            day: 1,
        },
        end: None,
    },
    Era {
        name: "平成",
        abbr: 'H',
        first_year: 1989,
        start: Ymd {
            year: 1989,
            month: 1,
            day: 8,
        },
        end: Some(Ymd {
            year: 2019,
            month: 4,
            day: 30,
        }),
    },
    Era {
        name: "昭和",
        abbr: 'S',
        first_year: 1926,
        start: Ymd {
            year: 1926,
            month: 12,
            day: 25,
        },
        end: Some(Ymd {
            year: 1989,
            month: 1,
            day: 7,
        }),
    },
];

/// Days in a month (one calendar for the whole project).
pub use crate::model::days_in_month;

/// Writes a date in an era's form, e.g. `令和元年5月1日`.
fn era_form(era: &Era, d: Ymd) -> String {
    let n = d.year - era.first_year + 1;
    let y = if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    };
    format!("{}{}年{}月{}日", era.name, y, d.month, d.day)
}

/// The era a Gregorian date falls in, if any of the known ones.
fn era_of(d: Ymd) -> Option<&'static Era> {
    ERAS.iter()
        .find(|e| d >= e.start && e.end.is_none_or(|end| d <= end))
}

/// Splits `s` into a leading run of ASCII digits (as a number) and the rest.
fn take_number(s: &str) -> Option<(u32, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 || end > 6 {
        return None;
    }
    Some((s[..end].parse().ok()?, &s[end..]))
}

/// Parses `M月D日`, `M月`, or `M.D` / `M/D` / `M-D` (after the year).
fn month_day(rest: &str, sep: Option<char>) -> Result<(u32, Option<u32>), String> {
    let (m, r) = take_number(rest).ok_or_else(|| "no month after the year".to_string())?;
    match sep {
        None => {
            let r = r
                .strip_prefix('月')
                .ok_or_else(|| "expected 月 after the month".to_string())?;
            if r.is_empty() {
                return Ok((m, None));
            }
            let (d, r2) =
                take_number(r).ok_or_else(|| format!("unexpected `{r}` after the month"))?;
            let r2 = r2.strip_prefix('日').unwrap_or(r2);
            if !r2.is_empty() {
                return Err(format!("unexpected `{r2}` after the day"));
            }
            Ok((m, Some(d)))
        }
        Some(c) => {
            let r = r
                .strip_prefix(c)
                .ok_or_else(|| format!("expected `{c}` after the month"))?;
            let (d, r2) = take_number(r).ok_or_else(|| "no day after the month".to_string())?;
            if !r2.is_empty() {
                return Err(format!("unexpected `{r2}` after the day"));
            }
            Ok((m, Some(d)))
        }
    }
}

fn check_day(year: i32, month: u32, day: Option<u32>, text: &str) -> Result<(Ymd, bool), String> {
    if !(1..=12).contains(&month) {
        return Err(format!("`{text}`: there is no month {month}"));
    }
    let dim = days_in_month(year, month);
    match day {
        Some(d) if d == 0 || d > dim => Err(format!(
            "`{text}`: {year}-{month:02} has no day {d} (it has {dim} days)"
        )),
        Some(d) => Ok((
            Ymd {
                year,
                month,
                day: d,
            },
            true,
        )),
        None => Ok((
            Ymd {
                year,
                month,
                day: 1,
            },
            false,
        )),
    }
}

/// Parses a date in era or Gregorian form; see the module documentation.
pub fn parse_date(text: &str) -> Result<ParsedDate, String> {
    let norm: String = text.nfkc().filter(|c| !c.is_whitespace()).collect();
    if norm.is_empty() {
        return Err("empty date".into());
    }
    // Era forms.
    for era in ERAS {
        let (rest, sep_style) = if let Some(r) = norm.strip_prefix(era.name) {
            (r, None)
        } else if let Some(r) = norm
            .strip_prefix(era.abbr)
            .or_else(|| norm.strip_prefix(era.abbr.to_ascii_lowercase()))
        {
            (r, Some(()))
        } else {
            continue;
        };
        let (n, after) = if let Some(r) = rest.strip_prefix('元') {
            (1, r)
        } else {
            take_number(rest).ok_or_else(|| format!("`{text}`: no year after {}", era.name))?
        };
        if n == 0 {
            return Err(format!(
                "`{text}`: there is no {}0年 (the first year is {}元年)",
                era.name, era.name
            ));
        }
        let (month, day) = match (sep_style, after.chars().next()) {
            (_, Some('年')) => month_day(&after['年'.len_utf8()..], None),
            (Some(()), Some(c @ ('.' | '/' | '-'))) => month_day(&after[c.len_utf8()..], Some(c)),
            _ => Err(format!("expected 年 after {}{}", era.name, n)),
        }
        .map_err(|e| {
            if e.starts_with('`') {
                e
            } else {
                format!("`{text}`: {e}")
            }
        })?;
        let year = era.first_year + n as i32 - 1;
        if year > 9999 {
            // The current era has no end; a date still has four digits.
            return Err(format!(
                "`{text}`: {}{n}年 is after the year 9999",
                era.name
            ));
        }
        let (date, day_given) = check_day(year, month, day, text)?;
        let last = if day_given {
            date
        } else {
            Ymd {
                day: days_in_month(year, month),
                ..date
            }
        };
        if last < era.start {
            return Err(format!(
                "`{text}` is {}, before {} began ({}, {})",
                date.iso(),
                era.name,
                era.start.iso(),
                era_form(era, era.start)
            ));
        }
        if let Some(end) = era.end {
            if date > end {
                let hint = era_of(date)
                    .map(|e| format!("; did you mean {}?", era_form(e, date)))
                    .unwrap_or_default();
                return Err(format!(
                    "`{text}` is {}, after {} ended ({}){hint}",
                    date.iso(),
                    era.name,
                    end.iso()
                ));
            }
        }
        let date = if !day_given && date < era.start {
            era.start
        } else {
            date
        };
        return Ok(ParsedDate { date, day_given });
    }
    // Gregorian forms.
    if let Some((y, rest)) = take_number(&norm) {
        if (1000..=9999).contains(&y) {
            let (month, day) = match rest.chars().next() {
                Some('年') => month_day(&rest['年'.len_utf8()..], None),
                Some(c @ ('-' | '/' | '.')) => month_day(&rest[1..], Some(c)),
                _ => Err("expected 年, - or / after the year".into()),
            }
            .map_err(|e| format!("`{text}`: {e}"))?;
            let (date, day_given) = check_day(y as i32, month, day, text)?;
            return Ok(ParsedDate { date, day_given });
        }
    }
    Err(format!(
        "`{text}` is not a date (expected e.g. 令和6年4月1日 or 2024-04-01)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_date(s)
            .map(|d| d.date.iso())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn reiwa() {
        assert_eq!(iso("令和6年4月1日"), "2024-04-01");
        assert_eq!(iso("令和６年４月１日"), "2024-04-01");
        assert_eq!(iso(" 令和 6 年 4 月 1 日 "), "2024-04-01");
        assert_eq!(iso("令和元年5月1日"), "2019-05-01");
        assert_eq!(iso("令和2年2月29日"), "2020-02-29");
        assert_eq!(iso("R6.4.1"), "2024-04-01");
        assert_eq!(iso("R6/10/1"), "2024-10-01");
    }

    #[test]
    fn heisei_and_showa() {
        assert_eq!(iso("平成元年1月8日"), "1989-01-08");
        assert_eq!(iso("平成31年4月30日"), "2019-04-30");
        assert_eq!(iso("平成30年3月31日"), "2018-03-31");
        assert_eq!(iso("昭和元年12月25日"), "1926-12-25");
        assert_eq!(iso("昭和64年1月7日"), "1989-01-07");
        assert_eq!(iso("H31.4.30"), "2019-04-30");
        assert_eq!(iso("S50.1.1"), "1975-01-01");
    }

    #[test]
    fn gregorian() {
        assert_eq!(iso("2024-04-01"), "2024-04-01");
        assert_eq!(iso("2024/4/1"), "2024-04-01");
        assert_eq!(iso("2024年4月1日"), "2024-04-01");
    }

    #[test]
    fn month_only() {
        let d = parse_date("令和6年4月").unwrap();
        assert_eq!(d.date.iso(), "2024-04-01");
        assert!(!d.day_given);
        assert!(parse_date("令和6年4月1日").unwrap().day_given);
        // The month in which 令和 began starts on the era's first day.
        assert_eq!(iso("令和元年5月"), "2019-05-01");
    }

    #[test]
    fn outside_the_era() {
        let e = iso("令和元年4月30日");
        assert!(
            e.starts_with("ERR") && e.contains("before 令和 began (2019-05-01"),
            "{e}"
        );
        let e = iso("平成31年5月1日");
        assert!(
            e.contains("after 平成 ended (2019-04-30)") && e.contains("令和元年5月1日"),
            "{e}"
        );
        let e = iso("平成元年1月7日");
        assert!(e.contains("before 平成 began"), "{e}");
        let e = iso("昭和64年1月8日");
        assert!(
            e.contains("after 昭和 ended") && e.contains("平成元年1月8日"),
            "{e}"
        );
        let e = iso("昭和元年12月24日");
        assert!(e.contains("before 昭和 began"), "{e}");
        assert!(iso("令和0年4月1日").contains("no 令和0年"));
    }

    #[test]
    fn years_of_the_current_era_stay_four_digits() {
        assert!(parse_date("令和7981年1月1日").is_ok());
        let e = parse_date("令和999999年4月1日").unwrap_err();
        assert!(e.contains("after the year 9999"), "{e}");
    }

    #[test]
    fn impossible_dates() {
        assert!(iso("令和6年2月30日").contains("has no day 30"));
        assert!(iso("令和5年2月29日").contains("has no day 29"));
        assert!(iso("令和6年13月1日").contains("no month 13"));
        assert!(iso("令和6年4月0日").contains("has no day 0"));
        assert!(iso("4月1日").starts_with("ERR"));
        assert!(iso("令和六年四月一日").starts_with("ERR"));
        assert!(iso("令和6年4月1日から").contains("unexpected"));
        assert!(iso("").starts_with("ERR"));
    }
}
