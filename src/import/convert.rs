//! The rows of one table → programmes, as its layout says: every field of
//! the mapping read from its column (or template, or constant value) by
//! its kind, against the declared model. The same reading for every
//! layout; what a layout's rules leave to later passes (a blank name that
//! continues the row above, a blank figure under a merged cell) is
//! recorded on the row for `passes.rs`.

use super::cell::{clean_text, figure, squash, Cleaned, Figure};
use super::declared::{candidates, resolve, source_index, value_parts, written, Model, Resolved};
use super::era::parse_date;
use super::layout::Layout;
use super::mapping::{Blank, Feed, FieldMap, Kind, NewValues, Remarks, Split};
use super::problem::{Problem, Problems};
use super::programme::{DimValue, Programme, Value};
use super::registry::{add_value, AddedValues};
use super::rows::Table;
use super::table::Record;
use super::template::{fill, parse_template, Format, Piece, TEMPLATE_HELP};
use super::text::{appended, lines, md_escape, paragraphs, remark, short};
use crate::config::Source;
use crate::diag::{chars, did_you_mean, Code};
use std::collections::BTreeMap;

/// A programme and what later passes need to know about its row.
pub struct Row {
    /// The programme.
    pub prog: Programme,
    /// Dimension keys the table itself provides (the rest are editorial).
    pub table_dims: Vec<String>,
    /// The data row (1 = the first under the header).
    pub row: usize,
    /// The cell (1-based) of a blank name left to `continuation_rows`.
    pub blank_name: Option<usize>,
    /// Blank figures of shared measures left to `merged_cells`.
    pub blank_shared: Vec<BlankFigure>,
    /// Notes, each with the position of the field that made it (a pass's
    /// note goes with its field's); `finish` puts them in that order.
    pub notes: Vec<(usize, String)>,
    /// A zero-padded placeholder of the id wider than its padding: its
    /// name, the padding and the digits it has.
    pub wide: Option<(String, usize, usize)>,
}

/// A blank figure of a shared measure (a merged cell).
pub struct BlankFigure {
    /// The measure's key.
    pub key: String,
    /// Its cell (1-based).
    pub col: usize,
    /// How messages name it.
    pub what: String,
}

impl Row {
    /// Moves the notes into the programme, in field order (stable).
    pub fn finish(&mut self) {
        self.notes.sort_by_key(|(i, _)| *i);
        self.prog
            .notes
            .extend(std::mem::take(&mut self.notes).into_iter().map(|(_, n)| n));
    }
}

/// Placeholders every template knows.
const RESERVED: &[&str] = &["row", "fiscal_year", "source"];

/// Reads one table for `source`: its programmes in table order. New
/// dimension values (`new_values: add`) are collected in `added`.
pub fn table(
    table: &Table,
    source: &Source,
    layout: &Layout,
    model: &Model,
    file: &str,
    added: &mut AddedValues,
    problems: &mut Vec<Problem>,
) -> Vec<Row> {
    let errors_before = problems.errors();
    let r = Reader::new(table, source, layout, model, file);
    r.check_defaults(problems);
    r.check_placeholders(problems);
    if problems.errors() > errors_before {
        return Vec::new();
    }
    let mut rows = Vec::new();
    for (n, rec) in table.rows.iter().enumerate() {
        if let Some(row) = r.row(rec, n + 1, added, problems) {
            rows.push(row);
        }
    }
    r.unique_numbers(&rows, problems);
    rows
}

/// What reading the rows of one table needs.
struct Reader<'a> {
    table: &'a Table,
    source: &'a Source,
    layout: &'a Layout,
    model: &'a Model<'a>,
    file: &'a str,
    /// The dimensions the table feeds.
    table_dims: Vec<String>,
    /// The source's defaults for the other dimensions.
    defaults: Vec<(String, String)>,
}

