//! Writing programme files as YAML text, deterministically.
//!
//! The importer lays files out itself (fixed field order, flow lists for ids
//! and themes, a literal block for the summary) so that they read like the
//! hand-written example and re-import reproduces every byte. Every string
//! goes through [`scalar`], which writes it plain only when YAML would read it
//! back as the same string, and double-quoted (escaped) otherwise.

/// Characters that may not start a plain scalar.
const INDICATORS: &[char] = &[
    '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
    '<', '=',
];

/// Words YAML 1.1 or 1.2 reads as null or booleans.
const RESERVED: &[&str] = &[
    "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
];

/// Whether `s` can be written as a plain scalar (in block or flow context)
/// and read back as the same string.
pub fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if INDICATORS.contains(&first) || first.is_whitespace() || s.ends_with(char::is_whitespace) {
        return false;
    }
    if s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.contains(['\t', ',', '[', ']', '{', '}'])
    {
        return false;
    }
    if s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}'))
    {
        return false;
    }
    if RESERVED.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Numbers (decimal, hex, octal, exponents, `_` separators, sexagesimal),
    // infinities, NaN, dates and timestamps: anything starting with a digit,
    // sign or dot and made only of the characters those forms use.
    let lower = s.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | "+.inf" | "-.inf" | ".nan") {
        return false;
    }
    if (first.is_ascii_digit() || first == '+' || first == '.')
        && s.chars()
            .all(|c| c.is_ascii_hexdigit() || "xXoO+-._: tTzZ".contains(c))
    {
        return false;
    }
    true
}

/// A string as a YAML scalar: plain when safe, else double-quoted.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// A double-quoted YAML scalar with every special character escaped.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            c if c.is_control() || c == '\u{feff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A flow sequence `[a, b]` of strings.
pub fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let parts: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", parts.join(", "))
}

/// Whether `s` can be written as a literal block (`|`) and read back as
/// `s` followed by one newline.
fn block_ok(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with([' ', '\n'])
        && !s.ends_with(char::is_whitespace)
        && !s.chars().any(|c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}')
        })
        && s.lines()
            .all(|l| l.is_empty() || !l.ends_with(char::is_whitespace))
        && !s.contains("\n\n\n")
}

/// `key: |` with `s` indented two spaces (the value read back is `s` plus a
/// final newline), or `key: "…"` when a block cannot carry `s` exactly.
pub fn text_field(out: &mut String, key: &str, s: &str) {
    if block_ok(s) {
        out.push_str(key);
        out.push_str(": |\n");
        for line in s.split('\n') {
            if !line.is_empty() {
                out.push_str("  ");
                out.push_str(line);
            }
            out.push('\n');
        }
    } else {
        let mut v = s.to_string();
        v.push('\n');
        out.push_str(&format!("{key}: {}\n", quoted(&v)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{self, Value};

    fn read_back(yaml_text: &str, key: &str) -> Value {
        let v = yaml::parse(yaml_text).unwrap_or_else(|e| panic!("{yaml_text}: {e:?}"));
        v.get(key).cloned().unwrap_or(Value::Null)
    }

    const HOSTILE: &[&str] = &[
        "a: b",
        "a #b",
        "#x",
        "*alias",
        "&anchor",
        "!tag",
        "@at",
        "`tick",
        "'single'",
        "\"double\"",
        "it's",
        "say \"hi\"",
        "- item",
        "-",
        "? key",
        ": colon",
        "colon:",
        "a:b",
        "[x]",
        "{x}",
        "a, b",
        "|",
        ">",
        "%dir",
        "~",
        "null",
        "Null",
        "NULL",
        "yes",
        "No",
        "ON",
        "off",
        "y",
        "n",
        "true",
        "False",
        "123",
        "0x1F",
        "0o17",
        "1e3",
        "1_000",
        ".5",
        "+1",
        "-1",
        ".inf",
        ".NaN",
        "2024-04-01",
        "12:30:00",
        "1:20",
        "<<",
        "=",
        "line\nbreak",
        "tab\there",
        " lead",
        "trail ",
        "\u{3000}全角空白",
        "cr\rlf",
        "nul\0",
        "bell\u{7}",
        "bom\u{feff}",
        "ls\u{2028}ps\u{2029}nel\u{85}",
        "back\\slash",
        "世田谷区",
        "2024年度事業",
        "事業名：就労",
        "【就業マッチング事業】",
        "<p>【x】</p>",
        "",
    ];

    #[test]
    fn hostile_strings_round_trip() {
        for s in HOSTILE {
            let text = format!("k: {}\n", scalar(s));
            assert_eq!(
                read_back(&text, "k"),
                Value::String(s.to_string()),
                "{s:?} written as {text:?}"
            );
            let text = format!("k: {}\n", flow_list(&[*s, "x"]));
            let v = read_back(&text, "k");
            assert_eq!(
                v.as_sequence().map(|q| q[0].clone()),
                Some(Value::String(s.to_string())),
                "{s:?} in a flow list: {text:?}"
            );
        }
    }

    #[test]
    fn plain_where_it_is_safe() {
        assert_eq!(scalar("世田谷区"), "世田谷区");
        assert_eq!(scalar("2024-general-09"), "2024-general-09");
        assert_eq!(scalar("2024-04-01"), "\"2024-04-01\"");
        assert_eq!(scalar("general"), "general");
        assert_eq!(scalar("事業名：就労"), "事業名：就労");
        assert_eq!(scalar("a: b"), "\"a: b\"");
    }

    #[test]
    fn text_fields_round_trip() {
        for s in [
            "一行",
            "一行目\n二行目",
            "段落\n\n次の段落",
            "- リスト\n- 二",
            "# 見出し風",
            " 先頭空白",
            "末尾空白 ",
            "a\n\n\nb",
            "x\ty",
            "\n先頭改行",
        ] {
            let mut out = String::new();
            text_field(&mut out, "summary", s);
            assert_eq!(
                read_back(&out, "summary"),
                Value::String(format!("{s}\n")),
                "{s:?} written as {out:?}"
            );
        }
        let mut out = String::new();
        text_field(&mut out, "summary", "一行目\n二行目");
        assert_eq!(out, "summary: |\n  一行目\n  二行目\n");
    }
}
