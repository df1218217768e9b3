//! Characters that break output formats or deceive readers: which ones,
//! their names for messages, how two look-alike names differ, and hints for
//! full-width characters in YAML structure.
//!
//! - **Refused** (E016): C0 and C1 controls (U+0000–U+001F, U+007F,
//!   U+0080–U+009F) except TAB and LF, and noncharacters (U+FDD0–U+FDEF and
//!   U+xFFFE/U+xFFFF). A NUL makes feed.xml unreadable for every feed reader;
//!   XML and HTML refuse noncharacters too.
//! - **Flagged** (W106): invisible characters that change how text compares
//!   or reads: bidi controls, zero-width characters, variation selectors,
//!   U+FEFF inside text, the soft hyphen, tag characters. Some have real
//!   uses (a ZWJ inside an emoji sequence, a variation selector choosing an
//!   異体字 such as 葛󠄀), so they are a warning, not an error.

use unicode_normalization::UnicodeNormalization;

/// Whether `c` is refused in text (E016).
pub fn is_refused(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\t' && c != '\n') || (0x7F..=0x9F).contains(&u) || is_noncharacter(c)
}

/// Whether `c` is one of the 66 noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF).
pub fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
}

/// What kind of invisible character `c` is (W106), if it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Invisible {
    /// Bidi embeddings, overrides, isolates and marks: they reorder the
    /// text around them.
    Bidi,
    /// Zero-width space and word joiner.
    ZeroWidth,
    /// Zero-width joiner and non-joiner (emoji sequences, some scripts).
    Joiner,
    /// Variation selectors (異体字, emoji presentation).
    VariationSelector,
    /// U+FEFF inside text (a byte order mark left by joining files).
    ByteOrderMark,
    /// U+00AD, an invisible hyphenation hint.
    SoftHyphen,
    /// U+E0001 and U+E0020–U+E007F (flag emoji; also used to hide text).
    Tag,
}

/// The kind of invisible character `c` is, if it is one (W106).
pub fn invisible(c: char) -> Option<Invisible> {
    Some(match c as u32 {
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => Invisible::Bidi,
        0x200B | 0x2060 => Invisible::ZeroWidth,
        0x200C | 0x200D => Invisible::Joiner,
        0xFE00..=0xFE0F | 0xE0100..=0xE01EF => Invisible::VariationSelector,
        0xFEFF => Invisible::ByteOrderMark,
        0x00AD => Invisible::SoftHyphen,
        0xE0001 | 0xE0020..=0xE007F => Invisible::Tag,
        _ => return None,
    })
}

/// Whether `c` is refused or flagged: the characters [`visible`] spells out.
pub fn is_suspect(c: char) -> bool {
    is_refused(c) || invisible(c).is_some()
}

const C0: [&str; 32] = [
    "NULL",
    "START OF HEADING",
    "START OF TEXT",
    "END OF TEXT",
    "END OF TRANSMISSION",
    "ENQUIRY",
    "ACKNOWLEDGE",
    "BELL",
    "BACKSPACE",
    "CHARACTER TABULATION",
    "LINE FEED",
    "LINE TABULATION",
    "FORM FEED",
    "CARRIAGE RETURN",
    "SHIFT OUT",
    "SHIFT IN",
    "DATA LINK ESCAPE",
    "DEVICE CONTROL ONE",
    "DEVICE CONTROL TWO",
    "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR",
    "NEGATIVE ACKNOWLEDGE",
    "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK",
    "CANCEL",
    "END OF MEDIUM",
    "SUBSTITUTE",
    "ESCAPE",
    "FILE SEPARATOR",
    "GROUP SEPARATOR",
    "RECORD SEPARATOR",
    "UNIT SEPARATOR",
];

