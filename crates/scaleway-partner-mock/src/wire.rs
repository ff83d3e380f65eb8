//! JSON rendering of organizations and lists, exactly as the real service shapes them.

use axum::body::Body;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use http::{HeaderValue, StatusCode, header};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::SirenStyle;
use crate::state::Organization;

pub(crate) const APPLICATION_JSON: &str = "application/json";

/// Test-only overrides applied to an organization's rendered JSON in every answer, so that
/// clients can be tried against values the real API may send but the emulator never makes.
/// Successive patches of one organization add up, the later winning.
///
/// In JSON: `{"set": {"status": "suspended"}, "remove": ["siren_number"]}`; either key may be
/// left out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawPatch {
    /// Fields set (or added) to these JSON values; default none. JSON `set`.
    pub set: Map<String, Value>,
    /// Fields removed from the JSON; default none. JSON `remove`.
    pub remove: Vec<String>,
}

impl RawPatch {
    /// True when the patch neither sets nor removes anything.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty()
    }

    /// Adds `later` on top: its settings win over earlier removals and vice versa.
    pub(crate) fn merge(&mut self, later: RawPatch) {
        for name in later.remove {
            self.set.remove(&name);
            if !self.remove.contains(&name) {
                self.remove.push(name);
            }
        }
        for (name, value) in later.set {
            self.remove.retain(|n| n != &name);
            self.set.insert(name, value);
        }
    }

    fn apply(&self, object: &mut Map<String, Value>) {
        for name in &self.remove {
            object.remove(name);
        }
        for (name, value) in &self.set {
            object.insert(name.clone(), value.clone());
        }
    }
}

/// Where an organization appears: list items show an unset phone number as `""`, the other
/// answers as `null` (as recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Single,
    ListItem,
}

pub(crate) fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

// Field order is the recorded one (alphabetical); serde keeps declaration order.
#[derive(Serialize)]
struct OrganizationView<'a> {
    comment: &'a str,
    created_at: String,
    customer_id: &'a str,
    email: &'a str,
    id: uuid::fmt::Hyphenated,
    lock_reason_message: &'a str,
    locked_at: Option<String>,
    locked_by: &'static str,
    name: &'a str,
    owner_firstname: &'a str,
    owner_lastname: &'a str,
    phone_number: Option<&'a str>,
    picture_link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    siren_number: Option<Option<&'a str>>,
    status: &'static str,
}

fn view(org: &Organization, shape: Shape, siren: SirenStyle) -> OrganizationView<'_> {
    let top = org.top_lock();
    let phone_number = match (org.phone_number.as_deref(), shape) {
        (None, Shape::ListItem) => Some(""),
        (phone, _) => phone,
    };
    let siren_number = match (org.siren_number.as_deref(), siren) {
        (Some(s), _) => Some(Some(s)),
        (None, SirenStyle::Null) => Some(None),
        (None, SirenStyle::Absent) => None,
    };
    OrganizationView {
        comment: &org.comment,
        created_at: timestamp(&org.created_at),
        customer_id: &org.customer_id,
        email: &org.email,
        id: org.id.hyphenated(),
        lock_reason_message: top.map_or("", |l| l.reason.as_str()),
        locked_at: top.map(|l| timestamp(&l.at)),
        locked_by: org.locked_by(),
        name: &org.name,
        owner_firstname: &org.owner_firstname,
        owner_lastname: &org.owner_lastname,
        phone_number,
        picture_link: None,
        siren_number,
        status: org.status(),
    }
}

/// Appends the organization's JSON to `out`.
pub(crate) fn write_organization(
    out: &mut Vec<u8>,
    org: &Organization,
    shape: Shape,
    siren: SirenStyle,
) {
    let view = view(org, shape, siren);
    // Serializing plain strings and options into a Vec cannot fail.
    if org.overrides.is_empty() {
        serde_json::to_writer(&mut *out, &view).expect("organization JSON");
    } else {
        let mut value = serde_json::to_value(&view).expect("organization JSON");
        if let Value::Object(object) = &mut value {
            org.overrides.apply(object);
        }
        serde_json::to_writer(&mut *out, &value).expect("organization JSON");
    }
}

