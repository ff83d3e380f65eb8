//! Option and request objects declared together with the list of their keys, so that the JS
//! layer can refuse a key it does not know (a typo that would otherwise be ignored) without a
//! second list of the fields to keep in step.

use std::collections::HashMap;

/// The fields of an object argument, as written in Rust (the JS layer camelCases them).
pub trait Keys {
    /// Every field, in declaration order.
    const KEYS: &'static [&'static str];
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
            const KEYS: &'static [&'static str] = &[$(stringify!($field)),*];
        }
    };
}
pub(crate) use js_object;

/// The keys of each object argument declared with `js_object!`, by its TypeScript name.
pub fn object_keys() -> HashMap<String, Vec<String>> {
    fn entry<T: Keys>(name: &str) -> (String, Vec<String>) {
        (
            name.to_owned(),
            T::KEYS.iter().map(|k| (*k).to_owned()).collect(),
        )
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
