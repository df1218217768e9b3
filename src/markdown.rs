//! Markdown from content is untrusted: this is the one place it becomes HTML.
//!
//! pulldown-cmark has no safe mode, so its events are filtered: raw HTML
//! (block or inline) becomes escaped text, links survive only with an
//! http(s), mailto or relative URL, images become their alt text, and
//! headings become bold paragraphs (a summary must not break the page's
//! heading outline). A line break between two Japanese characters is
//! dropped (browsers would show it as a space).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Whether a link target is allowed: http, https, mailto, or relative
/// (no scheme, not protocol-relative).
pub fn is_safe_url(url: &str) -> bool {
    let u = url.trim();
    let lower: String = u
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
    {
        return true;
    }
    if lower.starts_with("//") || lower.starts_with("\\\\") || lower.starts_with("/\\") {
        return false;
    }
    // Relative: no scheme before the first / ? #
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    !head.contains(':')
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Renders untrusted Markdown to safe HTML.
pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    let events: Vec<Event> = parser.collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut skip_link_end: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    for (i, ev) in events.iter().enumerate() {
        match ev {
            Event::Html(s) | Event::InlineHtml(s) => out.push(Event::Text(s.clone())),
            Event::Start(Tag::HtmlBlock) => out.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => out.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_safe_url(dest_url) {
                    skip_link_end.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: dest_url.clone(),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                } else {
                    skip_link_end.push(true);
                }
            }
            Event::End(TagEnd::Link) => {
                if !skip_link_end.pop().unwrap_or(true) {
                    out.push(ev.clone());
                }
            }
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) => {
                out.push(Event::Start(Tag::Paragraph));
                out.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                out.push(Event::End(TagEnd::Strong));
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::SoftBreak => {
                let before = last_char(&out);
                let after = next_char(&events[i + 1..]);
                match (before, after) {
                    (Some(a), Some(b)) if is_cjk(a) && is_cjk(b) => {}
                    _ => out.push(Event::SoftBreak),
                }
            }
            Event::Text(t) if in_image > 0 => out.push(Event::Text(t.clone())),
            other => out.push(other.clone()),
        }
    }
    let mut s = String::with_capacity(md.len() * 2);
    html::push_html(&mut s, out.into_iter());
    s
}

fn last_char(evs: &[Event]) -> Option<char> {
    evs.iter().rev().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    })
}

fn next_char(evs: &[Event]) -> Option<char> {
    evs.iter().find_map(|e| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    })
}

/// The text a reader sees (no markup), for lengths, search and snippets.
pub fn plain_text(md: &str) -> String {
    let mut s = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                s.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::Heading(_)) => s.push(' '),
            _ => {}
        }
    }
    let _ = CowStr::Borrowed("");
    s.trim().to_string()
}

/// A summary (Markdown) as a CSV cell: its plain text, as
/// [`plain_text`] reads it, but with its lines kept — a paragraph,
/// a line break or a list item ends a line — so a quoted cell holds them
/// (RFC 4180) instead of one line glued with spaces. Blank lines are left
/// out; a one-line summary is `plain_text`'s.
pub fn plain_lines(md: &str) -> String {
    let mut s = String::new();
    for ev in Parser::new(md) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                s.push_str(&t)
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => s.push('\n'),
            _ => {}
        }
    }
    // Full-width spaces that align a line of the source are kept (but at
    // the ends of the cell, as plain_text trims them).
    let lines: Vec<&str> = s
        .lines()
        .map(|l| {
            l.trim_end()
                .trim_start_matches(|c: char| c.is_ascii_whitespace())
        })
        .filter(|l| !l.trim().is_empty())
        .collect();
    lines.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_text() {
        let h = to_html("<p>【就業マッチング事業】</p> 人材不足");
        assert!(!h.contains("<p>【"), "{h}");
        assert!(h.contains("&lt;p&gt;"), "{h}");
        let h = to_html("区内で<script>alert(1)</script><img src=x onerror=alert(1)>");
        assert!(!h.contains("<script") && !h.contains("<img"), "{h}");
    }

    #[test]
    fn only_safe_links() {
        let h = to_html("[a](javascript:alert(1)) [b](https://example.jp/) <javascript:alert(2)> [c](JaVa\tScript:x) [d](../x/)");
        assert!(!h.to_lowercase().contains("javascript:alert(1)\""), "{h}");
        assert!(!h.contains("href=\"javascript"), "{h}");
        assert!(h.contains("href=\"https://example.jp/\""), "{h}");
        assert!(h.contains("href=\"../x/\""), "{h}");
        assert!(!is_safe_url("//evil.example/"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(is_safe_url("mailto:a@b.jp"));
    }

    #[test]
    fn images_become_alt_text_and_headings_paragraphs() {
        let h = to_html("# 見出し\n\n![代替](https://x/y.png)");
        assert!(!h.contains("<h1") && !h.contains("<img"), "{h}");
        assert!(
            h.contains("<strong>見出し</strong>") && h.contains("代替"),
            "{h}"
        );
    }

    #[test]
    fn cjk_soft_breaks_are_dropped() {
        assert_eq!(to_html("一行目\n二行目"), "<p>一行目二行目</p>\n");
        assert_eq!(to_html("one\ntwo"), "<p>one\ntwo</p>\n");
    }
}
