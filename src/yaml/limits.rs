//! The limits of docs/limits.md that the YAML parser does not enforce well
//! itself: how deep a document nests and how far its aliases expand, each
//! found in linear time, at a line and column, before or after the parse.

use serde_yaml::Value;

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

/// Nesting depth of a parsed value: 0 for a scalar, 1 for a collection of
/// scalars. (The parser refuses values nested beyond its own recursion
/// limit, so the recursion here is bounded.)
pub(super) fn depth(v: &Value) -> usize {
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
#[allow(unsafe_code)] // the YAML scanner's C-style API; see SAFETY below
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
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

/// Walks the document as the parser would expand it, without keeping
/// anything, and stops once [`MAX_EXPANDED_BYTES`] are passed: returns the
/// position of the first alias then. Other errors are left to the parser.
pub(super) fn expands_too_much(text: &str) -> Option<(usize, usize)> {
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

/// The first alias (`*name`) of `text`.
pub(super) fn first_alias(text: &str) -> Option<(usize, usize)> {
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
