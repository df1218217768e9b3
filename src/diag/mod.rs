//! Diagnostics: data problems, collected from every file and reported together.
//!
//! A [`Diagnostic`] always names a file, a 1-based line and column, a stable
//! code (documented in docs/checks.md), a message, and where a fix is known
//! a help line. Stages never stop at the first problem: they push into a
//! [`Diagnostics`] list, which is sorted before it is printed.

use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write;

pub mod chars;
pub mod code;

pub use code::{Code, Severity};

/// Most diagnostics reported for one file. Beyond it the file's further
/// problems are not looked for (locating each costs a pass over the file, so
/// a hostile file with 100,000 bad keys would take quadratic time) and one
/// note says so. See docs/limits.md.
pub const MAX_PER_FILE: usize = 100;
/// Longest message kept (characters); longer ones (a 1 MB value quoted in a
/// message) are cut with `…`.
pub const MAX_MESSAGE_CHARS: usize = 400;

fn clip(s: String, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// One problem in the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// File, relative to the content folder's parent (e.g. `content/_site.yaml`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule code, e.g. `E005` (its severity is the code's).
    pub code: Code,
    /// What is wrong, with the figures on both sides where there are any.
    pub message: String,
    /// How to fix it, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The source line the position points into.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A problem at a position, with the severity of its code.
    pub fn new(
        code: Code,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            severity: code.severity(),
            code,
            message: clip(chars::sanitize(&message.into(), true), MAX_MESSAGE_CHARS),
            help: None,
            source_line: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(clip(help.into(), MAX_MESSAGE_CHARS * 4));
        self
    }

    /// Attaches the source line (for the caret display) from the file text.
    pub fn with_source(mut self, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        self.source_line = text.lines().nth(self.line.saturating_sub(1)).map(|l| {
            l.trim_end_matches('\r')
                .chars()
                .map(chars::printable)
                .collect()
        });
        self
    }

    /// `file:line:column: severity[code]: message`
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {}[{}]: {}",
            self.file, self.line, self.column, sev, self.code, self.message
        )
    }

    /// The headline, the source line with a caret under the column, and help.
    pub fn render_human(&self) -> String {
        self.render(false)
    }

    /// [`Diagnostic::render_human`], styled for a terminal when `styled`
    /// (the severity in red or yellow, the location in bold, the caret in
    /// the severity's colour, the help in cyan): the CLI prints it through
    /// anstream, which drops the styles when the stream is not a terminal
    /// or `NO_COLOR` is set.
    pub fn render(&self, styled: bool) -> String {
        use anstyle::{AnsiColor, Style};
        let paint = |style: Style, text: &str| {
            if styled {
                format!("{style}{text}{style:#}")
            } else {
                text.to_string()
            }
        };
        let sev_style = match self.severity {
            Severity::Error => AnsiColor::Red.on_default().bold(),
            Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        };
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{}: {}: {}",
            paint(
                Style::new().bold(),
                &format!("{}:{}:{}", self.file, self.line, self.column)
            ),
            paint(sev_style, &format!("{sev}[{}]", self.code)),
            self.message
        );
        out.push('\n');
        if let Some(full) = &self.source_line {
            // Show at most ~100 characters around the column.
            let chars: Vec<char> = full.chars().collect();
            let col = self.column.saturating_sub(1).min(chars.len());
            let start = col.saturating_sub(40);
            let end = (start + 100).min(chars.len());
            let mut src: String = chars[start..end].iter().collect();
            if start > 0 {
                src.insert(0, '…');
            }
            if end < chars.len() {
                src.push('…');
            }
            let column = self.column - start + usize::from(start > 0);
            let src = &src;
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {src}");
            // Caret under the column; wide characters take two cells.
            let width: usize = src
                .chars()
                .take(column.saturating_sub(1))
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            let span: usize = src
                .chars()
                .skip(column.saturating_sub(1))
                .take_while(|c| !matches!(c, ',' | ']' | '}' | '#'))
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum::<usize>()
                .clamp(1, 60);
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(width),
                paint(sev_style, &"^".repeat(span))
            );
        }
        if let Some(help) = &self.help {
            // Help may quote content (a did-you-mean): no control character
            // reaches the terminal.
            let _ = writeln!(
                out,
                "  = {}: {}",
                paint(AnsiColor::Cyan.on_default().bold(), "help"),
                chars::sanitize(help, false)
            );
        }
        out
    }
}

/// The errors and warnings in a list of diagnostics (as
/// [`Diagnostics::sorted`] returns it): a summary line counts what was
/// listed.
pub fn counts(list: &[Diagnostic]) -> (usize, usize) {
    let errors = list
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, list.len() - errors)
}