const C1: [&str; 32] = [
    "PADDING CHARACTER",
    "HIGH OCTET PRESET",
    "BREAK PERMITTED HERE",
    "NO BREAK HERE",
    "INDEX",
    "NEXT LINE",
    "START OF SELECTED AREA",
    "END OF SELECTED AREA",
    "CHARACTER TABULATION SET",
    "CHARACTER TABULATION WITH JUSTIFICATION",
    "LINE TABULATION SET",
    "PARTIAL LINE FORWARD",
    "PARTIAL LINE BACKWARD",
    "REVERSE LINE FEED",
    "SINGLE SHIFT TWO",
    "SINGLE SHIFT THREE",
    "DEVICE CONTROL STRING",
    "PRIVATE USE ONE",
    "PRIVATE USE TWO",
    "SET TRANSMIT STATE",
    "CANCEL CHARACTER",
    "MESSAGE WAITING",
    "START OF GUARDED AREA",
    "END OF GUARDED AREA",
    "START OF STRING",
    "SINGLE GRAPHIC CHARACTER INTRODUCER",
    "SINGLE CHARACTER INTRODUCER",
    "CONTROL SEQUENCE INTRODUCER",
    "STRING TERMINATOR",
    "OPERATING SYSTEM COMMAND",
    "PRIVACY MESSAGE",
    "APPLICATION PROGRAM COMMAND",
];

/// The Unicode name of the characters messages talk about, when known.
fn unicode_name(c: char) -> Option<String> {
    let u = c as u32;
    let s = match u {
        0x00..=0x1F => C0[u as usize],
        0x7F => "DELETE",
        0x80..=0x9F => C1[(u - 0x80) as usize],
        0x0020 => "SPACE",
        0x00A0 => "NO-BREAK SPACE",
        0x00AD => "SOFT HYPHEN",
        0x061C => "ARABIC LETTER MARK",
        0x200B => "ZERO WIDTH SPACE",
        0x200C => "ZERO WIDTH NON-JOINER",
        0x200D => "ZERO WIDTH JOINER",
        0x200E => "LEFT-TO-RIGHT MARK",
        0x200F => "RIGHT-TO-LEFT MARK",
        0x202A => "LEFT-TO-RIGHT EMBEDDING",
        0x202B => "RIGHT-TO-LEFT EMBEDDING",
        0x202C => "POP DIRECTIONAL FORMATTING",
        0x202D => "LEFT-TO-RIGHT OVERRIDE",
        0x202E => "RIGHT-TO-LEFT OVERRIDE",
        0x2060 => "WORD JOINER",
        0x2066 => "LEFT-TO-RIGHT ISOLATE",
        0x2067 => "RIGHT-TO-LEFT ISOLATE",
        0x2068 => "FIRST STRONG ISOLATE",
        0x2069 => "POP DIRECTIONAL ISOLATE",
        0x3000 => "IDEOGRAPHIC SPACE",
        0xFEFF => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        0xFF1A => "FULLWIDTH COLON",
        0xFE00..=0xFE0F => return Some(format!("VARIATION SELECTOR-{}", u - 0xFE00 + 1)),
        0xE0100..=0xE01EF => return Some(format!("VARIATION SELECTOR-{}", u - 0xE0100 + 17)),
        0xE0001 => "LANGUAGE TAG",
        0xE007F => "CANCEL TAG",
        0xE0020..=0xE007E => return Some(format!("TAG {:?}", char::from_u32(u - 0xE0000)?)),
        _ => return None,
    };
    Some(s.to_string())
}

