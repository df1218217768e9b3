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

pub mod de;

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

/// Largest YAML document mieruka reads (bytes). Larger files are refused
/// before parsing; see docs/limits.md.
pub const MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;
/// Largest a document may grow to when its aliases (`*name`) are expanded,
/// counting text and 16 bytes per value. The parser's own limit counts
/// alias uses, not their size: 2,000 uses of a 1 MB string pass it and
/// would take 2 GB.
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting accepted (flow and block collections together). Checked
/// by a linear scan before parsing, because the parser's own depth limit
/// comes only after a scan that costs quadratic time in the flow depth.
pub const MAX_NESTING: usize = 32;

/// Parses one YAML document into a [`Value`]. A leading UTF-8 BOM is
/// accepted; CRLF line ends are accepted.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(YamlError {
            kind: ErrorKind::Syntax,
            line: 1,
            column: 1,
            message: format!(
                "file is {} bytes; the largest accepted is {} bytes",
                text.len(),
                MAX_DOCUMENT_BYTES
            ),
        });
    }
    // U+0085 NEXT LINE is the one C1 control the YAML reader lets through,
    // as a line break: a Windows-1252 `…` read as Latin-1 would silently
    // become one. Refused like the others, at the character.
    if let Some(p) = text.find('\u{85}') {
        let (line, column) = position_of(text, p);
        return Err(YamlError {
            kind: ErrorKind::ControlCharacter,
            line,
            column,
            message: format!(
                "{CONTROL_CHARACTER} {} is not allowed",
                crate::diag::chars::name('\u{85}')
            ),
        });
    }
    let nesting_error = |(line, column): (usize, usize)| YamlError {
        kind: ErrorKind::Syntax,
        line,
        column,
        message: format!("nesting deeper than {MAX_NESTING} levels"),
    };
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
        if let Some(at) = too_deep(text) {
            return Err(nesting_error(at));
        }
    }
    if aliased {
        if let Some((line, column)) = expands_too_much(text) {
            return Err(YamlError {
                kind: ErrorKind::Syntax,
                line,
                column,
                message: format!(
                    "aliases expand the document to more than {MAX_EXPANDED_BYTES} bytes"
                ),
            });
        }
    }
    let parsed = serde_yaml::from_str::<Value>(text);
    if !check_first && parsed.as_ref().map_or(true, |v| depth(v) > MAX_NESTING) {
        if let Some(at) = too_deep(text) {
            return Err(nesting_error(at));
        }
    }
    match parsed {
        Ok(v) => Ok(v),
        Err(e) => {
            let msg = strip_position(&e.to_string());
            // Integers beyond 128 bits fail inside the parser.
            if let Some(n) = between(&msg, "invalid type: integer `", "`") {
                let (line, column) = e
                    .location()
                    .map(|l| (l.line(), l.column()))
                    .unwrap_or((1, 1));
                return Err(YamlError {
                    kind: ErrorKind::NumberTooLarge,
                    line,
                    column,
                    message: format!(
                        "number {n} is too large (the largest accepted is {})",
                        u64::MAX
                    ),
                });
            }
            // Duplicate keys are reported at the document start: find the key.
            if let Some(key) = between(&msg, "duplicate entry with key \"", "\"") {
                if let Some((line, column)) = find_duplicate_key(text, &key) {
                    return Err(YamlError {
                        kind: ErrorKind::Syntax,
                        line,
                        column,
                        message: format!("duplicate key `{key}`"),
                    });
                }
            }
            // The reader reports control characters by byte position.
            if let Some(i) = msg.rfind(" at position ") {
                if let Ok(p) = msg[i + " at position ".len()..].trim().parse::<usize>() {
                    let (line, column) = position_of(text, p);
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
                    return Err(YamlError {
                        kind,
                        line,
                        column,
                        message,
                    });
                }
            }
            if let Some(loc) = e.location() {
                return Err(YamlError {
                    kind: ErrorKind::Syntax,
                    line: loc.line(),
                    column: loc.column(),
                    message: msg,
                });
            }
            if msg.contains("repetition limit") || msg.contains("recursion limit") {
                let (line, column) = first_alias(text).unwrap_or((1, 1));
                return Err(YamlError {
                    kind: ErrorKind::Syntax,
                    line,
                    column,
                    message: format!("{msg} (aliases expand too much)"),
                });
            }
            Err(YamlError {
                kind: ErrorKind::Syntax,
                line: 1,
                column: 1,
                message: msg,
            })
        }
    }
}

/// How [`parse`] starts the message of a control character written raw in
/// the file (the YAML reader refuses it): callers report it as E016.
pub const CONTROL_CHARACTER: &str = "control character";

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
fn scalar_tokens(text: &str) -> Vec<(usize, usize, Style, String)> {
    use libyaml_rs as sys;
    use std::mem::MaybeUninit;
    let mut out = Vec::new();
    // SAFETY: as in `too_deep`: the parser is initialised before use and
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

/// Line and column of byte `pos` of `text` (1-based, columns in characters).
fn position_of(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
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
        // An alias starts a value: after a space, `[`, `{` or `,`.
        let mut prev = ' ';
        for (b, c) in line.char_indices() {
            if c == '*' && matches!(prev, ' ' | '[' | '{' | ',') {
                return Some((n + 1, line[..b].chars().count() + 1));
            }
            prev = c;
        }
    }
    None
}

