//! Rows of a programme list → programmes, as a mapping file says.
//!
//! One header row, then one programme per row (and optionally a totals row
//! at the end). Every problem names its line (the physical line where the
//! row starts) and cell; nothing is converted half-way.

use super::cell::{figure, squash, Figure};
use super::convert::{resolve, value_parts, written, DimInfo, Model, Resolved, Row};
use super::era::parse_date;
use super::mapping::{
    fill, parse_template, Blank, Feed, FieldMap, Kind, Mapping, NewValues, Piece, TEMPLATE_HELP,
};
use super::programme::{DimValue, Programme, Value};
use super::table::Record;
use super::Problem;
use crate::config::Source;
use crate::diag::did_you_mean;
use std::collections::BTreeMap;

/// Values to append to a registry file.
#[derive(Debug, Clone)]
pub struct Added {
    /// The dimension's key.
    pub key: String,
    /// Its label.
    pub label: String,
    /// The registry file (relative to the content folder).
    pub registry: String,
    /// (slug, name) in order of first appearance.
    pub entries: Vec<(String, String)>,
    /// Squashed name → index in `entries`; slugs taken.
    seen: std::collections::HashMap<String, usize>,
    slugs: std::collections::HashSet<String>,
}

/// The outcome.
pub struct Mapped {
    /// The programmes, in table order.
    pub rows: Vec<Row>,
    /// New dimension values (for `new_values: add`).
    pub added: Vec<Added>,
}

const RESERVED: &[&str] = &["row", "fiscal_year", "source"];

