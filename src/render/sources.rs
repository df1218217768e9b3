//! The sources files: every source with where to find it and, per summed
//! measure, the total it declares, the total recomputed from its rows, the
//! difference and the check's outcome (`data/sources.*`, in the formats of
//! the whole list's files); and each source table found beside the content,
//! published unchanged (`data/sources/<file>`).

use super::data::{csv_finish, csv_safe, csv_writer, DataFormat, DATA_VERSION};
use crate::model::totals::source_totals;
use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::{Urls, DATA_SOURCES};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the check found for one declared total.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// The rows add up to the declared total.
    Match,
    /// The source declares no total for the measure.
    NotDeclared,
    /// They differ, and the site publishes it as an error of the source
    /// (`accept_total_differences`, W105).
    DiffersAccepted,
}

impl Outcome {
    fn key(self) -> &'static str {
        match self {
            Outcome::Match => "match",
            Outcome::NotDeclared => "not_declared",
            Outcome::DiffersAccepted => "differs_accepted",
        }
    }
    fn ja(self) -> &'static str {
        match self {
            Outcome::Match => "一致",
            Outcome::NotDeclared => "合計の記載なし",
            Outcome::DiffersAccepted => "不一致（出典の誤りとして公表）",
        }
    }
}

#[derive(Serialize)]
struct TotalRow<'a> {
    label: &'a str,
    unit: &'a str,
    declared: Option<u64>,
    recomputed: u128,
    /// Recomputed minus declared.
    difference: Option<i128>,
    outcome: &'static str,
    #[serde(skip)]
    kind: Outcome,
}

#[derive(Serialize)]
struct SourceRow<'a> {
    id: &'a str,
    title: &'a str,
    short_title: Option<&'a str>,
    publisher: &'a str,
    fiscal_year: i32,
    fiscal_year_label: Option<&'a str>,
    url: Option<&'a str>,
    file: Option<&'a str>,
    /// The table file on this site (`data/sources/<file>`), when offered.
    download: Option<String>,
    table: Option<u32>,
    note: Option<&'a str>,
    programmes: usize,
    totals: BTreeMap<&'a str, TotalRow<'a>>,
}

fn rows(site: &Site) -> Vec<SourceRow<'_>> {
    let totals = source_totals(site);
    site.sources
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let per = site
                .measures
                .iter()
                .filter_map(|m| {
                    let (declared, total) = totals[si].get(&m.key)?;
                    let recomputed = total.recomputed();
                    let kind = match declared {
                        None => Outcome::NotDeclared,
                        Some(d) if u128::from(*d) == recomputed => Outcome::Match,
                        Some(_) => Outcome::DiffersAccepted,
                    };
                    Some((
                        m.key.as_str(),
                        TotalRow {
                            label: &m.label,
                            unit: &m.unit,
                            declared: *declared,
                            recomputed,
                            difference: declared.map(|d| {
                                i128::try_from(recomputed).unwrap_or(i128::MAX) - i128::from(d)
                            }),
                            outcome: kind.key(),
                            kind,
                        },
                    ))
                })
                .collect();
            SourceRow {
                id: &s.id,
                title: &s.title,
                short_title: s.short_title.as_deref(),
                publisher: &s.publisher,
                fiscal_year: s.fiscal_year,
                fiscal_year_label: s.fiscal_year_label.as_deref(),
                url: s.url.as_deref(),
                file: s.file.as_deref(),
                download: table_path(site, si),
                table: s.table,
                note: s.note.as_deref(),
                programmes: site.by_source[si].len(),
                totals: per,
            }
        })
        .collect()
}

/// Where source `s`'s table file is published, when it is.
pub fn table_path(site: &Site, s: usize) -> Option<String> {
    site.source_tables
        .get(s)?
        .as_ref()
        .map(|t| Urls::source_table(&t.name))
}

