//! The existing programme files in the output folder: their editorial
//! fields (dimensions the table does not feed, `series`, `aliases`) are kept on
//! re-import, and files that cite an imported source but that no row
//! produces any more are reported (and left alone).

use super::convert::Row;
use super::problem::Problem;
use super::programme::DimValue;
use crate::config::{SiteConfig, Source};
use crate::diag::Code;
use crate::yaml::{self, Seg, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Takes the editorial fields of the existing file `text` (at `display`)
/// into `row`: dimensions the table and the source's defaults do not
/// provide, `series` and `aliases`.
pub fn keep_editorial(
    row: &mut Row,
    config: &SiteConfig,
    display: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) {
    let v = match yaml::parse(text) {
        Ok(v) => v,
        Err(e) => {
            problems.push(Problem::new(
                Code::E106,
                display,
                e.line,
                e.column,
                format!(
                    "{} (the import keeps this file's editorial fields, so it must be readable)",
                    e.message
                ),
                vec!["fix the file, or delete it to import it afresh".into()],
            ));
            return;
        }
    };
    let cited = v.get("source").and_then(|s| s.as_str());
    if let Some(other) = cited.filter(|s| *s != row.prog.source) {
        problems.push(Problem::new(Code::E110, display, 1, 1, format!(
            "id `{}` (line {} of the table, source `{}`) is the id of this programme of source `{other}`: the import would overwrite it", row.prog.id, row.prog.line, row.prog.source), vec![
            "make the ids of different sources differ (e.g. with {source} or {fiscal_year} in the `id` template), or import into another --out folder".into(),
        ]));
        return;
    }
    let mut err = |key: &str, msg: String| {
        let (l, c) = yaml::locate(text, &[Seg::Key(key.to_string())]);
        problems.push(Problem::new(Code::E106, display, l, c, msg, vec![]));
    };
    let p = &mut row.prog;
    let default_keys: Vec<&String> = p.defaults.iter().map(|(k, _)| k).collect();
    for d in &config.dimensions {
        if row.table_dims.contains(&d.key) || default_keys.contains(&&d.key) {
            continue;
        }
        match v.get(d.key.as_str()) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if !d.multiple => {
                p.dims.insert(d.key.clone(), DimValue::One(s.clone()));
            }
            Some(x) => match string_list(x) {
                Some(l) if d.multiple => {
                    p.dims.insert(d.key.clone(), DimValue::Many(l));
                }
                _ => err(
                    &d.key,
                    format!(
                        "cannot keep editorial `{}`: expected {}",
                        d.key,
                        if d.multiple {
                            "a list of values"
                        } else {
                            "one value"
                        }
                    ),
                ),
            },
        }
    }
    match v.get("series") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => p.series = Some(s.clone()),
        Some(_) => err(
            "series",
            "cannot keep editorial `series`: expected a series id".into(),
        ),
    }
    match v.get("aliases") {
        None | Some(Value::Null) => {}
        Some(x) => match string_list(x) {
            Some(l) => p.aliases = l,
            None => err(
                "aliases",
                "cannot keep editorial `aliases`: expected a list of ids".into(),
            ),
        },
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    v.as_sequence()?
        .iter()
        .map(|x| x.as_str().map(str::to_string))
        .collect()
}

/// Warns (W204) about files in the folders of the sources' years that cite
/// one of `sources` but are not in `produced`.
pub fn stale(
    out_dir: &Path,
    sources: &[&Source],
    produced: &BTreeSet<&PathBuf>,
    table: &str,
    problems: &mut Vec<Problem>,
) {
    let ids: BTreeSet<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let years: BTreeSet<i32> = sources.iter().map(|s| s.fiscal_year).collect();
    for y in years {
        let Ok(rd) = std::fs::read_dir(out_dir.join(y.to_string())) else {
            continue;
        };
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|x| x == "yaml" || x == "yml") && !produced.contains(p)
            })
            .collect();
        files.sort();
        for p in files {
            let Ok(t) = std::fs::read_to_string(&p) else {
                continue;
            };
            let cited = yaml::parse(&t)
                .ok()
                .and_then(|v| v.get("source").and_then(|s| s.as_str()).map(str::to_string));
            if let Some(s) = cited.filter(|s| ids.contains(s.as_str())) {
                problems.push(Problem::new(Code::W204, &p.display().to_string(), 1, 1, format!(
                    "cites source `{s}` but no row of {table} produces it; left as it is"), vec![
                    "delete it if the row left the table (add its id to another programme's `aliases` to keep the link working)".into(),
                ]));
            }
        }
    }
}
