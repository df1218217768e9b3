//! Open data: CSV (two flavours) and JSON of every programme, per site and
//! per dimension value (the sitemap, feed and robots.txt are in
//! discovery.rs).
//!
//! CSV: RFC 4180 via the csv crate. `*.csv` is UTF-8 with a BOM and CRLF line
//! ends and Japanese headers, which Excel in Japan opens correctly;
//! `*.utf8.csv` is plain UTF-8 with LF and the documented English keys. A
//! cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
//! prefixed with `'` so spreadsheets never run it as a formula. Amounts are
//! integers in the measure's unit; not applicable is an empty cell, never 0.

use crate::model::{MeasureValue, Site};
use crate::output::OutputFile;
use crate::urls::Urls;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
#[cfg(test)]
use serde_json::{json, Map, Value};
use std::io::Write;

/// A column: English key and Japanese header.
struct Column {
    key: String,
    label: String,
}

fn columns(site: &Site) -> Vec<Column> {
    let mut c = vec![
        Column {
            key: "id".into(),
            label: "ID".into(),
        },
        Column {
            key: "source".into(),
            label: "出典".into(),
        },
        Column {
            key: "fiscal_year".into(),
            label: "年度".into(),
        },
    ];
    if site.config.series.is_some() {
        c.push(Column {
            key: "series".into(),
            label: "系列ID".into(),
        });
    }
    c.push(Column {
        key: "number".into(),
        label: site.config.labels.number.clone(),
    });
    for d in &site.dims {
        c.push(Column {
            key: d.decl.key.clone(),
            label: d.decl.label.clone(),
        });
        if has_codes(d) {
            c.push(Column {
                key: code_key(d),
                label: code_label(d),
            });
        }
    }
    c.push(Column {
        key: "implementer".into(),
        label: site.config.labels.implementer.clone(),
    });
    c.push(Column {
        key: "name".into(),
        label: site.config.labels.name.clone(),
    });
    let used = site.used_fields();
    if used.part {
        c.push(Column {
            key: "part".into(),
            label: "事業の構成".into(),
        });
    }
    if used.continues {
        c.push(Column {
            key: "continues".into(),
            label: "前の行の続き".into(),
        });
    }
    c.push(Column {
        key: "summary".into(),
        label: site.config.labels.summary.clone(),
    });
    for m in &site.measures {
        c.push(Column {
            key: m.key.clone(),
            label: format!("{}（{}）", m.label, m.unit),
        });
        if m.shared {
            c.push(Column {
                key: format!("{}_covered_by", m.key),
                label: format!("{}の記載行（共有）", m.label),
            });
        }
    }
    if used.start {
        c.push(Column {
            key: "start".into(),
            label: "事業開始".into(),
        });
    }
    c.push(Column {
        key: "url".into(),
        label: "ページ".into(),
    });
    c
}

/// Whether any entry of a dimension declares a `code` (a 全国地方公共団体コード
/// for local governments): the data files then carry a `<key>_code`
/// column beside the dimension's, so that they join other data by code.
pub fn has_codes(d: &crate::model::DimModel) -> bool {
    d.entries.iter().any(|e| e.code.is_some())
}

/// The key of a dimension's code column (`municipality_code`).
pub fn code_key(d: &crate::model::DimModel) -> String {
    format!("{}_code", d.decl.key)
}

/// The header of a dimension's code column.
fn code_label(d: &crate::model::DimModel) -> String {
    if d.decl.local_government_codes {
        format!("{}（全国地方公共団体コード）", d.decl.label)
    } else {
        format!("{}のコード", d.decl.label)
    }
}

/// The codes of a programme's values of dimension `d` (`None` for a value
/// without one).
fn codes(site: &Site, p: usize, d: usize) -> Vec<Option<&str>> {
    let dim = &site.dims[d];
    site.programmes[p].dims[d]
        .iter()
        .map(|&e| dim.entries[e].code.as_deref())
        .collect()
}

