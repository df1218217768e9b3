//! Where a picked character (a control character, a zero-width space…) is
//! written in a document: every scalar holding one, found with the YAML
//! scanner itself, with the line and column of each such character.

use super::locate::position_of;

/// A scalar (key or value) of a document holding characters picked by
/// [`scalars_with`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The scalar's text as parsed (escapes decoded).
    pub value: String,
    /// Each picked character of `value`, in order: the 1-based line and
    /// column where the file writes it (the escape, such as `\x1b`, when it
    /// is written as one), its index among the characters of `value`, and
    /// the character.
    pub at: Vec<(usize, usize, usize, char)>,
}

/// Every scalar of `text` whose parsed text holds a character `pick`
/// selects, with where each such character is written. Runs the YAML
/// scanner (the parser's own), so keys, values, flow and block scalars are
/// all found, and a double-quoted escape (`"\0"`, `"\e"`, `"\u200b"`) is
/// pointed at exactly. Cheap for a document without such characters: the
/// scan runs only when the text holds a picked character or a backslash
/// (no escape without one). Call on text that parses.
pub fn scalars_with(text: &str, pick: &dyn Fn(char) -> bool) -> Vec<Marked> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\\') && !text.chars().any(pick) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (start, end, style, value) in scalar_tokens(text) {
        if !value.chars().any(pick) {
            continue;
        }
        let span = text.get(start..end.min(text.len())).unwrap_or("");
        let mut at = Vec::new();
        let mut found = written_chars(span, style)
            .into_iter()
            .filter(|(_, c)| pick(*c));
        let mut offsets = value.chars().enumerate().filter(|(_, c)| pick(*c));
        for (index, c) in offsets.by_ref() {
            // The n-th picked character of the value is the n-th written
            // one; if the two ever disagree, point at the scalar itself.
            let byte = match found.next() {
                Some((b, w)) if w == c => start + b,
                _ => start,
            };
            let (line, column) = position_of(text, byte);
            at.push((line, column, index, c));
        }
        out.push(Marked { value, at });
    }
    out
}

/// Scalar styles, as [`written_chars`] needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    DoubleQuoted,
    Block,
    Other,
}

/// Each character a scalar's source text `span` writes, with its byte
/// offset in `span`: escapes of a double-quoted scalar decoded (at the
/// backslash), the header line of a block scalar skipped, other text as
/// written. Line breaks are not listed (they are never picked).
fn written_chars(span: &str, style: Style) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    let body = match style {
        // `| # comment` or `>-`: the text starts on the next line.
        Style::Block => span.find('\n').map_or(span.len(), |i| i + 1),
        _ => 0,
    };
    let mut it = span[body..].char_indices().map(|(i, c)| (i + body, c));
    while let Some((i, c)) = it.next() {
        if style != Style::DoubleQuoted || c != '\\' {
            out.push((i, c));
            continue;
        }
        let Some((_, e)) = it.next() else { break };
        let mut hex = |n: usize| {
            let digits: String = it.by_ref().take(n).map(|(_, h)| h).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
        };
        let decoded = match e {
            '0' => Some('\0'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\u{b}'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{a0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            'x' => hex(2),
            'u' => hex(4),
            'U' => hex(8),
            // `\` + line break: an escaped line break, nothing written.
            '\r' | '\n' => None,
            other => Some(other),
        };
        if let Some(d) = decoded {
            out.push((i, d));
        }
    }
    out
}

/// Every scalar token of `text`: byte span in `text`, style, parsed text.
/// Stops at a syntax error (the parser reports it).
#[allow(unsafe_code)] // the YAML scanner's C-style API; see SAFETY below
fn scalar_tokens(text: &str) -> Vec<(usize, usize, Style, String)> {
    use libyaml_rs as sys;
    use std::mem::MaybeUninit;
    let mut out = Vec::new();
    // SAFETY: as in `limits::too_deep`: the parser is initialised before use and
    // deleted once; the input outlives it; every token is deleted after its
    // fields are read, and a scalar's value is copied out first (`length`
    // bytes at `value`, owned by the token).
    unsafe {
        let mut parser = MaybeUninit::<sys::yaml_parser_t>::uninit();
        let p = parser.as_mut_ptr();
        if sys::yaml_parser_initialize(p).fail {
            return out;
        }
        sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
        sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        loop {
            let mut token = MaybeUninit::<sys::yaml_token_t>::zeroed();
            let t = token.as_mut_ptr();
            if sys::yaml_parser_scan(p, t).fail {
                sys::yaml_token_delete(t);
                break;
            }
            let kind = (*t).type_;
            if kind == sys::YAML_SCALAR_TOKEN {
                let s = (*t).data.scalar;
                let bytes: &[u8] = if s.value.is_null() || s.length == 0 {
                    &[]
                } else {
                    std::slice::from_raw_parts(s.value, s.length as usize)
                };
                let style = match s.style {
                    sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => Style::DoubleQuoted,
                    sys::YAML_LITERAL_SCALAR_STYLE | sys::YAML_FOLDED_SCALAR_STYLE => Style::Block,
                    _ => Style::Other,
                };
                out.push((
                    (*t).start_mark.index as usize,
                    (*t).end_mark.index as usize,
                    style,
                    String::from_utf8_lossy(bytes).into_owned(),
                ));
            }
            sys::yaml_token_delete(t);
            if matches!(kind, sys::YAML_STREAM_END_TOKEN | sys::YAML_NO_TOKEN) {
                break;
            }
        }
        sys::yaml_parser_delete(p);
    }
    out
}
