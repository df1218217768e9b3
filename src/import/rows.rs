//! The tables in a file's rows: where each header row is, which rows are
//! data, which row holds the totals.
//!
//! A mapping's table is one header row (at `header_line`, else the first
//! non-blank row) with one programme per row under it, and optionally a
//! totals row at the end ([`one_table`]). A layout with the
//! `several_tables` rule ([`several_tables`], the Tokyo plan) holds one or
//! more tables, each found by its header row (first cell 整理番号), usually
//! after a one-cell title line (…計画書…) and a unit line (（単位：千円、人）);
//! a second header row right after the first names the columns of a
//! spanned header (目標 → 雇用・就業者数 …); with `repeated_headers`, the
//! title, unit and header rows repeated at a page break are skipped; a
//! totals row (合計) closes the table.

use super::cell::{figure, squash, Figure};
use super::columns::{self, Columns};
use super::layout::Layout;
use super::problem::{Problem, Problems};
use super::table::{Record, TableFormat};
use crate::diag::Code;

/// A table found in the file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The title line, when there is one.
    pub title: Option<String>,
    /// Line of the (first) header row.
    pub header_line: usize,
    /// The columns.
    pub columns: Columns,
    /// The data rows, in order.
    pub rows: Vec<Record>,
    /// The totals row, if any, and the word that marks it (合計).
    pub total: Option<(Record, String)>,
}

/// The totals word of a cell (合計 for `合 計`), if it is one.
fn total_word(cell: &str, layout: &Layout) -> Option<String> {
    let k = squash(cell);
    layout
        .mapping
        .total_row
        .iter()
        .find(|w| !k.is_empty() && squash(w) == k)
        .map(|w| squash(w))
}

/// The tables of `records` in `layout` (by its rules), or none (with an
/// E103 naming a line) when the file is not a table in that layout.
pub fn find(
    records: &[Record],
    layout: &Layout,
    file: &str,
    format: TableFormat,
    problems: &mut Vec<Problem>,
) -> Vec<Table> {
    if let Some(p) = not_a_table(records, file, format, one_column(layout)) {
        problems.push(p);
        return Vec::new();
    }
    let first_line = records.iter().find(|r| !r.is_blank()).map_or(1, |r| r.line);
    let format_help = format!(
        "is the format right? it was read as {}; use --format tsv|csv",
        format.name()
    );
    match layout.rules.several_tables {
        Some(first) => {
            let tables = several_tables(records, layout, first, file, problems);
            if tables.is_empty() {
                problems.push(Problem::new(Code::E103, file, first_line, 1, format!(
                    "this is not a table in {}: no line starts with {first}, the cell its header rows start with", columns::in_what(layout)), vec![format_help]));
            }
            tables
        }
        None => one_table(records, layout, file, &format_help, problems)
            .into_iter()
            .collect(),
    }
}

/// A page number as a PDF's text has it on a line of its own (`- 363 -`).
fn page_number(s: &str) -> bool {
    let all = squash(s);
    let t = all.trim_matches(['-', '−', '‐', '―', 'ー', '—', '–']);
    t.len() < all.len() && !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
}

/// Whether the layout reads one column at most: a one-column list, whose
/// lines hold a single cell as a PDF's text does.
fn one_column(layout: &Layout) -> bool {
    let m = &layout.mapping;
    let fed = m.fields.iter().filter(|f| !f.headers().is_empty()).count();
    fed <= 1 && m.fields.iter().all(|f| f.append.is_empty()) && m.ignore.is_empty()
}

/// Text taken from a PDF, not a table: most of its lines (of four or more)
/// hold a single cell. The problem names a line: a page number (`- 363 -`),
/// a unit alone on its line, or else the second one-cell line. For a
/// layout that reads one column (`one_column`), every line is one cell
/// anyway: only a page number or a unit line shows a PDF's text.
pub fn not_a_table(
    records: &[Record],
    file: &str,
    format: TableFormat,
    one_column: bool,
) -> Option<Problem> {
    let lines: Vec<&Record> = records.iter().filter(|r| !r.is_blank()).collect();
    let single: Vec<&Record> = lines
        .iter()
        .copied()
        .filter(|r| r.non_empty().len() == 1)
        .collect();
    if lines.len() < 4 || single.len() * 2 <= lines.len() {
        return None;
    }
    let text = |r: &Record| r.cells[r.non_empty()[0]].trim().to_string();
    // Lines that hold the other separator: the format is wrong.
    let (other, name, flag) = match format {
        TableFormat::Tsv => (',', "commas", "csv"),
        TableFormat::Csv => ('\t', "tabs", "tsv"),
    };
    let separated = single.iter().filter(|r| text(r).contains(other)).count();
    if separated * 2 > single.len() && !one_column {
        let r = single
            .iter()
            .find(|r| text(r).contains(other))
            .copied()
            .unwrap_or(single[0]);
        return Some(Problem::new(Code::E103, file, r.line, 1, format!(
            "this is not a table as {}: {} of its {} lines hold a single cell, and they hold {name}", format.name(), single.len(), lines.len()),
            vec![format!("is the format right? it was read as {}; use --format {flag}", format.name())]));
    }
    let (r, what) = single
        .iter()
        .find(|r| page_number(&text(r)))
        .map(|r| (*r, ", a page number"))
        .or_else(|| {
            single
                .iter()
                .find(|r| is_unit_line(&text(r)))
                .map(|r| (*r, ", a unit alone on its line"))
        })
        .or_else(|| (!one_column).then_some((single[single.len().min(2) - 1], "")))?;
    Some(Problem::new(Code::E103, file, r.line, 1, format!(
        "this is not a table: {} of its {} lines hold a single cell, as text taken from a PDF does (line {}: 「{}」{what})",
        single.len(), lines.len(), r.line, super::text::short(&text(r))), vec![
        "open the original spreadsheet, or the list the publisher gives as CSV or Excel, and save it as CSV or TSV: lines copied out of a PDF have no columns, so none of them can be read as a row".into(),
    ]))
}

