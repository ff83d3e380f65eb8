//! Audit reports and their diff cross to JS as JS values built bottom-up from the core's serde
//! types (`scaleway_partner::tree::Build`), with no Rust copy of the report: struct fields
//! camelCased here, the one place; timestamps as `Date`s; the keys of count maps (data:
//! statuses, reasons, months) kept as they are. A report's organizations are `Organization`s,
//! as everywhere else. Reports come back (for the core's diff and lock plans) read by the core's
//! serde types through a deserializer over the JS values: serde says which keys are struct
//! fields (their camelCase spelling matched back) and which are data (kept), and no JSON copy
//! is made (napi's own serde_json conversion also stops at a million values, fewer than a
//! report of 100,000 organizations holds).

use std::cell::RefCell;
use std::collections::HashMap;

use napi::bindgen_prelude::*;
use scaleway_partner as core;
use scaleway_partner::tree::{Build, BuildError, build};
use serde::Serialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::convert::{Organization, camel, js_names};

/// A core value (a diff) for JavaScript.
#[derive(Debug)]
pub struct Js<T>(pub T);

/// A report for JavaScript: its values and its organizations.
#[derive(Debug)]
pub struct Report(pub core::AuditReport);

impl<T> TypeName for Js<T> {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl<T: Serialize> ToNapiValue for Js<T> {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        js(env, &value.0)
    }
}

/// `value` as JS values, made in `env`.
fn js(env: sys::napi_env, value: &impl Serialize) -> napi::Result<sys::napi_value> {
    let builder = Builder {
        env,
        keys: RefCell::default(),
    };
    build(&builder, value).map_err(|e| match e {
        BuildError::Build(e) => e,
        e => napi::Error::new(Status::GenericFailure, e.to_string()),
    })
}

/// Makes JS values, each struct field's camelCase key once (a report holds an object per
/// finding).
struct Builder {
    env: sys::napi_env,
    keys: RefCell<HashMap<&'static str, sys::napi_value>>,
}

impl Builder {
    /// The value written by `make`, a napi call in this builder's environment.
    fn make(
        &self,
        make: impl FnOnce(*mut sys::napi_value) -> sys::napi_status,
    ) -> napi::Result<sys::napi_value> {
        let mut out = std::ptr::null_mut();
        napi::check_status!(make(&mut out))?;
        Ok(out)
    }

    fn object(
        &self,
        entries: impl IntoIterator<Item = napi::Result<(sys::napi_value, sys::napi_value)>>,
    ) -> napi::Result<sys::napi_value> {
        // SAFETY (every napi call of this builder): its environment, the caller's, and values
        // made in it during this call.
        let obj = self.make(|out| unsafe { sys::napi_create_object(self.env, out) })?;
        for entry in entries {
            let (key, value) = entry?;
            napi::check_status!(unsafe { sys::napi_set_property(self.env, obj, key, value) })?;
        }
        Ok(obj)
    }

    fn key(&self, field: &'static str) -> napi::Result<sys::napi_value> {
        if let Some(key) = self.keys.borrow().get(field) {
            return Ok(*key);
        }
        let key = self.str(&camel(field))?;
        self.keys.borrow_mut().insert(field, key);
        Ok(key)
    }
}

impl Build for Builder {
    type Value = sys::napi_value;
    type Error = napi::Error;

