//! Typed deserialisation of a parsed [`Value`] with errors that know their
//! kind.
//!
//! The YAML crate's own deserialiser reports every problem as a message
//! only, so a caller could tell an unknown field from a missing one only by
//! reading the words. Here the same value is deserialised through a thin
//! adapter whose error type records what serde reports — serde calls
//! `unknown_field`, `missing_field`, `invalid_type`… on the error type — so
//! validation picks a diagnostic code from [`Kind`], never from a message.
//! The messages are serde's own wording.

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_yaml::Value;
use std::fmt::{self, Display};

/// What kind of problem a deserialisation error is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A key the type does not have (the key).
    UnknownField(String),
    /// A required key is absent.
    MissingField,
    /// A value of the wrong type, out of range, or of the wrong length.
    WrongType,
    /// A value that is not one of an enum's variants.
    UnknownVariant,
    /// Anything else (a type's own check).
    Other,
}

/// A deserialisation error: its kind and serde's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What kind of problem.
    pub kind: Kind,
    /// serde's message.
    pub message: String,
}

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// serde's way of listing the expected names: `` `a` ``, `` `a` or `b` ``,
/// `` one of `a`, `b`, `c` ``.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".into(),
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!(
            "one of {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl de::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error {
            kind: Kind::Other,
            message: msg.to_string(),
        }
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Error {
            kind: Kind::WrongType,
            message: format!("invalid type: {unexp}, expected {exp}"),
        }
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Error {
            kind: Kind::WrongType,
            message: format!("invalid value: {unexp}, expected {exp}"),
        }
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Error {
            kind: Kind::WrongType,
            message: format!("invalid length {len}, expected {exp}"),
        }
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownVariant,
            message: if expected.is_empty() {
                format!("unknown variant `{variant}`, there are no variants")
            } else {
                format!("unknown variant `{variant}`, expected {}", one_of(expected))
            },
        }
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error {
            kind: Kind::UnknownField(field.to_string()),
            message: if expected.is_empty() {
                format!("unknown field `{field}`, there are no fields")
            } else {
                format!("unknown field `{field}`, expected {}", one_of(expected))
            },
        }
    }
    fn missing_field(field: &'static str) -> Self {
        Error {
            kind: Kind::MissingField,
            message: format!("missing field `{field}`"),
        }
    }
    fn duplicate_field(field: &'static str) -> Self {
        Error {
            kind: Kind::Other,
            message: format!("duplicate field `{field}`"),
        }
    }
}

/// A [`Value`] as a deserialiser with [`Error`] as its error.
#[derive(Clone, Copy)]
pub struct ValueDe<'a>(pub &'a Value);

impl<'de> IntoDeserializer<'de, Error> for ValueDe<'_> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for ValueDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_str(s),
            Value::Sequence(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.iter().map(ValueDe));
                let v = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(v)
            }
            Value::Mapping(m) => {
                let mut map = de::value::MapDeserializer::new(
                    m.iter().map(|(k, v)| (ValueDe(k), ValueDe(v))),
                );
                let v = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(v)
            }
            // A tagged value (`!tag x`) is read as the value it tags.
            Value::Tagged(t) => ValueDe(&t.value).deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Mapping(m) if m.len() == 1 => {
                let (k, v) = m
                    .iter()
                    .next()
                    .ok_or_else(|| de::Error::custom("empty map"))?;
                visitor.visit_enum(Variant(ValueDe(k), ValueDe(v)))
            }
            Value::Tagged(t) => visitor.visit_enum(Variant(
                ValueDe(&Value::String(
                    t.tag.to_string().trim_start_matches('!').to_string(),
                )),
                ValueDe(&t.value),
            )),
            other => Err(de::Error::invalid_type(
                unexpected(other),
                &"an enum variant",
            )),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// What a value is, for a message.
fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => de::Unexpected::Unsigned(u),
            (_, Some(i)) => de::Unexpected::Signed(i),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Sequence(_) => de::Unexpected::Seq,
        Value::Mapping(_) => de::Unexpected::Map,
        Value::Tagged(_) => de::Unexpected::Enum,
    }
}

/// An enum written as `{variant: value}` (or a tag).
struct Variant<'a>(ValueDe<'a>, ValueDe<'a>);

impl<'de, 'a> EnumAccess<'de> for Variant<'a> {
    type Error = Error;
    type Variant = ValueDe<'a>;
    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        Ok((seed.deserialize(self.0)?, self.1))
    }
}

impl<'de> VariantAccess<'de> for ValueDe<'_> {
    type Error = Error;
    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }
    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_any(visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        name: String,
        count: Option<u32>,
        kind: Option<K>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum K {
        Csv,
        Json,
    }

    fn de(text: &str) -> Result<T, Error> {
        let v: Value = serde_yaml::from_str(text).unwrap();
        T::deserialize(ValueDe(&v))
    }

    #[test]
    fn each_kind_is_told_apart() {
        assert!(de("name: a\ncount: 3\nkind: csv\n").is_ok());
        let e = de("name: a\nnmae: b\n").unwrap_err();
        assert_eq!(e.kind, Kind::UnknownField("nmae".into()));
        assert_eq!(
            e.message,
            "unknown field `nmae`, expected one of `name`, `count`, `kind`"
        );
        let e = de("count: 3\n").unwrap_err();
        assert_eq!(
            (e.kind, e.message.as_str()),
            (Kind::MissingField, "missing field `name`")
        );
        let e = de("name: [1]\n").unwrap_err();
        assert_eq!(e.kind, Kind::WrongType);
        assert_eq!(e.message, "invalid type: sequence, expected a string");
        let e = de("name: a\ncount: 5000000000\n").unwrap_err();
        assert_eq!(e.kind, Kind::WrongType);
        let e = de("name: a\nkind: xlsx\n").unwrap_err();
        assert_eq!(e.kind, Kind::UnknownVariant);
        assert_eq!(
            e.message,
            "unknown variant `xlsx`, expected `csv` or `json`"
        );
    }
}
