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
//!
//! Here: [`parse`] with the mapping of the parser's errors, and typed
//! deserialisation. Beside it: `limits.rs` (nesting and alias expansion),
//! `locate.rs` (paths and byte offsets to lines and columns), `path.rs`
//! ([`Seg`]), `scalars.rs` ([`scalars_with`]) and `de.rs` (error kinds).

use serde::de::DeserializeOwned;
use serde::Serialize;

pub mod de;
mod limits;
mod locate;
mod path;
mod scalars;

pub use limits::{MAX_DOCUMENT_BYTES, MAX_EXPANDED_BYTES, MAX_NESTING};
pub use locate::locate;
pub use path::{path_to_string, Path, Seg};
pub use scalars::{scalars_with, Marked};
pub use serde_yaml::{Mapping, Value};

use locate::position_of;

/// A YAML problem with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What went wrong, without the position.
    pub message: String,
    /// What kind of problem it is (callers choose a code from it).
    pub kind: ErrorKind,
}

/// What kind of problem a [`YamlError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML, or breaks a limit of docs/limits.md.
    Syntax,
    /// A control character or noncharacter written raw in the file.
    ControlCharacter,
    /// An integer beyond what any figure can hold.
    NumberTooLarge,
    /// A key the type does not have.
    UnknownField,
    /// A required key is absent.
    MissingField,
    /// A value of the wrong type or out of range.
    WrongType,
    /// A value that is none of the accepted words.
    UnknownVariant,
    /// A type's own check failed.
    Other,
}

/// Parses one YAML document into a [`Value`]. A leading UTF-8 BOM is
/// accepted; CRLF line ends are accepted.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_size(text)?;
    check_next_line(text)?;
    // The depth check is a second scan of the whole text, so it runs first
    // only when the parse itself could be slow or misleading: many flow
    // brackets (the parser's scan is quadratic in the flow depth) or
    // aliases (checked next, and nesting is reported before them). Else
    // it runs only when the parse fails or gives a value nested deeper
    // than the limit; a value is never shallower than the text's tokens,
    // so the result is the same as checking first.
    let aliased = text.contains('*');
    let flow = text.bytes().filter(|&b| b == b'[' || b == b'{').count();
    let check_first = flow > MAX_NESTING || aliased;
    if check_first {
        check_nesting(text)?;
    }
    if aliased {
        check_expansion(text)?;
    }
    let parsed = serde_yaml::from_str::<Value>(text);
    if !check_first
        && parsed
            .as_ref()
            .map_or(true, |v| limits::depth(v) > MAX_NESTING)
    {
        check_nesting(text)?;
    }
    parsed.map_err(|e| parse_error(text, &e))
}

/// A [`YamlError`] at `(line, column)`.
fn error(kind: ErrorKind, (line, column): (usize, usize), message: String) -> YamlError {
    YamlError {
        kind,
        line,
        column,
        message,
    }
}

/// Refuses a document larger than [`MAX_DOCUMENT_BYTES`].
fn check_size(text: &str) -> Result<(), YamlError> {
    if text.len() <= MAX_DOCUMENT_BYTES {
        return Ok(());
    }
    Err(error(
        ErrorKind::Syntax,
        (1, 1),
        format!(
            "file is {} bytes; the largest accepted is {} bytes",
            text.len(),
            MAX_DOCUMENT_BYTES
        ),
    ))
}

/// Refuses U+0085 NEXT LINE, the one C1 control the YAML reader lets
/// through, as a line break: a Windows-1252 `…` read as Latin-1 would
/// silently become one. Refused like the others, at the character.
fn check_next_line(text: &str) -> Result<(), YamlError> {
    let Some(p) = text.find('\u{85}') else {
        return Ok(());
    };
    Err(error(
        ErrorKind::ControlCharacter,
        position_of(text, p),
        format!(
            "{CONTROL_CHARACTER} {} is not allowed",
            crate::diag::chars::name('\u{85}')
        ),
    ))
}

/// Refuses nesting deeper than [`MAX_NESTING`], where it first is.
fn check_nesting(text: &str) -> Result<(), YamlError> {
    match limits::too_deep(text) {
        Some(at) => Err(error(
            ErrorKind::Syntax,
            at,
            format!("nesting deeper than {MAX_NESTING} levels"),
        )),
        None => Ok(()),
    }
}

/// Refuses aliases that expand beyond [`MAX_EXPANDED_BYTES`], at the first
/// alias.
fn check_expansion(text: &str) -> Result<(), YamlError> {
    match limits::expands_too_much(text) {
        Some(at) => Err(error(
            ErrorKind::Syntax,
            at,
            format!("aliases expand the document to more than {MAX_EXPANDED_BYTES} bytes"),
        )),
        None => Ok(()),
    }
}