/// Neutralises spreadsheet formulas: cells starting with = + - @ tab CR get
/// a leading apostrophe.
pub fn csv_safe(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn row(site: &Site, p: usize) -> Vec<String> {
    let pr = &site.programmes[p];
    let mut r = vec![
        pr.id.clone(),
        site.sources[pr.source].id.clone(),
        pr.fiscal_year.to_string(),
    ];
    if site.config.series.is_some() {
        r.push(site.series[pr.series].id.clone());
    }
    r.push(pr.number.map(|n| n.to_string()).unwrap_or_default());
    for (d, dim) in site.dims.iter().enumerate() {
        r.push(
            pr.dims[d]
                .iter()
                .map(|&e| dim.entries[e].name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        );
        if has_codes(dim) {
            r.push(
                codes(site, p, d)
                    .into_iter()
                    .map(Option::unwrap_or_default)
                    .collect::<Vec<_>>()
                    .join("、"),
            );
        }
    }
    r.push(pr.implementer.clone().unwrap_or_default());
    r.push(pr.name.clone());
    let used = site.used_fields();
    if used.part {
        r.push(pr.part.clone().unwrap_or_default());
    }
    if used.continues {
        r.push(
            pr.continues
                .map(|c| site.programmes[c].id.clone())
                .unwrap_or_default(),
        );
    }
    r.push(crate::markdown::plain_lines(&pr.summary));
    for (mi, m) in site.measures.iter().enumerate() {
        let v = &pr.measures[mi];
        r.push(v.own().map(|n| n.to_string()).unwrap_or_default());
        if m.shared {
            r.push(match v {
                MeasureValue::Member { lead } => site.programmes[*lead].id.clone(),
                _ => String::new(),
            });
        }
    }
    if used.start {
        r.push(pr.start.map(|d| d.iso()).unwrap_or_default());
    }
    r.push(Urls::new(site).programme(p));
    r
}

/// A programme's CSV record, without its line end (the same bytes in both
/// flavours: quoting does not depend on the line end).
fn csv_record(site: &Site, p: usize) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::with_capacity(1024));
    // Writing to a Vec cannot fail.
    let _ = w.write_record(row(site, p).iter().map(|s| csv_safe(s)));
    let mut b = w.into_inner().unwrap_or_default();
    b.pop();
    b
}

/// A CSV writer of one of the two flavours: CRLF for Excel (`*.csv`), LF
/// for tools (`*.utf8.csv`); the Excel flavour's BOM is the caller's.
pub(crate) fn csv_writer(excel: bool) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(if excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new())
}

/// The bytes of a file written with [`csv_writer`]: with the BOM Excel
/// needs in front for the Excel flavour.
pub(crate) fn csv_finish(w: csv::Writer<Vec<u8>>, excel: bool) -> Vec<u8> {
    let mut out = if excel {
        vec![0xEF, 0xBB, 0xBF]
    } else {
        Vec::new()
    };
    out.extend(w.into_inner().unwrap_or_default());
    out
}

/// Writes a CSV file of `set` from per-programme records (`rec(p)`).
fn csv_write<'r>(
    site: &Site,
    set: &[usize],
    excel: bool,
    rec: &dyn Fn(usize) -> std::borrow::Cow<'r, [u8]>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let cols = columns(site);
    let end: &[u8] = if excel { b"\r\n" } else { b"\n" };
    let mut h = csv_writer(excel);
    // Headers come from the site config (labels): neutralised like cells.
    let header: Vec<String> = cols
        .iter()
        .map(|c| csv_safe(if excel { &c.label } else { &c.key }))
        .collect();
    let _ = h.write_record(&header);
    if excel {
        w.write_all(&[0xEF, 0xBB, 0xBF])?;
    }
    w.write_all(&h.into_inner().unwrap_or_default())?;
    for &p in set {
        w.write_all(&rec(p))?;
        w.write_all(end)?;
    }
    Ok(())
}

fn csv_bytes(site: &Site, set: &[usize], excel: bool) -> Vec<u8> {
    let mut b = Vec::with_capacity(set.len() * 1024);
    let _ = csv_write(site, set, excel, &|p| csv_record(site, p).into(), &mut b);
    b
}

pub use crate::config::DataFormat;

/// Per-programme pieces of the data files (CSV record, JSON object), made
/// once in parallel and shared by every file a programme appears in.
pub struct DataCache {
    csv: Vec<Vec<u8>>,
    json: Vec<Vec<u8>>,
}

impl DataCache {
    /// Makes every programme's pieces.
    pub fn new(site: &Site) -> DataCache {
        use rayon::prelude::*;
        let keys = json_keys(site);
        let (csv, json) = (0..site.programmes.len())
            .into_par_iter()
            .map(|p| (csv_record(site, p), json_fragment(site, p, &keys)))
            .unzip();
        DataCache { csv, json }
    }
}

