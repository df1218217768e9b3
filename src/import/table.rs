//! Reading the rows of a TSV/CSV file and finding the tables in it.
//!
//! A file holds one or more tables. A table is found by its header row (a row
//! whose first cell is 整理番号), usually after a one-cell title line
//! (…計画書…) and a unit line (（単位：千円、人）). A second header row right after
//! the first names the columns of a spanned header (目標 → 雇用・就業者数 …).
//! At a page break the title, unit and header rows repeat: they are skipped.
//! A 合計 row closes the table and carries the totals the source declares.
//!
//! Which header text means which programme field is the data table
//! [`COLUMNS`], kept in one place so it can later be loaded from a file.

use super::cell::squash;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// 整理番号: the row's number in the source table.
    Number,
    /// A dimension, by its key in `_site.yaml` (municipality, themes, category).
    Dim(&'static str),
    /// 事業名.
    Name,
    /// 事業内容 (Markdown in the programme file).
    Summary,
    /// A measure, by its key in `_site.yaml` (cost, subsidy, employed…).
    Measure(&'static str),
    /// 事業開始: the start date.
    Start,
}

/// Header text (compared after NFKC with whitespace removed, as a prefix;
/// the longest match wins) → field. The one place that knows the Tokyo
/// plan's column names.
pub const COLUMNS: &[(&str, Field)] = &[
    ("整理番号", Field::Number),
    ("実施区市町村名", Field::Dim("municipality")),
    ("実施区市町村", Field::Dim("municipality")),
    ("テーマ", Field::Dim("themes")),
    ("事業名", Field::Name),
    ("事業内容", Field::Summary),
    ("事業分類", Field::Dim("category")),
    ("事業額", Field::Measure("cost")),
    ("補助金申請額", Field::Measure("subsidy")),
    ("雇用・就業者数", Field::Measure("employed")),
    ("人材獲得事業所数", Field::Measure("hiring_companies")),
    ("支援事業所数", Field::Measure("supported_companies")),
    ("事業開始", Field::Start),
];

/// Labels of a spanned header whose columns are named by the second header
/// row; without a second row, the columns right after 補助金申請額 are taken
/// in this order.
pub const TARGET_GROUP: &[&str] = &["目標"];
/// The target columns in the order the source lays them out.
pub const TARGET_ORDER: &[&str] = &["employed", "hiring_companies", "supported_companies"];

/// Words in the first cell(s) of a row that closes a table with its totals.
pub const TOTAL_WORDS: &[&str] = &["合計", "総計"];

/// The canonical header text of a field (for messages and stray labels).
pub fn field_label(f: Field) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, g)| *g == f)
        .map_or("?", |(h, _)| h)
}

/// One row as read, with its physical line.
#[derive(Debug, Clone)]
pub struct Record {
    /// 1-based line in the file where the row starts.
    pub line: usize,
    /// The cells, line ends normalised to `\n`.
    pub cells: Vec<String>,
}

impl Record {
    /// A cell, or "" past the end.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }
    fn non_empty(&self) -> Vec<usize> {
        (0..self.cells.len())
            .filter(|&i| !self.cells[i].trim().is_empty())
            .collect()
    }
}

/// A problem found while reading the layout.
#[derive(Debug, Clone)]
pub struct LayoutError {
    /// 1-based line.
    pub line: usize,
    /// 1-based cell index.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Vec<String>,
}

/// Reads every row. `text` has no BOM.
pub fn read_records(text: &str, delimiter: u8) -> Result<Vec<Record>, LayoutError> {
    let bytes = text.as_bytes();
    // Line starts, to turn byte offsets into lines.
    let newlines: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                // The reader reports the position before any blank lines it
                // skipped; the row starts at the first byte that is no line end.
                let mut at = rec.position().map_or(0, |p| p.byte() as usize);
                while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
                    at += 1;
                }
                let line = 1 + newlines.partition_point(|&n| n < at);
                let cells = rec
                    .iter()
                    .map(|c| c.replace("\r\n", "\n").replace('\r', "\n"))
                    .collect();
                out.push(Record { line, cells });
            }
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                return Err(LayoutError {
                    line,
                    column: 1,
                    message: format!("cannot read the table: {e}"),
                    help: vec![],
                });
            }
        }
    }
    Ok(out)
}

/// The column layout of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    /// Per cell index: the field, if any.
    pub roles: Vec<Option<Field>>,
    /// Per cell index: the header text as the source writes it (both rows).
    pub headers: Vec<String>,
}

impl Columns {
    /// The cell index of a field.
    pub fn index(&self, f: Field) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(f))
    }
}

/// A table found in the file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The title line, when there is one.
    pub title: Option<String>,
    /// Line of the first header row.
    pub header_line: usize,
    /// The column layout.
    pub columns: Columns,
    /// The data rows, in order.
    pub rows: Vec<Record>,
    /// The 合計 row, if any.
    pub total: Option<Record>,
}

fn match_header(text: &str) -> Option<Field> {
    let t = squash(text);
    COLUMNS
        .iter()
        .filter(|(h, _)| t.starts_with(&squash(h)))
        .max_by_key(|(h, _)| h.chars().count())
        .map(|(_, f)| *f)
}