    fn null(&self) -> napi::Result<sys::napi_value> {
        self.make(|out| unsafe { sys::napi_get_null(self.env, out) })
    }
    fn bool(&self, v: bool) -> napi::Result<sys::napi_value> {
        self.make(|out| unsafe { sys::napi_get_boolean(self.env, v, out) })
    }
    fn int(&self, v: i64) -> napi::Result<sys::napi_value> {
        self.float(v as f64)
    }
    fn uint(&self, v: u64) -> napi::Result<sys::napi_value> {
        self.float(v as f64)
    }
    fn float(&self, v: f64) -> napi::Result<sys::napi_value> {
        self.make(|out| unsafe { sys::napi_create_double(self.env, v, out) })
    }
    fn str(&self, v: &str) -> napi::Result<sys::napi_value> {
        self.make(|out| unsafe {
            sys::napi_create_string_utf8(self.env, v.as_ptr().cast(), v.len() as isize, out)
        })
    }
    fn time(&self, v: chrono::DateTime<chrono::Utc>) -> napi::Result<sys::napi_value> {
        let millis = v.timestamp_millis() as f64;
        self.make(|out| unsafe { sys::napi_create_date(self.env, millis, out) })
    }
    fn list(&self, items: Vec<sys::napi_value>) -> napi::Result<sys::napi_value> {
        let list = self.make(|out| unsafe {
            sys::napi_create_array_with_length(self.env, items.len(), out)
        })?;
        for (i, item) in items.into_iter().enumerate() {
            napi::check_status!(unsafe { sys::napi_set_element(self.env, list, i as u32, item) })?;
        }
        Ok(list)
    }
    fn map(&self, entries: Vec<(String, sys::napi_value)>) -> napi::Result<sys::napi_value> {
        self.object(entries.into_iter().map(|(k, v)| Ok((self.str(&k)?, v))))
    }
    fn record(
        &self,
        fields: Vec<(&'static str, sys::napi_value)>,
    ) -> napi::Result<sys::napi_value> {
        self.object(fields.into_iter().map(|(k, v)| Ok((self.key(k)?, v))))
    }
}

impl TypeName for Report {
    fn type_name() -> &'static str {
        "NativeAuditReport"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Report {
    unsafe fn to_napi_value(env: sys::napi_env, report: Self) -> napi::Result<sys::napi_value> {
        let mut report = report.0;
        let organizations = std::mem::take(&mut report.organizations);
        let obj = js(env, &report)?;
        drop(report);
        let organizations: Vec<_> = organizations.into_iter().map(Organization).collect();
        // SAFETY: `env` as given, `obj` made in it.
        unsafe {
            let organizations = Vec::to_napi_value(env, organizations)?;
            napi::check_status!(sys::napi_set_named_property(
                env,
                obj,
                c"organizations".as_ptr(),
                organizations
            ))?;
        }
        Ok(obj)
    }
}

/// A report coming back from JavaScript (a result of `client.audit()`), read by the core when
/// it is used: a handle on the JS value, valid for the call.
#[derive(Debug)]
pub struct ReportIn {
    env: sys::napi_env,
    value: sys::napi_value,
}

impl TypeName for ReportIn {
    fn type_name() -> &'static str {
        "AuditReport"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl FromNapiValue for ReportIn {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        Ok(ReportIn { env, value })
    }
}

impl ReportIn {
    fn read(&self) -> core::Result<core::AuditReport> {
        let names = Names::default();
        core::AuditReport::from_deserializer(JsDe {
            env: self.env,
            names: &names,
            value: self.value,
            depth: MAX_DEPTH,
            kind: Kind::Report,
        })
    }
}

/// As serde_json's own limit: a cyclic value fails instead of overflowing the stack.
const MAX_DEPTH: u32 = 128;

/// The camelCase names of each struct's fields (by its field list), made once per read.
type Names = RefCell<HashMap<usize, Vec<String>>>;

/// What a JS value is read as: most values as serde asks, a report's organizations as
/// `Organization`s (fields in JS spelling, the others in `extra`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Report,
    Organizations,
    Organization,
    Any,
}

/// A serde deserializer over one JS value.
#[derive(Clone, Copy)]
struct JsDe<'a> {
    env: sys::napi_env,
    names: &'a Names,
    value: sys::napi_value,
    depth: u32,
    kind: Kind,
}

