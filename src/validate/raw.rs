//! What a programme file says, before references are resolved, and the
//! state of one file being read (its text and its problems).

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::SourceFile;
use crate::model::Date;
use crate::yaml::{self, Seg, Value};
use serde::de::DeserializeOwned;

/// What a programme file says, before references are resolved.
#[derive(Debug, Default, Clone)]
pub(super) struct RawProgramme {
    pub file: usize,
    pub id: String,
    pub fiscal_year: Option<i32>,
    pub source: Option<String>,
    pub page: Option<u32>,
    pub number: Option<u32>,
    pub name: Option<String>,
    pub part: Option<String>,
    pub summary: String,
    pub implementer: Option<String>,
    pub start: Option<Date>,
    pub continues: Option<String>,
    pub aliases: Vec<String>,
    /// The series id (`series:`), when the file gives one.
    pub series: Option<String>,
    pub notes: Vec<String>,
    /// Per dimension: the written references.
    pub dims: Vec<Vec<String>>,
    /// Per measure.
    pub measures: Vec<RawMeasure>,
}

/// A measure as written.
#[derive(Debug, Clone)]
pub(super) enum RawMeasure {
    Missing,
    NotApplicable,
    Own(u64),
    Lead(u64, Vec<String>),
    Member(String),
}

/// One file being read: its text and its problems.
pub(super) struct FileCx<'f> {
    pub f: &'f SourceFile,
    pub diags: Diagnostics,
}

impl FileCx<'_> {
    /// Whether the file has as many problems as are reported (then one
    /// more is noted as dropped).
    pub fn full(&mut self) -> bool {
        if self.diags.is_full(&self.f.display) {
            self.diags.note_dropped(&self.f.display);
            return true;
        }
        false
    }

    /// A problem at the value at `path`.
    pub fn err(&mut self, code: Code, path: &[Seg], msg: String) {
        if self.full() {
            return;
        }
        let (l, c) = yaml::locate(&self.f.text, path);
        self.diags
            .push(Diagnostic::new(code, &self.f.display, l, c, msg).with_source(&self.f.text));
    }

    /// The value at `path` as a `T`, or E002 at it.
    pub fn typed<T: DeserializeOwned>(&mut self, val: &Value, path: &[Seg]) -> Option<T> {
        match yaml::deserialize_at::<T>(val.clone(), &self.f.text, path) {
            Ok(v) => Some(v),
            Err(e) => {
                self.diags.push(
                    Diagnostic::new(Code::E002, &self.f.display, e.line, e.column, e.message)
                        .with_source(&self.f.text),
                );
                None
            }
        }
    }
}