impl<'a> Reader<'a> {
    fn new(
        table: &'a Table,
        source: &'a Source,
        layout: &'a Layout,
        model: &'a Model<'a>,
        file: &'a str,
    ) -> Self {
        let fields = &layout.mapping.fields;
        let table_dims: Vec<String> = fields
            .iter()
            .zip(&table.columns.col_of)
            .filter(|(f, c)| {
                f.declared
                    && f.kind == Kind::Value
                    && (c.is_some() || !matches!(f.feed, Feed::Column(_)))
            })
            .map(|(f, _)| f.target.clone())
            .collect();
        let defaults = source
            .defaults
            .iter()
            .filter(|(k, _)| !table_dims.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Reader {
            table,
            source,
            layout,
            model,
            file,
            table_dims,
            defaults,
        }
    }

    fn mapping_file(&self) -> &str {
        &self.layout.mapping.file
    }

    /// The source's defaults must be declared dimensions.
    fn check_defaults(&self, problems: &mut Vec<Problem>) {
        let (sfile, stext) = &self.model.sources_file;
        let si = source_index(stext, &self.source.id);
        for key in self
            .source
            .defaults
            .keys()
            .filter(|k| self.model.dim(k).is_none())
        {
            use crate::yaml::Seg;
            let path = [
                Seg::Index(si),
                Seg::Key("defaults".into()),
                Seg::Key(key.clone()),
            ];
            let (l, c) = crate::yaml::locate(stext, &path);
            problems.push(Problem::new(
                Code::E107,
                sfile,
                l,
                c,
                format!(
                    "source `{}`: default `{key}` is not a dimension declared in _site.yaml",
                    self.source.id
                ),
                vec![],
            ));
        }
    }

    /// Every placeholder of every template names something this table has.
    fn check_placeholders(&self, problems: &mut Vec<Problem>) {
        let m = &self.layout.mapping;
        let mut templates: Vec<(&str, &str, (usize, usize), bool)> =
            vec![("id", m.id.as_str(), m.id_at, false)];
        for f in &m.fields {
            if let Feed::Template(t) = &f.feed {
                templates.push((&f.target, t, f.at, false));
            }
            if let Some(s) = &f.slug {
                templates.push((&f.target, s, f.at, true));
            }
        }
        let cols = &self.table.columns;
        let known = |n: &str, slug: bool| {
            RESERVED.contains(&n)
                || (slug && (n == "n" || n == "value"))
                || cols.header_index(n, self.layout).is_some()
                || self.source.defaults.contains_key(n)
        };
        for (what, t, at, slug) in templates {
            for p in parse_template(t).unwrap_or_default() {
                let Piece::Var(names, _) = p else { continue };
                if names.iter().any(|n| known(n, slug)) {
                    continue;
                }
                let cands: Vec<&str> = cols
                    .headers
                    .iter()
                    .map(String::as_str)
                    .filter(|h| !h.is_empty())
                    .collect();
                let name = names.join("|");
                let mut help = vec![format!("the table's headers: {}", cands.join("、"))];
                if let Some(s) = did_you_mean(&names[0], cands.iter().copied()) {
                    help.insert(0, format!("did you mean {{{s}}}?"));
                }
                help.push(TEMPLATE_HELP.into());
                problems.push(Problem::new(Code::E105, &m.file, at.0, at.1, format!(
                    "the template of `{what}` uses {{{name}}}, which is no header of {} (line {})", self.file, self.table.header_line), help));
            }
        }
    }

    /// A placeholder's value in row `row_no` (record `rec`).
    fn lookup(&self, rec: &Record, row_no: usize, name: &str) -> Option<String> {
        match name {
            "row" => Some(row_no.to_string()),
            "fiscal_year" => Some(self.source.fiscal_year.to_string()),
            "source" => Some(self.source.id.clone()),
            other => self
                .table
                .columns
                .header_index(other, self.layout)
                .map(|i| rec.cell(i).trim().to_string())
                .or_else(|| self.source.defaults.get(other).cloned()),
        }
    }

    /// One row: its programme, or `None` when no id can be made for it.
    fn row(
        &self,
        rec: &Record,
        row_no: usize,
        added: &mut AddedValues,
        problems: &mut Vec<Problem>,
    ) -> Option<Row> {
        let errors_before = problems.errors();
        let cols = &self.table.columns;
        for (i, c) in rec.cells.iter().enumerate() {
            if cols.is_unnamed(i) && !c.trim().is_empty() {
                problems.push(Problem::new(
                    Code::E104,
                    self.file,
                    rec.line,
                    i + 1,
                    format!("cell 「{}」 is in a column without a header", short(c)),
                    vec!["the header row names no column here; fix the table".into()],
                ));
            }
        }
        let title = self.source.title.trim();
        let mut row = Row {
            prog: Programme {
                line: rec.line,
                title: self.source.title.clone(),
                comment: (!self.layout.rules.comment_by_number)
                    .then(|| format!("{title} {row_no}行目")),
                fiscal_year: self.source.fiscal_year,
                source: self.source.id.clone(),
                no_number: true,
                defaults: self.defaults.clone(),
                ..Default::default()
            },
            table_dims: self.table_dims.clone(),
            row: row_no,
            blank_name: None,
            blank_shared: Vec::new(),
            notes: Vec::new(),
            wide: None,
        };
        let base = |name: &str| self.lookup(rec, row_no, name);
        for (fi, f) in self.layout.mapping.fields.iter().enumerate() {
            let mut cx = Cell {
                file: self.file,
                f,
                fi,
                rec,
                row: &mut row,
                problems,
                base: &base,
                raw: String::new(),
                col: 1,
                what: String::new(),
            };
            if self.value(&mut cx) {
                self.field(&mut cx, added);
            }
        }
        let pieces = parse_template(&self.layout.mapping.id).unwrap_or_default();
        let has_errors = problems.errors() > errors_before;
        match fill(&pieces, &base) {
            Ok(id) if crate::model::rules::is_valid_slug(&id) => {
                row.prog.id = id;
                row.wide = wide(&pieces, &base);
            }
            Ok(_) | Err(_) if has_errors => return None,
            Ok(id) => {
                let help = if self.layout.mapping.builtin {
                    vec![]
                } else {
                    vec![format!(
                        "change `id` in {}, e.g. with :slug or :hash on text columns",
                        self.mapping_file()
                    )]
                };
                problems.push(Problem::new(Code::E110, self.file, rec.line, 1, format!(
                    "the id 「{id}」 (from the template 「{}」) is not a valid id: lowercase ASCII letters, digits and single hyphens", self.layout.mapping.id), help));
                return None;
            }
            Err(e) => {
                problems.push(Problem::new(
                    Code::E110,
                    self.file,
                    rec.line,
                    1,
                    format!(
                        "cannot make the id from 「{}」: {e}",
                        self.layout.mapping.id
                    ),
                    vec![],
                ));
                return None;
            }
        }
        Some(row)
    }

    /// The cell's text for field `cx.f`, from its column, template or
    /// constant; false when the field has nothing in this table.
    fn value(&self, cx: &mut Cell) -> bool {
        let cols = &self.table.columns;
        match &cx.f.feed {
            Feed::Column(_) => match cols.col_of[cx.fi] {
                Some(i) if cx.f.declared => {
                    cx.raw = cx.rec.cell(i).to_string();
                    cx.col = i + 1;
                    cx.what = format!("「{}」", cols.labels[cx.fi]);
                    true
                }
                _ => false,
            },
            Feed::Template(t) => {
                cx.what = format!("`{}`", cx.f.target);
                match parse_template(t).and_then(|ps| fill(&ps, cx.base)) {
                    Ok(v) => {
                        cx.raw = v;
                        true
                    }
                    Err(e) => {
                        cx.err(Code::E108, format!("`{}`: {e}", cx.f.target), vec![]);
                        false
                    }
                }
            }
            Feed::Constant(v) => {
                cx.what = format!("`{}`", cx.f.target);
                cx.raw = v.clone();
                true
            }
        }
    }

    fn field(&self, cx: &mut Cell, added: &mut AddedValues) {
        match cx.f.kind {
            Kind::Year => self.year(cx),
            Kind::Number => number(cx),
            Kind::Date => date(cx, &self.table.columns.labels[cx.fi]),
            Kind::Amount => self.amount(cx),
            Kind::Value => self.dimension(cx, added),
            Kind::Text | Kind::Paragraphs | Kind::Lines | Kind::Markdown => self.text(cx),
        }
    }

    fn year(&self, cx: &mut Cell) {
        if cx.raw.trim().is_empty() {
            return;
        }
        let (what, fy) = (cx.what.clone(), self.source.fiscal_year);
        match parse_year(&cx.raw) {
            Some(y) if y == fy => {}
            Some(y) => cx.err(Code::E108, format!("{what} is {y}, but source `{}` is fiscal year {fy}", self.source.id), vec![
                "give the --source of that year (a list of several years is imported once per year, each with its source)".into(),
            ]),
            None => {
                let raw = cx.raw.trim().to_string();
                cx.err(Code::E108, format!("{what} 「{raw}」 is not a fiscal year (e.g. 2025, 令和7年度, R7)"), vec![]);
            }
        }
    }

    fn amount(&self, cx: &mut Cell) {
        let Some(m) = self
            .model
            .config
            .measures
            .iter()
            .find(|m| m.key == cx.f.target)
        else {
            return;
        };
        let label = &self.table.columns.labels[cx.fi];
        let what = if *label == m.label || !matches!(cx.f.feed, Feed::Column(_)) {
            cx.what.clone()
        } else {
            format!("{} ({})", cx.what, m.label)
        };
        let key = cx.f.target.clone();
        match figure(&cx.raw) {
            Ok(Figure::Value(n)) => {
                cx.row.prog.measures.insert(key, Value::Own(n));
            }
            Ok(Figure::NotApplicable) => {
                cx.row.prog.measures.insert(key, Value::NotApplicable);
            }
            Ok(Figure::Blank) if self.layout.rules.merged_cells && m.shared => {
                let col = cx.col;
                cx.row.blank_shared.push(BlankFigure { key, col, what });
            }
            Ok(Figure::Blank) => match cx.f.blank {
                Blank::Absent => {}
                Blank::NotApplicable => {
                    cx.row.prog.measures.insert(key, Value::NotApplicable);
                }
                Blank::Error => {
                    let help = if self.layout.mapping.builtin {
                        "write `-` in the table when it does not apply; only a measure declared `shared` (a merged cell) may be blank".to_string()
                    } else {
                        format!("write `-` in the table when it does not apply, or set `blank: absent` (or `not_applicable`) for `{key}` in {}", self.mapping_file())
                    };
                    cx.err(Code::E108, format!("{what} is blank"), vec![help]);
                }
            },
            Err(e) => match remark(&cx.raw) {
                Some((n, r)) if cx.f.remarks == Remarks::Strip => {
                    let (label, raw) = (label.clone(), cx.raw.trim().to_string());
                    cx.note(format!(
                        "出典の{label}は「{raw}」。注記「{r}」を除き、{n}とした。"
                    ));
                    cx.row.prog.measures.insert(key, Value::Own(n));
                }
                found => {
                    let mut help = vec!["amounts are whole numbers, with or without thousands commas (1,234 or １，２３４); `-` means not applicable".to_string()];
                    if let Some((n, r)) = found {
                        help.push(remark_help(n, &r, &key, &self.layout.mapping));
                    }
                    cx.err(Code::E108, format!("{what}: {e}"), help);
                }
            },
        }
    }

    /// A text cell cleaned of HTML (and of a stray label, by the layout's
    /// rules), with a note of what went.
    fn clean(&self, cx: &mut Cell, markdown: bool) -> Cleaned {
        let rules = &self.layout.rules;
        let labels: Vec<&str> = if rules.stray_labels {
            cx.f.headers().iter().map(String::as_str).collect()
        } else {
            Vec::new()
        };
        let c = clean_text(&cx.raw, &labels, markdown);
        let what = &self.table.columns.labels[cx.fi];
        if let Some((_, heading)) = &c.heading {
            if cx.f.target == "summary" {
                cx.row.prog.part = Some(heading.clone());
                cx.note(format!("出典の{what}は見出し「{heading}」で始まります。このサイトでは、この見出しを名称の後に括弧書きで示しています。"));
            }
        }
        if let Some(n) = tags_note(what, &c) {
            cx.note(n);
        }
        if let Some(l) = &c.label {
            cx.note(format!(
                "出典の表の{what}は「{l}」で始まります。このサイトでは、この見出しを除いて示しています。"
            ));
        }
        c
    }

    fn dimension(&self, cx: &mut Cell, added: &mut AddedValues) {
        let Some(d) = self.model.dim(&cx.f.target) else {
            return;
        };
        let val = lines(&self.clean(cx, false).text);
        if val.is_empty() {
            if cx.f.blank == Blank::Error {
                let help = if self.layout.mapping.builtin {
                    vec![]
                } else {
                    vec![format!(
                        "every {} needs one; set `blank: absent` in {} if some have none",
                        self.model.config.item_label,
                        self.mapping_file()
                    )]
                };
                let msg = format!("{} ({}) is blank", cx.what, d.decl.label);
                cx.err(Code::E108, msg, help);
            }
            return;
        }
        let label = self.table.columns.labels[cx.fi].clone();
        let parts: Vec<String> = match cx.f.split {
            Some(Split::Lines) => val.lines().map(str::to_string).collect(),
            None => value_parts(d, &val, &val),
        };
        if !d.decl.multiple && val.contains('\n') && matches!(resolve(d, &val), Resolved::Unknown) {
            let n = val.lines().count();
            let msg = format!(
                "{} holds {n} lines, but `{}` takes one value: 「{}」",
                cx.what,
                cx.f.target,
                val.replace('\n', "⏎")
            );
            cx.err(Code::E108, msg, vec![format!(
                "if the lines are several values, declare `multiple: true` for `{}` in _site.yaml{}; if they are one value, write it on one line in the table",
                cx.f.target, if self.layout.mapping.builtin { String::new() } else { format!(" and `split: lines` in {}", self.mapping_file()) })]);
            return;
        }
        let mut vals = Vec::new();
        for part in parts {
            match resolve(d, &part) {
                Resolved::Entry(e) => vals.push(written(d, e)),
                Resolved::Body(e) if !d.decl.multiple => {
                    vals.push(written(d, e));
                    cx.row.prog.implementer = Some(part.clone());
                    cx.note(format!("出典の表の{label}の欄は「{part}」です。このサイトでは、{}を{}、{}を{part}として示しています。", d.decl.label, e.name, self.model.config.labels.implementer));
                }
                _ if cx.f.new_values == NewValues::Add => {
                    match add_value(d, cx.f, &part, cx.base, added) {
                        Ok(w) => vals.push(w),
                        Err(e) => {
                            let msg =
                                format!("{}: cannot add 「{part}」 to {}: {e}", cx.what, d.where_);
                            cx.err(Code::E109, msg, vec![]);
                        }
                    }
                }
                _ => {
                    let help = self.unknown_value_help(d, cx.f, &part);
                    cx.err(
                        Code::E109,
                        format!("unknown {} 「{part}」 (not in {})", d.decl.label, d.where_),
                        help,
                    );
                }
            }
        }
        if vals.is_empty() {
            return;
        }
        let v = if d.decl.multiple {
            DimValue::Many(vals)
        } else {
            DimValue::One(vals.remove(0))
        };
        cx.row.prog.dims.insert(cx.f.target.clone(), v);
    }

    fn unknown_value_help(
        &self,
        d: &super::declared::DimInfo,
        f: &FieldMap,
        part: &str,
    ) -> Vec<String> {
        let mut help = Vec::new();
        if let Some(s) = did_you_mean(part, candidates(d).iter().copied()) {
            help.push(format!("did you mean {s}?{}", chars::differs(part, s)));
        }
        help.push(if d.decl.registry.is_some() && !d.decl.multiple {
            format!("add it to {}, or, if it is a body acting for one of its entries, list it under that entry's `bodies`", d.where_)
        } else if d.entries.len() <= 12 {
            let names: Vec<&str> = d.entries.iter().map(|e| e.name.as_str()).collect();
            format!("known values (in {}): {}", d.where_, names.join("、"))
        } else {
            format!("the values are listed in {}", d.where_)
        });
        if d.decl.registry.is_some() && !self.layout.mapping.builtin {
            help.push(format!(
                "or set `new_values: add` for `{}` in {} to let the import add it",
                f.target,
                self.mapping_file()
            ));
        }
        help
    }

    fn text(&self, cx: &mut Cell) {
        let kind = cx.f.kind;
        let c = self.clean(cx, kind == Kind::Markdown);
        let mut text = match kind {
            Kind::Text => lines(&c.text),
            Kind::Paragraphs => paragraphs(&c.text, "\n\n"),
            Kind::Lines => paragraphs(&c.text, "\\\n"),
            _ => c.text,
        };
        for h in &cx.f.append {
            let Some(i) = self.table.columns.header_index(h, self.layout) else {
                continue;
            };
            let c = clean_text(cx.rec.cell(i), &[], false);
            if let Some(n) = tags_note(&self.table.columns.headers[i], &c) {
                cx.note(n);
            }
            let v = appended(&c.text);
            if v.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str(if kind == Kind::Lines { "\\\n" } else { "\n\n" });
            }
            text.push_str(&format!(
                "{}：{v}",
                md_escape(&self.table.columns.headers[i])
            ));
        }
        let target = cx.f.target.as_str();
        if text.is_empty() {
            if target == "name" && self.layout.rules.continuation_rows {
                cx.row.blank_name = Some(cx.col);
            } else if target == "name" {
                let msg = format!(
                    "{} is blank: every {} needs a name",
                    cx.what, self.model.config.item_label
                );
                cx.err(Code::E108, msg, vec![]);
            }
            return;
        }
        let p = &mut cx.row.prog;
        match target {
            "name" => p.name = text,
            "part" => p.part = Some(text),
            "summary" => p.summary = text,
            "implementer" => p.implementer = Some(text),
            _ => {}
        }
    }