/// Walks the document as the parser would expand it, without keeping
/// anything, and stops once [`MAX_EXPANDED_BYTES`] are passed: returns the
/// position of the first alias then. Other errors are left to the parser.
fn expands_too_much(text: &str) -> Option<(usize, usize)> {
    use serde::de::{
        DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
    };
    use std::fmt;
    const OVER: &str = "mieruka: expansion budget exhausted";
    struct Probe<'a>(&'a std::cell::Cell<usize>);
    impl Probe<'_> {
        fn spend<E: serde::de::Error>(&self, n: usize) -> Result<(), E> {
            let left = self.0.get();
            if n + 16 > left {
                return Err(E::custom(OVER));
            }
            self.0.set(left - n - 16);
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Probe<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Probe<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_i128<E: serde::de::Error>(self, _: i128) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_u128<E: serde::de::Error>(self, _: u128) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
            self.spend(v.len())
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<(), E> {
            self.spend(v.len())
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
            self.spend(0)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            self.spend(0)?;
            while seq.next_element_seed(Probe(self.0))?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.spend(0)?;
            while map.next_key_seed(Probe(self.0))?.is_some() {
                map.next_value_seed(Probe(self.0))?;
            }
            Ok(())
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            let ((), variant) = data.variant_seed(Probe(self.0))?;
            variant.newtype_variant_seed(Probe(self.0))
        }
    }
    let budget = std::cell::Cell::new(MAX_EXPANDED_BYTES);
    match Probe(&budget).deserialize(serde_yaml::Deserializer::from_str(text)) {
        Err(e) if e.to_string().contains(OVER) => Some(first_alias(text).unwrap_or((1, 1))),
        _ => None,
    }
}

/// Nesting depth of a parsed value: 0 for a scalar, 1 for a collection of
/// scalars. (The parser refuses values nested beyond its own recursion
/// limit, so the recursion here is bounded.)
fn depth(v: &Value) -> usize {
    match v {
        Value::Sequence(s) => 1 + s.iter().map(depth).max().unwrap_or(0),
        Value::Mapping(m) => {
            1 + m
                .iter()
                .map(|(k, v)| depth(k).max(depth(v)))
                .max()
                .unwrap_or(0)
        }
        Value::Tagged(t) => depth(&t.value),
        _ => 0,
    }
}

/// Finds where nesting first exceeds [`MAX_NESTING`], by running the YAML
/// scanner itself (the same libyaml scanner the parser uses) token by token
/// and stopping there. Exact: brackets inside quoted, plain or block scalars
/// and comments do not count, and no trick with quotes can hide a real
/// level. Linear: the scanner's cost per token grows with the flow depth,
/// which is what makes a full parse of `[[[[…` quadratic; here the depth
/// never exceeds the limit by much (the scanner looks ahead at most 1024
/// characters). A syntax error stops the scan; the parser then reports it.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    use libyaml_rs as sys;
    use std::mem::MaybeUninit;
    // SAFETY: the parser is initialised before use and deleted once; the
    // input outlives it; every token is deleted after its fields are read.
    unsafe {
        let mut parser = MaybeUninit::<sys::yaml_parser_t>::uninit();
        let p = parser.as_mut_ptr();
        if sys::yaml_parser_initialize(p).fail {
            return None;
        }
        sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
        sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        let mut depth = 0usize;
        let mut found = None;
        loop {
            let mut token = MaybeUninit::<sys::yaml_token_t>::zeroed();
            let t = token.as_mut_ptr();
            if sys::yaml_parser_scan(p, t).fail {
                sys::yaml_token_delete(t);
                break;
            }
            let kind = (*t).type_;
            let mark = (*t).start_mark;
            sys::yaml_token_delete(t);
            match kind {
                sys::YAML_FLOW_SEQUENCE_START_TOKEN
                | sys::YAML_FLOW_MAPPING_START_TOKEN
                | sys::YAML_BLOCK_SEQUENCE_START_TOKEN
                | sys::YAML_BLOCK_MAPPING_START_TOKEN => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        found = Some((mark.line as usize + 1, mark.column as usize + 1));
                        break;
                    }
                }
                sys::YAML_FLOW_SEQUENCE_END_TOKEN
                | sys::YAML_FLOW_MAPPING_END_TOKEN
                | sys::YAML_BLOCK_END_TOKEN => {
                    depth = depth.saturating_sub(1);
                }
                sys::YAML_STREAM_END_TOKEN | sys::YAML_NO_TOKEN => break,
                _ => {}
            }
        }
        sys::yaml_parser_delete(p);
        found
    }
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
                            && t2[k.len()..]
                                .trim_start_matches(['"', '\''])
                                .starts_with(':')
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
                let pl = if first_col.is_some() {
                    start
                } else {
                    start - 1
                };
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
                if !after.is_empty()
                    && !after.starts_with('#')
                    && !after.starts_with('|')
                    && !after.starts_with('>')
                {
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
                if matches!(seg, Seg::Key(_))
                    && l.len() - t.len() == item_indent
                    && t.starts_with("- ")
                {
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
        assert_eq!(Some((err.line, err.column)), too_deep(&deep));
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