/// Writes one data file of the programmes `order` (in source order).
pub fn write_data(
    site: &Site,
    cache: Option<&DataCache>,
    order: &[usize],
    format: DataFormat,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    use std::borrow::Cow;
    match (format, cache) {
        (DataFormat::Json, Some(c)) => json_write(site, order, &|p| Cow::Borrowed(&c.json[p]), w),
        (DataFormat::Json, None) => {
            let keys = json_keys(site);
            json_write(site, order, &|p| json_fragment(site, p, &keys).into(), w)
        }
        (f, Some(c)) => csv_write(
            site,
            order,
            f == DataFormat::ExcelCsv,
            &|p| Cow::Borrowed(&c.csv[p]),
            w,
        ),
        (f, None) => csv_write(
            site,
            order,
            f == DataFormat::ExcelCsv,
            &|p| csv_record(site, p).into(),
            w,
        ),
    }
}

#[cfg(test)]
fn json_programme(site: &Site, p: usize) -> Value {
    let pr = &site.programmes[p];
    let mut o = Map::new();
    o.insert("id".into(), json!(pr.id));
    o.insert("source".into(), json!(site.sources[pr.source].id));
    o.insert("fiscal_year".into(), json!(pr.fiscal_year));
    o.insert("number".into(), json!(pr.number));
    for (d, dim) in site.dims.iter().enumerate() {
        let names: Vec<&str> = pr.dims[d]
            .iter()
            .map(|&e| dim.entries[e].name.as_str())
            .collect();
        o.insert(
            dim.decl.key.clone(),
            if dim.decl.multiple {
                json!(names)
            } else {
                json!(names.first())
            },
        );
        if has_codes(dim) {
            let c = codes(site, p, d);
            o.insert(
                code_key(dim),
                if dim.decl.multiple {
                    json!(c)
                } else {
                    json!(c.first().copied().flatten())
                },
            );
        }
    }
    o.insert("implementer".into(), json!(pr.implementer));
    o.insert("name".into(), json!(pr.name));
    let used = site.used_fields();
    if used.part {
        o.insert("part".into(), json!(pr.part));
    }
    if used.continues {
        o.insert(
            "continues".into(),
            json!(pr.continues.map(|c| &site.programmes[c].id)),
        );
    }
    o.insert("summary".into(), json!(pr.summary));
    for (mi, m) in site.measures.iter().enumerate() {
        let v = match &pr.measures[mi] {
            MeasureValue::Own(n) => json!(n),
            MeasureValue::NotApplicable | MeasureValue::Missing => Value::Null,
            MeasureValue::Lead { amount, covers } => {
                json!({"amount": amount, "covers": covers.iter().map(|&c| &site.programmes[c].id).collect::<Vec<_>>()})
            }
            MeasureValue::Member { lead } => json!({"covered_by": site.programmes[*lead].id}),
        };
        o.insert(m.key.clone(), v);
    }
    if used.start {
        o.insert("start".into(), json!(pr.start.map(|d| d.iso())));
    }
    o.insert("url".into(), json!(Urls::new(site).programme(p)));
    Value::Object(o)
}

// --- JSON, serialised straight from the model (no intermediate `Value`),
// with every object's keys sorted as a `serde_json::Map` writes them.