/// `U+001B ESCAPE`: the code point, and its name when known.
pub fn name(c: char) -> String {
    match unicode_name(c) {
        Some(n) => format!("U+{:04X} {n}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

/// `text` with every refused or invisible character spelled out as
/// `<U+200B>`, line feeds as `\n` and tabs as `\t`: what a message shows.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_suspect(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// `text` with refused characters spelled out (`<U+001B>`), and invisible
/// ones too when `invisibles`; tabs and line feeds kept. Every message goes
/// through it, so content echoed in a message cannot drive the terminal
/// (`\x1b[2J`) or hide in it.
pub fn sanitize(text: &str, invisibles: bool) -> String {
    if !text
        .chars()
        .any(|c| is_refused(c) || (invisibles && invisible(c).is_some()))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_refused(c) || (invisibles && invisible(c).is_some()) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `c` as a terminal may show it in a source line under a diagnostic: a
/// control character as its control picture (`␀`, `␛`), another refused or
/// invisible character as `�` (a bidi override would reorder the line, a
/// zero-width character would hide), one for one so that the caret stays
/// under its column; other characters as they are.
pub fn printable(c: char) -> char {
    match c as u32 {
        u @ 0..=0x1F if c != '\t' => char::from_u32(0x2400 + u).unwrap_or('\u{FFFD}'),
        0x7F => '\u{2421}',
        _ if is_suspect(c) => '\u{FFFD}',
        _ => c,
    }
}

/// A short excerpt of `text` around its character number `at`, spelled
/// out with [`visible`]: `…新宿区<U+200B>の…`.
pub fn excerpt(text: &str, at: usize) -> String {
    const BEFORE: usize = 12;
    const AFTER: usize = 12;
    let chars: Vec<char> = text.chars().collect();
    let start = at.saturating_sub(BEFORE);
    let end = (at + 1 + AFTER).min(chars.len());
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.push_str(&visible(&chars[start..end].iter().collect::<String>()));
    if end < chars.len() {
        s.push('…');
    }
    s
}

/// Whether `text` can reorder the text around it when shown inside a
/// sentence: it holds a bidi control or a right-to-left letter (Hebrew,
/// Arabic, Syriac, Thaana, N'Ko… and their presentation forms).
pub fn needs_isolation(text: &str) -> bool {
    text.chars().any(|c| {
        invisible(c) == Some(Invisible::Bidi)
            || matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFE | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
    })
}

/// A name to put inside generated text where no markup can isolate it
/// (a chart's title, a page's `<title>`, an `aria-label`, a caption built
/// from it): between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL
/// ISOLATE when it [needs isolation](needs_isolation), so that an override
/// in it ends with it; unchanged otherwise (Japanese text is left alone).
pub fn isolate(text: &str) -> std::borrow::Cow<'_, str> {
    if needs_isolation(text) {
        format!("\u{2068}{text}\u{2069}").into()
    } else {
        text.into()
    }
}

/// `text` without invisible characters, in NFKC: two names with the same
/// skeleton look the same to a reader.
pub fn skeleton(text: &str) -> String {
    text.chars()
        .filter(|&c| invisible(c).is_none())
        .collect::<String>()
        .nfkc()
        .collect()
}

/// How `written` differs from `meant` when the two look the same (the same
/// [`skeleton`]): ` (it differs by an invisible U+200B ZERO WIDTH SPACE
/// after 区)`, to append to a "did you mean". Empty when they do not look
/// the same (髙 and 高 differ visibly) or are equal.
pub fn differs(written: &str, meant: &str) -> String {
    if written == meant || skeleton(written) != skeleton(meant) {
        return String::new();
    }
    let mut parts = Vec::new();
    let extra = invisible_positions(written);
    if !extra.is_empty() {
        parts.push(format!("by {}", describe_invisibles(&extra)));
    }
    let missing = invisible_positions(meant);
    if !missing.is_empty() {
        parts.push(format!("(the name has {})", describe_invisibles(&missing)));
    }
    let a: String = written
        .chars()
        .filter(|&c| invisible(c).is_none())
        .collect();
    let b: String = meant.chars().filter(|&c| invisible(c).is_none()).collect();
    if a != b {
        // Same NFKC form, different characters: width or compatibility forms.
        let (x, y) = middle(&a, &b);
        let one = |s: &str| {
            let mut it = s.chars();
            it.next()
                .filter(|c| c.is_whitespace() && it.next().is_none())
        };
        parts.push(match (one(&x), one(&y)) {
            (Some(p), Some(q)) => format!("in form: {} where the name has {}", name(p), name(q)),
            _ => format!(
                "in form: {}`{x}` where the name has `{y}`",
                form_kind(&x, &y)
            ),
        });
    }
    format!(" (it differs {})", parts.join(", and "))
}

/// The invisible characters of `s`: (character, the visible character
/// before it, or None at the start).
fn invisible_positions(s: &str) -> Vec<(char, Option<char>)> {
    let mut prev = None;
    let mut out = Vec::new();
    for c in s.chars() {
        if invisible(c).is_some() {
            out.push((c, prev));
        } else {
            prev = Some(c);
        }
    }
    out
}

fn describe_invisibles(list: &[(char, Option<char>)]) -> String {
    let one = |(c, after): &(char, Option<char>)| match after {
        Some(p) => format!("{} after {p}", name(*c)),
        None => format!("{} at the start", name(*c)),
    };
    let shown: Vec<String> = list.iter().take(3).map(one).collect();
    let more = if list.len() > 3 {
        format!(" and {} more", list.len() - 3)
    } else {
        String::new()
    };
    if list.len() == 1 {
        format!("an invisible {}", shown[0])
    } else {
        format!("invisible {}{more}", shown.join(", "))
    }
}

/// The differing middle of two strings (common prefix and suffix removed).
fn middle(a: &str, b: &str) -> (String, String) {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (
        a[pre..a.len() - suf].iter().collect(),
        b[pre..b.len() - suf].iter().collect(),
    )
}

/// `full-width `, `half-width `, a space's name, or nothing.
fn form_kind(x: &str, y: &str) -> String {
    let all = |s: &str, f: &dyn Fn(u32) -> bool| !s.is_empty() && s.chars().all(|c| f(c as u32));
    let wide = |u: u32| (0xFF01..=0xFF5E).contains(&u) || u == 0x3000;
    let half = |u: u32| (0xFF61..=0xFFDC).contains(&u);
    if all(x, &wide) || all(y, &half) {
        "full-width ".into()
    } else if all(x, &half) || all(y, &wide) {
        "half-width ".into()
    } else {
        String::new()
    }
}

/// Characters that break YAML structure when typed in place of ASCII
/// (Japanese input methods produce them): no-break space, ideographic space,
/// full-width colon.
fn structural(c: char) -> bool {
    matches!(c, '\u{00A0}' | '\u{3000}' | '\u{FF1A}')
}

/// A hint when line `line` (1-based) of `text` uses a no-break space,
/// an ideographic space or a full-width colon where YAML expects ASCII:
/// in the indentation, or in the key before its colon. `None` otherwise.
pub fn yaml_structure_hint(text: &str, line: usize) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let l = l.trim_end_matches('\r');
    if !l.chars().any(structural) {
        return None;
    }
    let chars: Vec<char> = l.chars().collect();
    let what = |c: char| match c {
        '\u{3000}' => "a full-width space U+3000",
        '\u{00A0}' => "a no-break space U+00A0",
        _ => "a full-width colon U+FF1A",
    };
    // Indentation: leading white space (and `- `) holding one of them.
    let indent = chars
        .iter()
        .take_while(|&&c| c == ' ' || c == '\u{3000}' || c == '\u{00A0}' || c == '-')
        .count();
    if let Some(i) = chars[..indent].iter().position(|&c| structural(c)) {
        return Some(format!(
            "line {line} is indented with {} (column {}); YAML indents with ASCII spaces only",
            what(chars[i]),
            i + 1
        ));
    }
    // The key: up to the first ASCII `: ` (or `:` at the end), else the line.
    let key_end = (0..chars.len())
        .find(|&i| chars[i] == ':' && chars.get(i + 1).is_none_or(|c| *c == ' ' || *c == '\t'))
        .unwrap_or(chars.len());
    let i = (indent..key_end).find(|&i| structural(chars[i]))?;
    let before: String = chars[indent..i].iter().collect::<String>();
    let before = before.trim_end_matches([' ', '\u{3000}', '\u{00A0}']);
    let after = if before.is_empty() {
        format!("at column {}", i + 1)
    } else {
        format!("after `{before}`")
    };
    Some(match chars[i] {
        '\u{FF1A}' => format!(
            "line {line} has {} {after}; YAML needs an ASCII colon `:` followed by a space",
            what(chars[i])
        ),
        c => format!(
            "line {line} has {} {after}, before the colon; YAML reads it as part of the key (use an ASCII space, or none)",
            what(c)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        for c in [
            '\0', '\u{1b}', '\r', '\u{0b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}',
        ] {
            assert!(is_refused(c), "{c:?}");
        }
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{10FFFF}',
            '\u{1FFFE}',
        ] {
            assert!(is_refused(c) && is_noncharacter(c), "{c:?}");
        }
        for c in ['\t', '\n', ' ', 'a', '\u{a0}', '\u{200b}', '\u{FFFD}', '葛'] {
            assert!(!is_refused(c), "{c:?}");
        }
        assert_eq!(invisible('\u{202E}'), Some(Invisible::Bidi));
        assert_eq!(invisible('\u{200D}'), Some(Invisible::Joiner));
        assert_eq!(invisible('\u{E0100}'), Some(Invisible::VariationSelector));
        assert_eq!(invisible('\u{FEFF}'), Some(Invisible::ByteOrderMark));
        assert_eq!(invisible('あ'), None);
        assert_eq!(name('\u{1b}'), "U+001B ESCAPE");
        assert_eq!(name('\u{85}'), "U+0085 NEXT LINE");
        assert_eq!(name('\u{FE0F}'), "U+FE0F VARIATION SELECTOR-16");
        assert_eq!(name('\u{E0100}'), "U+E0100 VARIATION SELECTOR-17");
        assert_eq!(name('\u{FFFF}'), "U+FFFF");
        assert_eq!(name('あ'), "U+3042");
        assert_eq!(visible("新宿区\u{200B}\n"), "新宿区<U+200B>\\n");
    }

    #[test]
    fn look_alikes_say_what_differs() {
        assert_eq!(
            differs("新宿区\u{200B}", "新宿区"),
            " (it differs by an invisible U+200B ZERO WIDTH SPACE after 区)"
        );
        assert_eq!(
            differs("ｎａｍｅ", "name"),
            " (it differs in form: full-width `ｎａｍｅ` where the name has `name`)"
        );
        assert_eq!(
            differs("ｼﾝｼﾞｭｸ", "シンジュク"),
            " (it differs in form: half-width `ｼﾝｼﾞｭｸ` where the name has `シンジュク`)"
        );
        assert_eq!(
            differs("世田谷\u{3000}区", "世田谷 区"),
            " (it differs in form: U+3000 IDEOGRAPHIC SPACE where the name has U+0020 SPACE)"
        );
        // Visibly different, or equal: nothing to say.
        assert_eq!(differs("髙島屋", "高島屋"), "");
        assert_eq!(differs("新宿区", "新宿区"), "");
        assert_eq!(differs("世田谷", "世田谷区"), "");
    }

    #[test]
    fn isolation() {
        assert_eq!(isolate("新宿区"), "新宿区");
        assert_eq!(isolate("a\u{202E}b"), "\u{2068}a\u{202E}b\u{2069}");
        assert_eq!(isolate("שלום"), "\u{2068}שלום\u{2069}");
        assert_eq!(isolate("مرحبا 1"), "\u{2068}مرحبا 1\u{2069}");
        assert!(!needs_isolation("葛\u{E0100}飾 👨\u{200D}👩"));
    }

    #[test]
    fn structure_hints() {
        let doc = "a: 1\nname： 事業\n　x: 1\nnote　: y\nb: 説明：内容\n";
        assert_eq!(
            yaml_structure_hint(doc, 2).unwrap(),
            "line 2 has a full-width colon U+FF1A after `name`; YAML needs an ASCII colon `:` followed by a space"
        );
        assert!(yaml_structure_hint(doc, 3)
            .unwrap()
            .starts_with("line 3 is indented with a full-width space U+3000 (column 1)"));
        assert!(yaml_structure_hint(doc, 4)
            .unwrap()
            .starts_with("line 4 has a full-width space U+3000 after `note`, before the colon"));
        // In a value, after the ASCII colon: not structure.
        assert_eq!(yaml_structure_hint(doc, 5), None);
        assert_eq!(yaml_structure_hint(doc, 1), None);
        assert_eq!(yaml_structure_hint(doc, 99), None);
    }
}
