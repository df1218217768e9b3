//! Fiscal years at import (issue 19): when the site declares `series:`,
//! the rows of one year must have different series keys (E115), and the
//! import reports how the new year's records relate to the latest earlier
//! year present in the output folder: continued (same folded key),
//! continued by an editor's judgement (`_series.yaml`), new, absent, and
//! *ambiguous* pairs — a new and an absent record that look alike (same
//! values of the key's other fields, similar names) but whose keys differ.
//! The importer never joins an ambiguous pair: joining is the editor's
//! judgement, and the report prints the entry that would record it.
//!
//! Keys are [`crate::model::series::key_of`] of the key fields' values (a
//! dimension's by the value's name), as validation computes them.

use super::convert::Row;
use super::declared::{resolve, DimInfo, Resolved};
use super::problem::Problem;
pub use super::problem::{Ambiguous, Continued, Record, YearReport};
use super::programme::{DimValue, Value as Figure};
use crate::config::{Continuity, SiteConfig};
use crate::diag::Code;
use crate::model::series::{fold, key_of};
use crate::yaml::{self, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The least bigram containment for which two names look alike.
pub const ALIKE: f64 = 0.5;

/// A record with its key, and its key without `name`.
struct Keyed {
    record: Record,
    key: String,
    rest: String,
}

/// The values of a record's key fields, by field.
fn key_values(
    fields: &[String],
    dims: &[DimInfo],
    get: &dyn Fn(&str) -> Vec<String>,
) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|f| {
            let raw = get(f);
            let value = match dims.iter().find(|d| &d.decl.key == f) {
                // A dimension's value by its name, as validation compares.
                Some(d) => raw
                    .iter()
                    .map(|v| match resolve(d, v) {
                        Resolved::Entry(e) | Resolved::Body(e) => e.name.clone(),
                        Resolved::Unknown => v.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join("\u{1e}"),
                None => raw.join(""),
            };
            (f.clone(), value)
        })
        .collect()
}

fn keyed(record: Record, values: &[(String, String)]) -> Keyed {
    let key = key_of(values.iter().map(|(_, v)| v.as_str()));
    let rest = key_of(
        values
            .iter()
            .filter(|(f, _)| f != "name")
            .map(|(_, v)| v.as_str()),
    );
    Keyed { record, key, rest }
}

/// The values of a row's field `f`.
fn row_field(row: &Row, f: &str) -> Vec<String> {
    let p = &row.prog;
    match f {
        "name" => vec![p.name.clone()],
        "part" => p.part.clone().into_iter().collect(),
        "implementer" => p.implementer.clone().into_iter().collect(),
        d => match p.dims.get(d) {
            Some(DimValue::One(v)) => vec![v.clone()],
            Some(DimValue::Many(v)) => v.clone(),
            None => Vec::new(),
        },
    }
}

/// The first summed measure: its key, path, label and unit.
fn first_summed(config: &SiteConfig) -> Option<&crate::config::Measure> {
    config.measures.iter().find(|m| m.sum)
}

fn row_record(row: &Row, config: &SiteConfig) -> Record {
    let amount = first_summed(config).and_then(|m| match row.prog.measures.get(&m.key) {
        Some(Figure::Own(n)) | Some(Figure::Lead(n, _)) => Some(*n),
        _ => None,
    });
    Record {
        id: row.prog.id.clone(),
        name: row.prog.name.clone(),
        amount,
    }
}

/// E115: two rows of one fiscal year with the same series key.
pub fn same_key(
    rows: &[Row],
    config: &SiteConfig,
    dims: &[DimInfo],
    file: &str,
    problems: &mut Vec<Problem>,
) {
    let Some(decl) = &config.series else { return };
    let mut seen: HashMap<(i32, String), &Row> = HashMap::new();
    for r in rows {
        let values = key_values(&decl.key, dims, &|f| row_field(r, f));
        let key = key_of(values.iter().map(|(_, v)| v.as_str()));
        match seen.get(&(r.prog.fiscal_year, key.clone())) {
            None => {
                seen.insert((r.prog.fiscal_year, key), r);
            }
            Some(first) => {
                let shown: Vec<String> = values
                    .iter()
                    .map(|(f, v)| format!("{f} 「{}」", v.replace('\u{1e}', "、")))
                    .collect();
                problems.push(Problem::new(
                    Code::E115,
                    file,
                    r.prog.line,
                    1,
                    format!(
                        "rows at lines {} and {} of fiscal year {} have the same series key ({}): a series has one record a year",
                        first.prog.line,
                        r.prog.line,
                        r.prog.fiscal_year,
                        shown.join(", ")
                    ),
                    vec![format!(
                        "if they are different programmes, add a field that tells them apart to `series.key` in _site.yaml (now [{}]; e.g. `part`, `implementer` or a dimension); if they are one programme, the table lists it twice",
                        decl.key.join(", ")
                    )],
                ));
            }
        }
    }
}

/// What the report needs to know about the import.
pub struct Context<'a> {
    /// `_site.yaml`.
    pub config: &'a SiteConfig,
    /// The dimensions with their values.
    pub dims: &'a [DimInfo],
    /// The content folder (the editorial file is in it).
    pub content: &'a Path,
    /// Where programme files are, by year.
    pub out_dir: &'a Path,
    /// The files this import produces (not "other" records of its year).
    pub produced: &'a BTreeSet<&'a PathBuf>,
    /// The imported sources' ids.
    pub sources: BTreeSet<&'a str>,
}

