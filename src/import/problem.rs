//! What an import reports: problems (each with a code of the registry in
//! `diag/code.rs` and a position), information lines, and the files it
//! wrote or would write. Printing them is the command line's business.

use crate::diag::{chars, Code, Severity};
use std::path::PathBuf;

/// One problem, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (the table, a content file, the mapping, or "" for the
    /// command line).
    pub file: String,
    /// 1-based line (0: none).
    pub line: usize,
    /// 1-based column: the cell index in a table, the character in YAML.
    pub column: usize,
    /// The rule broken (its severity is the code's).
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Vec<String>,
}

impl Problem {
    /// A problem at a position.
    pub fn new(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: Vec<String>,
    ) -> Self {
        Problem {
            file: file.into(),
            line,
            column,
            code,
            message: message.into(),
            help,
        }
    }
    /// A problem of the command line (no file, no position).
    pub fn command_line(code: Code, message: impl Into<String>, help: Vec<String>) -> Self {
        Self::new(code, "", 0, 0, message, help)
    }
    /// Error or warning (the code's).
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
    /// `file:line:column: error[E103]: message`, then `  = help: …` lines.
    pub fn render(&self) -> String {
        let sev = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let code = self.code;
        // Messages quote cells: no control character reaches the terminal.
        let message = chars::sanitize(&self.message, true);
        let mut s = match (self.file.is_empty(), self.line) {
            (true, _) => format!("{sev}[{code}]: {message}"),
            (false, 0) => format!("{}: {sev}[{code}]: {message}", self.file),
            (false, l) => format!(
                "{}:{l}:{}: {sev}[{code}]: {message}",
                self.file,
                self.column.max(1)
            ),
        };
        for h in &self.help {
            s.push_str("\n  = help: ");
            s.push_str(&chars::sanitize(h, false).replace('\n', "\n          "));
        }
        s
    }
}

/// Problems found so far, with the count of errors among them.
pub trait Problems {
    /// How many errors there are.
    fn errors(&self) -> usize;
    /// Whether there is any error.
    fn has_errors(&self) -> bool {
        self.errors() > 0
    }
}

impl Problems for Vec<Problem> {
    fn errors(&self) -> usize {
        self.iter().filter(|p| p.is_error()).count()
    }
}

/// What happened to an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// New file.
    Created,
    /// Content differs from the existing file.
    Changed,
    /// Same bytes: left untouched.
    Unchanged,
}

/// The outcome of an import.
#[derive(Debug, Default)]
pub struct Report {
    /// Errors and warnings, sorted.
    pub problems: Vec<Problem>,
    /// Informational lines (encoding, tables found).
    pub info: Vec<String>,
    /// Programme files and what happened (or, in a dry run or when there
    /// are errors, would happen) to each; empty when there are errors.
    pub files: Vec<(PathBuf, FileStatus)>,
    /// Registry files that get new values (`new_values: add`): path, the
    /// number of values added, and what happened to the file.
    pub registries: Vec<(PathBuf, usize, FileStatus)>,
    /// How each imported fiscal year relates to the latest earlier one in
    /// the output folder (when the site declares `series:`; empty on any
    /// error).
    pub series: Vec<YearReport>,
    /// Whether files were written (false in a dry run and on any error).
    pub written: bool,
}

impl Report {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.problems.has_errors()
    }
    /// How many errors were found.
    pub fn error_count(&self) -> usize {
        self.problems.errors()
    }
    /// How many programme files have this status.
    pub fn count(&self, status: FileStatus) -> usize {
        self.files.iter().filter(|(_, s)| *s == status).count()
    }
    /// Sorts the problems (file, line, column, severity, message) and drops
    /// repeats.
    pub(super) fn finish(mut self) -> Self {
        self.problems.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity(), &a.message).cmp(&(
                &b.file,
                b.line,
                b.column,
                b.severity(),
                &b.message,
            ))
        });
        self.problems.dedup();
        self
    }
}

// The series report (computed in `series.rs`; see docs/import.md).

/// A record as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its id (the file stem).
    pub id: String,
    /// Its name.
    pub name: String,
    /// The first summed measure's figure, when it has one.
    pub amount: Option<u64>,
}

/// A record of the new year that continues one of the earlier year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continued {
    /// The earlier year's record.
    pub from: Record,
    /// The new year's.
    pub to: Record,
}

/// A new record and an absent one that look alike, not joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    /// The earlier year's record (absent this year).
    pub old: Record,
    /// The new year's record (new).
    pub new: Record,
    /// Distinct character bigrams the folded names share.
    pub shared: usize,
    /// Distinct bigrams of the name with fewer.
    pub of: usize,
}

impl Ambiguous {
    /// The containment, `shared / of`.
    pub fn containment(&self) -> f64 {
        self.shared as f64 / self.of.max(1) as f64
    }
    /// The `_series.yaml` entry that would join them.
    pub fn entry(&self) -> String {
        format!(
            "- continues: {}   # {}\n  as: {}   # {}\n  note: …   # why they are one programme (shown on the pages)",
            self.old.id, self.old.name, self.new.id, self.new.name
        )
    }
}

/// How one imported fiscal year relates to the latest earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct YearReport {
    /// The imported year.
    pub year: i32,
    /// The latest earlier year with records in the output folder.
    pub previous: i32,
    /// The first summed measure (label, unit), whose figures are shown.
    pub measure: Option<(String, String)>,
    /// The editorial file judgements are read from (`_series.yaml`).
    pub editorial: String,
    /// Same folded key as a record of the previous year.
    pub continued: Vec<Continued>,
    /// Joined to a previous record by a judgement of the editorial file.
    pub judged: Vec<Continued>,
    /// No previous record with its key (nor a judgement).
    pub new: Vec<Record>,
    /// Previous records with no record this year.
    pub absent: Vec<Record>,
    /// New and absent records that look alike (also listed as new and
    /// absent): never joined by the importer.
    pub ambiguous: Vec<Ambiguous>,
}
