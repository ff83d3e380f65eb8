//! Audit reports and their diff cross to JS as JS values built from the core's serde types
//! (`scaleway_partner::tree`): struct fields camelCased here, the one place; timestamps as
//! `Date`s; the keys of count maps (data: statuses, reasons, months) kept as they are. A
//! report's organizations are `Organization`s, as everywhere else. Reports come back (for the
//! core's diff and lock plans) as JS objects in the core's spelling, never as JSON text.

use napi::bindgen_prelude::*;
use scaleway_partner as core;
use scaleway_partner::tree::{Tree, to_tree};
use serde::Serialize;

use crate::convert::{Organization, camel};

/// A core value (a report, a diff) for JavaScript.
#[derive(Debug)]
pub struct Js(Tree);

impl Js {
    pub fn of(value: &impl Serialize) -> Js {
        Js(to_tree(value).expect("strings, numbers and timestamps always serialize"))
    }
}

/// A report for JavaScript: its values and its organizations.
#[derive(Debug)]
pub struct Report(pub core::AuditReport);

impl TypeName for Js {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for Js {
    unsafe fn to_napi_value(raw: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(raw);
        // SAFETY: each value is made in the caller's environment, as given.
        unsafe {
            match value.0 {
                Tree::Null => Null::to_napi_value(raw, Null),
                Tree::Bool(b) => bool::to_napi_value(raw, b),
                Tree::Int(i) => f64::to_napi_value(raw, i as f64),
                Tree::UInt(u) => f64::to_napi_value(raw, u as f64),
                Tree::Float(f) => f64::to_napi_value(raw, f),
                Tree::Str(s) => String::to_napi_value(raw, s),
                Tree::Time(t) => chrono::DateTime::<chrono::Utc>::to_napi_value(raw, t),
                Tree::List(items) => {
                    Vec::<Js>::to_napi_value(raw, items.into_iter().map(Js).collect())
                }
                Tree::Map(entries) => Object::to_napi_value(raw, object(&env, entries, |k| k)?),
                Tree::Struct(fields) => Object::to_napi_value(raw, object(&env, fields, camel)?),
            }
        }
    }
}

/// An object of the entries, their keys spelt by `spell`.
fn object<'env, K>(
    env: &'env Env,
    entries: Vec<(K, Tree)>,
    spell: impl Fn(K) -> String,
) -> napi::Result<Object<'env>> {
    let mut obj = Object::new(env)?;
    for (k, v) in entries {
        obj.set(spell(k), Js(v))?;
    }
    Ok(obj)
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
    unsafe fn to_napi_value(raw: sys::napi_env, report: Self) -> napi::Result<sys::napi_value> {
        let mut report = report.0;
        let organizations = std::mem::take(&mut report.organizations);
        let Js(Tree::Struct(fields)) = Js::of(&report) else {
            unreachable!("a report is a struct");
        };
        drop(report);
        let env = Env::from_raw(raw);
        let mut obj = object(&env, fields, camel)?;
        obj.set(
            "organizations",
            organizations
                .into_iter()
                .map(Organization)
                .collect::<Vec<_>>(),
        )?;
        // SAFETY: `obj` was made in this call's environment.
        unsafe { Object::to_napi_value(raw, obj) }
    }
}

/// A report coming back from JavaScript (in the core's spelling) as a JSON value, however large:
/// napi's own conversion stops at a million values, fewer than a report of 100,000
/// organizations holds.
#[derive(Debug)]
pub struct JsonIn(pub serde_json::Value);

impl TypeName for JsonIn {
    fn type_name() -> &'static str {
        "object"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl FromNapiValue for JsonIn {
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: the caller's environment and value, as given.
        unsafe { json_of(env, value, MAX_DEPTH) }.map(JsonIn)
    }
}

/// As serde_json's own limit: a cyclic value fails instead of overflowing the stack.
const MAX_DEPTH: u32 = 128;

unsafe fn json_of(
    env: sys::napi_env,
    value: sys::napi_value,
    depth: u32,
) -> napi::Result<serde_json::Value> {
    use serde_json::Value;
    let mut kind = 0;
    // SAFETY (every call below): `env` and the values handed by napi in this call.
    napi::check_status!(unsafe { sys::napi_typeof(env, value, &mut kind) })?;
    Ok(match ValueType::from(kind) {
        ValueType::Null | ValueType::Undefined => Value::Null,
        ValueType::Boolean => Value::Bool(unsafe { bool::from_napi_value(env, value)? }),
        ValueType::Number => {
            Value::Number(unsafe { serde_json::Number::from_napi_value(env, value)? })
        }
        ValueType::String => Value::String(unsafe { String::from_napi_value(env, value)? }),
        ValueType::Object if depth > 0 => {
            let mut is_array = false;
            napi::check_status!(unsafe { sys::napi_is_array(env, value, &mut is_array) })?;
            let (keys, len) = if is_array {
                (None, array_length(env, value)?)
            } else {
                let mut keys = std::ptr::null_mut();
                napi::check_status!(unsafe {
                    sys::napi_get_property_names(env, value, &mut keys)
                })?;
                (Some(keys), array_length(env, keys)?)
            };
            let mut items = Vec::with_capacity(len as usize);
            let mut map = serde_json::Map::new();
            for i in 0..len {
                let mut item = std::ptr::null_mut();
                match keys {
                    None => {
                        napi::check_status!(unsafe {
                            sys::napi_get_element(env, value, i, &mut item)
                        })?;
                        items.push(unsafe { json_of(env, item, depth - 1)? });
                    }
                    Some(keys) => {
                        let mut key = std::ptr::null_mut();
                        napi::check_status!(unsafe {
                            sys::napi_get_element(env, keys, i, &mut key)
                        })?;
                        napi::check_status!(unsafe {
                            sys::napi_get_property(env, value, key, &mut item)
                        })?;
                        let key = unsafe { String::from_napi_value(env, key)? };
                        map.insert(key, unsafe { json_of(env, item, depth - 1)? });
                    }
                }
            }
            if is_array {
                Value::Array(items)
            } else {
                Value::Object(map)
            }
        }
        ValueType::Object => {
            return Err(napi::Error::new(
                Status::InvalidArg,
                "a report nests no deeper than this: is it cyclic?",
            ));
        }
        other => {
            return Err(napi::Error::new(
                Status::InvalidArg,
                format!("a report holds no {other} value"),
            ));
        }
    })
}

fn array_length(env: sys::napi_env, array: sys::napi_value) -> napi::Result<u32> {
    let mut len = 0;
    // SAFETY: `env` and an array handed by napi in this call.
    napi::check_status!(unsafe { sys::napi_get_array_length(env, array, &mut len) })?;
    Ok(len)
}

/// What changed from `previous` to `report` (exported by `crate::diff_audits`).
pub fn diff_audits(report: JsonIn, previous: JsonIn) -> core::Result<Js> {
    let report = core::AuditReport::from_value(report.0)?;
    let previous = core::AuditReport::from_value(previous.0)?;
    Ok(Js::of(&report.diff(&previous)?))
}

/// The plan locking or unlocking the organizations of `report` picked by ID (exported by
/// `crate::plan_locks`).
pub fn plan_locks(report: JsonIn, ids: &[String], lock: bool) -> core::Result<String> {
    core::AuditReport::from_value(report.0)
        .and_then(|report| report.plan_locks(ids, lock))
        .map(|plan| plan.to_json())
}
