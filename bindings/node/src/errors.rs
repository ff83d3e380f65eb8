//! Core errors to JavaScript as typed values, made on the JS thread: an `Error` with the kind's
//! `code`, its class by the core's rule (`className`), its message, and the attributes of its
//! kind in the core's error table (`attributes`, under the table's names). A rejection is that
//! value itself ([`Outcome`]); the package's JS layer (`lib/errors.js`) makes the class instance
//! from it in one place.

use std::ptr;

use napi::bindgen_prelude::*;
use scaleway_partner::{AttributeValue, Error};

use crate::convert::{Organization, UndecodableOrganization, camel};

/// A core error that crosses to JavaScript as a value (a bulk item's, an interruption's).
#[derive(Debug)]
pub struct NativeError(pub Error);

impl TypeName for NativeError {
    fn type_name() -> &'static str {
        "NativeError"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for NativeError {
    unsafe fn to_napi_value(env: sys::napi_env, err: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(env);
        // SAFETY: made in this call's environment.
        unsafe { Object::to_napi_value(env.raw(), error_object(&env, &err.0)?) }
    }
}

/// The result of an asynchronous call: its value, or its rejection with the error's typed value.
#[derive(Debug)]
pub struct Outcome<T>(pub std::result::Result<T, Error>);

impl<T> From<std::result::Result<T, Error>> for Outcome<T> {
    fn from(r: std::result::Result<T, Error>) -> Self {
        Outcome(r)
    }
}

impl<T: TypeName> TypeName for Outcome<T> {
    fn type_name() -> &'static str {
        T::type_name()
    }

    fn value_type() -> ValueType {
        T::value_type()
    }
}

impl<T: ToNapiValue> ToNapiValue for Outcome<T> {
    unsafe fn to_napi_value(env: sys::napi_env, outcome: Self) -> napi::Result<sys::napi_value> {
        match outcome.0 {
            // SAFETY: the caller's environment, as given.
            Ok(value) => unsafe { T::to_napi_value(env, value) },
            // An error holding the JS value: napi rejects (or throws) with that value itself;
            // for a call a progress callback stopped, what the callback threw.
            Err(e) => {
                Err(crate::progress::thrown(&e)
                    .unwrap_or_else(|| js_error(&Env::from_raw(env), &e)))
            }
        }
    }
}

/// A core error as a napi error holding its typed JS value, for a synchronous call to throw.
pub fn js_error(env: &Env, e: &Error) -> napi::Error {
    match error_object(env, e).and_then(|obj| obj.into_unknown(env)) {
        Ok(value) => napi::Error::from(value),
        Err(failure) => failure,
    }
}

/// The JS `Error` of a core error: `code`, `className`, `message`, `systemCode` (a transport
/// failure as the system names it) and `attributes`.
fn error_object<'e>(env: &'e Env, e: &Error) -> napi::Result<Object<'e>> {
    let raw = env.raw();
    let mut value = ptr::null_mut();
    // SAFETY: `raw` is the live environment of this thread; the strings are made in it.
    let mut obj = unsafe {
        let code = <&str>::to_napi_value(raw, e.kind().as_str())?;
        let message = String::to_napi_value(raw, crate::names::message(e))?;
        check_status!(sys::napi_create_error(raw, code, message, &mut value))?;
        Object::from_napi_value(raw, value)?
    };
    let class = scaleway_partner::class_for_code(e.kind().as_str(), e.status_code());
    obj.set("className", class)?;
    obj.set("systemCode", e.system_code())?;
    let mut attributes = Object::new(env)?;
    for (name, value) in e.attributes() {
        set_attribute(env, &mut attributes, name, value)?;
    }
    obj.set("attributes", attributes)?;
    Ok(obj)
}

fn set_attribute(
    env: &Env,
    attributes: &mut Object<'_>,
    name: &str,
    value: AttributeValue<'_>,
) -> napi::Result<()> {
    match value {
        // Counts stay far below 2^53, where a JS number is exact.
        AttributeValue::Count(n) => attributes.set(name, n.map(|n| n as f64)),
        AttributeValue::Text(t) => attributes.set(name, t),
        AttributeValue::Duration(d) => attributes.set(name, d.map(millis)),
        AttributeValue::TextList(list) => attributes.set(name, list.map(<[String]>::to_vec)),
        AttributeValue::Details(details) => {
            attributes.set(name, details.and_then(|d| d.list_json()).map(camel_keys))
        }
        AttributeValue::Undecodable(records) => attributes.set(
            name,
            records.map(|r| {
                r.iter()
                    .cloned()
                    .map(UndecodableOrganization::from)
                    .collect::<Vec<_>>()
            }),
        ),
        AttributeValue::Organizations(orgs) => attributes.set(
            name,
            orgs.map(|o| o.iter().cloned().map(Organization).collect::<Vec<_>>()),
        ),
        AttributeValue::Cause(Some(cause)) => attributes.set(name, error_object(env, cause)?),
        _ => attributes.set(name, Null),
    }
}

/// The objects of a details list with their keys as JavaScript spells them (`argumentName`).
fn camel_keys(list: serde_json::Value) -> serde_json::Value {
    match list {
        serde_json::Value::Array(items) => items.into_iter().map(camel_keys).collect(),
        serde_json::Value::Object(map) => map.into_iter().map(|(k, v)| (camel(&k), v)).collect(),
        other => other,
    }
}

/// A duration as JS counts them: milliseconds, to the microsecond (`500.839`, not
/// `500.83903699999996`).
pub fn millis(d: std::time::Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

/// A wrong JS argument (type or range) that the core cannot see: a `TypeError` on the JS side.
pub fn invalid_arg(message: impl Into<String>) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, message.into())
}

/// Shorthand for `.map_err(|e| js_error(env, &e))`, in synchronous calls.
pub trait Throw<T> {
    fn throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> Throw<T> for std::result::Result<T, Error> {
    fn throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| js_error(env, &e))
    }
}