    /// A number (`number`, 整理番号) appears once in a table.
    fn unique_numbers(&self, rows: &[Row], problems: &mut Vec<Problem>) {
        let fields = &self.layout.mapping.fields;
        let Some(fi) = fields.iter().position(|f| f.target == "number") else {
            return;
        };
        let col = self.table.columns.col_of[fi].map_or(1, |c| c + 1);
        let label = &self.table.columns.labels[fi];
        let mut seen: BTreeMap<u64, usize> = BTreeMap::new();
        for r in rows.iter().filter(|r| !r.prog.no_number) {
            if let Some(prev) = seen.insert(r.prog.number, r.prog.line) {
                problems.push(Problem::new(
                    Code::E110,
                    self.file,
                    r.prog.line,
                    col,
                    format!(
                        "{label} {} appears twice in this table (also line {prev})",
                        r.prog.number
                    ),
                    vec![],
                ));
            }
        }
    }
}

/// One field of one row being read.
struct Cell<'r, 'p> {
    file: &'r str,
    f: &'r FieldMap,
    fi: usize,
    rec: &'r Record,
    row: &'r mut Row,
    problems: &'p mut Vec<Problem>,
    base: &'r dyn Fn(&str) -> Option<String>,
    /// The cell's text (or the template's, or the constant).
    raw: String,
    /// Its cell (1-based; 1 for templates and constants).
    col: usize,
    /// How messages name it: 「header」 or `field`.
    what: String,
}

