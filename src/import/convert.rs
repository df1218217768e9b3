//! Rows of one table → programmes, against the declared model.

use super::cell::{clean_text, figure, squash, Figure};
use super::era::parse_date;
use super::programme::{DimValue, Programme, Value};
use super::table::{field_label, Field, Table, COLUMNS};
use super::Problem;
use crate::config::{Dimension, Entry, SiteConfig, Source};
use crate::diag::did_you_mean;
use std::collections::BTreeMap;

/// A dimension and its values.
#[derive(Debug, Clone)]
pub struct DimInfo {
    /// The declaration.
    pub decl: Dimension,
    /// Its values (registry or inline).
    pub entries: Vec<Entry>,
    /// Where the values are listed, for messages (`_municipalities.yaml`).
    pub where_: String,
    /// Squashed name or slug → entry; squashed body → entry (first wins).
    index: std::collections::HashMap<String, usize>,
    bodies: std::collections::HashMap<String, usize>,
}

impl DimInfo {
    /// A dimension with its values, indexed for lookups.
    pub fn new(decl: Dimension, entries: Vec<Entry>, where_: String) -> Self {
        let mut index = std::collections::HashMap::new();
        let mut bodies = std::collections::HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            index.entry(squash(&e.name)).or_insert(i);
            index.entry(e.slug.clone()).or_insert(i);
            for b in &e.bodies {
                bodies.entry(squash(b)).or_insert(i);
            }
        }
        DimInfo {
            decl,
            entries,
            where_,
            index,
            bodies,
        }
    }
}

/// The declared model the rows are read against.
pub struct Model<'a> {
    /// `_site.yaml`.
    pub config: &'a SiteConfig,
    /// Dimensions, in declaration order.
    pub dims: Vec<DimInfo>,
    /// Display path of `_sources.yaml`, and its text (for positions).
    pub sources_file: (String, String),
}

impl Model<'_> {
    /// A dimension by key.
    pub fn dim(&self, key: &str) -> Option<&DimInfo> {
        self.dims.iter().find(|d| d.decl.key == key)
    }
}

/// A programme and the facts later checks need.
pub struct Row {
    /// The programme.
    pub prog: Programme,
    /// Dimension keys the table itself provides (the rest are editorial).
    pub table_dims: Vec<String>,
}

/// The outcome for one table.
pub struct Converted {
    /// The programmes, in table order.
    pub rows: Vec<Row>,
}

/// A cell's value looked up in a dimension.
pub(super) enum Resolved<'e> {
    Entry(&'e Entry),
    Body(&'e Entry),
    Unknown,
}

pub(super) fn resolve<'e>(d: &'e DimInfo, text: &str) -> Resolved<'e> {
    let t = squash(text);
    if let Some(&i) = d.index.get(&t) {
        return Resolved::Entry(&d.entries[i]);
    }
    if let Some(&i) = d.bodies.get(&t) {
        return Resolved::Body(&d.entries[i]);
    }
    Resolved::Unknown
}