pub(crate) fn organization(org: &Organization, siren: SirenStyle) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write_organization(&mut out, org, Shape::Single, siren);
    out
}

pub(crate) fn organization_list<'a>(
    orgs: impl ExactSizeIterator<Item = &'a Organization>,
    total_count: u64,
    siren: SirenStyle,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + 520 * orgs.len());
    out.extend_from_slice(b"{\"organizations\":[");
    for (i, org) in orgs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_organization(&mut out, org, Shape::ListItem, siren);
    }
    out.extend_from_slice(b"],\"total_count\":");
    out.extend_from_slice(total_count.to_string().as_bytes());
    out.push(b'}');
    out
}

/// A response with `Content-Type: application/json` exactly (Scaleway's JS SDK insists).
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(APPLICATION_JSON),
    );
    response
}

pub(crate) fn empty_response(status: StatusCode) -> Response {
    json_response(status, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Lock, LockedBy, VALIDATE_EMAIL};
    use chrono::TimeZone;

    fn org() -> Organization {
        let created = Utc.with_ymd_and_hms(2026, 9, 11, 14, 56, 46).unwrap()
            + chrono::TimeDelta::microseconds(665_888);
        Organization {
            id: "db7ec892-78ac-4a28-b71d-566b647993c3".parse().unwrap(),
            partner_id: uuid::Uuid::nil(),
            name: "tf_test_partner_org".into(),
            email: "x@test.test".into(),
            owner_firstname: "John".into(),
            owner_lastname: "Doe".into(),
            customer_id: "customer-123".into(),
            phone_number: None,
            siren_number: None,
            comment: String::new(),
            created_at: created,
            closed: false,
            locks: vec![Lock {
                by: LockedBy::Scaleway,
                reason: VALIDATE_EMAIL.into(),
                at: created + chrono::TimeDelta::microseconds(119_660),
            }],
            overrides: RawPatch::default(),
            admin_role_requests: Vec::new(),
        }
    }

    #[test]
    fn renders_the_recorded_bytes() {
        let recorded = r#"{"comment":"","created_at":"2026-09-11T14:56:46.665888Z","customer_id":"customer-123","email":"x@test.test","id":"db7ec892-78ac-4a28-b71d-566b647993c3","lock_reason_message":"validate_email","locked_at":"2026-09-11T14:56:46.785548Z","locked_by":"scaleway","name":"tf_test_partner_org","owner_firstname":"John","owner_lastname":"Doe","phone_number":null,"picture_link":null,"siren_number":null,"status":"locked"}"#;
        let rendered = String::from_utf8(organization(&org(), SirenStyle::Null)).unwrap();
        assert_eq!(rendered, recorded);
        let absent = String::from_utf8(organization(&org(), SirenStyle::Absent)).unwrap();
        assert!(!absent.contains("siren_number"));
    }

    #[test]
    fn list_items_show_an_unset_phone_as_empty_string_and_patches_apply() {
        let mut o = org();
        let list = organization_list([&o].into_iter(), 7, SirenStyle::Null);
        let v: Value = serde_json::from_slice(&list).unwrap();
        assert_eq!(v["organizations"][0]["phone_number"], "");
        assert_eq!(v["total_count"], 7);
        // Sets one field and removes another; returns the organization's JSON after that.
        let mut patched = |field: &str, value: &str, removed: &str| {
            o.overrides.merge(RawPatch {
                set: [(field.to_owned(), Value::from(value))]
                    .into_iter()
                    .collect(),
                remove: vec![removed.into()],
            });
            serde_json::from_slice::<Value>(&organization(&o, SirenStyle::Null)).unwrap()
        };
        let v = patched("status", "suspended", "siren_number");
        assert_eq!(v["status"], "suspended");
        assert!(v.get("siren_number").is_none());
        let v = patched("siren_number", "", "status");
        assert_eq!(v["siren_number"], "");
        assert!(v.get("status").is_none());
    }
}
