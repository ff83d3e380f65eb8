//! Option and request objects declared together with the list of their keys and the JavaScript
//! type of each, so that the JS layer can refuse a key it does not know (a typo that would
//! otherwise be ignored) or a value of the wrong type, naming it, without a second list of the
//! fields to keep in step (and without reading napi's conversion messages).

use std::collections::HashMap;

use napi::Status;
use napi::bindgen_prelude::{FromNapiValue, JsValuesTupleIntoVec};
use napi::threadsafe_function::ThreadsafeFunction;

/// The fields of an object argument, as written in Rust (the JS layer camelCases them).
pub trait Keys {
    /// Every field with the JavaScript type of its value (`typeof`'s word, or `array`), in
    /// declaration order.
    const KEYS: &'static [(&'static str, &'static str)];
}

/// The JavaScript type a field's Rust type converts from, as `typeof` names it.
pub trait JsType {
    const JS_TYPE: &'static str;
}

impl JsType for String {
    const JS_TYPE: &'static str = "string";
}

impl JsType for f64 {
    const JS_TYPE: &'static str = "number";
}

impl JsType for bool {
    const JS_TYPE: &'static str = "boolean";
}

impl<K, V> JsType for HashMap<K, V> {
    const JS_TYPE: &'static str = "object";
}

impl<
    T: 'static,
    Return: 'static + FromNapiValue,
    Args: 'static + JsValuesTupleIntoVec,
    E: AsRef<str> + From<Status>,
    const CALLEE_HANDLED: bool,
    const WEAK: bool,
    const MAX_QUEUE_SIZE: usize,
> JsType for ThreadsafeFunction<T, Return, Args, E, CALLEE_HANDLED, WEAK, MAX_QUEUE_SIZE>
{
    const JS_TYPE: &'static str = "function";
}

/// A `#[napi(object)]` struct (JS to Rust only) whose fields are all optional, and its [`Keys`].
/// With `=> core::Request`, also its `From` into that core request, field for field: a field
/// added to the core request is then added here, and only here, in this binding.
macro_rules! js_object {
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:ident),*)]
        pub struct $name:ident => $target:path {
            $($(#[doc = $field_doc:literal])* $(#[napi(ts_type = $ts:literal)])? pub $field:ident: Option<$ty:ty>,)*
        }
    ) => {
        $crate::keys::js_object! {
            $(#[doc = $doc])*
            #[derive($($derive),*)]
            pub struct $name {
                $($(#[doc = $field_doc])* $(#[napi(ts_type = $ts)])? pub $field: Option<$ty>,)*
            }
        }

        impl From<$name> for $target {
            fn from(input: $name) -> Self {
                let mut request = <$target>::new();
                $(request.$field = input.$field;)*
                request
            }
        }
    };
    // Docs (and a field's TypeScript type) as `literal` fragments and `Option` spelled out:
    // napi-rs reads them from the tokens (as `meta` and `ty` fragments they would reach it opaque).
    (
        $(#[doc = $doc:literal])*
        #[derive($($derive:ident),*)]
        pub struct $name:ident {
            $($(#[doc = $field_doc:literal])* $(#[napi(ts_type = $ts:literal)])? pub $field:ident: Option<$ty:ty>,)*
        }
    ) => {
        $(#[doc = $doc])*
        #[napi_derive::napi(object, object_to_js = false)]
        #[derive($($derive),*)]
        pub struct $name {
            $($(#[doc = $field_doc])* $(#[napi(ts_type = $ts)])? pub $field: Option<$ty>,)*
        }

        impl $crate::keys::Keys for $name {
            const KEYS: &'static [(&'static str, &'static str)] =
                &[$((stringify!($field), <$ty as $crate::keys::JsType>::JS_TYPE)),*];
        }
    };
}
pub(crate) use js_object;

/// A field of an object argument and the JavaScript type of its value.
#[napi_derive::napi(object, object_from_js = false)]
#[derive(Debug)]
pub struct ObjectField {
    pub key: String,
    /// `typeof`'s word for it (`string`, `number`, `boolean`, `object`, `function`).
    pub js_type: String,
}

/// The fields of each object argument declared with `js_object!`, by its TypeScript name.
pub fn object_keys() -> HashMap<String, Vec<ObjectField>> {
    fn entry<T: Keys>(name: &str) -> (String, Vec<ObjectField>) {
        let fields = T::KEYS.iter().map(|(key, js_type)| ObjectField {
            key: (*key).to_owned(),
            js_type: (*js_type).to_owned(),
        });
        (name.to_owned(), fields.collect())
    }
    use crate::requests::*;
    HashMap::from([
        entry::<crate::client::ClientOptions>("ClientOptions"),
        entry::<CreateOrganizationInput>("CreateOrganizationInput"),
        entry::<UpdateOrganizationInput>("UpdateOrganizationInput"),
        entry::<RequestAdminRoleInput>("RequestAdminRoleInput"),
        entry::<ListOrganizationsInput>("ListOrganizationsInput"),
    ])
}
