//! The only module that knows the YAML crate.
//!
//! mieruka uses the serde_yaml API through the YAML organisation's maintained
//! continuation (`yaml_serde`, renamed to `serde_yaml` in Cargo.toml). That
//! crate reports a position for syntax and most type errors, but not for
//! duplicate keys, missing fields or errors found after parsing. So every
//! document is parsed into a [`Value`] first, typed deserialisation goes
//! through `serde_path_to_error` (which names the path of the failing value),
//! and [`locate`] turns any path into a line and column of the source text.
//! Every error leaving this module therefore carries a position.

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use serde_yaml::{Mapping, Value};

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key of a mapping.
    Key(String),
    /// An index into a sequence.
    Index(usize),
}

/// A path into a YAML document, e.g. `subsidy.covers[1]`.
pub type Path = Vec<Seg>;

/// Formats a path the way diagnostics print it (`subsidy.covers[1]`).
pub fn path_to_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// A YAML problem with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What went wrong, without the position.
    pub message: String,
}

/// Largest YAML document mieruka reads (bytes). Larger files are refused
/// before parsing; see docs/limits.md.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
/// Deepest nesting accepted (flow or block). Checked by a linear scan before
/// parsing, because the parser's own depth limit costs quadratic time.
pub const MAX_NESTING: usize = 32;

/// Parses one YAML document into a [`Value`]. A leading UTF-8 BOM is
/// accepted; CRLF line ends are accepted.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "file is {} bytes; the largest accepted is {} bytes",
                text.len(),
                MAX_DOCUMENT_BYTES
            ),
        });
    }
    if let Some((line, column)) = too_deep(text) {
        return Err(YamlError {
            line,
            column,
            message: format!("nesting deeper than {MAX_NESTING} levels"),
        });
    }
    match serde_yaml::from_str::<Value>(text) {
        Ok(v) => Ok(v),
        Err(e) => {
            let msg = strip_position(&e.to_string());
            // Integers beyond 128 bits fail inside the parser.
            if let Some(n) = between(&msg, "invalid type: integer `", "`") {
                let (line, column) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
                return Err(YamlError { line, column, message: format!("number {n} is too large (the largest accepted is {})", u64::MAX) });
            }
            // Duplicate keys are reported at the document start: find the key.
            if let Some(key) = between(&msg, "duplicate entry with key \"", "\"") {
                if let Some((line, column)) = find_duplicate_key(text, &key) {
                    return Err(YamlError {
                        line,
                        column,
                        message: format!("duplicate key `{key}`"),
                    });
                }
            }
            if let Some(loc) = e.location() {
                return Err(YamlError { line: loc.line(), column: loc.column(), message: msg });
            }
            if msg.contains("repetition limit") || msg.contains("recursion limit") {
                let (line, column) = first_alias(text).unwrap_or((1, 1));
                return Err(YamlError {
                    line,
                    column,
                    message: format!("{msg} (aliases expand too much)"),
                });
            }
            Err(YamlError { line: 1, column: 1, message: msg })
        }
    }
}

/// Deserialises a parsed value into `T`, locating any error in `text`.
pub fn deserialize<T: DeserializeOwned>(value: Value, text: &str) -> Result<T, YamlError> {
    deserialize_at(value, text, &[])
}

/// Like [`deserialize`], for a value found at `base` inside the document.
pub fn deserialize_at<T: DeserializeOwned>(
    value: Value,
    text: &str,
    base: &[Seg],
) -> Result<T, YamlError> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Ok(v),
        Err(e) => {
            let mut path: Path = base.to_vec();
            for seg in e.path().iter() {
                match seg {
                    serde_path_to_error::Segment::Seq { index } => path.push(Seg::Index(*index)),
                    serde_path_to_error::Segment::Map { key } => path.push(Seg::Key(key.clone())),
                    serde_path_to_error::Segment::Enum { variant } => {
                        path.push(Seg::Key(variant.clone()))
                    }
                    serde_path_to_error::Segment::Unknown => {}
                }
            }
            let inner = e.into_inner();
            let mut message = strip_position(&inner.to_string());
            // An unknown field is best shown at the key itself.
            if let Some(k) = between(&message, "unknown field `", "`") {
                path.push(Seg::Key(k));
            }
            let (line, column) = locate(text, &path);
            let p = path_to_string(&path);
            if !p.is_empty() && !message.starts_with(&p) {
                message = format!("{p}: {message}");
            }
            Err(YamlError { line, column, message })
        }
    }
}

/// Serialises a value as YAML text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

