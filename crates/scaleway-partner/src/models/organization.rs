//! The customer organization as the API returns it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::enums::{LockedBy, OrganizationStatus};

/// A customer organization managed by the partner.
///
/// Decoding is lenient where the real API is inconsistent: `phone_number`, `siren_number`,
/// `picture_link` and `lock_reason_message` may be absent, `null` or `""`, all read as `None`;
/// unknown fields are ignored; unknown enum values are kept.
///
/// ```
/// use scaleway_partner::{Organization, OrganizationStatus, LockedBy};
/// let org: Organization = serde_json::from_str(r#"{
///     "id": "db7ec892-78ac-4a28-b71d-566b647993c3", "name": "Acme", "email": "owner@example.test",
///     "status": "locked", "locked_by": "scaleway", "lock_reason_message": "validate_email",
///     "created_at": "2026-09-11T14:56:46.665888Z", "locked_at": "2026-09-11T14:56:46.785548Z",
///     "customer_id": "customer-123", "owner_firstname": "John", "owner_lastname": "Doe",
///     "phone_number": null, "picture_link": null, "comment": "", "a_future_field": 1
/// }"#).unwrap();
/// assert_eq!(org.status, OrganizationStatus::Locked);
/// assert_eq!(org.locked_by, LockedBy::Scaleway);
/// assert_eq!(org.siren_number, None);
/// // Serializes back to the wire form.
/// let json = serde_json::to_value(&org).unwrap();
/// assert_eq!(json["created_at"], "2026-09-11T14:56:46.665888Z");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Organization ID (a UUID).
    pub id: String,
    /// Organization name.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub name: String,
    /// Owner's email address.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub email: String,
    /// Status.
    #[serde(default)]
    pub status: OrganizationStatus,
    /// Who placed the lock shown (`unknown_locked_by` when not locked).
    #[serde(default)]
    pub locked_by: LockedBy,
    /// When the lock shown was placed.
    #[serde(
        default,
        deserialize_with = "optional_datetime",
        serialize_with = "wire_datetime"
    )]
    pub locked_at: Option<DateTime<Utc>>,
    /// Why it is locked (`validate_email`, `locked_by_reseller`...).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub lock_reason_message: Option<String>,
    /// Creation date.
    #[serde(
        default,
        deserialize_with = "optional_datetime",
        serialize_with = "wire_datetime"
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// The partner's own reference for this customer (used on invoices).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub customer_id: String,
    /// Owner's first name.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub owner_firstname: String,
    /// Owner's last name.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub owner_lastname: String,
    /// Owner's phone number.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub phone_number: Option<String>,
    /// Link to the organization's picture.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub picture_link: Option<String>,
    /// French SIREN number.
    #[serde(default, deserialize_with = "empty_as_none")]
    pub siren_number: Option<String>,
    /// The partner's comment.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub comment: String,
}

impl Organization {
    /// True when the organization carries a lock placed by the partner.
    pub fn is_locked_by_partner(&self) -> bool {
        self.locked_by == LockedBy::Partner
    }
}

fn empty_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|s| !s.is_empty()))
}

fn null_as_empty<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// The API's own format: RFC 3339 with microseconds and `Z`.
fn wire_datetime<S: serde::Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => s.serialize_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        None => s.serialize_none(),
    }
}

fn optional_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => DateTime::parse_from_rfc3339(&s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| serde::de::Error::custom(format!("invalid timestamp {s:?}: {e}"))),
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationPage {
    /// The organizations on this page, in the listing's order.
    pub organizations: Vec<Organization>,
    /// The records of this page that could not be decoded as organizations (a wrong type in
    /// a known field, an invalid timestamp...); the others are in `organizations`. Usually
    /// empty. The streams and [`collect_all`](crate::OrganizationLister::collect_all) yield
    /// every decodable organization, then fail with
    /// [`Error::UndecodableOrganizations`](crate::Error::UndecodableOrganizations).
    pub undecodable: Vec<crate::UndecodableOrganization>,
    /// How many organizations match the filters in all, when the API said so.
    pub total_count: Option<u64>,
    /// This page's number (1-based).
    pub page: u32,
    /// The page size asked for.
    pub page_size: u32,
}

impl OrganizationPage {
    /// The records the page held, decodable or not (what the listing counts).
    pub fn records(&self) -> usize {
        self.organizations.len() + self.undecodable.len()
    }
}

/// The body of a listing answer, as the API sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListOrganizationsResponse {
    /// The organizations of the page.
    #[serde(default, deserialize_with = "null_as_empty_vec")]
    pub organizations: Vec<Organization>,
    /// How many organizations match in all.
    #[serde(default)]
    pub total_count: Option<u64>,
}

fn null_as_empty_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Organization>, D::Error> {
    Ok(Option::<Vec<Organization>>::deserialize(d)?.unwrap_or_default())
}
