//! Cell values: numbers, "not applicable", HTML and stray labels.
//!
//! Content is untrusted text. HTML is never passed through: tags are
//! removed (block tags become line breaks, list items Markdown bullets) and
//! the import notes what it did.

use unicode_normalization::UnicodeNormalization;

/// NFKC with every whitespace character removed: the form used to compare
/// header texts, names and numbers.
pub fn squash(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// A figure cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Nothing in the cell.
    Blank,
    /// `-` (also `－`, `ー`, `―`, `‐`, `−`): not applicable.
    NotApplicable,
    /// A whole number.
    Value(u64),
}

/// Reads a figure: NFKC, commas and spaces removed (`１，２３４` = 1234).
pub fn figure(raw: &str) -> Result<Figure, String> {
    let s: String = squash(raw).chars().filter(|&c| c != ',').collect();
    if s.is_empty() {
        return Ok(Figure::Blank);
    }
    if matches!(s.as_str(), "-" | "ー" | "―" | "‐" | "−" | "—" | "–") {
        return Ok(Figure::NotApplicable);
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map(Figure::Value)
            .map_err(|_| format!("`{}` is too large", raw.trim()));
    }
    if s.starts_with(['-', '△', '▲', '−']) && s.chars().skip(1).all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "`{}` is negative; amounts and counts are never negative",
            raw.trim()
        ));
    }
    if s.contains('.') && s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!("`{}` is not a whole number", raw.trim()));
    }
    Err(format!(
        "`{}` is not a number (nor `-` for not applicable)",
        raw.trim()
    ))
}

/// What cleaning a text cell did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// The text, without HTML or label.
    pub text: String,
    /// Lower-case names of the HTML tags removed (sorted, unique).
    pub tags: Vec<String>,
    /// A leading HTML heading `<p>【X】</p>`: (the raw element, X).
    pub heading: Option<(String, String)>,
    /// A stray leading label that was removed (`事業名：`).
    pub label: Option<String>,
    /// Whether the content of a `<script>` or `<style>` element was removed
    /// with its tags.
    pub code: bool,
}

/// One HTML tag found at a position.
struct Tag {
    end: usize,
    name: String,
    closing: bool,
}

/// Parses an HTML tag or comment starting at byte `i` of `s` (which holds `<`).
fn tag_at(s: &str, i: usize) -> Option<Tag> {
    let rest = &s[i..];
    if let Some(r) = rest.strip_prefix("<!--") {
        let end = r.find("-->")? + 4 + 3;
        return Some(Tag {
            end: i + end,
            name: "!--".into(),
            closing: false,
        });
    }
    let b = rest.as_bytes();
    let mut j = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        j += 1;
    }
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = j;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
        j += 1;
    }
    let name = rest[name_start..j].to_ascii_lowercase();
    // Attributes: anything up to `>` but not another `<`.
    let tail = &rest[j..];
    let close = tail.find(['>', '<'])?;
    if tail.as_bytes()[close] == b'<' {
        return None;
    }
    let between = &tail[..close];
    if !between.is_empty() && !between.starts_with(|c: char| c.is_ascii_whitespace() || c == '/') {
        return None;
    }
    Some(Tag {
        end: i + j + close + 1,
        name,
        closing,
    })
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "ul",
    "ol",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "section",
    "article",
];

/// Elements whose content is code, not text: removed with their tags.
const CODE_TAGS: &[&str] = &["script", "style"];

/// Where the content of a `<script>` or `<style>` element opened at byte
/// `from` ends, and where its closing tag (`</SCRIPT >` too) ends; the end
/// of `s` for both when it is never closed (a browser would take the rest
/// as code).
fn code_end(s: &str, from: usize, name: &str) -> (usize, usize) {
    let lower = s[from..].to_ascii_lowercase();
    let close = format!("</{name}");
    let mut at = 0;
    while let Some(p) = lower[at..].find(&close) {
        let i = from + at + p;
        match tag_at(s, i) {
            Some(t) if t.closing && t.name == name => return (i, t.end),
            _ => at += p + close.len(),
        }
    }
    (s.len(), s.len())
}