/// Converts a serialisable value to a [`Value`].
pub fn to_value<T: Serialize>(value: &T) -> Result<Value, String> {
    serde_yaml::to_value(value).map_err(|e| e.to_string())
}

/// Short name of a value's type for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) if msg[i..].contains(" column ") => msg[..i].to_string(),
        _ => msg.to_string(),
    }
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

/// Finds the second occurrence of `key:` at the same indentation.
fn find_duplicate_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut seen: Vec<usize> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let body = line.trim_start_matches([' ', '-']);
        let indent = line.chars().count() - body.chars().count();
        if body.starts_with(key) && body[key.len()..].trim_start().starts_with(':') {
            if seen.contains(&indent) {
                return Some((n + 1, indent + 1));
            }
            seen.push(indent);
        }
    }
    None
}

fn first_alias(text: &str) -> Option<(usize, usize)> {
    for (n, line) in text.lines().enumerate() {
        if let Some(c) = line.find('*') {
            return Some((n + 1, line[..c].chars().count() + 1));
        }
    }
    None
}

/// Linear scan for nesting depth: flow brackets and block indentation.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        while indents.last().is_some_and(|&i| i > indent) {
            indents.pop();
        }
        if indents.last() != Some(&indent) {
            indents.push(indent);
        }
        // A "- - - x" line nests once per dash.
        let dashes = trimmed.split(' ').take_while(|t| *t == "-").count();
        if indents.len() + dashes > MAX_NESTING * 2 {
            return Some((n + 1, indent + 1));
        }
        let mut in_quote: Option<char> = None;
        for (c_i, ch) in line.chars().enumerate() {
            match (in_quote, ch) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '"') | (None, '\'') => {
                    // quotes only open a scalar at a value start; good enough for a depth bound
                    in_quote = Some(ch)
                }
                (None, '#') => break,
                (None, '[') | (None, '{') => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some((n + 1, c_i + 1));
                    }
                }
                (None, ']') | (None, '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// Finds the 1-based line and column of `path` in YAML `text`.
///
/// Works on the block style mieruka writes and people edit (mappings,
/// `- ` sequences, one-line flow collections, block scalars). Where the path
/// cannot be followed to the end, the deepest part found is returned, and
/// (1, 1) when nothing is found.
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    // The block we search: lines [start, end), items at column `indent`;
    // on the first line the content starts at `first_col` (after "- ").
    let mut start = 0usize;
    let mut end = lines.len();
    let mut first_col: Option<usize> = None;
    let mut best = (1usize, 1usize);
    let mut segs = path.iter().peekable();
    while let Some(seg) = segs.next() {
        // Work out this block's indentation from its first meaningful line.
        let mut indent = None;
        for (i, l) in lines.iter().enumerate().take(end).skip(start) {
            if i == start {
                if let Some(c) = first_col {
                    indent = Some(c);
                    break;
                }
            }
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') || t == "---" {
                continue;
            }
            indent = Some(l.len() - t.len());
            break;
        }
        let Some(indent) = indent else { return best };
        let content_at = |i: usize| -> Option<&str> {
            let l = lines[i];
            if i == start {
                if let Some(c) = first_col {
                    return l.get(c..);
                }
            }
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                return None;
            }
            if l.len() - t.len() == indent {
                Some(t)
            } else {
                None
            }
        };
        let mut found = None;
        match seg {
            Seg::Key(k) => {
                for i in start..end {
                    if let Some(t) = content_at(i) {
                        let t2 = t.trim_start_matches(['"', '\'']);
                        if t2.starts_with(k.as_str())
                            && t2[k.len()..].trim_start_matches(['"', '\'']).starts_with(':')
                        {
                            found = Some((i, lines[i].len() - t.len()));
                            break;
                        }
                    }
                }
            }
            Seg::Index(n) => {
                let mut count = 0;
                for i in start..end {
                    if let Some(t) = content_at(i) {
                        if t == "-" || t.starts_with("- ") {
                            if count == *n {
                                found = Some((i, lines[i].len() - t.len()));
                                break;
                            }
                            count += 1;
                        }
                    }
                }
            }
        }
        let Some((li, byte_col)) = found else {
            // Maybe a flow collection on the parent's line.
            if start > 0 || first_col.is_some() {
                let pl = if first_col.is_some() { start } else { start - 1 };
                if let Some(c) = locate_in_flow(lines[pl], seg) {
                    return (pl + 1, lines[pl][..c].chars().count() + 1);
                }
            }
            return best;
        };
        best = (li + 1, lines[li][..byte_col].chars().count() + 1);
        if segs.peek().is_none() {
            // Point at the value of a key when it is on the same line.
            if let Seg::Key(k) = seg {
                let rest = &lines[li][byte_col..];
                if let Some(colon) = rest.find(':') {
                    let after = &rest[colon + 1..];
                    let skip = after.len() - after.trim_start().len();
                    if !after.trim().is_empty() && !after.trim_start().starts_with('#') {
                        let c = byte_col + colon + 1 + skip;
                        let _ = k;
                        return (li + 1, lines[li][..c].chars().count() + 1);
                    }
                }
            }
            return best;
        }
        // Descend.
        match seg {
            Seg::Key(_) => {
                let rest = &lines[li][byte_col..];
                let colon = rest.find(':').unwrap_or(0);
                let after = rest[colon + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') && !after.starts_with('|') && !after.starts_with('>') {
                    // Inline value: a flow collection on this line.
                    let next = segs.next().unwrap();
                    if let Some(c) = locate_in_flow(&lines[li][byte_col + colon + 1..], next) {
                        let c = byte_col + colon + 1 + c;
                        return (li + 1, lines[li][..c].chars().count() + 1);
                    }
                    return best;
                }
                start = li + 1;
                first_col = None;
            }
            Seg::Index(_) => {
                let t = &lines[li][byte_col..];
                let after = t[1..].trim_start();
                if after.is_empty() {
                    start = li + 1;
                    first_col = None;
                } else {
                    start = li;
                    first_col = Some(lines[li].len() - after.len());
                }
            }
        }
        let item_indent = byte_col;
        end = lines.len();
        for (i, l) in lines.iter().enumerate().skip(li + 1) {
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if l.len() - t.len() <= item_indent {
                // A sibling "- " at the same indent as a key closes the key's block
                // only when it is not the key's own block sequence.
                if matches!(seg, Seg::Key(_)) && l.len() - t.len() == item_indent && t.starts_with("- ") {
                    continue;
                }
                end = i;
                break;
            }
        }
    }
    best
}