/// A collection of diagnostics from every stage.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Per file: how many diagnostics were offered (kept or not).
    per_file: HashMap<String, usize>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds one, unless its file already has [`MAX_PER_FILE`].
    pub fn push(&mut self, d: Diagnostic) {
        let n = self.per_file.entry(d.file.clone()).or_insert(0);
        *n += 1;
        if *n <= MAX_PER_FILE {
            self.items.push(d);
        }
    }
    /// Whether `file` has reached [`MAX_PER_FILE`]: callers stop looking
    /// for more problems in it (and call [`Diagnostics::note_dropped`]).
    pub fn is_full(&self, file: &str) -> bool {
        self.per_file.get(file).is_some_and(|&n| n >= MAX_PER_FILE)
    }
    /// Records that a problem in `file` was not reported.
    pub fn note_dropped(&mut self, file: &str) {
        *self.per_file.entry(file.to_string()).or_insert(0) += 1;
    }
    /// The most recently added one.
    ///
    /// # Panics
    /// Never in practice: callers push before they call it.
    pub fn last_mut(&mut self) -> &mut Diagnostic {
        self.items.last_mut().expect("a diagnostic was just pushed")
    }
    /// Adds many.
    pub fn extend(&mut self, other: Diagnostics) {
        for (file, n) in other.per_file {
            *self.per_file.entry(file).or_insert(0) += n;
        }
        self.items.extend(other.items);
    }
    /// Whether any error (not warning) is present.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }
    /// Whether there is nothing at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Sorted by file, line, column, code, message; duplicates removed. A
    /// file with problems beyond [`MAX_PER_FILE`] ends with a note saying so.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        let key = |a: &Diagnostic| (a.file.clone(), a.line, a.column, a.code, a.message.clone());
        self.items.sort_by_key(key);
        self.items.dedup();
        let mut notes = Vec::new();
        for (file, &n) in &self.per_file {
            if n > MAX_PER_FILE {
                if let Some(last) = self
                    .items
                    .iter()
                    .rev()
                    .find(|d| &d.file == file && d.severity == Severity::Error)
                {
                    let mut d = Diagnostic::new(last.code, file, last.line, last.column, format!(
                        "more than {MAX_PER_FILE} problems in this file: only the first {MAX_PER_FILE} are reported"));
                    d.help = Some("fix these, then run `mieruka check` again".into());
                    d.column += 1;
                    notes.push(d);
                }
            }
        }
        self.items.extend(notes);
        self.items.sort_by_key(key);
        self.items
    }
    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Suggests the closest of `candidates` to `input` ("did you mean …?").
/// A candidate that looks the same (differing only in invisible characters
/// or in NFKC form: `ｎａｍｅ`, `新宿区` + U+200B) comes first; say how it
/// differs with [`chars::differs`].
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_chars: Vec<char> = input.chars().collect();
    // Edit distance costs len × len: no suggestions for long texts.
    if input_chars.len() > 200 {
        return None;
    }
    let limit = (input_chars.len().max(2) / 2).max(1);
    let mut best: Option<(usize, &str)> = None;
    let look = chars::skeleton(input);
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if let Some(c) = candidates
        .iter()
        // ASCII is its own skeleton (ids, keys): no normalisation needed.
        .find(|c| {
            **c != input
                && if c.is_ascii() {
                    **c == look
                } else {
                    chars::skeleton(c) == look
                }
        })
    {
        return Some(c);
    }
    for c in candidates {
        let cc: Vec<char> = c.chars().collect();
        // The distance is at least the difference in length.
        if cc.len().abs_diff(input_chars.len()) > limit {
            continue;
        }
        let d = edit_distance(&input_chars, &cc);
        // Most of the longer text must be shared: `港区` is not a typo of
        // `北区` (one edit, but half of the name).
        let shared_most = d * 2 < input_chars.len().max(cc.len());
        if d <= limit && shared_most && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbours as one edit (optimal
/// string alignment): `plna` is one edit from `plan`.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let mut d = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
            if i > 0 && j > 0 && *ca == b[j - 1] && a[i - 1] == *cb {
                d = d.min(prev2[j - 1] + 1);
            }
            cur[j + 1] = d;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names() {
        let names = ["世田谷区", "新宿区", "江東区"];
        assert_eq!(did_you_mean("世田谷", names), Some("世田谷区"));
        assert_eq!(did_you_mean("世田ヶ谷区", names), Some("世田谷区"));
        assert_eq!(did_you_mean("札幌市", names), None);
        // One edit, but half of a two-character name: not a suggestion.
        assert_eq!(did_you_mean("港区", ["北区", "世田谷区"]), None);
        // A swap of neighbours is one edit.
        assert_eq!(did_you_mean("plna", ["plan", "general"]), Some("plan"));
        assert_eq!(did_you_mean("sumary", ["summary", "name"]), Some("summary"));
        // Look-alikes first, however far apart their characters are.
        assert_eq!(
            did_you_mean("ＡＢＣ事業", ["ABC事業", "ABD事業"]),
            Some("ABC事業")
        );
        assert_eq!(
            did_you_mean("新宿区\u{200B}", ["新宿区", "新宿"]),
            Some("新宿区")
        );
    }

    #[test]
    fn caret_sits_under_wide_characters() {
        let d =
            Diagnostic::new(Code::E005, "f.yaml", 1, 15, "x").with_source("municipality: 世田谷");
        let r = d.render_human();
        assert!(
            r.contains("1 | municipality: 世田谷\n  |               ^^^^^^"),
            "{r}"
        );
    }
}
