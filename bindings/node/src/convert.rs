//! Values from the core to JavaScript: organizations, pages and progress (request objects in
//! are in requests.rs).

use chrono::{DateTime, Utc};
use napi_derive::napi;
use scaleway_partner as core;
use serde::{Serialize, Serializer};

/// An organization as Node sees it: `null` for absent optional values, `Date` for timestamps.
#[napi(object, use_nullable = true)]
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub email: String,
    pub status: String,
    pub locked_by: String,
    #[serde(serialize_with = "millis")]
    pub locked_at: Option<DateTime<Utc>>,
    pub lock_reason_message: Option<String>,
    #[serde(serialize_with = "millis")]
    pub created_at: Option<DateTime<Utc>>,
    pub customer_id: String,
    pub owner_firstname: String,
    pub owner_lastname: String,
    pub phone_number: Option<String>,
    pub picture_link: Option<String>,
    pub siren_number: Option<String>,
    pub comment: String,
    /// Fields the API sent that this version does not know, as they came (wire keys).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl From<core::Organization> for Organization {
    fn from(o: core::Organization) -> Self {
        Organization {
            id: o.id,
            name: o.name,
            email: o.email,
            status: o.status.as_str().to_owned(),
            locked_by: o.locked_by.as_str().to_owned(),
            locked_at: o.locked_at,
            lock_reason_message: o.lock_reason_message,
            created_at: o.created_at,
            customer_id: o.customer_id,
            owner_firstname: o.owner_firstname,
            owner_lastname: o.owner_lastname,
            phone_number: o.phone_number,
            picture_link: o.picture_link,
            siren_number: o.siren_number,
            comment: o.comment,
            extra: o.extra,
        }
    }
}

/// A timestamp as JS counts it (milliseconds since the epoch, what napi's `Date` holds):
/// `new Date(number)` costs a fraction of parsing RFC 3339 text.
fn millis<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_i64(t.timestamp_millis()),
        None => s.serialize_none(),
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
#[napi(object, use_nullable = true)]
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
