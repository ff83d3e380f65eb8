//! Values from the core to JavaScript: organizations, pages and progress (request objects in
//! are in requests.rs).

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use scaleway_partner as core;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// An organization as Node sees it (`Organization` of index.d.ts): the core's fields camelCased,
/// `null` for unset values, `Date`s for timestamps, and the fields the API added in `extra`.
/// Built field by field from [`core::Organization::fields`], so that it names none of them.
#[derive(Debug)]
pub struct Organization(pub core::Organization);

impl From<core::Organization> for Organization {
    fn from(o: core::Organization) -> Self {
        Organization(o)
    }
}

/// The core's field names as JavaScript spells them, computed once.
pub fn js_names() -> &'static [String; core::Organization::FIELDS.len()] {
    static NAMES: OnceLock<[String; core::Organization::FIELDS.len()]> = OnceLock::new();
    NAMES.get_or_init(|| core::Organization::FIELDS.map(camel))
}

/// `snake_case` as `camelCase`.
pub fn camel(name: &str) -> String {
    let mut parts = name.split('_');
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        let mut chars = part.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(chars.as_str());
    }
    out
}

/// A field's value for JavaScript; a timestamp in milliseconds since the epoch, as `Date` holds.
enum JsValue<'a> {
    Text(Option<&'a str>),
    Time(Option<DateTime<Utc>>),
}

fn js_value(value: core::FieldValue<'_>) -> JsValue<'_> {
    match value {
        core::FieldValue::Text { value, .. } => JsValue::Text(Some(value)),
        core::FieldValue::OptionalText { value, .. } => JsValue::Text(value),
        core::FieldValue::Time(t) => JsValue::Time(t),
        core::FieldValue::Status(s) => JsValue::Text(Some(s.as_str())),
        core::FieldValue::LockedBy(l) => JsValue::Text(Some(l.as_str())),
        _ => JsValue::Text(None),
    }
}

/// As JSON for `JSON.parse` (the timestamps as milliseconds: node/lib makes them `Date`s).
impl Serialize for Organization {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(core::Organization::FIELDS.len() + 1))?;
        for (name, (_, value)) in js_names().iter().zip(self.0.fields()) {
            match js_value(value) {
                JsValue::Text(t) => map.serialize_entry(name, &t)?,
                JsValue::Time(t) => map.serialize_entry(name, &t.map(|t| t.timestamp_millis()))?,
            }
        }
        map.serialize_entry("extra", &self.0.extra)?;
        map.end()
    }
}

impl TypeName for Organization {
    fn type_name() -> &'static str {
        "Organization"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for Organization {
    unsafe fn to_napi_value(env: sys::napi_env, org: Self) -> napi::Result<sys::napi_value> {
        let env = Env::from_raw(env);
        let mut obj = Object::new(&env)?;
        for (name, (_, value)) in js_names().iter().zip(org.0.fields()) {
            match js_value(value) {
                JsValue::Text(t) => obj.set(name, t)?,
                JsValue::Time(t) => obj.set(name, t)?,
            }
        }
        obj.set("extra", &org.0.extra)?;
        // SAFETY: `obj` was made in this call's environment.
        unsafe { Object::to_napi_value(env.raw(), obj) }
    }
}

/// Organizations as the JSON text of an array of JS `Organization`s, each freed as it is
/// written: `JSON.parse` builds them in a fraction of the time napi takes to build them value
/// by value (timestamps as milliseconds: node/lib makes them `Date`s).
pub fn organizations_json(orgs: Vec<core::Organization>) -> String {
    let mut out = Vec::with_capacity(orgs.len() * 512);
    let mut json = serde_json::Serializer::new(&mut out);
    json.collect_seq(orgs.into_iter().map(Organization::from))
        .expect("strings and timestamps always serialize");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// One page of a listing.
#[napi(object, object_from_js = false, use_nullable = true)]
#[derive(Debug)]
pub struct OrganizationPage {
    pub organizations: Vec<Organization>,
    /// `null` when the API did not say.
    pub total_count: Option<f64>,
    pub page: u32,
    pub page_size: u32,
    /// Records of the page that could not be decoded as organizations.
    pub undecodable: Vec<UndecodableOrganization>,
}

/// A record of a listing that could not be decoded as an organization.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct UndecodableOrganization {
    pub page: u32,
    pub index: u32,
    pub id: Option<String>,
    pub message: String,
}

impl From<core::UndecodableOrganization> for UndecodableOrganization {
    fn from(u: core::UndecodableOrganization) -> Self {
        UndecodableOrganization {
            page: u.page,
            index: u32::try_from(u.index).unwrap_or(u32::MAX),
            id: u.id,
            message: u.message,
        }
    }
}

impl From<core::OrganizationPage> for OrganizationPage {
    fn from(p: core::OrganizationPage) -> Self {
        OrganizationPage {
            organizations: p.organizations.into_iter().map(Into::into).collect(),
            // Counts stay far below 2^53, where a JS number is exact.
            total_count: p.total_count.map(|n| n as f64),
            page: p.page,
            page_size: p.page_size,
            undecodable: p.undecodable.into_iter().map(Into::into).collect(),
        }
    }
}

/// Progress of `.all()` and the bulk operations.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct Progress {
    pub done: f64,
    pub total: Option<f64>,
}

impl From<core::Progress> for Progress {
    fn from(p: core::Progress) -> Self {
        Progress {
            done: p.done as f64,
            total: p.total.map(|t| t as f64),
        }
    }
}