#[derive(Clone, Copy)]
enum Key {
    Id,
    Source,
    FiscalYear,
    Series,
    Number,
    Dim(usize),
    Code(usize),
    Implementer,
    Name,
    Part,
    Continues,
    Summary,
    Measure(usize),
    Start,
    Url,
}
struct Prog<'a> {
    site: &'a Site,
    p: usize,
    keys: &'a [(String, Key)],
}
struct Ids<'a>(&'a Site, &'a [usize]);
impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for &c in self.1 {
            seq.serialize_element(&self.0.programmes[c].id)?;
        }
        seq.end()
    }
}
struct Figure<'a>(&'a Site, &'a MeasureValue);
impl Serialize for Figure<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.1 {
            MeasureValue::Own(n) => s.serialize_u64(*n),
            MeasureValue::NotApplicable | MeasureValue::Missing => s.serialize_unit(),
            MeasureValue::Lead { amount, covers } => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("amount", amount)?;
                m.serialize_entry("covers", &Ids(self.0, covers))?;
                m.end()
            }
            MeasureValue::Member { lead } => {
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("covered_by", &self.0.programmes[*lead].id)?;
                m.end()
            }
        }
    }
}
impl Serialize for Prog<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let site = self.site;
        let pr = &site.programmes[self.p];
        let mut m = s.serialize_map(Some(self.keys.len()))?;
        for (k, key) in self.keys {
            match *key {
                Key::Id => m.serialize_entry(k, &pr.id)?,
                Key::Source => m.serialize_entry(k, &site.sources[pr.source].id)?,
                Key::FiscalYear => m.serialize_entry(k, &pr.fiscal_year)?,
                Key::Series => m.serialize_entry(k, &self.site.series[pr.series].id)?,
                Key::Number => m.serialize_entry(k, &pr.number)?,
                Key::Dim(d) => {
                    let dim = &site.dims[d];
                    let names: Vec<&str> = pr.dims[d]
                        .iter()
                        .map(|&e| dim.entries[e].name.as_str())
                        .collect();
                    if dim.decl.multiple {
                        m.serialize_entry(k, &names)?
                    } else {
                        m.serialize_entry(k, &names.first())?
                    }
                }
                Key::Code(d) => {
                    let c = codes(site, self.p, d);
                    if site.dims[d].decl.multiple {
                        m.serialize_entry(k, &c)?
                    } else {
                        m.serialize_entry(k, &c.first().copied().flatten())?
                    }
                }
                Key::Implementer => m.serialize_entry(k, &pr.implementer)?,
                Key::Name => m.serialize_entry(k, &pr.name)?,
                Key::Part => m.serialize_entry(k, &pr.part)?,
                Key::Continues => {
                    m.serialize_entry(k, &pr.continues.map(|c| &site.programmes[c].id))?
                }
                Key::Summary => m.serialize_entry(k, &pr.summary)?,
                Key::Measure(mi) => m.serialize_entry(k, &Figure(site, &pr.measures[mi]))?,
                Key::Start => m.serialize_entry(k, &pr.start.map(|d| d.iso()))?,
                Key::Url => m.serialize_entry(k, &Urls::new(site).programme(self.p))?,
            }
        }
        m.end()
    }
}
struct Progs<'a>(&'a Site, &'a [usize], &'a [(String, Key)]);
impl Serialize for Progs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.1.len()))?;
        for &p in self.1 {
            seq.serialize_element(&Prog {
                site: self.0,
                p,
                keys: self.2,
            })?;
        }
        seq.end()
    }
}
#[derive(Serialize)]
struct Unit<'a> {
    label: &'a str,
    unit: &'a str,
}
/// The version of the data files' format, in every JSON document as
/// `version`: it changes when a key is removed or changes its meaning (a
/// key added leaves it as it is). docs/format.md, "Open data".
pub const DATA_VERSION: u32 = 1;

#[derive(Serialize)]
struct File<'a> {
    as_of: &'a Option<String>,
    /// Only when declared, so that files without it stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a crate::config::License>,
    not_applicable: &'a str,
    programmes: Progs<'a>,
    title: &'a str,
    units: std::collections::BTreeMap<&'a str, Unit<'a>>,
    version: u32,
}

/// The keys of a programme object, sorted, each with what it holds.
fn json_keys(site: &Site) -> Vec<(String, Key)> {
    // Insertion order of json_programme; a later key replaces an earlier one.
    let mut keys: Vec<(String, Key)> = vec![
        ("id".into(), Key::Id),
        ("source".into(), Key::Source),
        ("fiscal_year".into(), Key::FiscalYear),
        ("number".into(), Key::Number),
    ];
    if site.config.series.is_some() {
        keys.push(("series".into(), Key::Series));
    }
    for (d, dim) in site.dims.iter().enumerate() {
        keys.push((dim.decl.key.clone(), Key::Dim(d)));
        if has_codes(dim) {
            keys.push((code_key(dim), Key::Code(d)));
        }
    }
    keys.extend([
        ("implementer".into(), Key::Implementer),
        ("name".into(), Key::Name),
        ("summary".into(), Key::Summary),
    ]);
    let used = site.used_fields();
    if used.part {
        keys.push(("part".into(), Key::Part));
    }
    if used.continues {
        keys.push(("continues".into(), Key::Continues));
    }
    keys.extend(
        site.measures
            .iter()
            .enumerate()
            .map(|(mi, m)| (m.key.clone(), Key::Measure(mi))),
    );
    if used.start {
        keys.push(("start".into(), Key::Start));
    }
    keys.push(("url".into(), Key::Url));
    let mut sorted: std::collections::BTreeMap<String, Key> = std::collections::BTreeMap::new();
    for (k, v) in keys {
        sorted.insert(k, v);
    }
    sorted.into_iter().collect()
}