/// One header row (at `header_line`, else the first row with a header of
/// the mapping: title lines above it are skipped), one programme per row,
/// optionally a totals row at the end.
pub fn one_table(
    records: &[Record],
    layout: &Layout,
    file: &str,
    format_help: &str,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let errors_before = problems.errors();
    let hi = header_row(records, layout, file, format_help, problems)?;
    let header = &records[hi];
    let (columns, errs) = columns::read(header, None, layout, file);
    problems.extend(errs);
    let mut table = Table {
        title: None,
        header_line: header.line,
        columns,
        rows: Vec::new(),
        total: None,
    };
    for rec in records[hi + 1..].iter().filter(|r| !r.is_blank()) {
        let first = rec
            .cells
            .iter()
            .find(|c| !c.trim().is_empty())
            .map_or("", String::as_str);
        if let Some(word) = total_word(first, layout) {
            if let Some((t, _)) = &table.total {
                problems.push(Problem::new(
                    Code::E103,
                    file,
                    rec.line,
                    1,
                    format!("a second totals row (the first is line {})", t.line),
                    vec![],
                ));
            }
            table.total = Some((rec.clone(), word));
            continue;
        }
        if let Some((t, _)) = &table.total {
            problems.push(Problem::new(
                Code::E103,
                file,
                rec.line,
                1,
                format!("a row after the totals row (line {})", t.line),
                vec!["the totals row closes the table; move it to the end".into()],
            ));
            continue;
        }
        table.rows.push(rec.clone());
    }
    if table.rows.is_empty() && problems.errors() == errors_before {
        problems.push(Problem::new(
            Code::E103,
            file,
            table.header_line,
            1,
            "the table has a header row but no data rows",
            vec![],
        ));
    }
    Some(table)
}

/// The index of the header row: at `header_line`, else the first row with
/// a header of the mapping; `None` (with an E103 naming a line) otherwise.
fn header_row(
    records: &[Record],
    layout: &Layout,
    file: &str,
    format_help: &str,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let m = &layout.mapping;
    let names = |r: &Record| r.cells.iter().any(|c| columns::names_a_header(c, layout));
    let header_at = match m.header_line {
        Some(l) => records.iter().position(|r| r.line == l),
        None => records.iter().position(|r| !r.is_blank() && names(r)),
    };
    let Some(hi) = header_at else {
        let first = records.iter().find(|r| !r.is_blank());
        let (line, msg, help) = match (m.header_line, first) {
            (Some(l), _) => (
                l,
                format!(
                    "no row starts at line {l}, where the mapping (header_line) says the header is"
                ),
                vec![],
            ),
            (None, None) => (1, "the table is empty: no header row".to_string(), vec![]),
            (None, Some(r)) => {
                let wanted: Vec<&str> = m
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .filter_map(|f| f.headers().first())
                    .map(String::as_str)
                    .collect();
                (r.line, format!("this is not a table in the mapping's layout: no line has a header of the mapping (「{}」)", wanted.join("」「")),
                 vec![format_help.to_string(), format!("the file must hold the table with its header row, as saved from the spreadsheet; {} names the headers it reads", m.file)])
            }
        };
        problems.push(Problem::new(Code::E103, file, line, 1, msg, help));
        return None;
    };
    if m.header_line.is_some() && !names(&records[hi]) {
        let l = records[hi].line;
        problems.push(Problem::new(Code::E103, file, l, 1, format!(
            "line {l}, where the mapping (header_line) says the header is, has no header of the mapping"), vec![
            format!("set `header_line` in {} to the line of the header row, or leave it out to use the first line with a header of the mapping", m.file),
        ]));
        return None;
    }
    Some(hi)
}

/// The state of [`several_tables`] between rows.
struct Finder<'a> {
    layout: &'a Layout,
    file: &'a str,
    first_cell: String,
    tables: Vec<Table>,
    pending_title: Option<String>,
    /// Whether the last table is still open (no totals row yet).
    open: bool,
}