/// Byte offset of a key or index inside a one-line flow collection.
fn locate_in_flow(s: &str, seg: &Seg) -> Option<usize> {
    let open = s.find(['[', '{'])?;
    let mut depth = 0i32;
    let mut idx = 0usize;
    let mut item_start = open + 1;
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    for &(b, ch) in bytes.iter() {
        if b < open {
            continue;
        }
        match ch {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    item_start = b + 1;
                }
            }
            ']' | '}' | ',' if depth == 1 => {
                let item = &s[item_start..b];
                let lead = item.len() - item.trim_start().len();
                match seg {
                    Seg::Index(n) if *n == idx => return Some(item_start + lead),
                    Seg::Key(k) if item.trim_start().starts_with(k.as_str()) => {
                        return Some(item_start + lead)
                    }
                    _ => {}
                }
                idx += 1;
                item_start = b + 1;
                if ch != ',' {
                    depth -= 1;
                }
            }
            ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }

    const DOC: &str = "a: 1\nb:\n  c: x\n  d:\n    - p\n    - q\ne: [1, 2, 3]\nf:\n  - name: n1\n    code: 1\n  - name: n2\n    code: 2\ng: {amount: 5, covers: [x, y]}\n";

    #[test]
    fn locates_keys_items_and_flow() {
        assert_eq!(locate(DOC, &[k("a")]), (1, 4));
        assert_eq!(locate(DOC, &[k("b"), k("c")]), (3, 6));
        assert_eq!(locate(DOC, &[k("b"), k("d"), Seg::Index(1)]), (6, 5));
        assert_eq!(locate(DOC, &[k("e"), Seg::Index(2)]), (7, 11));
        assert_eq!(locate(DOC, &[k("f"), Seg::Index(1), k("code")]), (12, 11));
        assert_eq!(locate(DOC, &[k("f"), Seg::Index(1), k("name")]), (11, 11));
        assert_eq!(locate(DOC, &[k("g"), k("covers")]), (13, 16));
        assert_eq!(locate(DOC, &[k("zzz")]), (1, 1));
    }

    #[test]
    fn locates_japanese_columns_in_characters() {
        let doc = "name: 世田谷区\ntargets:\n  employed: 五\n";
        assert_eq!(locate(doc, &[k("targets"), k("employed")]), (3, 13));
    }

    #[test]
    fn duplicate_keys_are_located() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting"));
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut doc = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let mut prev = 'a';
        for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'] {
            doc.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = name;
        }
        assert!(parse(&doc).is_err());
    }
}