impl Cell<'_, '_> {
    fn err(&mut self, code: Code, msg: String, help: Vec<String>) {
        let p = Problem::new(code, self.file, self.rec.line, self.col, msg, help);
        self.problems.push(p);
    }
    fn note(&mut self, n: String) {
        self.row.notes.push((self.fi, n));
    }
}

fn number(cx: &mut Cell) {
    let what = cx.what.clone();
    match figure(&cx.raw) {
        Ok(Figure::Value(n)) if n <= u64::from(u32::MAX) => {
            if cx.f.target == "page" {
                cx.row.prog.page = Some(n);
            } else {
                cx.row.prog.number = n;
                cx.row.prog.no_number = false;
            }
        }
        Ok(Figure::Value(n)) => cx.err(Code::E108, format!("{what}: {n} is too large"), vec![]),
        Ok(_) if cx.f.blank == Blank::Error => cx.err(
            Code::E108,
            format!("{what} is blank"),
            vec!["every row needs its number from the source table".into()],
        ),
        Ok(_) => {}
        Err(e) => cx.err(Code::E108, format!("{what}: {e}"), vec![]),
    }
}

fn date(cx: &mut Cell, label: &str) {
    let raw = cx.raw.trim().to_string();
    if raw.is_empty() || matches!(figure(&raw), Ok(Figure::NotApplicable)) {
        return;
    }
    match parse_date(&raw) {
        Ok(d) => {
            cx.row.prog.start = Some(d.date);
            if !d.day_given {
                cx.note(format!(
                    "出典の{label}は「{raw}」（日の記載なし）。{}とした。",
                    d.date.iso()
                ));
            }
        }
        Err(e) => {
            let what = cx.what.clone();
            cx.err(
                Code::E108,
                format!("{what}: {e}"),
                vec!["write the date as e.g. 令和6年4月1日 or 2024-04-01".into()],
            );
        }
    }
}