/// The parser's error as a [`YamlError`]: a number too large, a duplicate
/// key and a raw control character are recognised and located first; else
/// the parser's message at its position, if any.
fn parse_error(text: &str, e: &serde_yaml::Error) -> YamlError {
    let msg = strip_position(&e.to_string());
    let at = e.location().map(|l| (l.line(), l.column()));
    if let Some(err) = number_too_large(&msg, at)
        .or_else(|| duplicate_key(text, &msg))
        .or_else(|| raw_character(text, &msg))
    {
        return err;
    }
    match at {
        Some(at) => error(ErrorKind::Syntax, at, msg),
        None if msg.contains("repetition limit") || msg.contains("recursion limit") => error(
            ErrorKind::Syntax,
            limits::first_alias(text).unwrap_or((1, 1)),
            format!("{msg} (aliases expand too much)"),
        ),
        None => error(ErrorKind::Syntax, (1, 1), msg),
    }
}

/// Integers beyond 128 bits fail inside the parser.
fn number_too_large(msg: &str, at: Option<(usize, usize)>) -> Option<YamlError> {
    let n = between(msg, "invalid type: integer `", "`")?;
    Some(error(
        ErrorKind::NumberTooLarge,
        at.unwrap_or((1, 1)),
        format!(
            "number {n} is too large (the largest accepted is {})",
            u64::MAX
        ),
    ))
}

/// Duplicate keys are reported at the document start: find the key.
fn duplicate_key(text: &str, msg: &str) -> Option<YamlError> {
    let key = between(msg, "duplicate entry with key \"", "\"")?;
    let at = find_duplicate_key(text, &key)?;
    Some(error(
        ErrorKind::Syntax,
        at,
        format!("duplicate key `{key}`"),
    ))
}

/// The reader reports control characters by byte position: the character
/// there, named.
fn raw_character(text: &str, msg: &str) -> Option<YamlError> {
    let i = msg.rfind(" at position ")?;
    let p = msg[i + " at position ".len()..]
        .trim()
        .parse::<usize>()
        .ok()?;
    let found = text.get(p..).and_then(|t| t.chars().next());
    let (kind, message) = match found {
        Some(c) if crate::diag::chars::is_noncharacter(c) => (
            ErrorKind::ControlCharacter,
            format!("noncharacter U+{:04X} is not allowed", c as u32),
        ),
        Some(c) if crate::diag::chars::is_refused(c) => (
            ErrorKind::ControlCharacter,
            format!(
                "{} {} is not allowed",
                CONTROL_CHARACTER,
                crate::diag::chars::name(c)
            ),
        ),
        _ => (ErrorKind::Syntax, msg[..i].to_string()),
    };
    Some(error(kind, position_of(text, p), message))
}