/// How a resolved entry is written: single-valued registry dimensions by
/// name (世田谷区), the others by slug.
/// The values of a dimension cell: for a dimension with several values whose
/// cell (`whole`, cleaned) is not itself one value, the parts of `text`
/// between line breaks, 、 , ，; ；; else the cell as one value.
pub(super) fn value_parts(d: &DimInfo, whole: &str, text: &str) -> Vec<String> {
    if d.decl.multiple && matches!(resolve(d, whole), Resolved::Unknown) {
        text.split(['\n', '、', ',', '，', ';', '；'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        vec![whole.to_string()]
    }
}

pub(super) fn written(d: &DimInfo, e: &Entry) -> String {
    if d.decl.registry.is_some() && !d.decl.multiple {
        e.name.clone()
    } else {
        e.slug.clone()
    }
}

/// Converts one table read for `source`.
pub fn convert(
    table: &Table,
    source: &Source,
    model: &Model,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Converted {
    let errors_before = problems.iter().filter(|p| p.is_error()).count();
    let cols = &table.columns;
    let mut err = |line: usize, col: usize, msg: String, help: Vec<String>| {
        problems.push(Problem::error(file, line, col, msg, help));
    };
    // --- the layout against the model
    let mut table_dims: Vec<String> = Vec::new();
    for (i, role) in cols.roles.iter().enumerate() {
        match role {
            Some(Field::Dim(k)) => {
                if model.dim(k).is_none() {
                    err(table.header_line, i + 1, format!("column 「{}」 holds dimension `{k}`, which _site.yaml does not declare", cols.headers[i]), vec![]);
                } else {
                    table_dims.push(k.to_string());
                }
            }
            Some(Field::Measure(k)) if !model.config.measures.iter().any(|m| m.key == *k) => {
                err(
                    table.header_line,
                    i + 1,
                    format!(
                        "column 「{}」 holds measure `{k}`, which _site.yaml does not declare",
                        cols.headers[i]
                    ),
                    vec![],
                );
            }
            _ => {}
        }
    }
    let (sfile, stext) = &model.sources_file;
    let si = model_source_index(stext, &source.id);
    for key in source.defaults.keys() {
        if model.dim(key).is_none() {
            let (l, c) = crate::yaml::locate(
                stext,
                &[
                    crate::yaml::Seg::Index(si),
                    crate::yaml::Seg::Key("defaults".into()),
                    crate::yaml::Seg::Key(key.clone()),
                ],
            );
            problems.push(Problem::error(
                sfile,
                l,
                c,
                format!(
                    "source `{}`: default `{key}` is not a dimension declared in _site.yaml",
                    source.id
                ),
                vec![],
            ));
        }
    }
    let scheme = source
        .defaults
        .get("scheme")
        .cloned()
        .unwrap_or_else(|| source.id.clone());
    let defaults: Vec<(String, String)> = source
        .defaults
        .iter()
        .filter(|(k, _)| !table_dims.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    // --- rows
    let mut rows: Vec<Row> = Vec::new();
    let mut numbers: BTreeMap<u64, usize> = BTreeMap::new();
    let same_group_dims: Vec<&str> = model
        .dims
        .iter()
        .filter(|d| d.decl.same_within_group)
        .map(|d| d.decl.key.as_str())
        .collect();
    for rec in &table.rows {
        let mut err = |col: usize, msg: String, help: Vec<String>| {
            problems.push(Problem::error(file, rec.line, col, msg, help));
        };
        let mut p = Programme {
            line: rec.line,
            title: source.title.clone(),
            fiscal_year: source.fiscal_year,
            source: source.id.clone(),
            defaults: defaults.clone(),
            ..Default::default()
        };
        // Cells beyond the header must be empty.
        for (i, c) in rec.cells.iter().enumerate() {
            if cols.roles.get(i).copied().flatten().is_none() && !c.trim().is_empty() {
                err(
                    i + 1,
                    format!("cell 「{}」 is in a column without a header", short(c)),
                    vec!["the header row names no field for this column; fix the table".into()],
                );
            }
        }
        // 整理番号
        let ni = cols.index(Field::Number).unwrap_or(0);
        match figure(rec.cell(ni)) {
            Ok(Figure::Value(n)) => {
                p.number = n;
                if let Some(prev) = numbers.insert(n, rec.line) {
                    err(
                        ni + 1,
                        format!("整理番号 {n} appears twice in this table (also line {prev})"),
                        vec![],
                    );
                }
            }
            Ok(_) => err(
                ni + 1,
                "整理番号 is blank".into(),
                vec!["every row needs its number from the source table".into()],
            ),
            Err(e) => err(ni + 1, format!("整理番号: {e}"), vec![]),
        }
        p.id = format!("{}-{}-{:02}", source.fiscal_year, scheme, p.number);
        let prev = rows.last().map(|r| r.prog.clone());
        let prev = prev.as_ref();

        // Text cells: HTML and stray labels.
        let text = |f: Field, markdown: bool, p: &mut Programme| -> Option<(String, usize)> {
            let i = cols.index(f)?;
            let labels: Vec<&str> = COLUMNS
                .iter()
                .filter(|(_, g)| *g == f)
                .map(|(h, _)| *h)
                .collect();
            let c = clean_text(rec.cell(i), &labels, markdown);
            let what = field_label(f);
            if let Some((element, heading)) = &c.heading {
                p.part = Some(heading.clone());
                p.notes.push(format!("出典の{what}は「{element}」で始まる。HTMLタグを除き、見出し「{heading}」を part に移した。"));
            }
            if !c.tags.is_empty() {
                let tags: Vec<String> = c.tags.iter().map(|t| format!("<{t}>")).collect();
                p.notes.push(format!(
                    "出典の{what}にはHTMLタグ（{}）があった。タグを除き、文字だけを残した。{}",
                    tags.join("、"),
                    if c.code {
                        "<script>・<style>の中身（プログラムのコード）も除いた。"
                    } else {
                        ""
                    }
                ));
            }
            if let Some(l) = &c.label {
                p.notes.push(format!(
                    "出典の{what}は「{l}」で始まる。この見出しを除いた。"
                ));
            }
            Some((c.text, i))
        };

        // Dimensions from the table.
        for key in &table_dims {
            let Some(d) = model.dim(key) else { continue };
            let Some((val, i)) = text(Field::Dim(dim_static(key)), false, &mut p) else {
                continue;
            };
            if val.is_empty() {
                if d.decl.required {
                    err(i + 1, format!("{} is blank", cols.headers[i]), vec![]);
                }
                continue;
            }
            let parts = value_parts(d, &val, &val);
            let mut out = Vec::new();
            for part in &parts {
                match resolve(d, part) {
                    Resolved::Entry(e) => out.push(written(d, e)),
                    Resolved::Body(e) if !d.decl.multiple => {
                        out.push(written(d, e));
                        p.implementer = Some(part.clone());
                        p.notes.push(format!(
                            "出典の{}は「{part}」。{} の bodies により、{} を {}、implementer を {part} とした。",
                            field_label(Field::Dim(dim_static(key))), d.where_, key, e.name
                        ));
                    }
                    _ => {
                        let cands: Vec<&str> = d
                            .entries
                            .iter()
                            .flat_map(|e| {
                                std::iter::once(e.name.as_str())
                                    .chain(e.bodies.iter().map(String::as_str))
                            })
                            .collect();
                        let mut help = Vec::new();
                        if let Some(s) = did_you_mean(part, cands.iter().copied()) {
                            help.push(format!("did you mean {s}?{}", crate::diag::chars::differs(part, s)));
                        }
                        help.push(if d.decl.registry.is_some() && !d.decl.multiple {
                            format!("add it to {}, or, if it is a body acting for one of its entries, list it under that entry's `bodies`", d.where_)
                        } else if d.entries.len() <= 12 {
                            let names: Vec<&str> = d.entries.iter().map(|e| e.name.as_str()).collect();
                            format!("known values (in {}): {}", d.where_, names.join("、"))
                        } else {
                            format!("the values are listed in {}", d.where_)
                        });
                        err(
                            i + 1,
                            format!("unknown {} 「{part}」 (not in {})", d.decl.label, d.where_),
                            help,
                        );
                    }
                }
            }
            if out.is_empty() {
                continue;
            }
            let v = if d.decl.multiple {
                DimValue::Many(out)
            } else {
                DimValue::One(out.remove(0))
            };
            p.dims.insert(key.clone(), v);
        }

        // 事業名, continuation rows.
        if let Some((name, i)) = text(Field::Name, false, &mut p) {
            if name.is_empty() {
                match prev {
                    Some(pr) => {
                        p.name = pr.name.clone();
                        p.continues = Some(pr.id.clone());
                        p.notes.push(format!("出典の事業名は空欄（上の行の事業の続き）。事業名を整理番号{}の行から引き継いだ。", pr.number));
                        if pr.dims.get("municipality") != p.dims.get("municipality") {
                            err(i + 1, format!(
                                "事業名 is blank, so this row continues the row above (整理番号 {}, line {}), but that row is in {}, not {}",
                                pr.number, pr.line, dim_text(pr.dims.get("municipality")), dim_text(p.dims.get("municipality"))
                            ), vec!["fill in the 事業名, or correct the 実施区市町村名".into()]);
                        }
                    }
                    None => err(i + 1, "事業名 is blank in the table's first row; there is no row above to continue".into(), vec![]),
                }
            } else {
                p.name = name;
            }
        }
        // 事業内容
        if let Some((summary, _)) = text(Field::Summary, true, &mut p) {
            p.summary = summary;
        }

        // Figures.
        for m in &model.config.measures {
            let Some(i) = cols.index(Field::Measure(measure_static(&m.key))) else {
                continue;
            };
            let label = &m.label;
            match figure(rec.cell(i)) {
                Ok(Figure::Value(n)) => {
                    p.measures.insert(m.key.clone(), Value::Own(n));
                }
                Ok(Figure::NotApplicable) => {
                    p.measures.insert(m.key.clone(), Value::NotApplicable);
                }
                Ok(Figure::Blank) if m.shared => {
                    // A merged cell: the group of the nearest row above with a figure.
                    let lead = prev.map(|pr| match pr.measures.get(&m.key) {
                        Some(Value::Member(l)) => l.clone(),
                        _ => pr.id.clone(),
                    });
                    let Some(lead_id) = lead else {
                        err(i + 1, format!("{label} is blank in the table's first row; a blank {label} means the merged cell above, and there is none"), vec![]);
                        continue;
                    };
                    let lead_row = rows.iter().find(|r| r.prog.id == lead_id);
                    let Some(lead_row) = lead_row else { continue };
                    match lead_row.prog.measures.get(&m.key) {
                        Some(Value::Own(_)) | Some(Value::Lead(..)) => {}
                        _ => {
                            err(i + 1, format!("{label} is blank (a merged cell), but the row above it (整理番号 {}, line {}) has no figure to share", lead_row.prog.number, lead_row.prog.line), vec![]);
                            continue;
                        }
                    }
                    let mut differs = Vec::new();
                    for k in &same_group_dims {
                        if lead_row.prog.dims.get(*k) != p.dims.get(*k) {
                            differs.push(format!(
                                "{} {} ≠ {}",
                                k,
                                dim_text(lead_row.prog.dims.get(*k)),
                                dim_text(p.dims.get(*k))
                            ));
                        }
                    }
                    if !differs.is_empty() {
                        err(i + 1, format!(
                            "{label} is blank, so it would share the merged cell of 整理番号 {} (line {}), but the rows differ: {}",
                            lead_row.prog.number, lead_row.prog.line, differs.join(", ")
                        ), vec![format!("a merged {label} cell spans rows of one {}; give this row its own figure", model.dim("municipality").map_or("municipality", |d| d.decl.label.as_str()))]);
                        continue;
                    }
                    p.measures
                        .insert(m.key.clone(), Value::Member(lead_id.clone()));
                    // Record the member on the lead.
                    let id = p.id.clone();
                    if let Some(r) = rows.iter_mut().find(|r| r.prog.id == lead_id) {
                        let v = r.prog.measures.get_mut(&m.key);
                        if let Some(v) = v {
                            *v = match std::mem::replace(v, Value::NotApplicable) {
                                Value::Own(a) => Value::Lead(a, vec![id]),
                                Value::Lead(a, mut c) => {
                                    c.push(id);
                                    Value::Lead(a, c)
                                }
                                other => other,
                            };
                        }
                    }
                }
                Ok(Figure::Blank) => {
                    err(i + 1, format!("{label} is blank"), vec![format!("write `-` in the table when {label} does not apply; only a measure declared `shared` (a merged cell) may be blank")]);
                }
                Err(e) => err(i + 1, format!("{label}: {e}"), vec![]),
            }
        }
        // 事業開始
        if let Some(i) = cols.index(Field::Start) {
            let raw = rec.cell(i).trim();
            if !raw.is_empty() && !matches!(figure(raw), Ok(Figure::NotApplicable)) {
                match parse_date(raw) {
                    Ok(d) => {
                        p.start = Some(d.date);
                        if !d.day_given {
                            p.notes.push(format!(
                                "出典の事業開始は「{raw}」（日の記載なし）。{}とした。",
                                d.date.iso()
                            ));
                        }
                    }
                    Err(e) => err(
                        i + 1,
                        format!("事業開始: {e}"),
                        vec!["write the date as e.g. 令和6年4月1日 or 2024-04-01".into()],
                    ),
                }
            }
        }
        rows.push(Row {
            prog: p,
            table_dims: table_dims.clone(),
        });
    }

    // --- totals
    let errors_now = problems.iter().filter(|p| p.is_error()).count();
    if errors_now == errors_before {
        check_totals(table, source, model, file, &rows, problems);
    }
    Converted { rows }
}

fn check_totals(
    table: &Table,
    source: &Source,
    model: &Model,
    file: &str,
    rows: &[Row],
    problems: &mut Vec<Problem>,
) {
    let cols = &table.columns;
    let (sfile, _) = &model.sources_file;
    let Some(total) = &table.total else {
        if !source.declared_totals.is_empty() {
            problems.push(Problem::warning(file, table.header_line, 1, format!(
                "the table has no 合計 row; source `{}` declares totals in {sfile} that the import cannot compare", source.id), vec![]));
        }
        return;
    };
    let mut found: Vec<(String, u64, usize)> = Vec::new();
    for m in &model.config.measures {
        let Some(i) = cols.index(Field::Measure(measure_static(&m.key))) else {
            continue;
        };
        match figure(total.cell(i)) {
            Ok(Figure::Value(n)) => found.push((m.key.clone(), n, i)),
            Ok(_) => {}
            Err(e) => problems.push(Problem::error(
                file,
                total.line,
                i + 1,
                format!("合計 {}: {e}", m.label),
                vec![],
            )),
        }
    }
    let label = |k: &str| {
        model
            .config
            .measures
            .iter()
            .find(|m| m.key == k)
            .map_or(k.to_string(), |m| m.label.clone())
    };
    if source.declared_totals.is_empty() && !found.is_empty() {
        let mut help = format!(
            "add them to source `{}` in {sfile}:\n    declared_totals:",
            source.id
        );
        for (k, n, _) in &found {
            help.push_str(&format!("\n      {k}: {n}"));
        }
        let list: Vec<String> = found
            .iter()
            .map(|(k, n, _)| format!("{} {}", label(k), group(*n)))
            .collect();
        problems.push(Problem::error(
            file,
            total.line,
            1,
            format!(
                "the 合計 row declares totals ({}), but source `{}` declares none",
                list.join(", "),
                source.id
            ),
            vec![help],
        ));
        return;
    }
    for (k, n, i) in &found {
        match source.declared_totals.get(k) {
            Some(d) if d == n => {}
            Some(d) => problems.push(Problem::error(
                file,
                total.line,
                i + 1,
                format!(
                    "合計 {} is {}, but source `{}` declares {} in {sfile}",
                    label(k),
                    group(*n),
                    source.id,
                    group(*d)
                ),
                vec![format!(
                    "correct declared_totals.{k} in {sfile}, or the table"
                )],
            )),
            None => problems.push(Problem::error(
                file,
                total.line,
                i + 1,
                format!(
                    "合計 {} is {}, but source `{}` declares no total for `{k}`",
                    label(k),
                    group(*n),
                    source.id
                ),
                vec![format!(
                    "add `{k}: {n}` under declared_totals of `{}` in {sfile}",
                    source.id
                )],
            )),
        }
    }
    for (k, d) in &source.declared_totals {
        if !found.iter().any(|(f, _, _)| f == k) {
            problems.push(Problem::error(
                file,
                total.line,
                1,
                format!(
                    "source `{}` declares {} {} in {sfile}, but the 合計 row has no figure for it",
                    source.id,
                    label(k),
                    group(*d)
                ),
                vec![],
            ));
        }
    }
    // The rows should add up to the 合計 row (the build checks this too).
    for (k, n, i) in &found {
        let sum: u128 = rows
            .iter()
            .map(|r| match r.prog.measures.get(k) {
                Some(Value::Own(v)) | Some(Value::Lead(v, _)) => u128::from(*v),
                _ => 0,
            })
            .sum();
        if sum != u128::from(*n) {
            problems.push(Problem::warning(
                file,
                total.line,
                i + 1,
                format!(
                    "the rows' {} add up to {}, but the 合計 row says {}",
                    label(k),
                    group_u128(sum),
                    group(*n)
                ),
                vec!["`mieruka build` will refuse the content until they agree".into()],
            ));
        }
    }
}

fn model_source_index(text: &str, id: &str) -> usize {
    crate::yaml::parse(text)
        .ok()
        .and_then(|v| {
            v.as_sequence().and_then(|s| {
                s.iter()
                    .position(|x| x.get("id").and_then(|i| i.as_str()) == Some(id))
            })
        })
        .unwrap_or(0)
}

fn dim_text(v: Option<&DimValue>) -> String {
    match v {
        Some(DimValue::One(s)) => s.clone(),
        Some(DimValue::Many(l)) => l.join("・"),
        None => "(none)".into(),
    }
}

/// `&'static str` of a known dimension key (the keys come from [`COLUMNS`]).
fn dim_static(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find_map(|(_, f)| match f {
            Field::Dim(k) if *k == key => Some(*k),
            _ => None,
        })
        .unwrap_or("")
}

fn measure_static(key: &str) -> &'static str {
    COLUMNS
        .iter()
        .find_map(|(_, f)| match f {
            Field::Measure(k) if *k == key => Some(*k),
            _ => None,
        })
        .unwrap_or("")
}

fn short(s: &str) -> String {
    let t: String = s.trim().chars().take(20).collect();
    if s.trim().chars().count() > 20 {
        format!("{t}…")
    } else {
        t
    }
}

/// 539118 → 539,118.
pub fn group(n: u64) -> String {
    group_u128(u128::from(n))
}

fn group_u128(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