/// Builds the layout from the header row and the optional second row.
fn columns(header: &Record, sub: Option<&Record>, errors: &mut Vec<LayoutError>) -> Columns {
    let n = header.cells.len().max(sub.map_or(0, |s| s.cells.len()));
    let mut roles = vec![None; n];
    let mut headers = vec![String::new(); n];
    let mut group_cols = Vec::new();
    let mut current_group = false;
    for i in 0..n {
        let top = header.cell(i).trim();
        let low = sub.map_or("", |s| s.cell(i).trim());
        headers[i] = match (top.is_empty(), low.is_empty()) {
            (false, false) => format!("{top} {low}"),
            (false, true) => top.to_string(),
            (true, false) => low.to_string(),
            (true, true) => String::new(),
        };
        if !top.is_empty() {
            current_group = TARGET_GROUP
                .iter()
                .any(|g| squash(top).starts_with(&squash(g)));
        }
        let role = (!low.is_empty())
            .then(|| match_header(low))
            .flatten()
            .or_else(|| (!top.is_empty()).then(|| match_header(top)).flatten());
        match role {
            Some(f) => roles[i] = Some(f),
            None if current_group
                && (top.is_empty()
                    || TARGET_GROUP
                        .iter()
                        .any(|g| squash(top).starts_with(&squash(g)))) =>
            {
                if low.is_empty() {
                    group_cols.push(i);
                } else {
                    errors.push(LayoutError {
                        line: sub.map_or(header.line, |s| s.line),
                        column: i + 1,
                        message: format!("unknown column 「{}」", headers[i]),
                        help: vec![known_headers()],
                    });
                }
            }
            None if top.is_empty() && low.is_empty() => {}
            None => errors.push(LayoutError {
                line: if low.is_empty() {
                    header.line
                } else {
                    sub.map_or(header.line, |s| s.line)
                },
                column: i + 1,
                message: format!(
                    "unknown column 「{}」: the importer does not know which field it holds",
                    headers[i]
                ),
                help: vec![known_headers()],
            }),
        }
    }
    // A spanned target header without a second row: by position.
    if !group_cols.is_empty() {
        let taken: Vec<&str> = roles
            .iter()
            .filter_map(|r| match r {
                Some(Field::Measure(k)) => Some(*k),
                _ => None,
            })
            .collect();
        let free: Vec<&str> = TARGET_ORDER
            .iter()
            .copied()
            .filter(|k| !taken.contains(k))
            .collect();
        for (j, &i) in group_cols.iter().enumerate() {
            match free.get(j) {
                Some(k) => roles[i] = Some(Field::Measure(k)),
                None => errors.push(LayoutError {
                    line: header.line,
                    column: i + 1,
                    message: format!(
                        "more target columns than known targets ({})",
                        TARGET_ORDER.join(", ")
                    ),
                    help: vec![],
                }),
            }
        }
    }
    // Each field once.
    for i in 0..n {
        if let Some(f) = roles[i] {
            if roles[..i].contains(&Some(f)) {
                errors.push(LayoutError {
                    line: header.line,
                    column: i + 1,
                    message: format!("column 「{}」 repeats 「{}」", headers[i], field_label(f)),
                    help: vec![],
                });
            }
        }
    }
    for req in [Field::Number, Field::Name] {
        if !roles.contains(&Some(req)) {
            errors.push(LayoutError {
                line: header.line,
                column: 1,
                message: format!("the header has no 「{}」 column", field_label(req)),
                help: vec![known_headers()],
            });
        }
    }
    Columns { roles, headers }
}

fn known_headers() -> String {
    let names: Vec<&str> = COLUMNS.iter().map(|(h, _)| *h).collect();
    format!("known columns: {}", names.join("、"))
}

fn is_header(r: &Record) -> bool {
    squash(r.cell(0)) == "整理番号"
}