/// The report of every imported year that has an earlier year in the
/// output folder (none when the site declares no `series:`). Problems
/// reading the editorial file become information lines in `info`.
pub fn report(cx: &Context, rows: &[Row], info: &mut Vec<String>) -> Vec<YearReport> {
    let Some(decl) = &cx.config.series else {
        return Vec::new();
    };
    let years: BTreeSet<i32> = rows.iter().map(|r| r.prog.fiscal_year).collect();
    let present = years_present(cx.out_dir);
    let judged = judgements(&cx.content.join(&decl.editorial), info);
    let mut out = Vec::new();
    for year in years {
        let Some(&previous) = present.iter().filter(|&&y| y < year).max() else {
            continue;
        };
        let prev = read_year(cx, previous, |_, _| true);
        // Records of this year from other sources: not absent.
        let others: BTreeSet<String> = read_year(cx, year, |path, source| {
            !cx.produced.contains(&path.to_path_buf()) && !cx.sources.contains(source)
        })
        .into_iter()
        .map(|k| k.key)
        .collect();
        let new: Vec<Keyed> = rows
            .iter()
            .filter(|r| r.prog.fiscal_year == year)
            .map(|r| {
                let values = key_values(&decl.key, cx.dims, &|f| row_field(r, f));
                keyed(row_record(r, cx.config), &values)
            })
            .collect();
        let mut rep = YearReport {
            year,
            previous,
            measure: first_summed(cx.config).map(|m| (m.label.clone(), m.unit.clone())),
            editorial: decl.editorial.clone(),
            ..YearReport::default()
        };
        classify(
            &mut rep,
            &prev,
            &new,
            &others,
            &judged,
            decl.key.iter().any(|f| f == "name"),
        );
        out.push(rep);
    }
    out
}

/// Sorts the records into continued, judged, new, absent, ambiguous.
fn classify(
    rep: &mut YearReport,
    prev: &[Keyed],
    new: &[Keyed],
    others: &BTreeSet<String>,
    judged: &BTreeSet<(String, String)>,
    by_name: bool,
) {
    let mut prev_by_key: HashMap<&str, &Keyed> = HashMap::new();
    for p in prev {
        prev_by_key.entry(&p.key).or_insert(p);
    }
    let new_keys: BTreeSet<&str> = new.iter().map(|n| n.key.as_str()).collect();
    let mut new_left: Vec<&Keyed> = Vec::new();
    for n in new {
        match prev_by_key.get(n.key.as_str()) {
            Some(p) => rep.continued.push(Continued {
                from: p.record.clone(),
                to: n.record.clone(),
            }),
            None => new_left.push(n),
        }
    }
    let mut absent_left: Vec<&Keyed> = prev
        .iter()
        .filter(|p| !new_keys.contains(p.key.as_str()) && !others.contains(&p.key))
        .collect();
    // Judgements of the editorial file join new and absent records.
    let pairs: Vec<(usize, usize)> = absent_left
        .iter()
        .enumerate()
        .flat_map(|(a, old)| {
            new_left.iter().enumerate().filter_map(move |(b, n)| {
                judged
                    .contains(&(old.record.id.clone(), n.record.id.clone()))
                    .then_some((a, b))
            })
        })
        .collect();
    let (mut gone_a, mut gone_b) = (BTreeSet::new(), BTreeSet::new());
    for (a, b) in pairs {
        rep.judged.push(Continued {
            from: absent_left[a].record.clone(),
            to: new_left[b].record.clone(),
        });
        gone_a.insert(a);
        gone_b.insert(b);
    }
    absent_left = drop_indexes(absent_left, &gone_a);
    new_left = drop_indexes(new_left, &gone_b);
    if by_name {
        for old in &absent_left {
            for n in &new_left {
                if old.rest != n.rest {
                    continue;
                }
                let (shared, of) = containment(&old.record.name, &n.record.name);
                if of > 0 && shared as f64 / of as f64 >= ALIKE {
                    rep.ambiguous.push(Ambiguous {
                        old: old.record.clone(),
                        new: n.record.clone(),
                        shared,
                        of,
                    });
                }
            }
        }
    }
    rep.new = new_left.iter().map(|k| k.record.clone()).collect();
    rep.absent = absent_left.iter().map(|k| k.record.clone()).collect();
}