/// One programme as it appears in a JSON file: pretty-printed and indented
/// for its place in the `programmes` array, without a trailing comma.
fn json_fragment(site: &Site, p: usize, keys: &[(String, Key)]) -> Vec<u8> {
    // Strings never hold a raw newline in JSON, so indenting after each is safe.
    let one = serde_json::to_vec_pretty(&Prog { site, p, keys }).unwrap_or_default();
    let mut out = Vec::with_capacity(one.len() + 256);
    out.extend_from_slice(b"    ");
    for &b in &one {
        out.push(b);
        if b == b'\n' {
            out.extend_from_slice(b"    ");
        }
    }
    out
}

/// Writes the JSON file of the programmes `set`, from per-programme
/// fragments (`frag(p)`): `{as_of, license (when declared), not_applicable,
/// programmes, title, units}`.
fn json_write<'f>(
    site: &Site,
    set: &[usize],
    frag: &dyn Fn(usize) -> std::borrow::Cow<'f, [u8]>,
    w: &mut dyn Write,
) -> std::io::Result<()> {
    let head = File {
        as_of: &site.config.as_of,
        license: site.config.license.as_ref(),
        not_applicable: "null",
        programmes: Progs(site, &[], &[]),
        title: &site.config.title,
        units: site
            .measures
            .iter()
            .map(|m| {
                (
                    m.key.as_str(),
                    Unit {
                        label: &m.label,
                        unit: &m.unit,
                    },
                )
            })
            .collect(),
        version: DATA_VERSION,
    };
    let text = serde_json::to_vec_pretty(&head).map_err(std::io::Error::other)?;
    const EMPTY: &[u8] = b"\"programmes\": []";
    let at = text
        .windows(EMPTY.len())
        .position(|x| x == EMPTY)
        .unwrap_or(text.len());
    if set.is_empty() || at == text.len() {
        w.write_all(&text)?;
    } else {
        w.write_all(&text[..at])?;
        w.write_all(b"\"programmes\": [")?;
        for (i, &p) in set.iter().enumerate() {
            w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
            w.write_all(&frag(p))?;
        }
        w.write_all(b"\n  ]")?;
        w.write_all(&text[at + EMPTY.len()..])?;
    }
    w.write_all(b"\n")
}

/// A programme's own JSON document: the shape of every JSON data file,
/// with this one programme (`data/programmes/<id>.json`).
pub fn programme_json(site: &Site, p: usize) -> Vec<u8> {
    json_bytes(site, &[p])
}

fn json_bytes(site: &Site, set: &[usize]) -> Vec<u8> {
    let keys = json_keys(site);
    let mut b = Vec::with_capacity(256 + set.len() * 1536);
    let _ = json_write(site, set, &|p| json_fragment(site, p, &keys).into(), &mut b);
    b
}

#[cfg(test)]
fn json_bytes_value(site: &Site, set: &[usize]) -> Vec<u8> {
    let v = json!({
        "title": site.config.title,
        "as_of": site.config.as_of,
        "units": site.measures.iter().map(|m| (m.key.clone(), json!({"label": m.label, "unit": m.unit}))).collect::<Map<_, _>>(),
        "not_applicable": "null",
        "programmes": set.iter().map(|&p| json_programme(site, p)).collect::<Vec<_>>(),
        "version": DATA_VERSION,
    });
    let mut v = v;
    if let Some(l) = &site.config.license {
        v["license"] = serde_json::to_value(l).unwrap_or_default();
    }
    let mut b = serde_json::to_vec_pretty(&v).unwrap_or_default();
    b.push(b'\n');
    b
}

/// A download offered on a page.
#[derive(serde::Serialize, Clone)]
pub struct Download {
    /// The format, in words (CSV（Excel向け…）).
    pub label: String,
    /// The file, relative to the site root.
    pub href: String,
}

/// The data files of the programmes `order` (in source order) in `formats`,
/// named `base.*`.
pub fn set_data(
    site: &Site,
    base: &str,
    order: &[usize],
    formats: &[DataFormat],
) -> Vec<OutputFile> {
    formats
        .iter()
        .map(|&f| {
            let bytes = match f {
                DataFormat::ExcelCsv => csv_bytes(site, order, true),
                DataFormat::Csv => csv_bytes(site, order, false),
                DataFormat::Json => json_bytes(site, order),
            };
            OutputFile::new(format!("{base}{}", f.suffix()), bytes)
        })
        .collect()
}

/// The downloads a page offers for the data files named `base.*`.
pub fn set_downloads(base: &str, formats: &[DataFormat]) -> Vec<Download> {
    formats
        .iter()
        .map(|f| Download {
            label: f.label().into(),
            href: format!("{base}{}", f.suffix()),
        })
        .collect()
}