/// A total row: 合計 (also 合 計) in the first or second cell.
pub fn is_total(r: &Record) -> bool {
    (0..2).any(|i| TOTAL_WORDS.contains(&squash(r.cell(i)).as_str()))
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

/// The row under a header row that names the columns of a spanned header:
/// first cell empty, some text, no figures.
fn is_sub_header(r: &Record) -> bool {
    let ne = r.non_empty();
    r.cell(0).trim().is_empty()
        && !ne.is_empty()
        && !is_total(r)
        && ne.iter().all(|&j| {
            !matches!(
                super::cell::figure(r.cell(j)),
                Ok(super::cell::Figure::Value(_))
            )
        })
}

/// Whether the next rows (after blank, title and unit lines) are a header row.
fn header_follows(rest: &[Record]) -> bool {
    for r in rest {
        if r.non_empty().is_empty() || single_text(r).is_some() {
            continue;
        }
        return is_header(r);
    }
    false
}

fn is_unit_line(t: &str) -> bool {
    let s = squash(t);
    s.starts_with("(単位") || s.starts_with("単位:")
}

/// Finds the tables.
pub fn find_tables(records: &[Record], errors: &mut Vec<LayoutError>) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut pending_title: Option<String> = None;
    // Whether the last table is still open (no 合計 yet).
    let mut open = false;
    let mut i = 0;
    while i < records.len() {
        let r = &records[i];
        if r.non_empty().is_empty() {
            i += 1;
            continue;
        }
        if is_header(r) {
            let next = records.get(i + 1);
            let sub = next.filter(|n| is_sub_header(n));
            let mut errs = Vec::new();
            let cols = columns(r, sub, &mut errs);
            let same_title = match (&pending_title, tables.last().and_then(|t| t.title.as_ref())) {
                (None, _) => true,
                (Some(a), Some(b)) => squash(a) == squash(b),
                (Some(_), None) => false,
            };
            let repeat = open && same_title && tables.last().is_some_and(|t| t.columns == cols);
            if !repeat {
                errors.extend(errs);
                tables.push(Table {
                    title: pending_title.take(),
                    header_line: r.line,
                    columns: cols,
                    rows: Vec::new(),
                    total: None,
                });
                open = true;
            }
            pending_title = None;
            i += if sub.is_some() { 2 } else { 1 };
            continue;
        }
        if let Some(t) = single_text(r) {
            // Inside an open table, a one-cell line is a title only when a
            // header row follows (a page break); else it is a (broken) row.
            if !open || is_unit_line(&t) || header_follows(&records[i + 1..]) {
                if !is_unit_line(&t) {
                    pending_title = Some(t);
                }
                i += 1;
                continue;
            }
        }
        let Some(table) = tables.last_mut() else {
            errors.push(LayoutError {
                line: r.line,
                column: 1,
                message: "a data row before any header row".into(),
                help: vec![
                    "every table starts with a header row whose first cell is 整理番号".into(),
                ],
            });
            i += 1;
            continue;
        };
        if is_total(r) {
            if !open {
                errors.push(LayoutError {
                    line: r.line,
                    column: 1,
                    message: "a second 合計 row in one table".into(),
                    help: vec![],
                });
            } else {
                table.total = Some(r.clone());
                open = false;
            }
        } else if !open {
            let tl = table.total.as_ref().map_or(0, |t| t.line);
            errors.push(LayoutError {
                line: r.line,
                column: 1,
                message: format!(
                    "a data row after the table's 合計 row (line {tl}) and before a new header row"
                ),
                help: vec![
                    "start a new table with its title and header row, or move the row above 合計"
                        .into(),
                ],
            });
        } else {
            table.rows.push(r.clone());
        }
        i += 1;
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_prefixes() {
        assert_eq!(match_header("事業内容 (300字以内)"), Some(Field::Summary));
        assert_eq!(match_header("事業開始 (予定)月"), Some(Field::Start));
        assert_eq!(
            match_header("雇用・ 就業者数"),
            Some(Field::Measure("employed"))
        );
        assert_eq!(
            match_header("人材獲得 事業所数"),
            Some(Field::Measure("hiring_companies"))
        );
        assert_eq!(
            match_header("実施区市町村名"),
            Some(Field::Dim("municipality"))
        );
        assert_eq!(match_header("目標 (労働力確保)"), None);
        assert_eq!(match_header("整 理 番 号"), Some(Field::Number));
    }

    fn rec(line: usize, cells: &[&str]) -> Record {
        Record {
            line,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn spanned_target_header_with_and_without_its_second_row() {
        let h = rec(
            1,
            &[
                "整理番号",
                "実施区市町村名",
                "事業名",
                "事業額",
                "補助金申請額",
                "目標 (労働力確保)",
                "",
                "目標 (処遇改善事業)",
                "事業開始",
            ],
        );
        let sub = rec(
            2,
            &[
                "",
                "",
                "",
                "",
                "",
                "雇用・ 就業者数",
                "人材獲得 事業所数",
                "支援事業所数",
                "",
            ],
        );
        let mut errors = Vec::new();
        let with = columns(&h, Some(&sub), &mut errors);
        let without = columns(&h, None, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(with.roles, without.roles);
        assert_eq!(
            with.roles[5..8],
            [
                Some(Field::Measure("employed")),
                Some(Field::Measure("hiring_companies")),
                Some(Field::Measure("supported_companies"))
            ]
        );
        assert_eq!(with.roles[8], Some(Field::Start));
        // An unknown column is an error naming its cell.
        let h = rec(3, &["整理番号", "事業名", "備考"]);
        columns(&h, None, &mut errors);
        assert_eq!((errors[0].line, errors[0].column), (3, 3));
        assert!(errors[0].message.contains("備考"));
    }

    #[test]
    fn lines_skip_blank_lines_and_count_multiline_cells() {
        let text = "\n\nA\tB\n\"x\ny\"\tz\n\n1\t2\n";
        let r = read_records(text, b'\t').unwrap();
        let lines: Vec<usize> = r.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 7]);
        assert_eq!(r[1].cells, ["x\ny", "z"]);
        let r = read_records("a,b\r\n\r\n\"p\r\nq\",r\r\n", b',').unwrap();
        assert_eq!(r.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(r[1].cells, ["p\nq", "r"]);
    }
}
