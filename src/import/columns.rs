//! A table's header row(s) against a layout: which column feeds which
//! field. Every column must be read (by a field, `append` or `ignore`),
//! so no data is lost unnoticed; every required field must find its column.

use super::cell::squash;
use super::layout::Layout;
use super::mapping::{Feed, Kind};
use super::problem::Problem;
use super::table::Record;
use super::text::header_text;
use crate::diag::{did_you_mean, Code};

/// The columns of a table.
#[derive(Debug, Clone)]
pub struct Columns {
    /// Per cell: the header as a reader sees it (both header rows; markup
    /// read as line breaks and the lines joined).
    pub headers: Vec<String>,
    /// Per cell: the header compared (NFKC, no spaces).
    keys: Vec<String>,
    /// Per cell: whether something reads it (a field, `append`, `ignore`).
    pub read: Vec<bool>,
    /// Per field of the mapping: the cell of its column.
    pub col_of: Vec<Option<usize>>,
    /// Per field: its name in messages and notes — the header the table
    /// writes, or with prefix headers the layout's name for it
    /// (事業内容 for `事業内容 (300字以内)`); the target for fields not fed
    /// by a column.
    pub labels: Vec<String>,
}

impl PartialEq for Columns {
    /// Same headers feeding the same fields (a header row repeated at a
    /// page break).
    fn eq(&self, other: &Self) -> bool {
        self.headers == other.headers && self.col_of == other.col_of
    }
}

impl Columns {
    /// The cell of a placeholder's name: a header of this table, or a
    /// header the mapping names for a field (so `{整理番号}` finds
    /// `整 理 番 号`).
    pub fn header_index(&self, name: &str, layout: &Layout) -> Option<usize> {
        let key = squash(name);
        if key.is_empty() {
            return None;
        }
        self.keys.iter().position(|k| *k == key).or_else(|| {
            layout
                .mapping
                .fields
                .iter()
                .zip(&self.col_of)
                .find(|(f, _)| f.headers().iter().any(|h| squash(h) == key))
                .and_then(|(_, c)| *c)
        })
    }
    /// Whether cell `i` has no header and feeds nothing.
    pub fn is_unnamed(&self, i: usize) -> bool {
        self.keys.get(i).is_none_or(String::is_empty) && !self.read.get(i).copied().unwrap_or(false)
    }
}

/// What a header matches in the layout.
enum Match {
    /// Fields (their indexes) and the name each matched by.
    Fields(Vec<(usize, String)>),
    /// Read by `append` or `ignore`.
    Other,
    /// Nothing.
    None,
}

/// The header as compared: NFKC, without spaces.
fn key_of(header: &str) -> String {
    squash(header)
}

/// Matches a header against the layout's names: whole, or as the longest
/// prefix with `prefix_headers`.
fn match_header(key: &str, layout: &Layout) -> Match {
    if key.is_empty() {
        return Match::None;
    }
    let prefix = layout.rules.prefix_headers;
    let hits = |name: &str| {
        let n = squash(name);
        !n.is_empty() && (n == key || (prefix && key.starts_with(&n)))
    };
    let mut best: Vec<(usize, String)> = Vec::new();
    let mut best_len = 0;
    for (fi, f) in layout.mapping.fields.iter().enumerate() {
        for h in f.headers().iter().filter(|h| hits(h)) {
            let len = squash(h).chars().count();
            if len > best_len {
                best.clear();
                best_len = len;
            }
            if len == best_len && !best.iter().any(|(i, _)| *i == fi) {
                best.push((fi, h.clone()));
            }
        }
    }
    if !best.is_empty() {
        return Match::Fields(best);
    }
    let m = &layout.mapping;
    let appended = m.fields.iter().any(|f| f.append.iter().any(|h| hits(h)));
    if appended || m.ignore.iter().any(|h| hits(h)) {
        return Match::Other;
    }
    Match::None
}

/// Whether a cell is a header the layout names (a field's, `append`'s or
/// `ignore`'s), as a header row's cells are.
pub fn names_a_header(cell: &str, layout: &Layout) -> bool {
    !matches!(
        match_header(&key_of(&header_text(cell)), layout),
        Match::None
    )
}

