//! The core's serde values (an audit report, its diff, a plan) as a tree each binding turns
//! into its language's values: no JSON text on the way. The tree keeps what JSON loses:
//! timestamps stay timestamps, and a struct is told apart from a map (a struct's keys are
//! field names, which a language may respell; a map's keys are data, kept as they are). A
//! field added to a core type reaches every language with no list of keys to update.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::ser::{self, Impossible};

/// A serialized value.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// `None`, `()`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A timestamp.
    Time(DateTime<Utc>),
    /// A sequence.
    List(Vec<Tree>),
    /// A map: its keys are data.
    Map(Vec<(String, Tree)>),
    /// A struct: its keys are the Rust field names.
    Struct(Vec<(&'static str, Tree)>),
}

/// The tree of a value.
pub fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<Tree, TreeError> {
    value.serialize(TreeSerializer)
}

/// A value the tree cannot hold (a map key that is not a string).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TreeError(String);

impl ser::Error for TreeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        TreeError(msg.to_string())
    }
}

struct TreeSerializer;

/// Builds a list or a struct/map, entry by entry.
#[derive(Debug)]
struct Entries<K> {
    entries: Vec<(K, Tree)>,
    key: Option<K>,
}

type R = Result<Tree, TreeError>;

impl ser::Serializer for TreeSerializer {
    type Ok = Tree;
    type Error = TreeError;
    type SerializeSeq = Entries<()>;
    type SerializeTuple = Entries<()>;
    type SerializeTupleStruct = Entries<()>;
    type SerializeTupleVariant = Impossible<Tree, TreeError>;
    type SerializeMap = Entries<String>;
    type SerializeStruct = Entries<&'static str>;
    type SerializeStructVariant = Impossible<Tree, TreeError>;

    fn serialize_bool(self, v: bool) -> R {
        Ok(Tree::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> R {
        Ok(Tree::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> R {
        Ok(Tree::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> R {
        Ok(Tree::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> R {
        Ok(Tree::Int(v))
    }
    fn serialize_u8(self, v: u8) -> R {
        Ok(Tree::UInt(v.into()))
    }
    fn serialize_u16(self, v: u16) -> R {
        Ok(Tree::UInt(v.into()))
    }
    fn serialize_u32(self, v: u32) -> R {
        Ok(Tree::UInt(v.into()))
    }
    fn serialize_u64(self, v: u64) -> R {
        Ok(Tree::UInt(v))
    }
    fn serialize_f32(self, v: f32) -> R {
        Ok(Tree::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> R {
        Ok(Tree::Float(v))
    }
    fn serialize_char(self, v: char) -> R {
        Ok(Tree::Str(v.into()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(Tree::Str(v.into()))
    }
    /// chrono serializes a timestamp through `collect_str` (a `String` never does): read it
    /// back as one, so that it reaches the language as its date type.
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> R {
        let text = value.to_string();
        Ok(match DateTime::parse_from_rfc3339(&text) {
            Ok(t) => Tree::Time(t.with_timezone(&Utc)),
            Err(_) => Tree::Str(text),
        })
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(Tree::List(
            v.iter().map(|b| Tree::UInt((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> R {
        Ok(Tree::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(Tree::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(Tree::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        Ok(Tree::Str(variant.into()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        Ok(Tree::Map(vec![(variant.into(), value.serialize(self)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Entries<()>, TreeError> {
        Ok(Entries::new(len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Entries<()>, TreeError> {
        Ok(Entries::new(Some(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Entries<()>, TreeError> {
        Ok(Entries::new(Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, TreeError> {
        Err(ser::Error::custom(format!(
            "{name}: tuple variants are not supported"
        )))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Entries<String>, TreeError> {
        Ok(Entries::new(len))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Entries<&'static str>, TreeError> {
        Ok(Entries::new(Some(len)))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, TreeError> {
        Err(ser::Error::custom(format!(
            "{name}: struct variants are not supported"
        )))
    }
}

impl<K> Entries<K> {
    fn new(len: Option<usize>) -> Self {
        Entries {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        }
    }
}

impl Entries<()> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.entries.push(((), to_tree(value)?));
        Ok(())
    }
    fn list(self) -> R {
        Ok(Tree::List(
            self.entries.into_iter().map(|(_, v)| v).collect(),
        ))
    }
}

impl ser::SerializeSeq for Entries<()> {
    type Ok = Tree;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> R {
        self.list()
    }
}

impl ser::SerializeTuple for Entries<()> {
    type Ok = Tree;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> R {
        self.list()
    }
}

impl ser::SerializeTupleStruct for Entries<()> {
    type Ok = Tree;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.push(value)
    }
    fn end(self) -> R {
        self.list()
    }
}

impl ser::SerializeMap for Entries<String> {
    type Ok = Tree;
    type Error = TreeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TreeError> {
        self.key = Some(match to_tree(key)? {
            Tree::Str(s) => s,
            Tree::Time(t) => t.to_rfc3339(),
            other => {
                return Err(ser::Error::custom(format!(
                    "a map key must be a string, not {other:?}"
                )));
            }
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let key = self.key.take().expect("serde calls serialize_key first");
        self.entries.push((key, to_tree(value)?));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Tree::Map(self.entries))
    }
}

impl ser::SerializeStruct for Entries<&'static str> {
    type Ok = Tree;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        self.entries.push((key, to_tree(value)?));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Tree::Struct(self.entries))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Serialize)]
    struct Sample {
        at: DateTime<Utc>,
        looks_like_a_time: String,
        counts: BTreeMap<String, u64>,
        maybe: Option<f64>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<u8>,
    }

    #[test]
    fn timestamps_stay_timestamps_and_structs_stay_apart_from_maps() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T12:00:00.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let sample = Sample {
            at,
            looks_like_a_time: "2026-11-28T12:00:00Z".into(),
            counts: BTreeMap::from([("opened".into(), 2)]),
            maybe: None,
            skipped: Vec::new(),
        };
        assert_eq!(
            to_tree(&sample).unwrap(),
            Tree::Struct(vec![
                ("at", Tree::Time(at)),
                (
                    "looks_like_a_time",
                    Tree::Str("2026-11-28T12:00:00Z".into())
                ),
                ("counts", Tree::Map(vec![("opened".into(), Tree::UInt(2))])),
                ("maybe", Tree::Null),
            ])
        );
    }
}
