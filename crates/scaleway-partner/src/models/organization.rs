//! The customer organization as the API returns it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::enums::{LockedBy, OrganizationStatus};
use crate::error::Error;
use crate::options::OptionSpelling;

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
/// assert_eq!(org.extra["a_future_field"], 1);
/// assert_eq!(json["a_future_field"], 1);
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
    /// The fields the API sent that this version does not know, as they came (written back
    /// among the others): a newer API's data survives a decode and re-encode.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Organization {
    /// The fields the API documents, as it spells them; the others go to
    /// [`extra`](Organization::extra).
    pub const FIELDS: [&'static str; 15] = [
        "id",
        "name",
        "email",
        "status",
        "locked_by",
        "locked_at",
        "lock_reason_message",
        "created_at",
        "customer_id",
        "owner_firstname",
        "owner_lastname",
        "phone_number",
        "picture_link",
        "siren_number",
        "comment",
    ];

    /// Each documented field with its value, in [`FIELDS`](Organization::FIELDS) order (`extra`
    /// aside): what a binding converts field by field, so that a field added here reaches it
    /// without the binding naming it.
    ///
    /// ```
    /// use scaleway_partner::{FieldValue, Organization};
    /// let org: Organization = serde_json::from_str(r#"{"id": "o-1", "comment": "vip"}"#).unwrap();
    /// let fields = org.fields();
    /// assert_eq!(fields.map(|(name, _)| name), Organization::FIELDS);
    /// assert!(matches!(fields[14].1, FieldValue::Text { value: "vip", repeats: true }));
    /// ```
    pub fn fields(&self) -> [(&'static str, FieldValue<'_>); Self::FIELDS.len()] {
        // Destructured whole: a field added to the struct does not compile until it is here.
        let Organization {
            id,
            name,
            email,
            status,
            locked_by,
            locked_at,
            lock_reason_message,
            created_at,
            customer_id,
            owner_firstname,
            owner_lastname,
            phone_number,
            picture_link,
            siren_number,
            comment,
            extra: _,
        } = self;
        fn text(value: &str, repeats: bool) -> FieldValue<'_> {
            FieldValue::Text { value, repeats }
        }
        fn optional(value: &Option<String>, repeats: bool) -> FieldValue<'_> {
            FieldValue::OptionalText {
                value: value.as_deref(),
                repeats,
            }
        }
        let values = [
            text(id, false),
            text(name, false),
            text(email, false),
            FieldValue::Status(status),
            FieldValue::LockedBy(locked_by),
            FieldValue::Time(*locked_at),
            optional(lock_reason_message, true),
            FieldValue::Time(*created_at),
            text(customer_id, true),
            text(owner_firstname, true),
            text(owner_lastname, true),
            optional(phone_number, false),
            optional(picture_link, false),
            optional(siren_number, false),
            text(comment, true),
        ];
        // As many values as names: the return type says so.
        let mut names = Self::FIELDS.into_iter();
        values.map(|value| (names.next().expect("one name per value"), value))
    }

    /// True when the organization carries a lock placed by the partner.
    pub fn is_locked_by_partner(&self) -> bool {
        self.locked_by == LockedBy::Partner
    }

    /// Decodes an organization as a program holds one: the API's wire form, or the form a
    /// binding's value is written as (its documented fields also accepted in `spelling`, the
    /// unknown ones at the top or under an `extra` object), so that every binding's value comes
    /// back equal.
    /// Fails with [`Error::Validation`] naming the field at fault (as the API spells it).
    ///
    /// ```
    /// use scaleway_partner::{Organization, OptionSpelling};
    /// let value = serde_json::json!({"id": "x", "customerId": "c-1", "extra": {"new_field": 2}});
    /// let org = Organization::from_value(value, OptionSpelling::CamelCase).unwrap();
    /// assert_eq!((org.customer_id.as_str(), &org.extra["new_field"]), ("c-1", &2.into()));
    /// let bad = serde_json::json!({"id": "x", "createdAt": "yesterday"});
    /// let err = Organization::from_value(bad, OptionSpelling::CamelCase).unwrap_err();
    /// assert!(matches!(err, scaleway_partner::Error::Validation { field, .. } if field == "created_at"));
    /// ```
    pub fn from_value(value: Value, spelling: OptionSpelling) -> Result<Self, Error> {
        let invalid = |field: &str, message: String| Error::Validation {
            field: field.to_owned(),
            message: message.into(),
        };
        let Value::Object(given) = value else {
            return Err(invalid("organization", "must be a JSON object".into()));
        };
        let mut wire = Map::new();
        let mut extra = Map::new();
        for (key, value) in given {
            let known = Self::FIELDS
                .iter()
                .find(|f| **f == key || spelling.spell(f) == key.as_str());
            match (known, value) {
                (Some(field), value) => {
                    if wire.insert((*field).to_owned(), value).is_some() {
                        return Err(invalid(field, "is given twice".into()));
                    }
                }
                (None, Value::Object(fields)) if key == "extra" => {
                    if let Some(field) = fields.keys().find(|k| Self::FIELDS.contains(&k.as_str()))
                    {
                        return Err(invalid(
                            "extra",
                            format!("holds {field}, a documented field"),
                        ));
                    }
                    extra.extend(fields);
                }
                (None, value) => {
                    extra.insert(key, value);
                }
            }
        }
        if !wire.contains_key("id") {
            return Err(invalid("id", "is missing".into()));
        }
        let wire = Value::Object(wire);
        let mut org = Organization::deserialize(&wire).map_err(|e| {
            // Each field decoded alone, to name the one at fault.
            let mut fields = wire.as_object().into_iter().flatten();
            let at_fault = fields.find_map(|(field, value)| {
                let alone = Value::Object(Map::from_iter([
                    ("id".to_owned(), Value::from("")),
                    (field.clone(), value.clone()),
                ]));
                Organization::deserialize(&alone)
                    .err()
                    .map(|e| invalid(field, e.to_string()))
            });
            at_fault.unwrap_or_else(|| invalid("organization", e.to_string()))
        })?;
        org.extra = extra;
        Ok(org)
    }
}