/// The first zero-padded placeholder (`{row:03}`) whose value has more
/// digits than its padding: the ids would change width.
fn wide(pieces: &[Piece], base: &dyn Fn(&str) -> Option<String>) -> Option<(String, usize, usize)> {
    pieces.iter().find_map(|p| {
        let Piece::Var(names, Format::Pad(w)) = p else {
            return None;
        };
        let (name, v) = names.iter().find_map(|n| base(n).map(|v| (n, v)))?;
        let digits = squash(&v).trim_start_matches('0').chars().count();
        (digits > *w).then(|| (name.clone(), *w, digits))
    })
}

/// The note for the HTML tags removed from a cell (`what`: its column),
/// if any: line breaks (`<br>`, `<p>`) read as such, or other tags removed.
fn tags_note(what: &str, c: &Cleaned) -> Option<String> {
    if c.tags.is_empty() {
        return None;
    }
    let tags: Vec<String> = c.tags.iter().map(|t| format!("<{t}>")).collect();
    let tags = tags.join("、");
    if c.tags
        .iter()
        .all(|t| matches!(t.as_str(), "br" | "p" | "div"))
    {
        return Some(format!(
            "出典の{what}には改行を表すHTMLタグ（{tags}）があった。改行として読み、タグを除いた。"
        ));
    }
    let code = if c.code {
        "<script>・<style>の中身（プログラムのコード）も除いた。"
    } else {
        ""
    };
    Some(format!(
        "出典の{what}にはHTMLタグ（{tags}）があった。タグを除き、文字だけを残した。{code}"
    ))
}

/// The help for an amount followed by a remark: what to do.
pub fn remark_help(n: u64, remark: &str, key: &str, mapping: &super::mapping::Mapping) -> String {
    let number = group(n);
    if mapping.builtin {
        format!("the cell is {number} followed by the remark 「{remark}」: move the remark out of the cell (to a column or note of its own) and keep the number")
    } else {
        format!("the cell is {number} followed by the remark 「{remark}」: move the remark out of the cell (to a column of its own, mapped or ignored), or set `remarks: strip` for `{key}` in {} to read {number} and note the remark", mapping.file)
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

/// 539118 → 539,118.
pub fn group(n: u64) -> String {
    crate::format::group_digits(u128::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