/// The files the sources job writes.
pub fn paths(site: &Site, formats: &[DataFormat]) -> Vec<String> {
    let mut v: Vec<String> = formats
        .iter()
        .map(|f| format!("{DATA_SOURCES}{}", f.suffix()))
        .collect();
    let mut tables: Vec<String> = (0..site.sources.len())
        .filter_map(|s| table_path(site, s))
        .collect();
    tables.sort();
    tables.dedup();
    v.extend(tables);
    v
}

/// The sources files in `formats`, and the source tables.
pub fn files(site: &Site, formats: &[DataFormat]) -> Vec<OutputFile> {
    let rows = rows(site);
    let mut out: Vec<OutputFile> = formats
        .iter()
        .map(|&f| {
            let bytes = match f {
                DataFormat::Json => json(site, &rows),
                DataFormat::ExcelCsv => csv(site, &rows, true),
                DataFormat::Csv => csv(site, &rows, false),
            };
            OutputFile::new(format!("{DATA_SOURCES}{}", f.suffix()), bytes)
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for t in site.source_tables.iter().flatten() {
        if seen.insert(t.name.as_str()) {
            out.push(OutputFile::new(
                Urls::source_table(&t.name),
                t.bytes.as_ref().clone(),
            ));
        }
    }
    out
}

/// The columns: (key of the plain CSV, header of the Excel CSV).
const COLUMNS: &[(&str, &str)] = &[
    ("source", "出典ID"),
    ("title", "出典"),
    ("publisher", "発行者"),
    ("fiscal_year", "年度"),
    ("url", "URL"),
    ("file", "ファイル"),
    ("programmes", "件数"),
    ("measure", "項目"),
    ("unit", "単位"),
    ("declared", "出典の合計"),
    ("recomputed", "再計算した合計"),
    ("difference", "差（再計算−出典）"),
    ("outcome", "照合の結果"),
];

/// One row per source and summed measure, in the declared order (a source
/// of a site without summed measures gets one row with those columns empty).
fn csv(site: &Site, rows: &[SourceRow], excel: bool) -> Vec<u8> {
    let mut w = csv_writer(excel);
    let _ = w.write_record(
        COLUMNS
            .iter()
            .map(|(k, l)| csv_safe(if excel { l } else { k })),
    );
    for r in rows {
        let head = [
            r.id.to_string(),
            r.title.to_string(),
            r.publisher.to_string(),
            r.fiscal_year.to_string(),
            r.url.unwrap_or_default().to_string(),
            r.file.unwrap_or_default().to_string(),
            r.programmes.to_string(),
        ];
        let mut lines: Vec<[String; 6]> = site
            .measures
            .iter()
            .filter_map(|m| r.totals.get_key_value(m.key.as_str()))
            .map(|(key, t)| {
                [
                    if excel { t.label } else { key }.to_string(),
                    t.unit.to_string(),
                    t.declared.map(|d| d.to_string()).unwrap_or_default(),
                    t.recomputed.to_string(),
                    t.difference.map(|d| d.to_string()).unwrap_or_default(),
                    if excel { t.kind.ja() } else { t.outcome }.to_string(),
                ]
            })
            .collect();
        if lines.is_empty() {
            lines.push(Default::default());
        }
        for l in lines {
            // Text from content is neutralised for spreadsheets; numbers
            // (a negative difference) are written as they are.
            let cells = head
                .iter()
                .map(|c| csv_safe(c))
                .chain([csv_safe(&l[0]), csv_safe(&l[1])])
                .chain(l[2..5].iter().cloned())
                .chain([l[5].clone()]);
            let _ = w.write_record(cells);
        }
    }
    csv_finish(w, excel)
}

#[derive(Serialize)]
struct File<'a> {
    as_of: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a crate::config::License>,
    sources: &'a [SourceRow<'a>],
    title: &'a str,
    version: u32,
}

fn json(site: &Site, rows: &[SourceRow]) -> Vec<u8> {
    let f = File {
        as_of: &site.config.as_of,
        license: site.config.license.as_ref(),
        sources: rows,
        title: &site.config.title,
        version: DATA_VERSION,
    };
    let mut b = serde_json::to_vec_pretty(&f).unwrap_or_default();
    b.push(b'\n');
    b
}