/// Reads the rows of `records` for `source` as `mapping` says.
pub fn convert(
    records: &[Record],
    mapping: &Mapping,
    source: &Source,
    model: &Model,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Mapped {
    let mut out = Mapped {
        rows: Vec::new(),
        added: Vec::new(),
    };
    let errors_before = problems.iter().filter(|p| p.is_error()).count();
    let mfile = &mapping.file;

    // --- the header row
    let header_at = match mapping.header_line {
        Some(l) => records.iter().position(|r| r.line == l),
        None => records
            .iter()
            .position(|r| r.cells.iter().any(|c| !c.trim().is_empty())),
    };
    let Some(hi) = header_at else {
        let msg = match mapping.header_line {
            Some(l) => format!(
                "no row starts at line {l}, where the mapping (header_line) says the header is"
            ),
            None => "the table is empty: no header row".into(),
        };
        problems.push(Problem::error(
            file,
            mapping.header_line.unwrap_or(1),
            1,
            msg,
            vec![],
        ));
        return out;
    };
    let header = &records[hi];
    let hline = header.line;
    let headers: Vec<String> = header.cells.iter().map(|c| c.trim().to_string()).collect();
    let keys: Vec<String> = headers.iter().map(|h| squash(h)).collect();
    let mut col_of: Vec<Option<usize>> = vec![None; mapping.fields.len()];
    let mut used = vec![false; headers.len()];
    for (i, k) in keys.iter().enumerate() {
        if k.is_empty() {
            continue;
        }
        if let Some(j) = keys[..i].iter().position(|x| x == k) {
            problems.push(Problem::error(
                file,
                hline,
                i + 1,
                format!(
                    "the header 「{}」 appears twice (also cell {})",
                    headers[i],
                    j + 1
                ),
                vec!["rename one of the columns in the table".into()],
            ));
            continue;
        }
        let mut fed = false;
        for (fi, f) in mapping.fields.iter().enumerate() {
            let Feed::Column(list) = &f.feed else {
                continue;
            };
            if list.iter().any(|h| squash(h) == *k) {
                fed = true;
                match col_of[fi] {
                    Some(prev) => problems.push(Problem::error(file, hline, i + 1, format!(
                        "columns 「{}」 and 「{}」 both feed `{}` (the mapping lists both as its headers)", headers[prev], headers[i], f.target), vec![
                        "a field's headers are aliases: the table should have only one of them; map the other column to another field or to `ignore`".into(),
                    ])),
                    None => col_of[fi] = Some(i),
                }
            }
        }
        let appended = mapping
            .fields
            .iter()
            .any(|f| f.append.iter().any(|h| squash(h) == *k));
        let ignored = mapping.ignore.iter().any(|h| squash(h) == *k);
        used[i] = fed || appended || ignored;
        if !used[i] {
            let known: Vec<&str> = mapping
                .fields
                .iter()
                .flat_map(|f| match &f.feed {
                    Feed::Column(l) => l.iter().map(String::as_str).collect::<Vec<_>>(),
                    _ => Vec::new(),
                })
                .collect();
            let mut help = Vec::new();
            if let Some(s) = did_you_mean(&headers[i], known.iter().copied()) {
                help.push(format!("did you mean 「{s}」? (the mapping compares headers after NFKC, without spaces)"));
            }
            help.push(format!("map it under `fields:` in {mfile} (or add it to a field's `from:` list, as another year's name of a column), or list it under `ignore:`"));
            problems.push(Problem::error(
                file,
                hline,
                i + 1,
                format!(
                    "column 「{}」 is not in the mapping, so its data would be lost",
                    headers[i]
                ),
                help,
            ));
        }
    }
    for (fi, f) in mapping.fields.iter().enumerate() {
        let Feed::Column(list) = &f.feed else {
            continue;
        };
        if col_of[fi].is_none() && f.required {
            let others = if list.len() > 1 {
                format!(" (nor its aliases 「{}」)", list[1..].join("」「"))
            } else {
                String::new()
            };
            problems.push(Problem::error(file, hline, 1, format!(
                "the header row has no column 「{}」{others}, which the mapping needs for `{}`", list[0], f.target), vec![
                format!("if the column has another name in this table, add that name to `from:` of `{}` in {mfile}; if the table has no such column, set `required: false`", f.target),
            ]));
        }
    }
    // Placeholders must name a header of this table.
    let mut by_key: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if !k.is_empty() {
            by_key.entry(k.as_str()).or_insert(i);
        }
    }
    let header_index = |name: &str| by_key.get(squash(name).as_str()).copied();
    // (field, pieces, position in the mapping, whether a slug template)
    type Templ = (String, Vec<Piece>, (usize, usize), bool);
    let mut templates: Vec<Templ> = Vec::new();
    if let Ok(p) = parse_template(&mapping.id) {
        templates.push(("id".into(), p, mapping.id_at, false));
    }
    for f in &mapping.fields {
        if let Feed::Template(t) = &f.feed {
            if let Ok(p) = parse_template(t) {
                templates.push((f.target.clone(), p, f.at, false));
            }
        }
        if let Some(s) = &f.slug {
            if let Ok(p) = parse_template(s) {
                templates.push((f.target.clone(), p, f.at, true));
            }
        }
    }
    for (what, pieces, at, slug) in &templates {
        for p in pieces {
            if let Piece::Var(name, _) = p {
                let ok = RESERVED.contains(&name.as_str())
                    || (*slug && (name == "n" || name == "value"))
                    || header_index(name).is_some();
                if !ok {
                    let cands: Vec<&str> = headers
                        .iter()
                        .map(String::as_str)
                        .filter(|h| !h.is_empty())
                        .collect();
                    let mut help = vec![format!("the table's headers: {}", cands.join("、"))];
                    if let Some(s) = did_you_mean(name, cands.iter().copied()) {
                        help.insert(0, format!("did you mean {{{s}}}?"));
                    }
                    help.push(TEMPLATE_HELP.into());
                    problems.push(Problem::error(mfile, at.0, at.1, format!("the template of `{what}` uses {{{name}}}, which is no header of {file} (line {hline})"), help));
                }
            }
        }
    }
    if problems.iter().filter(|p| p.is_error()).count() > errors_before {
        return out;
    }
    let id_pieces = parse_template(&mapping.id).unwrap_or_default();

    // --- rows
    let table_dims: Vec<String> = mapping
        .fields
        .iter()
        .filter(|f| f.kind == Kind::Value)
        .map(|f| f.target.clone())
        .collect();
    let defaults: Vec<(String, String)> = source
        .defaults
        .iter()
        .filter(|(k, _)| !table_dims.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut added: BTreeMap<String, Added> = BTreeMap::new();
    let mut row_no = 0usize;
    let mut total: Option<&Record> = None;
    for rec in &records[hi + 1..] {
        if rec.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let first = rec
            .cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .map(|c| squash(c))
            .unwrap_or_default();
        if !mapping.total_row.is_empty() && mapping.total_row.iter().any(|w| squash(w) == first) {
            if let Some(t) = total {
                problems.push(Problem::error(
                    file,
                    rec.line,
                    1,
                    format!("a second totals row (the first is line {})", t.line),
                    vec![],
                ));
            }
            total = Some(rec);
            continue;
        }
        if let Some(t) = total {
            problems.push(Problem::error(
                file,
                rec.line,
                1,
                format!("a row after the totals row (line {})", t.line),
                vec!["the totals row closes the table; move it to the end".into()],
            ));
            continue;
        }
        row_no += 1;
        let mut err = |col: usize, msg: String, help: Vec<String>| {
            problems.push(Problem::error(file, rec.line, col, msg, help))
        };
        for (i, c) in rec.cells.iter().enumerate() {
            if (i >= keys.len() || keys[i].is_empty()) && !c.trim().is_empty() {
                err(
                    i + 1,
                    format!("cell 「{}」 is in a column without a header", short(c)),
                    vec!["the header row names no column here; fix the table".into()],
                );
            }
        }
        let cell = |name: &str| header_index(name).map(|i| rec.cell(i).trim().to_string());
        let fy = source.fiscal_year.to_string();
        let base = |name: &str| -> Option<String> {
            match name {
                "row" => Some(row_no.to_string()),
                "fiscal_year" => Some(fy.clone()),
                "source" => Some(source.id.clone()),
                other => cell(other),
            }
        };
        let id = match fill(&id_pieces, &base) {
            Ok(id) if crate::model::rules::is_valid_slug(&id) => id,
            Ok(id) => {
                err(1, format!("the id 「{id}」 (from the template 「{}」) is not a valid id: lowercase ASCII letters, digits and single hyphens", mapping.id), vec![
                    format!("change `id` in {mfile}, e.g. with :slug or :hash on text columns"),
                ]);
                continue;
            }
            Err(e) => {
                err(
                    1,
                    format!("cannot make the id from 「{}」: {e}", mapping.id),
                    vec![],
                );
                continue;
            }
        };
        let mut p = Programme {
            id,
            line: rec.line,
            title: source.title.clone(),
            comment: Some(format!("{} {}行目", source.title.trim(), row_no)),
            fiscal_year: source.fiscal_year,
            source: source.id.clone(),
            no_number: true,
            defaults: defaults.clone(),
            ..Default::default()
        };
        for (fi, f) in mapping.fields.iter().enumerate() {
            let (raw, col) = match &f.feed {
                Feed::Column(_) => match col_of[fi] {
                    Some(i) => (rec.cell(i).to_string(), i + 1),
                    None => continue,
                },
                Feed::Template(t) => match parse_template(t)
                    .map_err(|e| e.to_string())
                    .and_then(|ps| fill(&ps, &base))
                {
                    Ok(v) => (v, 1),
                    Err(e) => {
                        err(1, format!("`{}`: {e}", f.target), vec![]);
                        continue;
                    }
                },
                Feed::Constant(v) => (v.clone(), 1),
            };
            let what = match &f.feed {
                Feed::Column(_) => format!("「{}」", headers[col - 1]),
                _ => format!("`{}`", f.target),
            };
            let blank = raw.trim().is_empty();
            match f.kind {
                Kind::Year => {
                    if blank {
                        continue;
                    }
                    match parse_year(&raw) {
                        Some(y) if y == source.fiscal_year => {}
                        Some(y) => err(col, format!("{what} is {y}, but source `{}` is fiscal year {}", source.id, source.fiscal_year), vec![
                            "give the --source of that year (a list of several years is imported once per year, each with its source)".into(),
                        ]),
                        None => err(col, format!("{what} 「{}」 is not a fiscal year (e.g. 2025, 令和7年度, R7)", raw.trim()), vec![]),
                    }
                }
                Kind::Number => {
                    if blank {
                        continue;
                    }
                    match figure(&raw) {
                        Ok(Figure::Value(n)) if n <= u64::from(u32::MAX) => {
                            if f.target == "page" {
                                p.page = Some(n);
                            } else {
                                p.number = n;
                                p.no_number = false;
                            }
                        }
                        Ok(Figure::Value(n)) => {
                            err(col, format!("{what}: {n} is too large"), vec![])
                        }
                        Ok(_) => {}
                        Err(e) => err(col, format!("{what}: {e}"), vec![]),
                    }
                }
                Kind::Date => {
                    if blank || matches!(figure(&raw), Ok(Figure::NotApplicable)) {
                        continue;
                    }
                    match parse_date(raw.trim()) {
                        Ok(d) => {
                            p.start = Some(d.date);
                            if !d.day_given {
                                p.notes.push(format!(
                                    "出典の{}は「{}」（日の記載なし）。{}とした。",
                                    headers
                                        .get(col - 1)
                                        .map_or(f.target.as_str(), String::as_str),
                                    raw.trim(),
                                    d.date.iso()
                                ));
                            }
                        }
                        Err(e) => err(
                            col,
                            format!("{what}: {e}"),
                            vec!["write the date as e.g. 令和6年4月1日 or 2024-04-01".into()],
                        ),
                    }
                }
                Kind::Amount => {
                    let label = model
                        .config
                        .measures
                        .iter()
                        .find(|m| m.key == f.target)
                        .map_or(f.target.as_str(), |m| m.label.as_str());
                    match figure(&raw) {
                        Ok(Figure::Value(n)) => {
                            p.measures.insert(f.target.clone(), Value::Own(n));
                        }
                        Ok(Figure::NotApplicable) => {
                            p.measures.insert(f.target.clone(), Value::NotApplicable);
                        }
                        Ok(Figure::Blank) => match f.blank {
                            Blank::Absent => {}
                            Blank::NotApplicable => {
                                p.measures.insert(f.target.clone(), Value::NotApplicable);
                            }
                            Blank::Error => err(col, format!("{what} ({label}) is blank"), vec![
                                format!("write `-` in the table when it does not apply, or set `blank: absent` (or `not_applicable`) for `{}` in {mfile}", f.target),
                            ]),
                        },
                        Err(e) => err(col, format!("{what} ({label}): {e}"), vec!["amounts are whole numbers, with or without thousands commas (1,234 or １，２３４); `-` means not applicable".into()]),
                    }
                }
                Kind::Value => {
                    let Some(d) = model.dim(&f.target) else {
                        continue;
                    };
                    let val = join_lines(&raw);
                    if val.is_empty() {
                        if f.blank == Blank::Error {
                            err(col, format!("{what} ({}) is blank", d.decl.label), vec![format!("every {} needs one; set `blank: absent` in {mfile} if some have none", model.config.item_label)]);
                        }
                        continue;
                    }
                    let parts = value_parts(d, &val, &raw);
                    let mut vals = Vec::new();
                    for part in &parts {
                        match resolve(d, part) {
                            Resolved::Entry(e) => vals.push(written(d, e)),
                            Resolved::Body(e) if !d.decl.multiple => {
                                vals.push(written(d, e));
                                p.implementer = Some(part.clone());
                                p.notes.push(format!("出典の{}は「{part}」。{} の bodies により、{} を {}、implementer を {part} とした。", headers.get(col - 1).map_or(f.target.as_str(), String::as_str), d.where_, f.target, e.name));
                            }
                            _ if f.new_values == NewValues::Add => {
                                match add_value(d, f, part, &base, &mut added) {
                                    Ok(w) => vals.push(w),
                                    Err(e) => err(
                                        col,
                                        format!(
                                            "{what}: cannot add 「{part}」 to {}: {e}",
                                            d.where_
                                        ),
                                        vec![],
                                    ),
                                }
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
                                help.push(if d.decl.registry.is_some() {
                                    format!("add it to {} (or set `new_values: add` for `{}` in {mfile} to let the import add it)", d.where_, f.target)
                                } else {
                                    format!("add it to the `values` of `{}` in _site.yaml", f.target)
                                });
                                err(
                                    col,
                                    format!(
                                        "unknown {} 「{part}」 (not in {})",
                                        d.decl.label, d.where_
                                    ),
                                    help,
                                );
                            }
                        }
                    }
                    if vals.is_empty() {
                        continue;
                    }
                    let v = if d.decl.multiple {
                        DimValue::Many(vals)
                    } else {
                        DimValue::One(vals.remove(0))
                    };
                    p.dims.insert(f.target.clone(), v);
                }
                Kind::Text | Kind::Paragraphs | Kind::Lines | Kind::Markdown => {
                    let mut text = match f.kind {
                        Kind::Text => join_lines(&raw),
                        Kind::Paragraphs => paragraphs(&raw, "\n\n"),
                        Kind::Lines => paragraphs(&raw, "\\\n"),
                        _ => raw.trim().to_string(),
                    };
                    for h in &f.append {
                        let Some(i) = header_index(h) else { continue };
                        let v = rec.cell(i).trim();
                        if v.is_empty() {
                            continue;
                        }
                        let v = if is_url(v) {
                            format!("<{v}>")
                        } else {
                            md_escape(&join_lines(v))
                        };
                        if !text.is_empty() {
                            text.push_str(if f.kind == Kind::Lines {
                                "\\\n"
                            } else {
                                "\n\n"
                            });
                        }
                        text.push_str(&format!("{}：{v}", md_escape(&headers[i])));
                    }
                    if text.is_empty() {
                        if f.target == "name" {
                            err(
                                col,
                                format!(
                                    "{what} is blank: every {} needs a name",
                                    model.config.item_label
                                ),
                                vec![],
                            );
                        }
                        continue;
                    }
                    match f.target.as_str() {
                        "name" => p.name = text,
                        "part" => p.part = Some(text),
                        "summary" => p.summary = text,
                        "implementer" => p.implementer = Some(text),
                        _ => {}
                    }
                }
            }
        }
        if p.name.is_empty()
            && !problems
                .iter()
                .any(|q| q.is_error() && q.line == rec.line && q.file == file)
        {
            // The column feeding `name` is missing (`required: false`), or its template is empty.
            problems.push(Problem::error(
                file,
                rec.line,
                1,
                "the row has no name: nothing in this table feeds `name`",
                vec![format!(
                    "every {} needs a name; check `name` in {mfile}",
                    model.config.item_label
                )],
            ));
        }
        out.rows.push(Row {
            prog: p,
            table_dims: table_dims.clone(),
        });
    }
    if row_no == 0 && problems.iter().filter(|p| p.is_error()).count() == errors_before {
        problems.push(Problem::error(
            file,
            hline,
            1,
            "the table has a header row but no data rows",
            vec![],
        ));
    }
    out.added = added.into_values().collect();

    // --- totals
    if problems.iter().filter(|p| p.is_error()).count() == errors_before {
        check_totals(
            total, mapping, &col_of, source, model, file, &out.rows, problems,
        );
    }
    out
}

/// Looks up or adds a new value of dimension `d`; returns how it is written.
fn add_value(
    d: &DimInfo,
    f: &FieldMap,
    name: &str,
    base: &dyn Fn(&str) -> Option<String>,
    added: &mut BTreeMap<String, Added>,
) -> Result<String, String> {
    let a = added.entry(d.decl.key.clone()).or_insert_with(|| Added {
        key: d.decl.key.clone(),
        label: d.decl.label.clone(),
        registry: d.decl.registry.clone().unwrap_or_default(),
        entries: Vec::new(),
        seen: Default::default(),
        slugs: d.entries.iter().map(|e| e.slug.clone()).collect(),
    });
    let as_written = |slug: &str, name: &str| {
        if d.decl.multiple {
            slug.to_string()
        } else {
            name.to_string()
        }
    };
    let key = squash(name);
    if let Some(&i) = a.seen.get(&key) {
        let (slug, n) = &a.entries[i];
        return Ok(as_written(slug, n));
    }
    let n = d.entries.len() + a.entries.len() + 1;
    let pieces = parse_template(f.slug.as_deref().unwrap_or("{n}")).map_err(|e| e.to_string())?;
    let slug = fill(&pieces, &|v: &str| match v {
        "n" => Some(n.to_string()),
        "value" => Some(name.to_string()),
        other => base(other),
    })?;
    if !crate::model::rules::is_valid_slug(&slug) {
        return Err(format!("its slug 「{slug}」 is not lowercase ASCII letters, digits and single hyphens; change `slug` of `{}`", f.target));
    }
    if a.slugs.contains(&slug) {
        return Err(format!("its slug `{slug}` is already taken; make `slug` of `{}` unique (e.g. \"{{n}}\" or \"{{value:hash}}\")", f.target));
    }
    a.seen.insert(key, a.entries.len());
    a.slugs.insert(slug.clone());
    a.entries.push((slug.clone(), name.to_string()));
    Ok(as_written(&slug, name))
}

#[allow(clippy::too_many_arguments)]
fn check_totals(
    total: Option<&Record>,
    mapping: &Mapping,
    col_of: &[Option<usize>],
    source: &Source,
    model: &Model,
    file: &str,
    rows: &[Row],
    problems: &mut Vec<Problem>,
) {
    let (sfile, _) = &model.sources_file;
    let Some(total) = total else {
        if !mapping.total_row.is_empty() && !source.declared_totals.is_empty() {
            problems.push(Problem::warning(file, 1, 1, format!(
                "the table has no totals row ({}); source `{}` declares totals in {sfile} that the import cannot compare", mapping.total_row.join("/"), source.id), vec![]));
        }
        return;
    };
    let group = super::convert::group;
    let mut found: Vec<(String, u64, usize)> = Vec::new();
    for (fi, f) in mapping.fields.iter().enumerate() {
        if f.kind != Kind::Amount {
            continue;
        }
        let Some(i) = col_of[fi] else { continue };
        match figure(total.cell(i)) {
            Ok(Figure::Value(n)) => found.push((f.target.clone(), n, i)),
            Ok(_) => {}
            Err(e) => problems.push(Problem::error(
                file,
                total.line,
                i + 1,
                format!("totals row: {e}"),
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
    for (k, n, i) in &found {
        match source.declared_totals.get(k) {
            Some(d) if d == n => {}
            Some(d) => problems.push(Problem::error(file, total.line, i + 1, format!(
                "the totals row says {} {}, but source `{}` declares {} in {sfile}", label(k), group(*n), source.id, group(*d)),
                vec![format!("correct declared_totals.{k} in {sfile}, or the table")])),
            None => problems.push(Problem::error(file, total.line, i + 1, format!(
                "the totals row says {} {}, but source `{}` declares no total for `{k}`", label(k), group(*n), source.id),
                vec![format!("add `{k}: {n}` under declared_totals of `{}` in {sfile}; the build checks it against the rows", source.id)])),
        }
        let sum: u128 = rows
            .iter()
            .map(|r| match r.prog.measures.get(k) {
                Some(Value::Own(v)) => u128::from(*v),
                _ => 0,
            })
            .sum();
        if sum != u128::from(*n) {
            problems.push(Problem::warning(
                file,
                total.line,
                i + 1,
                format!(
                    "the rows' {} add up to {}, but the totals row says {}",
                    label(k),
                    crate::format::group_digits(sum),
                    group(*n)
                ),
                vec!["`mieruka build` will refuse the content until they agree".into()],
            ));
        }
    }
}

/// A fiscal year: 2025, 2025年度, 令和7年度, R7, 令和元年度.
pub fn parse_year(raw: &str) -> Option<i32> {
    let s = squash(raw);
    let s = s
        .strip_suffix("年度")
        .or_else(|| s.strip_suffix('年'))
        .unwrap_or(&s);
    if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    for (names, first) in [
        (&["令和", "R", "r"][..], 2018),
        (&["平成", "H", "h"][..], 1988),
    ] {
        for n in names {
            if let Some(rest) = s.strip_prefix(n) {
                let y: i32 = if rest == "元" {
                    1
                } else {
                    rest.parse().ok().filter(|y| *y >= 1)?
                };
                return Some(first + y);
            }
        }
    }
    None
}

/// One line: the cell's lines trimmed and joined (with a space only between
/// two ASCII letters or digits).
fn join_lines(raw: &str) -> String {
    let mut out = String::new();
    for line in raw.lines().map(trim_all).filter(|l| !l.is_empty()) {
        if out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn trim_all(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Plain text → Markdown, one paragraph (or hard-broken line) per line of
/// the cell. Lines lose trailing spaces and leading ASCII spaces (which
/// Markdown would read as code); full-width spaces used for alignment at
/// the start of a line are kept. Markdown syntax is escaped, so the page
/// shows exactly the source's text.
fn paragraphs(raw: &str, sep: &str) -> String {
    let lines: Vec<String> = raw
        .lines()
        .map(|l| {
            l.trim_end_matches(|c: char| c.is_whitespace())
                .trim_start_matches([' ', '\t'])
        })
        .filter(|l| !l.trim_matches(|c: char| c.is_whitespace()).is_empty())
        .map(md_escape)
        .collect();
    lines.join(sep)
}

fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && !s.contains(['<', '>'])
}

/// Escapes what Markdown would read as syntax in one line of plain text.
pub fn md_escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // "1." / "2)" at the start would be a list item.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'));
    for (i, c) in line.char_indices() {
        let escape = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!' | '#'
        ) || (i == 0 && matches!(c, '-' | '+' | '='))
            || (ordered && i == digits);
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn short(s: &str) -> String {
    let t: String = s.trim().chars().take(20).collect();
    if s.trim().chars().count() > 20 {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{plain_text, to_html};

    #[test]
    fn years() {
        assert_eq!(parse_year("2025"), Some(2025));
        assert_eq!(parse_year("令和7年度"), Some(2025));
        assert_eq!(parse_year("令和元年度"), Some(2019));
        assert_eq!(parse_year("R7"), Some(2025));
        assert_eq!(parse_year("平成31年度"), Some(2019));
        assert_eq!(parse_year("２０２５"), Some(2025));
        assert_eq!(parse_year("来年"), None);
    }

    #[test]
    fn lines_become_paragraphs_and_keep_their_text() {
        let md = paragraphs(
            "補助金の目的：X \n補助対象者：区市町村\n\n負担割合：都10/10\n　　　運営費：都1/2",
            "\n\n",
        );
        assert_eq!(
            md,
            "補助金の目的：X\n\n補助対象者：区市町村\n\n負担割合：都10/10\n\n　　　運営費：都1/2"
        );
        let h = to_html(&md);
        assert_eq!(h.matches("<p>").count(), 4, "{h}");
        for hostile in [
            "# 見出し",
            "1. 一",
            "2) 二",
            "- 項目",
            "> 引用",
            "*強調* と _下線_",
            "<b>x</b> & [a](javascript:x)",
            "a | b",
            "~~x~~",
            "![i](x)",
            "\\",
            "== x",
            "+ y",
            "    code",
        ] {
            let md = paragraphs(hostile, "\n\n");
            let h = to_html(&md);
            assert!(
                !h.contains("<h")
                    && !h.contains("<ol")
                    && !h.contains("<ul")
                    && !h.contains("<em")
                    && !h.contains("<b>")
                    && !h.contains("<a ")
                    && !h.contains("<blockquote")
                    && !h.contains("<pre")
                    && !h.contains("<del")
                    && !h.contains("<img"),
                "{hostile:?} → {md:?} → {h}"
            );
            assert_eq!(
                plain_text(&md),
                hostile.trim_start(),
                "{hostile:?} → {md:?}"
            );
        }
        let h = to_html(&paragraphs("一行目\n二行目", "\\\n"));
        assert!(h.contains("一行目<br />"), "{h}");
    }

    #[test]
    fn joined_lines() {
        assert_eq!(join_lines(" 子供 \n家庭 "), "子供家庭");
        assert_eq!(join_lines("Family\nSupport"), "Family Support");
    }
}