fn drop_indexes<T>(v: Vec<T>, gone: &BTreeSet<usize>) -> Vec<T> {
    v.into_iter()
        .enumerate()
        .filter(|(i, _)| !gone.contains(i))
        .map(|(_, x)| x)
        .collect()
}

/// The distinct character bigrams of the folded names: how many they
/// share, and how many the one with fewer has (0 when a name is shorter
/// than two characters).
pub fn containment(a: &str, b: &str) -> (usize, usize) {
    fn bigrams(s: &str) -> BTreeSet<(char, char)> {
        let c: Vec<char> = fold(s).chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    }
    let (x, y) = (bigrams(a), bigrams(b));
    (x.intersection(&y).count(), x.len().min(y.len()))
}

/// The years (numeric folder names) of the output folder.
fn years_present(out_dir: &Path) -> BTreeSet<i32> {
    let Ok(rd) = std::fs::read_dir(out_dir) else {
        return BTreeSet::new();
    };
    rd.filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

/// The records of a year's folder that `keep` (path, cited source) keeps,
/// in file order. Unreadable files are left out (`check` reports them).
fn read_year(cx: &Context, year: i32, keep: impl Fn(&Path, &str) -> bool) -> Vec<Keyed> {
    let Some(decl) = &cx.config.series else {
        return Vec::new();
    };
    let Ok(rd) = std::fs::read_dir(cx.out_dir.join(year.to_string())) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let Some(v) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| yaml::parse(&t).ok())
        else {
            continue;
        };
        let source = v.get("source").and_then(|s| s.as_str()).unwrap_or("");
        if !keep(&path, source) {
            continue;
        }
        let get = |f: &str| -> Vec<String> {
            match v.get(f) {
                Some(Value::String(s)) => vec![s.clone()],
                Some(Value::Sequence(l)) => l
                    .iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            }
        };
        let values = key_values(&decl.key, cx.dims, &get);
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let amount = first_summed(cx.config).and_then(|m| {
            let mut at = Some(&v);
            for part in m.file_path().split('.') {
                at = at.and_then(|x| x.get(part));
            }
            match at? {
                Value::Mapping(_) => at?.get("amount")?.as_u64(),
                x => x.as_u64(),
            }
        });
        let name = get("name").join("");
        out.push(keyed(Record { id, name, amount }, &values));
    }
    out
}

/// The (earlier id, later id) pairs the editorial file's judgements join.
fn judgements(path: &Path, info: &mut Vec<String>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let Ok(text) = std::fs::read_to_string(path) else {
        return out;
    };
    let entries = match yaml::parse(&text)
        .and_then(|v| yaml::deserialize::<Vec<Continuity>>(v, &text))
    {
        Ok(e) => e,
        Err(e) => {
            info.push(format!(
                "note: {}:{}: {} (its judgements are not used in the series report; `mieruka check` reports it)",
                path.display(),
                e.line,
                e.message
            ));
            return out;
        }
    };
    for c in entries {
        let from: Vec<String> = match (&c.continues, &c.merged, &c.split) {
            (Some(a), _, _) => vec![a.clone()],
            (_, Some(m), _) => m.clone(),
            (_, _, Some(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        let to: Vec<String> = match (&c.as_, &c.into) {
            (Some(b), _) => vec![b.clone()],
            (_, Some(i)) => i.ids().into_iter().map(str::to_string).collect(),
            _ => Vec::new(),
        };
        for a in &from {
            for b in &to {
                out.insert((a.clone(), b.clone()));
            }
        }
    }
    out
}

/// Amounts grouped by thousands (`4,117,500`).
pub fn figure(n: Option<u64>) -> String {
    n.map_or("–".into(), super::convert::group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renamed_play_subsidy_looks_alike_and_its_sibling_does_not() {
        let old = "子供の遊び体験創出事業補助金";
        let play = "子供の未来を育む「体験活動」推進区市町村支援事業（「遊び」特別推進枠）補助金";
        let activity =
            "子供の未来を育む「体験活動」推進区市町村支援事業（「体験活動」推進枠）補助金";
        assert_eq!(containment(old, play), (7, 13));
        assert_eq!(containment(old, activity), (6, 13));
        assert_eq!(
            containment("とうきょう すくわく", "とうきょうすくわく"),
            (8, 8)
        );
        assert_eq!(containment("a", "abc"), (0, 0));
    }
}