impl<'a> JsDe<'a> {
    /// The deserializer of `value`, one level down.
    fn child(&self, value: sys::napi_value, kind: Kind) -> JsDe<'a> {
        JsDe {
            value,
            kind,
            depth: self.depth - 1,
            ..*self
        }
    }

    fn get(
        &self,
        read: impl FnOnce(*mut sys::napi_value) -> sys::napi_status,
    ) -> napi::Result<sys::napi_value> {
        let mut out = std::ptr::null_mut();
        napi::check_status!(read(&mut out))?;
        Ok(out)
    }

    // SAFETY (every napi call of this deserializer): the caller's environment and values handed
    // by napi during this call.
    fn type_of(&self) -> napi::Result<ValueType> {
        let mut kind = 0;
        napi::check_status!(unsafe { sys::napi_typeof(self.env, self.value, &mut kind) })?;
        Ok(ValueType::from(kind))
    }

    fn is(
        &self,
        test: unsafe extern "C" fn(sys::napi_env, sys::napi_value, *mut bool) -> sys::napi_status,
    ) -> napi::Result<bool> {
        let mut out = false;
        napi::check_status!(unsafe { test(self.env, self.value, &mut out) })?;
        Ok(out)
    }

    fn length(&self, array: sys::napi_value) -> napi::Result<u32> {
        let mut len = 0;
        napi::check_status!(unsafe { sys::napi_get_array_length(self.env, array, &mut len) })?;
        Ok(len)
    }

    fn element(&self, array: sys::napi_value, i: u32) -> napi::Result<sys::napi_value> {
        self.get(|out| unsafe { sys::napi_get_element(self.env, array, i, out) })
    }

    fn property(&self, key: sys::napi_value) -> napi::Result<sys::napi_value> {
        self.get(|out| unsafe { sys::napi_get_property(self.env, self.value, key, out) })
    }

    fn named(&self, name: &str) -> napi::Result<sys::napi_value> {
        let key = self.get(|out| unsafe {
            sys::napi_create_string_utf8(self.env, name.as_ptr().cast(), name.len() as isize, out)
        })?;
        self.property(key)
    }

    /// The object's entries; `fields`: its struct's fields, whose camelCase keys are read back
    /// as the field names (a map's keys, data, stay as they are).
    fn entries(&self, fields: &'static [&'static str]) -> napi::Result<Entries<'a>> {
        let keys =
            self.get(|out| unsafe { sys::napi_get_property_names(self.env, self.value, out) })?;
        Ok(Entries {
            object: *self,
            fields,
            keys,
            len: self.length(keys)?,
            next: 0,
            value: None,
        })
    }

    fn nested(&self) -> napi::Result<()> {
        if self.depth == 0 {
            return Err(napi::Error::new(
                Status::InvalidArg,
                "a report nests no deeper than this: is it cyclic?",
            ));
        }
        Ok(())
    }
}

