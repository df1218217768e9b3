//! Diagnostics: data problems, collected from every file and reported together.
//!
//! A [`Diagnostic`] always names a file, a 1-based line and column, a stable
//! code (documented in docs/checks.md), a message, and where a fix is known
//! a help line. Stages never stop at the first problem: they push into a
//! [`Diagnostics`] list, which is sorted before it is printed.

use serde::Serialize;
use std::fmt::Write;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a faithful site.
    Error,
    /// Probably wrong; the build goes on (unless `--deny warnings`).
    Warning,
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
    /// Stable rule code, e.g. `E005`.
    pub code: &'static str,
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
    /// An error at a position.
    pub fn error(code: &'static str, file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// A warning at a position.
    pub fn warning(code: &'static str, file: &str, line: usize, column: usize, message: impl Into<String>) -> Self {
        let mut d = Self::error(code, file, line, column, message);
        d.severity = Severity::Warning;
        d
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the source line (for the caret display) from the file text.
    pub fn with_source(mut self, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        self.source_line = text.lines().nth(self.line.saturating_sub(1)).map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// `file:line:column: severity[code]: message`
    pub fn headline(&self) -> String {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!("{}:{}:{}: {}[{}]: {}", self.file, self.line, self.column, sev, self.code, self.message)
    }

    /// The headline, the source line with a caret under the column, and help.
    pub fn render_human(&self) -> String {
        let mut out = self.headline();
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
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(width), "^".repeat(span));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }
}

/// A collection of diagnostics from every stage.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
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
        self.items.extend(other.items);
    }
    /// Whether any error (not warning) is present.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Warning).count()
    }
    /// Whether there is nothing at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
    /// Sorted by file, line, column, code, message; duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.code, &a.message).cmp(&(&b.file, b.line, b.column, b.code, &b.message))
        });
        self.items.dedup();
        self.items
    }
    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// Suggests the closest of `candidates` to `input` ("did you mean …?").
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_chars: Vec<char> = input.chars().collect();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&input_chars, &c.chars().collect::<Vec<_>>());
        let limit = (input_chars.len().max(2) / 2).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
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
    }

    #[test]
    fn caret_sits_under_wide_characters() {
        let d = Diagnostic::error("E005", "f.yaml", 1, 15, "x").with_source("municipality: 世田谷");
        let r = d.render_human();
        assert!(r.contains("1 | municipality: 世田谷\n  |               ^^^^^^"), "{r}");
    }
}