/// How [`parse`] starts the message of a control character written raw in
/// the file (the YAML reader refuses it): callers report it as E016.
pub const CONTROL_CHARACTER: &str = "control character";

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
    match serde_path_to_error::deserialize::<_, T>(de::ValueDe(&value)) {
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
            let mut message = inner.message;
            let kind = match inner.kind {
                de::Kind::UnknownField(k) => {
                    // An unknown field is best shown at the key itself.
                    if path.last() != Some(&Seg::Key(k.clone())) {
                        path.push(Seg::Key(k));
                    }
                    ErrorKind::UnknownField
                }
                de::Kind::MissingField => ErrorKind::MissingField,
                de::Kind::WrongType => ErrorKind::WrongType,
                de::Kind::UnknownVariant => ErrorKind::UnknownVariant,
                de::Kind::Other => ErrorKind::Other,
            };
            let (line, column) = locate(text, &path);
            let p = path_to_string(&path);
            if !p.is_empty() && !message.starts_with(&p) {
                message = format!("{p}: {message}");
            }
            Err(YamlError {
                kind,
                line,
                column,
                message,
            })
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

/// Removes the parser's ` at line L column C` (the position is given
/// separately), wherever it stands in the message.
fn strip_position(msg: &str) -> String {
    let mut out = msg.to_string();
    while let Some(i) = out.find(" at line ") {
        let rest = &out[i + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let n = digits(rest);
        let Some(after) = rest[n..].strip_prefix(" column ") else {
            break;
        };
        let m = digits(after);
        if n == 0 || m == 0 {
            break;
        }
        let end = i + " at line ".len() + n + " column ".len() + m;
        out.replace_range(i..end, "");
    }
    out
}

/// The text of `s` between the first `start` and the next `end`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_located() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
    }

    /// Block nesting (no flow brackets) is checked after the parse; the
    /// verdict and position must be those of the scan run first.
    #[test]
    fn block_nesting_is_refused_at_the_limit_after_parsing() {
        let block = |levels: usize| {
            let mut s = String::new();
            for i in 0..levels {
                s.push_str(&" ".repeat(i));
                s.push_str("a:\n");
            }
            s.push_str(&" ".repeat(levels));
            s.push_str("b: 1\n");
            s
        };
        // `levels` mappings holding a mapping: levels + 1 collections.
        assert!(parse(&block(MAX_NESTING - 1)).is_ok());
        let deep = block(MAX_NESTING);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting"), "{}", err.message);
        assert_eq!(Some((err.line, err.column)), limits::too_deep(&deep));
        // A parse error in a too-deep document still reports the nesting.
        let broken = format!("{deep}c: [\n");
        let err = parse(&broken).unwrap_err();
        assert!(err.message.contains("nesting"), "{}", err.message);
        // A value deeper than its text (through an alias) is the text's depth.
        let alias = format!("x: &x {}1{}\ny: [[[*x]]]\n", "[".repeat(30), "]".repeat(30));
        assert!(parse(&alias).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting"));
    }

    #[test]
    fn nesting_hidden_behind_quotes_is_refused_quickly() {
        // A plain scalar with a quote in it must not hide real nesting from
        // the depth check (a full parse of this takes minutes).
        let deep = format!(
            "name: [x\", {}{}]",
            "[".repeat(300_000),
            "]".repeat(300_000)
        );
        let t = std::time::Instant::now();
        let err = parse(&deep).unwrap_err();
        assert!(
            err.message.contains("nesting deeper than 32"),
            "{}",
            err.message
        );
        assert_eq!((err.line, err.column), (1, 42)); // the mapping is level 1
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
        let blocks = format!(
            "a:\n{}",
            (1..40)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
                .collect::<String>()
        );
        assert!(parse(&blocks)
            .unwrap_err()
            .message
            .contains("nesting deeper than 32"));
    }

    #[test]
    fn brackets_in_text_are_not_nesting() {
        let many = "[".repeat(100);
        let doc = format!(
            "a: \"{many}\"\nb: '{many}'\nc: x{many}\n# {many}\nd: |\n  {many}\ne: [\"]]]]\", ok]\n"
        );
        let v = parse(&doc).unwrap();
        assert_eq!(
            v.get("c").and_then(Value::as_str),
            Some(format!("x{many}").as_str())
        );
    }

    #[test]
    fn a_long_string_used_many_times_is_refused() {
        let doc = format!(
            "s: &s \"{}\"\nl: [{}]\n",
            "x".repeat(1_000_000),
            vec!["*s"; 2000].join(", ")
        );
        let err = parse(&doc).unwrap_err();
        assert!(err.message.contains("aliases expand"), "{}", err.message);
        assert_eq!((err.line, err.column), (2, 5));
        // A few uses are fine.
        let doc = "d: &d {scheme: general}\na: *d\nb: *d\n";
        assert_eq!(parse(doc).unwrap().get("b"), parse(doc).unwrap().get("a"));
    }

    #[test]
    fn picked_characters_are_found_where_they_are_written() {
        let pick = |c: char| c.is_control() && c != '\n' || c == '\u{200B}';
        let doc = concat!(
            "a: \"x\\ey\"\n",                       // 1: \e at column 6
            "\"k\\0\": [p, \"q\\u200B\"]\n",        // 2: a key; a flow item
            "b: |\n  line\n  zw\u{200B}\n",         // 3-5: block scalar, raw
            "c: 'single\u{200B}'\n",                // 6: single-quoted, raw
            "d: \"long \\\n  \\x85\\U0000001b\"\n", // 7-8: escaped break
            "e: plain \\x00 text\n",                // 9: no escape in plain text
        );
        assert!(parse(doc).is_ok());
        let found: Vec<(usize, usize, char)> = scalars_with(doc, &pick)
            .iter()
            .flat_map(|m| m.at.iter().map(|&(l, c, _, ch)| (l, c, ch)))
            .collect();
        assert_eq!(
            found,
            [
                (1, 6, '\u{1b}'),
                (2, 3, '\0'),
                (2, 14, '\u{200B}'),
                (5, 5, '\u{200B}'),
                (6, 11, '\u{200B}'),
                (8, 3, '\u{85}'),
                (8, 7, '\u{1b}'),
            ]
        );
        let m = &scalars_with(doc, &pick)[0];
        assert_eq!((m.value.as_str(), m.at[0].2), ("x\u{1b}y", 1));
        // Nothing to look for: no scan at all.
        assert!(scalars_with("a: b\n", &pick).is_empty());
    }

    #[test]
    fn raw_control_characters_are_named() {
        let err = parse("a: x\u{1b}y\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5));
        assert_eq!(
            err.message,
            "control character U+001B ESCAPE is not allowed"
        );
        let err = parse("a: x\u{FFFF}\n").unwrap_err();
        assert_eq!(err.message, "noncharacter U+FFFF is not allowed");
        // NEXT LINE, which the reader reads as a line break.
        let err = parse("a: 1\nb: x\u{85}y\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 5));
        assert_eq!(
            err.message,
            "control character U+0085 NEXT LINE is not allowed"
        );
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut doc = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
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
