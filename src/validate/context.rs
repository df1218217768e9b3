//! The validation context: every file read (by index), the diagnostics
//! collected so far, and the ways passes report a problem at a value's
//! position.

use crate::diag::chars;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::{Loaded, SourceFile};
use crate::yaml::{self, Seg};

pub(super) const REFUSED_HELP: &str = "control characters break feeds, pages and data files (a NUL makes feed.xml unreadable for every feed reader): delete it (in a double-quoted string it may be written as an escape: `\\0`, `\\e`, `\\x1b`, `\\u001b`); text may hold tabs and line feeds, but no other character below U+0020, nor U+007F–U+009F";

pub(super) struct Ctx<'a> {
    pub diags: Diagnostics,
    pub files: Vec<&'a SourceFile>,
    /// Receives the details of problems not reported (file full).
    pub scratch: Diagnostic,
}

impl<'a> Ctx<'a> {
    pub fn at(&self, file: usize, path: &[Seg]) -> (usize, usize) {
        yaml::locate(&self.files[file].text, path)
    }
    pub fn err(
        &mut self,
        code: Code,
        file: usize,
        path: &[Seg],
        msg: impl Into<String>,
    ) -> &mut Diagnostic {
        let f = self.files[file];
        if self.diags.is_full(&f.display) {
            // Not reported: skip the cost of locating it.
            self.diags.note_dropped(&f.display);
            self.scratch = Diagnostic::new(code, &f.display, 1, 1, "");
            return &mut self.scratch;
        }
        let (l, c) = self.at(file, path);
        self.diags
            .push(Diagnostic::new(code, &f.display, l, c, msg).with_source(&f.text));
        self.last()
    }
    /// Whether `file` has as many diagnostics as are reported.
    pub fn full(&self, file: usize) -> bool {
        self.diags.is_full(&self.files[file].display)
    }
    fn last(&mut self) -> &mut Diagnostic {
        // Diagnostics has no last_mut; keep a small shim.
        self.diags.last_mut()
    }
    pub fn yaml_err(&mut self, file: usize, e: yaml::YamlError) {
        let f = self.files[file];
        let code = error_code(&e.kind);
        let mut d =
            Diagnostic::new(code, &f.display, e.line, e.column, e.message).with_source(&f.text);
        d.help = parse_error_help(code, &f.text, e.line);
        self.diags.push(d);
    }
}

/// The code of a YAML problem: a file that does not parse, or parses but
/// does not fit its type, by what kind of problem it is.
pub(super) fn error_code(kind: &yaml::ErrorKind) -> Code {
    use yaml::ErrorKind as K;
    match kind {
        K::Syntax | K::UnknownVariant | K::Other => Code::E001,
        K::ControlCharacter => Code::E016,
        K::NumberTooLarge => Code::E008,
        K::UnknownField => Code::E004,
        K::MissingField => Code::E003,
        K::WrongType => Code::E002,
    }
}

/// Help for a parse error: what to do about a raw control character, or
/// (E001, E004) a full-width space or colon in the YAML structure of the
/// error's line or the two lines before it (the parser often stops on the
/// line after the one that broke it).
pub(super) fn parse_error_help(code: Code, text: &str, line: usize) -> Option<String> {
    match code {
        Code::E016 => Some(REFUSED_HELP.into()),
        Code::E001 => (0..3)
            .filter_map(|back| line.checked_sub(back).filter(|&l| l > 0))
            .find_map(|l| chars::yaml_structure_hint(text, l)),
        Code::E004 => chars::yaml_structure_hint(text, line),
        _ => None,
    }
}

/// Appends `extra` to a diagnostic's help (`; ` between them).
pub(super) fn add_help(d: &mut Diagnostic, extra: Option<String>) {
    if let Some(x) = extra {
        d.help = Some(match d.help.take() {
            Some(h) => format!("{x}; {h}"),
            None => x,
        });
    }
}

/// A key segment of a value's path.
pub(super) fn k(s: &str) -> Seg {
    Seg::Key(s.to_string())
}

/// Whether the loader refused the top-level file `name` (and said why).
pub(super) fn refused(loaded: &Loaded, name: &str) -> bool {
    loaded
        .diagnostics
        .iter()
        .any(|d| d.file.rsplit('/').next() == Some(name))
}

/// Finds a content file by its path relative to the content folder: its
/// display name and text.
pub(super) type Lookup<'a> = dyn Fn(&str) -> Option<(String, String)> + 'a;

/// A diagnostic at the value at `path` of the content file `rel`.
pub(super) fn at(lookup: &Lookup, rel: &str, path: &[Seg], code: Code, msg: String) -> Diagnostic {
    let (display, text) = lookup(rel).unwrap_or_else(|| (rel.to_string(), String::new()));
    let (l, c) = yaml::locate(&text, path);
    Diagnostic::new(code, &display, l, c, msg).with_source(&text)
}

/// 18997 → 18,997.
pub(super) fn fmt(n: u128) -> String {
    crate::format::group_digits(n)
}
