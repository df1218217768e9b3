//! Reading a table file: bytes (UTF-8, BOM, Shift_JIS) → rows of cells,
//! each with the physical line where it starts; cells with refused
//! characters are reported at their line and cell.

use super::decode::{self, Encoding};
use super::problem::Problem;
use crate::diag::{chars, Code};
use std::path::Path;

/// The largest table `import` reads (it is read whole into memory): 256 MiB,
/// a hundred times a prefecture's yearly list of every subsidy.
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// How the table's cells are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableFormat {
    /// Tab-separated.
    Tsv,
    /// Comma-separated (as Excel writes "CSV UTF-8" or "CSV").
    Csv,
}

impl TableFormat {
    /// The format a file name implies: `.csv` is CSV, anything else TSV.
    pub fn of(path: &Path) -> TableFormat {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => TableFormat::Csv,
            _ => TableFormat::Tsv,
        }
    }
    /// The separator byte.
    pub fn delimiter(self) -> u8 {
        match self {
            TableFormat::Tsv => b'\t',
            TableFormat::Csv => b',',
        }
    }
    /// How messages name it.
    pub fn name(self) -> &'static str {
        match self {
            TableFormat::Tsv => "TSV",
            TableFormat::Csv => "CSV",
        }
    }
}

/// Reads the file at `path` (shown as `file`) into rows: its size is
/// checked before it is read, then it is decoded and parsed. Every refusal
/// is an E101 at its position.
pub fn read(
    path: &Path,
    file: &str,
    format: TableFormat,
) -> Result<(Vec<Record>, Encoding), Problem> {
    let refuse = |line, column, message: String, help: Vec<String>| {
        Problem::new(Code::E101, file, line, column, message, help)
    };
    if let Ok(m) = std::fs::metadata(path) {
        if m.len() > MAX_TABLE_BYTES {
            return Err(refuse(0, 0, format!(
                "table is {} bytes; the largest accepted is {MAX_TABLE_BYTES} bytes (split it, e.g. one file per fiscal year)",
                m.len()
            ), vec![]));
        }
    }
    let bytes =
        std::fs::read(path).map_err(|e| refuse(0, 0, format!("cannot read: {e}"), vec![]))?;
    let delimiter = format.delimiter();
    let (text, encoding) = decode::decode(&bytes, delimiter).map_err(|e| {
        refuse(
            e.line,
            e.column,
            e.message,
            vec!["save the table as UTF-8 (Excel: \"CSV UTF-8\"); Shift_JIS is also read".into()],
        )
    })?;
    let records =
        read_records(&text, delimiter).map_err(|e| refuse(e.line, e.column, e.message, vec![]))?;
    Ok((records, encoding))
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
    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
    /// The cells that are not blank.
    pub fn non_empty(&self) -> Vec<usize> {
        (0..self.cells.len())
            .filter(|&i| !self.cells[i].trim().is_empty())
            .collect()
    }
}

/// A position and message (reading the rows).
#[derive(Debug, Clone)]
pub struct ReadError {
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
pub fn read_records(text: &str, delimiter: u8) -> Result<Vec<Record>, ReadError> {
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
                return Err(ReadError {
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

/// Most cells reported for holding refused characters (then one note).
const MAX_REFUSED_CELLS: usize = 100;

/// Refuses control characters and noncharacters in every cell of the table
/// (`mieruka check` refuses them in content as E016: they break feeds,
/// pages and data files), each at its line and cell. Tabs and line breaks
/// are fine.
pub fn refused_characters(records: &[Record], file: &str, problems: &mut Vec<Problem>) {
    let mut found = 0usize;
    // The line and cell of the first cell not listed.
    let mut unlisted = (0, 0);
    for rec in records {
        // Lines before each cell: quoted cells may span lines.
        let mut line = rec.line;
        for (i, cell) in rec.cells.iter().enumerate() {
            if let Some((at, c)) = cell
                .chars()
                .enumerate()
                .find(|&(_, c)| chars::is_refused(c))
            {
                found += 1;
                if found == MAX_REFUSED_CELLS + 1 {
                    unlisted = (line, i + 1);
                }
                if found <= MAX_REFUSED_CELLS {
                    let before: String = cell.chars().take(at).collect();
                    let noun = if chars::is_noncharacter(c) {
                        "noncharacter"
                    } else {
                        "control character"
                    };
                    problems.push(Problem::new(
                        Code::E102,
                        file,
                        line + before.matches('\n').count(),
                        i + 1,
                        format!("{noun} {} in a cell: `{}`", chars::name(c), chars::excerpt(cell, at)),
                        vec!["delete it in the table (it would break feeds, pages and data files); cells may hold tabs and line breaks, but no other control character and no noncharacter".into()],
                    ));
                }
            }
            line += cell.matches('\n').count();
        }
    }
    if found > MAX_REFUSED_CELLS {
        problems.push(Problem::new(
            Code::E102,
            file,
            unlisted.0,
            unlisted.1,
            format!(
                "from here, {} more cells hold control characters or noncharacters (only the first {MAX_REFUSED_CELLS} are listed)",
                found - MAX_REFUSED_CELLS
            ),
            vec![],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