impl<'de> de::Deserializer<'de> for JsDe<'_> {
    type Error = napi::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> napi::Result<V::Value> {
        match self.type_of()? {
            ValueType::Null | ValueType::Undefined => visitor.visit_unit(),
            ValueType::Boolean => {
                visitor.visit_bool(unsafe { bool::from_napi_value(self.env, self.value)? })
            }
            ValueType::Number => {
                let mut n = 0.0;
                napi::check_status!(unsafe {
                    sys::napi_get_value_double(self.env, self.value, &mut n)
                })?;
                // Integers as integers, as JSON reads them: counts are u64s.
                if n.fract() == 0.0 && n >= 0.0 && n < u64::MAX as f64 {
                    visitor.visit_u64(n as u64)
                } else if n.fract() == 0.0 && n < 0.0 && n >= i64::MIN as f64 {
                    visitor.visit_i64(n as i64)
                } else {
                    visitor.visit_f64(n)
                }
            }
            ValueType::String => {
                visitor.visit_string(unsafe { String::from_napi_value(self.env, self.value)? })
            }
            ValueType::Object if self.is(sys::napi_is_date)? => {
                let mut millis = 0.0;
                napi::check_status!(unsafe {
                    sys::napi_get_date_value(self.env, self.value, &mut millis)
                })?;
                let time = chrono::DateTime::from_timestamp_millis(millis as i64)
                    .ok_or_else(|| <napi::Error as de::Error>::custom("an invalid Date"))?;
                visitor.visit_string(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
            ValueType::Object => {
                self.nested()?;
                if self.is(sys::napi_is_array)? {
                    let kind = match self.kind {
                        Kind::Organizations => Kind::Organization,
                        _ => Kind::Any,
                    };
                    visitor.visit_seq(Items {
                        array: self,
                        kind,
                        len: self.length(self.value)?,
                        next: 0,
                    })
                } else if self.kind == Kind::Organization {
                    visitor.visit_map(OrganizationFields {
                        object: self,
                        next: 0,
                        extra: None,
                        value: None,
                    })
                } else {
                    visitor.visit_map(self.entries(&[])?)
                }
            }
            other => Err(de::Error::custom(format!(
                "a report holds no {other} value"
            ))),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> napi::Result<V::Value> {
        match self.type_of()? {
            ValueType::Null | ValueType::Undefined => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> napi::Result<V::Value> {
        if self.type_of()? == ValueType::Object
            && !self.is(sys::napi_is_array)?
            && !self.is(sys::napi_is_date)?
        {
            self.nested()?;
            visitor.visit_map(self.entries(fields)?)
        } else {
            self.deserialize_any(visitor)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> napi::Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> napi::Result<V::Value> {
        let variant = unsafe { String::from_napi_value(self.env, self.value)? };
        visitor.visit_enum(variant.into_deserializer())
    }

    /// A value serde skips is not read at all.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> napi::Result<V::Value> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map identifier
    }
}

/// An array's items, read one by one.
struct Items<'a> {
    array: JsDe<'a>,
    kind: Kind,
    len: u32,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items<'_> {
    type Error = napi::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> napi::Result<Option<T::Value>> {
        if self.next == self.len {
            return Ok(None);
        }
        let item = self.array.element(self.array.value, self.next)?;
        self.next += 1;
        seed.deserialize(self.array.child(item, self.kind))
            .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some((self.len - self.next) as usize)
    }
}

/// An object's entries, read one by one.
struct Entries<'a> {
    object: JsDe<'a>,
    fields: &'static [&'static str],
    keys: sys::napi_value,
    len: u32,
    next: u32,
    value: Option<JsDe<'a>>,
}

impl<'de> de::MapAccess<'de> for Entries<'_> {
    type Error = napi::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> napi::Result<Option<K::Value>> {
        if self.next == self.len {
            return Ok(None);
        }
        let key = self.object.element(self.keys, self.next)?;
        self.next += 1;
        let value = self.object.property(key)?;
        let key = unsafe { String::from_napi_value(self.object.env, key)? };
        let mut names = self.object.names.borrow_mut();
        let spelt = names
            .entry(self.fields.as_ptr() as usize)
            .or_insert_with(|| self.fields.iter().map(|f| camel(f)).collect());
        let field = spelt.iter().position(|s| *s == key).map(|i| self.fields[i]);
        let kind = match (self.object.kind, field) {
            (Kind::Report, Some("organizations")) => Kind::Organizations,
            _ => Kind::Any,
        };
        drop(names);
        self.value = Some(self.object.child(value, kind));
        match field {
            Some(field) => seed.deserialize(field.into_deserializer()),
            None => seed.deserialize(key.into_deserializer()),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> napi::Result<V::Value> {
        seed.deserialize(self.value.take().expect("serde reads a key first"))
    }
}

/// An `Organization`'s fields as the core spells them: those it declares (camelCase in JS),
/// then those of its `extra` (as the API spelt them).
struct OrganizationFields<'a> {
    object: JsDe<'a>,
    next: usize,
    extra: Option<Entries<'a>>,
    value: Option<JsDe<'a>>,
}

impl<'de> de::MapAccess<'de> for OrganizationFields<'_> {
    type Error = napi::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> napi::Result<Option<K::Value>> {
        let fields = core::Organization::FIELDS;
        if let Some(field) = fields.get(self.next) {
            let value = self.object.named(&js_names()[self.next])?;
            self.next += 1;
            self.value = Some(self.object.child(value, Kind::Any));
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        if self.extra.is_none() {
            let extra = self.object.child(self.object.named("extra")?, Kind::Any);
            if extra.type_of()? != ValueType::Object {
                return Ok(None);
            }
            self.extra = Some(extra.entries(&[])?);
        }
        let extra = self.extra.as_mut().expect("set above");
        extra.next_key_seed(seed)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> napi::Result<V::Value> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => {
                de::MapAccess::next_value_seed(self.extra.as_mut().expect("read after a key"), seed)
            }
        }
    }
}

/// What changed from `previous` to `report` (exported by `crate::diff_audits`).
pub fn diff_audits(report: ReportIn, previous: ReportIn) -> core::Result<Js<core::AuditDiff>> {
    let (report, previous) = (report.read()?, previous.read()?);
    Ok(Js(report.diff(&previous)?))
}

/// The plan locking or unlocking the organizations of `report` picked by ID (exported by
/// `crate::plan_locks`).
pub fn plan_locks(report: ReportIn, ids: &[String], lock: bool) -> core::Result<String> {
    report
        .read()
        .and_then(|report| report.plan_locks(ids, lock))
        .map(|plan| plan.to_json())
}