/// Reads the columns of `header` (and the second header row `sub`, which
/// names the columns of a spanned header). Problems (E104) are returned,
/// not pushed: a header row repeated at a page break is read again and
/// its problems dropped.
pub fn read(
    header: &Record,
    sub: Option<&Record>,
    layout: &Layout,
    file: &str,
) -> (Columns, Vec<Problem>) {
    let fields = &layout.mapping.fields;
    let n = header.cells.len().max(sub.map_or(0, |s| s.cells.len()));
    let mut cols = Columns {
        headers: vec![String::new(); n],
        keys: vec![String::new(); n],
        read: vec![false; n],
        col_of: vec![None; fields.len()],
        labels: fields.iter().map(|f| f.target.clone()).collect(),
    };
    let mut problems = Vec::new();
    let mut err = |line: usize, col: usize, msg: String, help: Vec<String>| {
        problems.push(Problem::new(Code::E104, file, line, col, msg, help));
    };
    let sub_line = sub.map_or(header.line, |s| s.line);
    let mut group = Group::default();
    for i in 0..n {
        let top = &header_text(header.cell(i));
        let low = &sub.map_or(String::new(), |s| header_text(s.cell(i)));
        cols.headers[i] = match (top.is_empty(), low.is_empty()) {
            (false, false) => format!("{top} {low}"),
            (false, true) => top.to_string(),
            (true, false) => low.to_string(),
            (true, true) => String::new(),
        };
        cols.keys[i] = key_of(&cols.headers[i]);
        let in_group = group.at(top, layout);
        if cols.keys[i].is_empty() && !in_group {
            continue;
        }
        if let Some(j) = cols.keys[..i]
            .iter()
            .position(|k| *k == cols.keys[i] && !k.is_empty())
        {
            err(
                header.line,
                i + 1,
                format!(
                    "the header 「{}」 appears twice (also cell {})",
                    cols.headers[i],
                    j + 1
                ),
                vec!["rename one of the columns in the table".into()],
            );
            cols.read[i] = true;
            continue;
        }
        let found = match (low.is_empty(), top.is_empty()) {
            (false, _) => match match_header(&key_of(low), layout) {
                Match::None if !in_group => match_header(&key_of(top), layout),
                m => m,
            },
            (true, false) => match_header(&key_of(top), layout),
            (true, true) => Match::None,
        };
        match found {
            Match::Fields(list) => fed(&mut cols, i, list, layout, header.line, &mut err),
            Match::Other => cols.read[i] = true,
            Match::None if in_group && low.is_empty() => {
                cols.read[i] = true;
                group.columns.push(i);
            }
            Match::None => {
                let line = if low.is_empty() {
                    header.line
                } else {
                    sub_line
                };
                err(
                    line,
                    i + 1,
                    format!(
                        "column 「{}」 is not in {}, so its data would be lost",
                        cols.headers[i],
                        in_what(layout)
                    ),
                    unknown_help(&cols.headers[i], layout),
                );
            }
        }
    }
    group.assign(&mut cols, layout, header.line, &mut err);
    missing(&cols, layout, header.line, &mut err);
    (cols, problems)
}

/// Column `i` feeds the fields `list` (each with the name it matched):
/// unless another column feeds one already (two aliases of a field).
fn fed(
    cols: &mut Columns,
    i: usize,
    list: Vec<(usize, String)>,
    layout: &Layout,
    line: usize,
    err: &mut dyn FnMut(usize, usize, String, Vec<String>),
) {
    cols.read[i] = true;
    for (fi, name) in list {
        if let Some(prev) = cols.col_of[fi] {
            let help = if layout.mapping.builtin {
                vec![]
            } else {
                vec!["a field's headers are aliases: the table should have only one of them; map the other column to another field or to `ignore`".into()]
            };
            let target = &layout.mapping.fields[fi].target;
            let msg = format!(
                "columns 「{}」 and 「{}」 both feed `{target}`",
                cols.headers[prev], cols.headers[i]
            );
            err(line, i + 1, msg, help);
            continue;
        }
        cols.col_of[fi] = Some(i);
        cols.labels[fi] = if layout.rules.prefix_headers {
            name
        } else {
            cols.headers[i].clone()
        };
    }
}

/// "the mapping" or the built-in layout's name.
pub fn in_what(layout: &Layout) -> String {
    if layout.mapping.builtin {
        layout.mapping.file.clone()
    } else {
        "the mapping".into()
    }
}

