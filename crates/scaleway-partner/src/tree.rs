//! The core's serde values (an audit report, its diff, a plan) as a tree each binding turns
//! into its language's values: no JSON text on the way. The tree keeps what JSON loses:
//! timestamps stay timestamps, and a struct is told apart from a map (a struct's keys are
//! field names, which a language may respell; a map's keys are data, kept as they are). A
//! field added to a core type reaches every language with no list of keys to update.

use std::convert::Infallible;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::ser::{self, Impossible};

/// What a binding makes of each serialized value, built bottom-up: no copy of the whole value
/// is held on the way (a report of 100,000 organizations is mostly findings).
pub trait Build {
    /// A value of the language.
    type Value;
    /// A failure of the language to make one.
    type Error: std::error::Error + 'static;
    /// `None`, `()`.
    fn null(&self) -> Result<Self::Value, Self::Error>;
    /// A boolean.
    fn bool(&self, v: bool) -> Result<Self::Value, Self::Error>;
    /// A signed integer.
    fn int(&self, v: i64) -> Result<Self::Value, Self::Error>;
    /// An unsigned integer.
    fn uint(&self, v: u64) -> Result<Self::Value, Self::Error>;
    /// A float.
    fn float(&self, v: f64) -> Result<Self::Value, Self::Error>;
    /// A string.
    fn str(&self, v: &str) -> Result<Self::Value, Self::Error>;
    /// A timestamp.
    fn time(&self, v: DateTime<Utc>) -> Result<Self::Value, Self::Error>;
    /// A sequence.
    fn list(&self, items: Vec<Self::Value>) -> Result<Self::Value, Self::Error>;
    /// A map: its keys are data.
    fn map(&self, entries: Vec<(String, Self::Value)>) -> Result<Self::Value, Self::Error>;
    /// A struct: its keys are the Rust field names.
    fn record(&self, fields: Vec<(&'static str, Self::Value)>) -> Result<Self::Value, Self::Error>;
}

/// `value` made by `builder`.
pub fn build<B: Build, T: Serialize + ?Sized>(
    builder: &B,
    value: &T,
) -> Result<B::Value, BuildError<B::Error>> {
    value.serialize(Builder(builder))
}

/// Why a value could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError<E: std::error::Error + 'static> {
    /// The language's own failure.
    #[error(transparent)]
    Build(E),
    /// A value no language here holds (a map key that is not a string, an enum variant with
    /// fields).
    #[error("{0}")]
    Unsupported(String),
}

impl<E: std::error::Error + 'static> ser::Error for BuildError<E> {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        BuildError::Unsupported(msg.to_string())
    }
}

/// A serialized value as Rust data (the [`Build`] of tests and of bindings that want one).
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
pub fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<Tree, BuildError<Infallible>> {
    build(&TreeBuilder, value)
}

/// Builds [`Tree`]s.
#[derive(Debug)]
struct TreeBuilder;

impl Build for TreeBuilder {
    type Value = Tree;
    type Error = Infallible;
    fn null(&self) -> Result<Tree, Infallible> {
        Ok(Tree::Null)
    }
    fn bool(&self, v: bool) -> Result<Tree, Infallible> {
        Ok(Tree::Bool(v))
    }
    fn int(&self, v: i64) -> Result<Tree, Infallible> {
        Ok(Tree::Int(v))
    }
    fn uint(&self, v: u64) -> Result<Tree, Infallible> {
        Ok(Tree::UInt(v))
    }
    fn float(&self, v: f64) -> Result<Tree, Infallible> {
        Ok(Tree::Float(v))
    }
    fn str(&self, v: &str) -> Result<Tree, Infallible> {
        Ok(Tree::Str(v.into()))
    }
    fn time(&self, v: DateTime<Utc>) -> Result<Tree, Infallible> {
        Ok(Tree::Time(v))
    }
    fn list(&self, items: Vec<Tree>) -> Result<Tree, Infallible> {
        Ok(Tree::List(items))
    }
    fn map(&self, entries: Vec<(String, Tree)>) -> Result<Tree, Infallible> {
        Ok(Tree::Map(entries))
    }
    fn record(&self, fields: Vec<(&'static str, Tree)>) -> Result<Tree, Infallible> {
        Ok(Tree::Struct(fields))
    }
}

/// The serde serializer driving a [`Build`].
struct Builder<'b, B>(&'b B);

impl<B> Clone for Builder<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<B> Copy for Builder<'_, B> {}

type R<B> = Result<<B as Build>::Value, BuildError<<B as Build>::Error>>;

impl<B: Build> Builder<'_, B> {
    fn done(r: Result<B::Value, B::Error>) -> R<B> {
        r.map_err(BuildError::Build)
    }
}

impl<'b, B: Build> ser::Serializer for Builder<'b, B> {
    type Ok = B::Value;
    type Error = BuildError<B::Error>;
    type SerializeSeq = Entries<'b, B, ()>;
    type SerializeTuple = Entries<'b, B, ()>;
    type SerializeTupleStruct = Entries<'b, B, ()>;
    type SerializeTupleVariant = Impossible<B::Value, Self::Error>;
    type SerializeMap = Entries<'b, B, String>;
    type SerializeStruct = Entries<'b, B, &'static str>;
    type SerializeStructVariant = Impossible<B::Value, Self::Error>;