/// Removes HTML tags; returns the text and the tag names found. The
/// content of `<script>` and `<style>` goes with their tags (it is code:
/// `alert(1)` is no part of a summary); `code` is set when any went.
fn strip_tags(s: &str, tags: &mut Vec<String>, code: &mut bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or('\0');
        if c == '<' {
            if let Some(t) = tag_at(s, i) {
                if t.name != "!--" && !tags.contains(&t.name) {
                    tags.push(t.name.clone());
                }
                if CODE_TAGS.contains(&t.name.as_str()) && !t.closing {
                    let (content_end, end) = code_end(s, t.end, &t.name);
                    *code |= !s[t.end..content_end].trim().is_empty();
                    i = end;
                    continue;
                }
                if t.name == "li" {
                    if !t.closing {
                        out.push_str("\n- ");
                    }
                } else if BLOCK_TAGS.contains(&t.name.as_str()) {
                    out.push('\n');
                } else if matches!(t.name.as_str(), "td" | "th") && t.closing {
                    out.push(' ');
                }
                i = t.end;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Decodes the character references HTML text commonly carries. `<` and
/// `>` stay encoded when `keep_angle` (Markdown renders `&lt;` as `<`, so
/// no tag can appear).
fn decode_entities(s: &str, keep_angle: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let r = &rest[p..];
        let semi = r[..r.len().min(12)].find(';');
        let decoded = semi.and_then(|q| {
            let ent = &r[1..q];
            let ch = match ent {
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => {
                    let n = if let Some(h) =
                        ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X"))
                    {
                        u32::from_str_radix(h, 16).ok()
                    } else if let Some(d) = ent.strip_prefix('#') {
                        d.parse().ok()
                    } else {
                        None
                    };
                    n.and_then(char::from_u32)
                        .filter(|c| !c.is_control() || *c == '\n')
                }
            }?;
            if keep_angle && (ch == '<' || ch == '>') {
                return None;
            }
            Some((ch, q + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &r[len..];
            }
            None => {
                out.push('&');
                rest = &r[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tidies whitespace left by removed tags: trims lines, at most one blank
/// line in a row, nothing at either end.
fn tidy(s: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in s.lines() {
        let t = line.trim();
        if t.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(t);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Cleans a text cell: HTML removed (for `markdown` cells a leading
/// `<p>【X】</p>` heading is taken out as [`Cleaned::heading`]), then a stray
/// leading label (`事業名：`) removed when it is one of `labels`.
pub fn clean_text(raw: &str, labels: &[&str], markdown: bool) -> Cleaned {
    let mut c = Cleaned::default();
    let mut body = raw.trim().to_string();
    if markdown {
        if let Some((element, heading, rest)) = leading_heading(&body) {
            c.heading = Some((element, heading));
            body = rest;
        }
    }
    let mut tags = Vec::new();
    let had_tags = raw.contains('<');
    let stripped = strip_tags(&body, &mut tags, &mut c.code);
    let text = if !tags.is_empty() || (had_tags && c.heading.is_some()) {
        tidy(&decode_entities(&stripped, markdown))
    } else {
        stripped.trim().to_string()
    };
    tags.sort();
    c.tags = tags;
    c.text = text;
    for label in labels {
        if let Some(rest) = c.text.strip_prefix(label) {
            let r = rest.trim_start_matches([' ', '\u{3000}']);
            if let Some(r2) = r.strip_prefix([':', '：']) {
                let removed_len = c.text.len() - r2.len();
                c.label = Some(c.text[..removed_len].to_string());
                c.text = r2.trim().to_string();
                break;
            }
        }
    }
    c
}

/// `<p>【X】</p> rest` → (`<p>【X】</p>`, X, rest). Also `<h1>`–`<h6>`,
/// `<div>`, `<strong>`, `<b>`.
fn leading_heading(s: &str) -> Option<(String, String, String)> {
    if !s.starts_with('<') {
        return None;
    }
    let open = tag_at(s, 0)?;
    if open.closing
        || !matches!(
            open.name.as_str(),
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "strong" | "b"
        )
    {
        return None;
    }
    // Find the matching closing tag (no nesting of the same name expected).
    let mut i = open.end;
    while let Some(p) = s[i..].find('<') {
        let at = i + p;
        if let Some(t) = tag_at(s, at) {
            if t.closing && t.name == open.name {
                let inner = &s[open.end..at];
                let mut ignored = Vec::new();
                let inner_text =
                    decode_entities(&strip_tags(inner, &mut ignored, &mut false), false);
                let inner_text = inner_text.trim();
                let h = inner_text.strip_prefix('【')?.strip_suffix('】')?;
                if h.is_empty() || h.contains(['【', '】', '\n']) {
                    return None;
                }
                return Some((
                    s[..t.end].to_string(),
                    h.trim().to_string(),
                    s[t.end..].to_string(),
                ));
            }
            i = t.end;
        } else {
            i = at + 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        assert_eq!(figure("18,997"), Ok(Figure::Value(18997)));
        assert_eq!(figure("１８，９９７"), Ok(Figure::Value(18997)));
        assert_eq!(figure(" 1 323 "), Ok(Figure::Value(1323)));
        assert_eq!(figure("1\u{3000}323"), Ok(Figure::Value(1323)));
        assert_eq!(figure("0"), Ok(Figure::Value(0)));
        assert_eq!(figure("-"), Ok(Figure::NotApplicable));
        assert_eq!(figure("－"), Ok(Figure::NotApplicable));
        assert_eq!(figure("ー"), Ok(Figure::NotApplicable));
        assert_eq!(figure(""), Ok(Figure::Blank));
        assert_eq!(figure("  "), Ok(Figure::Blank));
        assert!(figure("-5").unwrap_err().contains("negative"));
        assert!(figure("△5").unwrap_err().contains("negative"));
        assert!(figure("1.5").unwrap_err().contains("whole"));
        assert!(figure("約100").unwrap_err().contains("not a number"));
        assert!(figure("99999999999999999999999")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn heading_moves_out_and_html_goes() {
        let c = clean_text(
            "<p>【就業マッチング事業】</p> 人材不足が深刻な",
            &["事業内容"],
            true,
        );
        assert_eq!(
            c.heading,
            Some((
                "<p>【就業マッチング事業】</p>".into(),
                "就業マッチング事業".into()
            ))
        );
        assert_eq!(c.text, "人材不足が深刻な");
        assert!(c.tags.is_empty());
    }

    #[test]
    fn tags_are_stripped_text_kept() {
        let c = clean_text("区内で<b>相談</b>を行う。<br>さらに<script>alert(1)</script><ul><li>一</li><li>二</li></ul>", &[], true);
        assert_eq!(c.text, "区内で相談を行う。\nさらに\n\n- 一\n- 二");
        assert_eq!(c.tags, ["b", "br", "li", "script", "ul"]);
        assert!(c.code);
        assert!(!c.text.contains('<'));
        let c = clean_text("&lt;b&gt; &amp; <i>x</i>", &[], true);
        assert_eq!(c.text, "&lt;b&gt; & x");
        let c = clean_text("a &lt;b&gt; <i>x</i>", &[], false);
        assert_eq!(c.text, "a <b> x");
    }

    #[test]
    fn code_goes_with_its_tags() {
        let text = |raw: &str| clean_text(raw, &[], true);
        // Any case, attributes, a closing tag with a space; style too.
        let c = text("前<SCRIPT type=\"text/javascript\">alert('x')</ScRiPt >後");
        assert_eq!((c.text.as_str(), c.code), ("前後", true));
        let c = text("前<style media=\"all\">p { color: red }</style>後<p>段落</p>");
        assert_eq!(c.text, "前後\n段落");
        // `</script` inside a string does not end it early: only a closing tag does.
        let c = text("a<script>var s = '</scriptx>'; alert(1)</script>b");
        assert_eq!(c.text, "ab");
        // Unclosed: everything after the opening tag is code.
        let c = text("説明<script>alert(1); 説明の続き");
        assert_eq!((c.text.as_str(), c.code), ("説明", true));
        // Other elements keep their text; an empty script is no code.
        let c = text("<b>太字</b><script></script><i>斜体</i>");
        assert_eq!((c.text.as_str(), c.code), ("太字斜体", false));
        assert_eq!(c.tags, ["b", "i", "script"]);
        // Text that only mentions a tag is not a tag.
        assert_eq!(text("<script は使わない").text, "<script は使わない");
    }

    #[test]
    fn not_html() {
        let c = clean_text("5<10 と <注> 及び a <b", &[], true);
        assert_eq!(c.text, "5<10 と <注> 及び a <b");
        assert!(c.tags.is_empty());
    }

    #[test]
    fn labels() {
        let c = clean_text("事業名：就労困難者の就業支援", &["事業名"], false);
        assert_eq!(c.text, "就労困難者の就業支援");
        assert_eq!(c.label.as_deref(), Some("事業名："));
        let c = clean_text("事業名 : 就労", &["事業名"], false);
        assert_eq!(c.text, "就労");
        let c = clean_text("事業名称の変更支援事業", &["事業名"], false);
        assert_eq!(c.label, None);
    }
}
