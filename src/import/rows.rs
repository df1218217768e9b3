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
use super::table::Record;
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

/// The tables of `records` in `layout` (by its rules).
pub fn find(
    records: &[Record],
    layout: &Layout,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Vec<Table> {
    match layout.rules.several_tables {
        Some(first) => several_tables(records, layout, first, file, problems),
        None => one_table(records, layout, file, problems)
            .into_iter()
            .collect(),
    }
}

/// One header row (at `header_line`, else the first non-blank row), one
/// programme per row, optionally a totals row at the end.
pub fn one_table(
    records: &[Record],
    layout: &Layout,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Option<Table> {
    let errors_before = problems.errors();
    let m = &layout.mapping;
    let header_at = match m.header_line {
        Some(l) => records.iter().position(|r| r.line == l),
        None => records.iter().position(|r| !r.is_blank()),
    };
    let Some(hi) = header_at else {
        let msg = match m.header_line {
            Some(l) => format!(
                "no row starts at line {l}, where the mapping (header_line) says the header is"
            ),
            None => "the table is empty: no header row".into(),
        };
        problems.push(Problem::new(
            Code::E103,
            file,
            m.header_line.unwrap_or(1),
            1,
            msg,
            vec![],
        ));
        return None;
    };
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