/// The value of one documented field of an [`Organization`], by type (see
/// [`Organization::fields`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldValue<'a> {
    /// Text (empty when the API left it unset). `repeats` when the same value is usual across
    /// organizations (owners' names, customer references): a binding may share one copy.
    Text {
        /// The text.
        value: &'a str,
        /// Whether values repeat across organizations.
        repeats: bool,
    },
    /// Optional text, `None` when unset.
    OptionalText {
        /// The text, if any.
        value: Option<&'a str>,
        /// Whether values repeat across organizations.
        repeats: bool,
    },
    /// A timestamp, `None` when unset.
    Time(Option<DateTime<Utc>>),
    /// The organization's status.
    Status(&'a OrganizationStatus),
    /// Who placed the lock shown.
    LockedBy(&'a LockedBy),
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

/// The body of a listing answer, as the API sends it. A body without its `organizations` list
/// (absent or null) does not decode: it is not an empty page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListOrganizationsResponse {
    /// The organizations of the page.
    pub organizations: Vec<Organization>,
    /// How many organizations match in all.
    #[serde(default)]
    pub total_count: Option<u64>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Every organization recorded from the real API, with a field no version knows added.
    fn recorded_with_a_new_field() -> Vec<Value> {
        use crate::hostile_tests::{recorded_bodies, recorded_organizations};
        let mut orgs = recorded_organizations(&recorded_bodies());
        assert!(orgs.len() >= 35, "recorded organizations: {}", orgs.len());
        for o in &mut orgs {
            o["a_future_field"] = json!({"nested": [1, "two", null]});
        }
        orgs
    }

    #[test]
    fn unknown_fields_are_kept_and_written_back() {
        for raw in recorded_with_a_new_field() {
            let org: Organization = serde_json::from_value(raw.clone()).unwrap();
            assert_eq!(org.extra.len(), 1, "{raw}");
            assert_eq!(org.extra["a_future_field"], raw["a_future_field"]);
            let written = serde_json::to_value(&org).unwrap();
            assert_eq!(written["a_future_field"], raw["a_future_field"]);
            assert_eq!(
                serde_json::from_value::<Organization>(written).unwrap(),
                org
            );
        }
    }

    /// `org` as a binding's value writes it: fields in `spelling`, unknown ones under `extra`.
    fn as_binding_writes_it(org: &Organization, spelling: OptionSpelling) -> Value {
        let Value::Object(wire) = serde_json::to_value(org).unwrap() else {
            unreachable!("an organization is written as an object")
        };
        let mut out: Map<String, Value> = wire
            .into_iter()
            .filter(|(k, _)| !org.extra.contains_key(k))
            .map(|(k, v)| (spelling.spell(&k).into_owned(), v))
            .collect();
        out.insert("extra".into(), Value::Object(org.extra.clone()));
        Value::Object(out)
    }

    #[test]
    fn from_value_reads_the_wire_form_and_each_bindings_form() {
        for raw in recorded_with_a_new_field() {
            let org: Organization = serde_json::from_value(raw.clone()).unwrap();
            let from = |v: Value, s| Organization::from_value(v, s).unwrap();
            assert_eq!(from(raw.clone(), OptionSpelling::SnakeCase), org);
            assert_eq!(from(raw, OptionSpelling::CamelCase), org);
            for spelling in [OptionSpelling::SnakeCase, OptionSpelling::CamelCase] {
                assert_eq!(from(as_binding_writes_it(&org, spelling), spelling), org);
            }
        }
    }

    #[test]
    fn from_value_names_the_field_at_fault() {
        let field = |v: Value| match Organization::from_value(v, OptionSpelling::CamelCase) {
            Err(Error::Validation { field, message }) => (field, message.to_string()),
            other => panic!("{other:?}"),
        };
        let (f, message) = field(json!({"id": "x", "createdAt": "yesterday"}));
        assert_eq!(f, "created_at");
        assert!(message.contains("yesterday"), "{message}");
        assert_eq!(field(json!({"id": "x", "customerId": 42})).0, "customer_id");
        assert_eq!(field(json!({"id": 7})).0, "id");
        assert_eq!(field(json!({"name": "no id"})).0, "id");
        assert_eq!(
            field(json!({"id": "x", "lockedBy": "a", "locked_by": "b"})).0,
            "locked_by"
        );
        assert_eq!(field(json!({"id": "x", "extra": {"name": "n"}})).0, "extra");
        assert_eq!(field(json!(["id"])).0, "organization");
        // Camel spellings are fields only for the bindings that spell them so.
        let snake = Organization::from_value(
            json!({"id": "x", "customerId": "c"}),
            OptionSpelling::SnakeCase,
        );
        assert_eq!(snake.unwrap().extra["customerId"], "c");
    }

    #[test]
    fn fields_pair_each_name_with_its_own_value() {
        // Each text field holds its own name: a value under another field's name shows.
        let mut wire = serde_json::Map::new();
        for name in Organization::FIELDS {
            wire.insert(name.into(), name.into());
        }
        for (name, time) in [
            ("locked_at", "2026-01-01T00:00:00Z"),
            ("created_at", "2026-02-02T00:00:00Z"),
        ] {
            wire.insert(name.into(), time.into());
        }
        let org: Organization = serde_json::from_value(Value::Object(wire)).unwrap();
        for (name, value) in org.fields() {
            match value {
                FieldValue::Text { value, .. }
                | FieldValue::OptionalText {
                    value: Some(value), ..
                } => {
                    assert_eq!(value, name)
                }
                FieldValue::Status(s) => assert_eq!((name, s.as_str()), ("status", "status")),
                FieldValue::LockedBy(l) => {
                    assert_eq!((name, l.as_str()), ("locked_by", "locked_by"))
                }
                FieldValue::Time(t) => {
                    let month = if name == "locked_at" { 1 } else { 2 };
                    assert_eq!(
                        t.map(|t| chrono::Datelike::month(&t)),
                        Some(month),
                        "{name}"
                    );
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }
}
