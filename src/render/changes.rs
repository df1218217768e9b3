//! The changes files: per pair of consecutive fiscal years, one row per
//! series — continued, new, or absent from the later year's list — with the
//! earlier and later amount of the site's main (first summed) measure, the
//! difference and the per cent (`data/changes/<previous>-<year>.*`, in the
//! formats of the other downloads). Written when the site declares series
//! and holds several years.

use super::data::{csv_finish, csv_safe, csv_writer, DataFormat};
use crate::model::years::{Difference, SeriesChange, Status};
use crate::model::Site;
use crate::output::OutputFile;
use crate::urls::Urls;
use serde::Serialize;

/// The columns: (key of the plain CSV and JSON, header of the Excel CSV).
const COLUMNS: &[(&str, &str)] = &[
    ("series", "系列ID"),
    ("status", "区分"),
    ("previous_id", "前年度のID"),
    ("id", "今年度のID"),
    ("previous_name", "前年度の名称"),
    ("name", "名称"),
    ("previous", "前年度"),
    ("amount", "今年度"),
    ("difference", "増減"),
    ("percent", "増減率（%）"),
    ("url", "ページ"),
];

/// One row of a changes file.
#[derive(Serialize)]
struct Row {
    series: String,
    status: &'static str,
    #[serde(skip)]
    kind: Status,
    previous_id: Option<String>,
    id: Option<String>,
    previous_name: Option<String>,
    name: Option<String>,
    previous: Option<u64>,
    amount: Option<u64>,
    difference: Option<i128>,
    /// Per cent with one decimal, as a string ("18.8"), when both figures exist
    /// and the earlier is not 0.
    percent: Option<String>,
    url: String,
}

/// The Japanese word of a status (the Excel CSV).
fn status_ja(s: Status) -> &'static str {
    match s {
        Status::Continued => "継続",
        Status::New => "新規",
        Status::Ended => "今年度の一覧になし",
    }
}

/// The series changes of the whole site from the year before `year`, in
/// order: the later year's records in source order, then the absent ones in
/// the earlier year's order.
pub fn ordered(site: &Site, year: i32) -> Vec<SeriesChange> {
    let all = site.all();
    let Some(ch) = site.year_change(&all, year) else {
        return Vec::new();
    };
    let place = |c: &SeriesChange| {
        let p = c.current.or(c.previous).unwrap_or(0);
        let pr = &site.programmes[p];
        (c.current.is_none(), pr.source, pr.number, pr.id.clone())
    };
    let mut v = ch.series;
    v.sort_by_key(place);
    v
}

fn rows(site: &Site, year: i32) -> Vec<Row> {
    let m = site.main_measure();
    let u = Urls::new(site);
    ordered(site, year)
        .into_iter()
        .map(|c| {
            let fig = |p: Option<usize>| m.and_then(|m| site.figure(p?, m));
            let (prev, cur) = (fig(c.previous), fig(c.current));
            let (difference, percent) = match (prev, cur) {
                (Some(a), Some(b)) => {
                    let d = Difference::of(u128::from(a), u128::from(b));
                    (
                        Some(i128::from(b) - i128::from(a)),
                        (!d.percent.is_empty()).then(|| {
                            d.percent
                                .trim_end_matches('%')
                                .replace('−', "-")
                                .replace('+', "")
                        }),
                    )
                }
                _ => (None, None),
            };
            Row {
                series: site.series[c.series].id.clone(),
                status: c.status.word(),
                kind: c.status,
                previous_id: c.previous.map(|p| site.programmes[p].id.clone()),
                id: c.current.map(|p| site.programmes[p].id.clone()),
                previous_name: c.previous.map(|p| site.programmes[p].name.clone()),
                name: c.current.map(|p| site.programmes[p].name.clone()),
                previous: prev,
                amount: cur,
                difference,
                percent,
                url: u.series(c.series).unwrap_or_default(),
            }
        })
        .collect()
}

/// The changes files from the year before `year` to `year`.
pub fn changes_data(site: &Site, year: i32, formats: &[DataFormat]) -> Vec<OutputFile> {
    let Some(previous) = site.previous_year(year) else {
        return Vec::new();
    };
    let rows = rows(site, year);
    let base = Urls::changes_base(previous, year);
    formats
        .iter()
        .map(|&f| {
            let bytes = match f {
                DataFormat::Json => json(site, previous, year, &rows),
                DataFormat::ExcelCsv => csv(&rows, true),
                DataFormat::Csv => csv(&rows, false),
            };
            OutputFile::new(format!("{base}{}", f.suffix()), bytes)
        })
        .collect()
}

fn csv(rows: &[Row], excel: bool) -> Vec<u8> {
    let mut w = csv_writer(excel);
    let _ = w.write_record(
        COLUMNS
            .iter()
            .map(|(k, l)| csv_safe(if excel { l } else { k })),
    );
    let num = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        let status = if excel { status_ja(r.kind) } else { r.status };
        let cells = [
            r.series.clone(),
            status.to_string(),
            r.previous_id.clone().unwrap_or_default(),
            r.id.clone().unwrap_or_default(),
            r.previous_name.clone().unwrap_or_default(),
            r.name.clone().unwrap_or_default(),
            num(r.previous),
            num(r.amount),
            r.difference.map(|d| d.to_string()).unwrap_or_default(),
            r.percent.clone().unwrap_or_default(),
            r.url.clone(),
        ];
        // Names come from content: neutralised for spreadsheets. Numbers
        // (a negative difference) are written as they are.
        let _ = w.write_record(cells.iter().enumerate().map(|(i, c)| {
            if matches!(i, 8 | 9) {
                c.clone()
            } else {
                csv_safe(c)
            }
        }));
    }
    csv_finish(w, excel)
}

#[derive(Serialize)]
struct File<'a> {
    title: &'a str,
    previous_year: i32,
    year: i32,
    measure: Option<MeasureRef<'a>>,
    changes: &'a [Row],
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a crate::config::License>,
    version: u32,
}

#[derive(Serialize)]
struct MeasureRef<'a> {
    key: &'a str,
    label: &'a str,
    unit: &'a str,
}

fn json(site: &Site, previous: i32, year: i32, rows: &[Row]) -> Vec<u8> {
    let f = File {
        title: &site.config.title,
        previous_year: previous,
        year,
        measure: site.main_measure().map(|m| {
            let m = &site.measures[m];
            MeasureRef {
                key: &m.key,
                label: &m.label,
                unit: &m.unit,
            }
        }),
        changes: rows,
        license: site.config.license.as_ref(),
        version: super::data::DATA_VERSION,
    };
    let mut b = serde_json::to_vec_pretty(&f).unwrap_or_default();
    b.push(b'\n');
    b
}