fn unknown_help(header: &str, layout: &Layout) -> Vec<String> {
    let m = &layout.mapping;
    let known: Vec<&str> = m
        .fields
        .iter()
        .flat_map(|f| f.headers().iter().map(String::as_str))
        .collect();
    if m.builtin {
        return vec![
            format!("known columns: {}", known.join("、")),
            "a table in another layout is read with a mapping file (--mapping, docs/publish-your-own-list.md)".into(),
        ];
    }
    let mut help = Vec::new();
    if let Some(s) = did_you_mean(header, known.iter().copied()) {
        help.push(format!(
            "did you mean 「{s}」? (the mapping compares headers after NFKC, without spaces)"
        ));
    }
    help.push(format!("map it under `fields:` in {} (or add it to a field's `from:` list, as another year's name of a column), or list it under `ignore:`", m.file));
    help
}

/// Required fields without their column; columns feeding a field the site
/// does not declare.
fn missing(
    cols: &Columns,
    layout: &Layout,
    line: usize,
    err: &mut dyn FnMut(usize, usize, String, Vec<String>),
) {
    let m = &layout.mapping;
    for (fi, f) in m.fields.iter().enumerate() {
        let Feed::Column(list) = &f.feed else {
            continue;
        };
        match cols.col_of[fi] {
            Some(i) if !f.declared => {
                let what = match f.kind {
                    Kind::Value => "dimension",
                    Kind::Amount => "measure",
                    _ => "field",
                };
                err(line, i + 1, format!("column 「{}」 holds {what} `{}`, which _site.yaml does not declare", cols.headers[i], f.target), vec![
                    format!("declare `{}` in _site.yaml (docs/format.md), or leave the column out of the table", f.target),
                ]);
            }
            None if f.required => {
                let others = if list.len() > 1 {
                    format!(" (nor its aliases 「{}」)", list[1..].join("」「"))
                } else {
                    String::new()
                };
                let help = if m.builtin {
                    format!("is the table in the plan's layout? its header row starts with 「{}」; a table in another layout is read with a mapping file (--mapping)", m.fields[0].headers().first().map_or("", String::as_str))
                } else {
                    format!("if the column has another name in this table, add that name to `from:` of `{}` in {}; if the table has no such column, set `required: false`", f.target, m.file)
                };
                err(
                    line,
                    1,
                    format!(
                        "the header row has no column 「{}」{others}, which {} needs for `{}`",
                        list[0],
                        in_what(layout),
                        f.target
                    ),
                    vec![help],
                );
            }
            _ => {}
        }
    }
}

/// The columns under a spanned header (目標) that no second header row
/// names: taken in the layout's order.
#[derive(Default)]
struct Group {
    open: bool,
    columns: Vec<usize>,
}

impl Group {
    /// Whether the column whose first header row says `top` is under the
    /// spanned header (a new header text opens or closes it).
    fn at(&mut self, top: &str, layout: &Layout) -> bool {
        let Some(s) = &layout.rules.spanned_header else {
            return false;
        };
        if !top.is_empty() {
            self.open = squash(top).starts_with(&squash(s.label));
        }
        self.open
    }

    fn assign(
        &self,
        cols: &mut Columns,
        layout: &Layout,
        line: usize,
        err: &mut dyn FnMut(usize, usize, String, Vec<String>),
    ) {
        let Some(s) = &layout.rules.spanned_header else {
            return;
        };
        let fields = &layout.mapping.fields;
        let free: Vec<usize> = s
            .order
            .iter()
            .filter_map(|t| fields.iter().position(|f| f.target == *t))
            .filter(|&fi| cols.col_of[fi].is_none())
            .collect();
        for (j, &i) in self.columns.iter().enumerate() {
            match free.get(j) {
                Some(&fi) => {
                    cols.col_of[fi] = Some(i);
                    cols.labels[fi] = fields[fi].headers().first().cloned().unwrap_or_default();
                }
                None => err(
                    line,
                    i + 1,
                    format!(
                        "more columns under 「{}」 than the layout's fields for it ({})",
                        s.label,
                        s.order.join(", ")
                    ),
                    vec![],
                ),
            }
        }
    }
}