/// The columns, for the data page: (key, label).
pub fn column_docs(site: &Site) -> Vec<(String, String)> {
    columns(site)
        .into_iter()
        .map(|c| (c.key, c.label))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    /// The CSV writer as it was: one csv::Writer over the whole file.
    fn csv_bytes_one_writer(site: &Site, set: &[usize], excel: bool) -> Vec<u8> {
        let cols = columns(site);
        let mut w = csv::WriterBuilder::new()
            .terminator(if excel {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(Vec::new());
        let header: Vec<String> = cols
            .iter()
            .map(|c| csv_safe(if excel { &c.label } else { &c.key }))
            .collect();
        let _ = w.write_record(&header);
        for &p in set {
            let _ = w.write_record(row(site, p).iter().map(|s| csv_safe(s)));
        }
        let mut bytes = if excel {
            vec![0xEF, 0xBB, 0xBF]
        } else {
            Vec::new()
        };
        bytes.extend(w.into_inner().unwrap_or_default());
        bytes
    }

    #[test]
    fn data_files_from_cached_pieces_equal_the_direct_ones() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let crate::Checked::Valid(site, _) = crate::check(&content) else {
            panic!("content invalid")
        };
        let all = crate::model::totals::source_order(&site, &site.all());
        let cache = DataCache::new(&site);
        for set in [&all[..], &all[3..9], &all[..0]] {
            for (f, excel) in [(DataFormat::ExcelCsv, true), (DataFormat::Csv, false)] {
                let mut a = Vec::new();
                write_data(&site, Some(&cache), set, f, &mut a).unwrap();
                assert_eq!(a, csv_bytes_one_writer(&site, set, excel));
                assert_eq!(csv_bytes(&site, set, excel), a);
            }
            let mut j = Vec::new();
            write_data(&site, Some(&cache), set, DataFormat::Json, &mut j).unwrap();
            assert_eq!(
                String::from_utf8(j).unwrap(),
                String::from_utf8(json_bytes_value(&site, set)).unwrap()
            );
        }
    }

    #[test]
    fn json_written_straight_equals_the_value_form() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let crate::Checked::Valid(site, _) = crate::check(&content) else {
            panic!("content invalid")
        };
        let all = crate::model::totals::source_order(&site, &site.all());
        assert_eq!(
            String::from_utf8(json_bytes(&site, &all)).unwrap(),
            String::from_utf8(json_bytes_value(&site, &all)).unwrap()
        );
        let few = &all[5..12];
        assert_eq!(json_bytes(&site, few), json_bytes_value(&site, few));
    }

    #[test]
    fn summaries_keep_their_lines_in_a_quoted_cell() {
        // Paragraphs, hard breaks (two links on two lines) and items are
        // lines; a one-line summary reads as plain_text does.
        let md = "補助金の目的：X\n\n補助対象者：区市町村\n\n各局HPリンク：<https://a.example/x>\\\n<https://a.example/y>\n\n- 一\n- 二\n";
        assert_eq!(
            crate::markdown::plain_lines(md),
            "補助金の目的：X\n補助対象者：区市町村\n各局HPリンク：https://a.example/x\nhttps://a.example/y\n一\n二"
        );
        assert_eq!(
            crate::markdown::plain_lines("負担割合：都1/2\n\n　　　運営費：都1/2\n"),
            "負担割合：都1/2\n　　　運営費：都1/2"
        );
        for one in [
            "　全角で始まる　",
            "人材不足の解消を図る。",
            "  *強調* と `code` ",
            "<b>x</b> & y",
            "",
        ] {
            assert_eq!(
                crate::markdown::plain_lines(one),
                crate::markdown::plain_text(one),
                "{one:?}"
            );
        }
        // The csv crate quotes a cell with a line break and keeps it.
        let mut w = csv_writer(true);
        let _ = w.write_record([csv_safe(&crate::markdown::plain_lines(md)), "1".into()]);
        let out = String::from_utf8(csv_finish(w, true)).unwrap();
        assert!(
            out.contains("\"補助金の目的：X\n補助対象者：区市町村\n各局HPリンク：https://a.example/x\nhttps://a.example/y\n一\n二\",1\r\n"),
            "{out:?}"
        );
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("+1"), "'+1");
        assert_eq!(csv_safe("-1"), "'-1");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("世田谷区"), "世田谷区");
        assert_eq!(csv_safe("18997"), "18997");
    }
}