impl Finder<'_> {
    fn is_header(&self, r: &Record) -> bool {
        squash(r.cell(0)) == self.first_cell
    }

    /// A totals row: its word in the first or second cell.
    fn total(&self, r: &Record) -> Option<String> {
        (0..2).find_map(|i| total_word(r.cell(i), self.layout))
    }

    /// The row under a header row that names the columns of a spanned
    /// header: first cell empty, some text, no figures.
    fn is_sub_header(&self, r: &Record) -> bool {
        let ne = r.non_empty();
        r.cell(0).trim().is_empty()
            && !ne.is_empty()
            && self.total(r).is_none()
            && ne
                .iter()
                .all(|&j| !matches!(figure(r.cell(j)), Ok(Figure::Value(_))))
    }

    /// Whether the next rows (after blank, title and unit lines) are a
    /// header row.
    fn header_follows(&self, rest: &[Record]) -> bool {
        rest.iter()
            .find(|r| !r.is_blank() && single_text(r).is_none())
            .is_some_and(|r| self.is_header(r))
    }

    /// A header row at `records[i]`: a new table, or (with
    /// `repeated_headers`) the open table's header repeated at a page
    /// break. Returns the rows it takes.
    fn header(&mut self, records: &[Record], i: usize, problems: &mut Vec<Problem>) -> usize {
        let r = &records[i];
        let sub = records.get(i + 1).filter(|n| self.is_sub_header(n));
        let (cols, errs) = columns::read(r, sub, self.layout, self.file);
        let last = self.tables.last();
        let same_title = match (&self.pending_title, last.and_then(|t| t.title.as_ref())) {
            (None, _) => true,
            (Some(a), Some(b)) => squash(a) == squash(b),
            (Some(_), None) => false,
        };
        let repeat = self.layout.rules.repeated_headers
            && self.open
            && same_title
            && last.is_some_and(|t| t.columns == cols);
        if !repeat {
            problems.extend(errs);
            self.tables.push(Table {
                title: self.pending_title.take(),
                header_line: r.line,
                columns: cols,
                rows: Vec::new(),
                total: None,
            });
            self.open = true;
        }
        self.pending_title = None;
        if sub.is_some() {
            2
        } else {
            1
        }
    }

    /// A row that is no header, title or unit line.
    fn row(&mut self, r: &Record, problems: &mut Vec<Problem>) {
        let file = self.file;
        let mut err = |message: String, help: String| {
            let help = if help.is_empty() { vec![] } else { vec![help] };
            problems.push(Problem::new(Code::E103, file, r.line, 1, message, help));
        };
        let total = self.total(r);
        let first = self.first_cell.clone();
        let open = self.open;
        let Some(table) = self.tables.last_mut() else {
            return err(
                "a data row before any header row".into(),
                format!("every table starts with a header row whose first cell is {first}"),
            );
        };
        let closed = table.total.as_ref().map(|(t, w)| (t.line, w.clone()));
        match (total, closed) {
            (Some(word), Some(_)) if !open => err(format!("a second {word} row in one table"), String::new()),
            (Some(word), _) => {
                table.total = Some((r.clone(), word));
                self.open = false;
            }
            (None, Some((tl, word))) if !open => err(
                format!("a data row after the table's {word} row (line {tl}) and before a new header row"),
                format!("start a new table with its title and header row, or move the row above {word}"),
            ),
            (None, _) => table.rows.push(r.clone()),
        }
    }
}

/// A one-cell line that is not a number: a title, unit or note line.
fn single_text(r: &Record) -> Option<String> {
    let ne = r.non_empty();
    if ne.len() != 1 {
        return None;
    }
    let t = r.cells[ne[0]].trim();
    if squash(t).chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(t.to_string())
}

fn is_unit_line(t: &str) -> bool {
    let s = squash(t);
    s.starts_with("(単位") || s.starts_with("単位:")
}

/// Several tables in one file, each starting at a header row whose first
/// cell is `first_cell` (the `several_tables` rule).
pub fn several_tables(
    records: &[Record],
    layout: &Layout,
    first_cell: &str,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Table> {
    let mut f = Finder {
        layout,
        file,
        first_cell: squash(first_cell),
        tables: Vec::new(),
        pending_title: None,
        open: false,
    };
    let mut i = 0;
    while i < records.len() {
        let r = &records[i];
        if r.is_blank() {
            i += 1;
            continue;
        }
        if f.is_header(r) {
            i += f.header(records, i, problems);
            continue;
        }
        if let Some(t) = single_text(r) {
            // Inside an open table, a one-cell line is a title only when a
            // header row follows (a page break); else it is a (broken) row.
            if !f.open || is_unit_line(&t) || f.header_follows(&records[i + 1..]) {
                if !is_unit_line(&t) {
                    f.pending_title = Some(t);
                }
                i += 1;
                continue;
            }
        }
        f.row(r, problems);
        i += 1;
    }
    f.tables
}