    fn serialize_bool(self, v: bool) -> R<B> {
        Self::done(self.0.bool(v))
    }
    fn serialize_i8(self, v: i8) -> R<B> {
        Self::done(self.0.int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> R<B> {
        Self::done(self.0.int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> R<B> {
        Self::done(self.0.int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> R<B> {
        Self::done(self.0.int(v))
    }
    fn serialize_u8(self, v: u8) -> R<B> {
        Self::done(self.0.uint(v.into()))
    }
    fn serialize_u16(self, v: u16) -> R<B> {
        Self::done(self.0.uint(v.into()))
    }
    fn serialize_u32(self, v: u32) -> R<B> {
        Self::done(self.0.uint(v.into()))
    }
    fn serialize_u64(self, v: u64) -> R<B> {
        Self::done(self.0.uint(v))
    }
    fn serialize_f32(self, v: f32) -> R<B> {
        Self::done(self.0.float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> R<B> {
        Self::done(self.0.float(v))
    }
    fn serialize_char(self, v: char) -> R<B> {
        Self::done(self.0.str(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> R<B> {
        Self::done(self.0.str(v))
    }
    /// chrono serializes a timestamp through `collect_str` (a `String` never does): read it
    /// back as one, so that it reaches the language as its date type.
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> R<B> {
        let text = value.to_string();
        Self::done(match DateTime::parse_from_rfc3339(&text) {
            Ok(t) => self.0.time(t.with_timezone(&Utc)),
            Err(_) => self.0.str(&text),
        })
    }
    fn serialize_bytes(self, v: &[u8]) -> R<B> {
        let items = v.iter().map(|b| self.0.uint((*b).into()));
        let items = items.collect::<Result<_, _>>().map_err(BuildError::Build)?;
        Self::done(self.0.list(items))
    }
    fn serialize_none(self) -> R<B> {
        Self::done(self.0.null())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<B> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<B> {
        Self::done(self.0.null())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<B> {
        Self::done(self.0.null())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<B> {
        Self::done(self.0.str(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R<B> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R<B> {
        let value = value.serialize(self)?;
        Self::done(self.0.map(vec![(variant.into(), value)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        Ok(Entries::new(self, len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Self::Error> {
        Ok(Entries::new(self, Some(len)))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        Ok(Entries::new(self, Some(len)))
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(ser::Error::custom(format!(
            "{name}: tuple variants are not supported"
        )))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Ok(Entries::new(self, len))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, Self::Error> {
        Ok(Entries::new(self, Some(len)))
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(ser::Error::custom(format!(
            "{name}: struct variants are not supported"
        )))
    }
}

/// Builds a list, a map or a struct, entry by entry.
struct Entries<'b, B: Build, K> {
    builder: Builder<'b, B>,
    entries: Vec<(K, B::Value)>,
    key: Option<K>,
}

impl<'b, B: Build, K> Entries<'b, B, K> {
    fn new(builder: Builder<'b, B>, len: Option<usize>) -> Self {
        Entries {
            builder,
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        }
    }

    fn push<T: Serialize + ?Sized>(
        &mut self,
        key: K,
        value: &T,
    ) -> Result<(), BuildError<B::Error>> {
        let value = value.serialize(self.builder)?;
        self.entries.push((key, value));
        Ok(())
    }
}

impl<B: Build> Entries<'_, B, ()> {
    fn list(self) -> R<B> {
        let items = self.entries.into_iter().map(|(_, v)| v).collect();
        Builder::<B>::done(self.builder.0.list(items))
    }
}

/// The three list-like compound serializers of serde, alike.
macro_rules! list_like {
    ($($trait:ident :: $method:ident),*) => {$(
        impl<B: Build> ser::$trait for Entries<'_, B, ()> {
            type Ok = B::Value;
            type Error = BuildError<B::Error>;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
                self.push((), value)
            }
            fn end(self) -> R<B> {
                self.list()
            }
        }
    )*};
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

/// A map key as text: serde hands strings (and chrono timestamps) to `serialize_key`.
struct KeyText;

impl Build for KeyText {
    type Value = String;
    type Error = Infallible;
    fn null(&self) -> Result<String, Infallible> {
        Ok("null".into())
    }
    fn bool(&self, v: bool) -> Result<String, Infallible> {
        Ok(v.to_string())
    }
    fn int(&self, v: i64) -> Result<String, Infallible> {
        Ok(v.to_string())
    }
    fn uint(&self, v: u64) -> Result<String, Infallible> {
        Ok(v.to_string())
    }
    fn float(&self, v: f64) -> Result<String, Infallible> {
        Ok(v.to_string())
    }
    fn str(&self, v: &str) -> Result<String, Infallible> {
        Ok(v.into())
    }
    fn time(&self, v: DateTime<Utc>) -> Result<String, Infallible> {
        Ok(v.to_rfc3339())
    }
    fn list(&self, _: Vec<String>) -> Result<String, Infallible> {
        Ok(String::new())
    }
    fn map(&self, _: Vec<(String, String)>) -> Result<String, Infallible> {
        Ok(String::new())
    }
    fn record(&self, _: Vec<(&'static str, String)>) -> Result<String, Infallible> {
        Ok(String::new())
    }
}

impl<B: Build> ser::SerializeMap for Entries<'_, B, String> {
    type Ok = B::Value;
    type Error = BuildError<B::Error>;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        self.key = Some(build(&KeyText, key).map_err(|e| BuildError::Unsupported(e.to_string()))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        let key = self.key.take().expect("serde calls serialize_key first");
        self.push(key, value)
    }
    fn end(self) -> R<B> {
        Builder::<B>::done(self.builder.0.map(self.entries))
    }
}

impl<B: Build> ser::SerializeStruct for Entries<'_, B, &'static str> {
    type Ok = B::Value;
    type Error = BuildError<B::Error>;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        self.push(key, value)
    }
    fn end(self) -> R<B> {
        Builder::<B>::done(self.builder.0.record(self.entries))
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
