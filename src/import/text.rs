//! Text of cells as it lands in programme files: plain text escaped for
//! Markdown, one paragraph (or line) per line of the cell, links, names.
//! A cell's lines are never glued together: a line break (also `<br>` or
//! `<p>` in the cell) stays a line break.

use super::cell::{clean_text, figure, Figure};

/// A header as a reader sees it: markup read as line breaks (`<br>`,
/// `<p>`), the lines joined (`金額<br>（千円）` is 金額（千円）).
pub fn header_text(raw: &str) -> String {
    join_lines(&clean_text(raw, &[], false).text)
}

/// The lines of a cleaned cell, each trimmed, blank ones left out.
pub fn lines(text: &str) -> String {
    let kept: Vec<&str> = text
        .lines()
        .map(trim_all)
        .filter(|l| !l.is_empty())
        .collect();
    kept.join("\n")
}

/// An appended cell in Markdown: each line a link when it is a URL, else
/// escaped text; several lines stay lines (hard breaks).
pub fn appended(cell: &str) -> String {
    let parts: Vec<String> = cell
        .lines()
        .map(trim_all)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if is_url(l) {
                format!("<{l}>")
            } else {
                md_escape(l)
            }
        })
        .collect();
    parts.join("\\\n")
}

/// An amount followed by a remark (`347,149 ※`, `1,000 💥`, `500（注1）`):
/// the number and the remark, when the cell is that and nothing else.
pub fn remark(raw: &str) -> Option<(u64, String)> {
    let t = raw.trim();
    let end = t
        .char_indices()
        .find(|&(_, c)| {
            !(c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || matches!(c, ',' | '，')
                || c.is_whitespace())
        })
        .map(|(i, _)| i)?;
    let (number, rest) = t.split_at(end);
    let rest = rest.trim();
    match figure(number) {
        Ok(Figure::Value(n)) if !rest.is_empty() && !rest.starts_with(['.', '．']) => {
            Some((n, rest.to_string()))
        }
        _ => None,
    }
}

/// One line: the cell's lines trimmed and joined (with a space only between
/// two ASCII letters or digits).
pub fn join_lines(raw: &str) -> String {
    let mut out = String::new();
    for line in raw.lines().map(trim_all).filter(|l| !l.is_empty()) {
        if out
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && line.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

fn trim_all(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Plain text → Markdown, one paragraph (or hard-broken line) per line of
/// the cell. Lines lose trailing spaces and leading ASCII spaces (which
/// Markdown would read as code); full-width spaces used for alignment at
/// the start of a line are kept. Markdown syntax is escaped, so the page
/// shows exactly the source's text.
pub fn paragraphs(raw: &str, sep: &str) -> String {
    let lines: Vec<String> = raw
        .lines()
        .map(|l| {
            l.trim_end_matches(|c: char| c.is_whitespace())
                .trim_start_matches([' ', '\t'])
        })
        .filter(|l| !l.trim_matches(|c: char| c.is_whitespace()).is_empty())
        .map(md_escape)
        .collect();
    lines.join(sep)
}

/// Whether a cell's text is an http(s) address.
pub fn is_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://"))
        && !s.contains(char::is_whitespace)
        && !s.contains(['<', '>'])
}

/// Escapes what Markdown would read as syntax in one line of plain text.
pub fn md_escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    // "1." / "2)" at the start would be a list item.
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'));
    for (i, c) in line.char_indices() {
        let escape = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '!' | '#'
        ) || (i == 0 && matches!(c, '-' | '+' | '='))
            || (ordered && i == digits);
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The first 20 characters of a cell, for messages.
pub fn short(s: &str) -> String {
    let t: String = s.trim().chars().take(20).collect();
    if s.trim().chars().count() > 20 {
        format!("{t}…")
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{plain_text, to_html};

    #[test]
    fn lines_become_paragraphs_and_keep_their_text() {
        let md = paragraphs(
            "補助金の目的：X \n補助対象者：区市町村\n\n負担割合：都10/10\n　　　運営費：都1/2",
            "\n\n",
        );
        assert_eq!(
            md,
            "補助金の目的：X\n\n補助対象者：区市町村\n\n負担割合：都10/10\n\n　　　運営費：都1/2"
        );
        let h = to_html(&md);
        assert_eq!(h.matches("<p>").count(), 4, "{h}");
        for hostile in [
            "# 見出し",
            "1. 一",
            "2) 二",
            "- 項目",
            "> 引用",
            "*強調* と _下線_",
            "<b>x</b> & [a](javascript:x)",
            "a | b",
            "~~x~~",
            "![i](x)",
            "\\",
            "== x",
            "+ y",
            "    code",
        ] {
            let md = paragraphs(hostile, "\n\n");
            let h = to_html(&md);
            assert!(
                !h.contains("<h")
                    && !h.contains("<ol")
                    && !h.contains("<ul")
                    && !h.contains("<em")
                    && !h.contains("<b>")
                    && !h.contains("<a ")
                    && !h.contains("<blockquote")
                    && !h.contains("<pre")
                    && !h.contains("<del")
                    && !h.contains("<img"),
                "{hostile:?} → {md:?} → {h}"
            );
            assert_eq!(
                plain_text(&md),
                hostile.trim_start(),
                "{hostile:?} → {md:?}"
            );
        }
        let h = to_html(&paragraphs("一行目\n二行目", "\\\n"));
        assert!(h.contains("一行目<br />"), "{h}");
    }

    #[test]
    fn headers_lines_links_and_remarks() {
        assert_eq!(header_text("金額<br>（千円）"), "金額（千円）");
        assert_eq!(header_text("金額<br/>\n（千円）"), "金額（千円）");
        assert_eq!(header_text("<p>予算額</p><p>(千円)</p>"), "予算額(千円)");
        assert_eq!(lines(" 子供 \n\n家庭 "), "子供\n家庭");
        assert_eq!(
            appended("https://a.example/x\nhttps://b.example/y"),
            "<https://a.example/x>\\\n<https://b.example/y>"
        );
        assert_eq!(appended("03-1234-5678"), "03-1234-5678");
        assert_eq!(remark("347,149 ※"), Some((347_149, "※".into())));
        assert_eq!(remark("347,149 💥"), Some((347_149, "💥".into())));
        assert_eq!(remark("１，０００（注1）"), Some((1000, "（注1）".into())));
        assert_eq!(remark("347,149"), None);
        assert_eq!(remark("約1,000"), None);
        assert_eq!(remark("1.5"), None);
    }

    #[test]
    fn joined_lines() {
        assert_eq!(join_lines(" 子供 \n家庭 "), "子供家庭");
        assert_eq!(join_lines("Family\nSupport"), "Family Support");
    }
}
