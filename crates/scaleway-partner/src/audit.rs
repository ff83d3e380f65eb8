//! An audit of the partner's book: who is locked and why, who never finished onboarding, which
//! customer IDs and emails point to several organizations, how the book has grown, and which
//! values the API sent that this client does not know. Closed organizations are set apart:
//! they are in no problem list. A report saved as JSON (versioned) reads back, and
//! [`AuditReport::diff`] tells what changed between two audits.

mod diff;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

pub use diff::{AuditDiff, StatusChange};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::{ListOrganizationsRequest, LockedBy, Organization, OrganizationStatus};
use crate::progress::ProgressFn;

/// Version of the report's JSON form; [`AuditReport::from_json`] reads this version only.
pub const AUDIT_FORMAT_VERSION: u32 = 1;

/// Lock reasons this client knows; any other is reported in [`AuditReport::unknown_values`].
const KNOWN_LOCK_REASONS: &[&str] = &["validate_email", "locked_by_reseller"];

/// Days after which an organization still waiting for its owner's email validation is
/// reported, unless [`AuditOptions::stuck_after_days`] says otherwise.
pub const DEFAULT_STUCK_AFTER_DAYS: u32 = 7;

/// Options of [`Client::audit`].
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Report organizations waiting for email validation for more than this many days.
    pub stuck_after_days: u32,
    /// The reference time for ages (now by default; fixed in tests).
    pub now: Option<DateTime<Utc>>,
    /// Called after each page of the listing.
    pub progress: Option<ProgressFn>,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            stuck_after_days: DEFAULT_STUCK_AFTER_DAYS,
            now: None,
            progress: None,
        }
    }
}

/// One organization in a finding, with the age that matters for that finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Organization ID.
    pub id: String,
    /// Organization name.
    pub name: String,
    /// Owner email.
    pub email: String,
    /// Customer ID.
    pub customer_id: String,
    /// Status.
    pub status: String,
    /// Who placed the lock shown.
    pub locked_by: String,
    /// Lock reason, if any.
    pub lock_reason_message: Option<String>,
    /// Creation date.
    pub created_at: Option<DateTime<Utc>>,
    /// Date of the lock shown.
    pub locked_at: Option<DateTime<Utc>>,
    /// Days waiting (email validation) or locked (partner lock), when the finding has an age.
    pub days: Option<f64>,
}

impl Finding {
    fn new(org: &Organization, days: Option<f64>) -> Self {
        Finding {
            id: org.id.clone(),
            name: org.name.clone(),
            email: org.email.clone(),
            customer_id: org.customer_id.clone(),
            status: org.status.to_string(),
            locked_by: org.locked_by.to_string(),
            lock_reason_message: org.lock_reason_message.clone(),
            created_at: org.created_at,
            locked_at: org.locked_at,
            days,
        }
    }
}

/// An organization of a shared value's group: enough to tell the members apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedMember {
    /// Organization ID.
    pub id: String,
    /// Organization name.
    pub name: String,
    /// Owner email.
    pub email: String,
    /// Customer ID.
    pub customer_id: String,
    /// Status.
    pub status: String,
}

impl SharedMember {
    fn new(org: &Organization) -> Self {
        SharedMember {
            id: org.id.clone(),
            name: org.name.clone(),
            email: org.email.clone(),
            customer_id: org.customer_id.clone(),
            status: org.status.to_string(),
        }
    }
}

/// A value (customer ID or email) shared by several organizations that are not closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedValue {
    /// The shared value.
    pub value: String,
    /// The organizations sharing it, oldest first.
    pub organization_ids: Vec<String>,
    /// The same organizations with their names and statuses.
    pub organizations: Vec<SharedMember>,
}

/// A value of an enum-like field this client does not know (the API evolves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownValue {
    /// `status`, `locked_by` or `lock_reason_message`.
    pub field: String,
    /// The value seen.
    pub value: String,
    /// How many organizations carry it.
    pub count: u64,
}

/// The audit of a partner's organizations. Serializes to its versioned JSON form, with the
/// organizations when [`AuditReport::organizations`] holds them (a saved report needs them for
/// [`AuditReport::diff`]; leave it empty for a summary only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    /// Version of the JSON form ([`AUDIT_FORMAT_VERSION`]).
    pub version: u32,
    /// Reference time of the ages.
    pub generated_at: DateTime<Utc>,
    /// The threshold used for `stuck_in_email_validation`.
    pub stuck_after_days: u32,
    /// Organizations audited.
    pub total: u64,
    /// Count per status.
    pub by_status: BTreeMap<String, u64>,
    /// Count per `locked_by` of locked organizations.
    pub by_locked_by: BTreeMap<String, u64>,
    /// Count per lock reason of locked organizations.
    pub by_lock_reason: BTreeMap<String, u64>,
    /// Closed organizations, oldest first: in no problem list below.
    pub closed: Vec<Finding>,
    /// Waiting for the owner's email validation for more than `stuck_after_days`, longest first.
    pub stuck_in_email_validation: Vec<Finding>,
    /// Locked by the partner, longest-locked first.
    pub locked_by_partner: Vec<Finding>,
    /// Customer IDs used by several organizations (closed ones aside), most used first.
    pub shared_customer_ids: Vec<SharedValue>,
    /// Owner emails (case-insensitive) used by several organizations (closed ones aside), most
    /// used first.
    pub shared_emails: Vec<SharedValue>,
    /// Organizations with an empty customer ID.
    pub empty_customer_id: Vec<Finding>,
    /// Organizations with no phone number.
    pub missing_phone_number: Vec<Finding>,
    /// Organizations created per month (`YYYY-MM`), every month from the first to the last.
    pub created_per_month: BTreeMap<String, u64>,
    /// Values this client does not know.
    pub unknown_values: Vec<UnknownValue>,
    /// The organizations audited, oldest first; in the JSON form only when not empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<Organization>,
}

impl Client {
    /// Lists every organization of the partner (paced, several pages at a time, checked for
    /// completeness) and audits them.
    ///
    /// ```no_run
    /// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
    /// use scaleway_partner::{AuditOptions, ProgressFn};
    /// let report = client
    ///     .audit(AuditOptions {
    ///         stuck_after_days: 14,
    ///         progress: Some(ProgressFn::new(|p| eprint!("\r{}/{}", p.done, p.total.unwrap_or(0)))),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} organizations, {} locked by us", report.total, report.locked_by_partner.len());
    /// # Ok(()) }
    /// ```
    pub async fn audit(&self, options: AuditOptions) -> Result<AuditReport> {
        let mut lister = self.list_organizations(ListOrganizationsRequest::new())?;
        if let Some(p) = options.progress.clone() {
            lister = lister.on_progress(p);
        }
        let organizations = lister.collect_all().await?;
        Ok(AuditReport::from_organizations(
            organizations,
            options.stuck_after_days,
            options.now.unwrap_or_else(Utc::now),
        ))
    }
}

fn days_since(now: DateTime<Utc>, t: Option<DateTime<Utc>>) -> Option<f64> {
    t.map(|t| (now - t).num_seconds().max(0) as f64 / 86_400.0)
}

fn count(map: &mut BTreeMap<String, u64>, key: &str) {
    *map.entry(key.to_owned()).or_default() += 1;
}

/// Values shared by more than one organization, most shared first, then alphabetically.
fn shared(groups: HashMap<String, Vec<&Organization>>) -> Vec<SharedValue> {
    let mut out: Vec<_> = groups
        .into_iter()
        .filter(|(_, orgs)| orgs.len() > 1)
        .map(|(value, orgs)| SharedValue {
            value,
            organization_ids: orgs.iter().map(|o| o.id.clone()).collect(),
            organizations: orgs.into_iter().map(SharedMember::new).collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.organization_ids
            .len()
            .cmp(&a.organization_ids.len())
            .then_with(|| a.value.cmp(&b.value))
    });
    out
}

fn by_days_desc(findings: &mut [Finding]) {
    findings.sort_by(|a, b| b.days.unwrap_or(0.0).total_cmp(&a.days.unwrap_or(0.0)));
}

fn month_key(t: DateTime<Utc>) -> (i32, u32) {
    (t.year(), t.month())
}

/// The days `org` has waited for its owner's email validation at `now`, when more than
/// `stuck_after_days` (never for a closed one).
pub(crate) fn stuck_for(
    org: &Organization,
    stuck_after_days: u32,
    now: DateTime<Utc>,
) -> Option<f64> {
    let waiting_email = org.status != OrganizationStatus::Closed
        && org.locked_by == LockedBy::Scaleway
        && org.lock_reason_message.as_deref() == Some("validate_email");
    if !waiting_email {
        return None;
    }
    days_since(now, org.locked_at.or(org.created_at)).filter(|d| *d > f64::from(stuck_after_days))
}

impl AuditReport {
    /// Audits organizations already fetched; `now` is the reference for ages.
    pub fn from_organizations(
        mut organizations: Vec<Organization>,
        stuck_after_days: u32,
        now: DateTime<Utc>,
    ) -> AuditReport {
        // Oldest first, so that shared values list their organizations in creation order.
        organizations.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut r = AuditReport {
            version: AUDIT_FORMAT_VERSION,
            generated_at: now,
            stuck_after_days,
            total: organizations.len() as u64,
            by_status: BTreeMap::new(),
            by_locked_by: BTreeMap::new(),
            by_lock_reason: BTreeMap::new(),
            closed: Vec::new(),
            stuck_in_email_validation: Vec::new(),
            locked_by_partner: Vec::new(),
            shared_customer_ids: Vec::new(),
            shared_emails: Vec::new(),
            empty_customer_id: Vec::new(),
            missing_phone_number: Vec::new(),
            created_per_month: BTreeMap::new(),
            unknown_values: Vec::new(),
            organizations: Vec::new(),
        };
        let mut customer_ids: HashMap<String, Vec<&Organization>> = HashMap::new();
        let mut emails: HashMap<String, Vec<&Organization>> = HashMap::new();
        let mut unknown: BTreeMap<(&'static str, String), u64> = BTreeMap::new();
        let mut months: BTreeMap<(i32, u32), u64> = BTreeMap::new();
        for org in &organizations {
            count(&mut r.by_status, org.status.as_str());
            if org.status.is_unknown() {
                *unknown
                    .entry(("status", org.status.to_string()))
                    .or_default() += 1;
            }
            if org.locked_by.is_unknown() {
                *unknown
                    .entry(("locked_by", org.locked_by.to_string()))
                    .or_default() += 1;
            }
            if org.locked_by != LockedBy::UnknownLockedBy {
                count(&mut r.by_locked_by, org.locked_by.as_str());
            }
            if let Some(reason) = &org.lock_reason_message {
                count(&mut r.by_lock_reason, reason);
                if !KNOWN_LOCK_REASONS.contains(&reason.as_str()) {
                    *unknown
                        .entry(("lock_reason_message", reason.clone()))
                        .or_default() += 1;
                }
            }
            if let Some(t) = org.created_at {
                *months.entry(month_key(t)).or_default() += 1;
            }
            // A closed organization is no problem to act on: listed apart, nowhere else.
            if org.status == OrganizationStatus::Closed {
                r.closed.push(Finding::new(org, None));
                continue;
            }
            if let Some(days) = stuck_for(org, stuck_after_days, now) {
                r.stuck_in_email_validation
                    .push(Finding::new(org, Some(days)));
            }
            if org.locked_by == LockedBy::Partner {
                r.locked_by_partner
                    .push(Finding::new(org, days_since(now, org.locked_at)));
            }
            if org.customer_id.trim().is_empty() {
                r.empty_customer_id.push(Finding::new(org, None));
            } else {
                customer_ids
                    .entry(org.customer_id.clone())
                    .or_default()
                    .push(org);
            }
            if !org.email.is_empty() {
                emails
                    .entry(org.email.to_lowercase())
                    .or_default()
                    .push(org);
            }
            if org.phone_number.is_none() {
                r.missing_phone_number.push(Finding::new(org, None));
            }
        }
        by_days_desc(&mut r.stuck_in_email_validation);
        by_days_desc(&mut r.locked_by_partner);
        r.shared_customer_ids = shared(customer_ids);
        r.shared_emails = shared(emails);
        r.unknown_values = unknown
            .into_iter()
            .map(|((field, value), count)| UnknownValue {
                field: field.to_owned(),
                value,
                count,
            })
            .collect();
        if let (Some(first), Some(last)) =
            (months.keys().next().copied(), months.keys().last().copied())
        {
            let (mut y, mut m) = first;
            while (y, m) <= last {
                let n = months.get(&(y, m)).copied().unwrap_or(0);
                r.created_per_month.insert(format!("{y:04}-{m:02}"), n);
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        r.organizations = organizations;
        r
    }

    /// Reads the JSON form (as serialized, with or without the organizations); a form of
    /// another version is refused with an error naming `version`.
    pub fn from_json(text: &str) -> Result<AuditReport> {
        let value = serde_json::from_str(text).map_err(|e| Error::Validation {
            field: "report".into(),
            message: e.to_string().into(),
        })?;
        AuditReport::from_value(value)
    }

    /// [`from_json`](AuditReport::from_json) of a value already parsed (a binding's native
    /// form of the report, converted without JSON text).
    pub fn from_value(value: serde_json::Value) -> Result<AuditReport> {
        let version = value.get("version").map(serde_json::Value::as_u64);
        let is_object = value.is_object();
        versioned(version, is_object, || {
            serde_json::from_value(value).map_err(|e| e.to_string())
        })
    }

    /// [`from_value`](AuditReport::from_value) read by a binding's own deserializer over its
    /// language's values (no copy of the whole report on the way); `D` is read twice, the
    /// version first, as it is `Copy` (a handle on the value).
    pub fn from_deserializer<'de, D>(d: D) -> Result<AuditReport>
    where
        D: serde::Deserializer<'de> + Copy,
    {
        /// The version alone: the other fields are skipped, not read.
        #[derive(Deserialize)]
        struct Version {
            #[serde(default, deserialize_with = "present")]
            version: Option<serde_json::Value>,
        }
        fn present<'de, D: serde::Deserializer<'de>>(
            d: D,
        ) -> std::result::Result<Option<serde_json::Value>, D::Error> {
            serde_json::Value::deserialize(d).map(Some)
        }
        let (version, is_object) = match Version::deserialize(d) {
            Ok(v) => (v.version.as_ref().map(serde_json::Value::as_u64), true),
            Err(_) => (None, false),
        };
        versioned(version, is_object, || {
            AuditReport::deserialize(d).map_err(|e| e.to_string())
        })
    }
}

/// A report read by `read` once its version (`Some(None)`: not a number) is this client's.
fn versioned(
    version: Option<Option<u64>>,
    is_object: bool,
    read: impl FnOnce() -> std::result::Result<AuditReport, String>,
) -> Result<AuditReport> {
    let invalid = |field: &str, message: String| Error::Validation {
        field: field.into(),
        message: message.into(),
    };
    match version {
        Some(Some(v)) if v == u64::from(AUDIT_FORMAT_VERSION) => {
            read().map_err(|e| invalid("report", e))
        }
        Some(Some(other)) => Err(invalid(
            "version",
            format!(
                "the audit's JSON form is version {other}; this client reads version {AUDIT_FORMAT_VERSION}"
            ),
        )),
        Some(None) => Err(invalid("report", "version: not a number".into())),
        None if !is_object => Err(invalid("report", "not a JSON object".into())),
        None => Err(invalid(
            "version",
            "missing: not a saved audit report".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::OrganizationStatus;

    fn org(id: &str, created: &str, f: impl FnOnce(&mut Organization)) -> Organization {
        let t = utc(created);
        let mut o = Organization {
            id: id.into(),
            name: format!("Org {id}"),
            email: format!("{id}@example.test"),
            status: OrganizationStatus::Opened,
            locked_by: LockedBy::UnknownLockedBy,
            locked_at: None,
            lock_reason_message: None,
            created_at: Some(t),
            customer_id: format!("cust-{id}"),
            owner_firstname: "Jane".into(),
            owner_lastname: "Doe".into(),
            phone_number: Some("+33123456789".into()),
            picture_link: None,
            siren_number: None,
            comment: String::new(),
            extra: Default::default(),
        };
        f(&mut o);
        o
    }

    fn utc(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// Locked by Scaleway since `at`, until the owner validates the email.
    fn awaiting_email(o: &mut Organization, at: &str) {
        locked(o, LockedBy::Scaleway, "validate_email", at);
    }

    /// Locked by the partner since `at`.
    fn partner_locked(o: &mut Organization, at: &str) {
        locked(o, LockedBy::Partner, "locked_by_reseller", at);
    }

    fn locked(o: &mut Organization, by: LockedBy, reason: &str, at: &str) {
        o.status = OrganizationStatus::Locked;
        o.locked_by = by;
        o.lock_reason_message = Some(reason.into());
        o.locked_at = Some(utc(at));
    }

    #[test]
    fn every_finding() {
        let now = utc("2026-11-28T12:00:00Z");
        let orgs = vec![
            org("a", "2026-01-10T00:00:00Z", |_| {}),
            org("b", "2026-11-01T00:00:00Z", |o| {
                awaiting_email(o, "2026-11-01T00:00:01Z")
            }),
            org("c", "2026-11-27T00:00:00Z", |o| {
                awaiting_email(o, "2026-11-27T00:00:01Z")
            }),
            org("d", "2026-03-05T00:00:00Z", |o| {
                partner_locked(o, "2026-11-18T12:00:00Z");
                o.customer_id = "cust-a".into();
            }),
            org("e", "2026-03-06T00:00:00Z", |o| {
                o.email = "A@EXAMPLE.test".into();
                o.phone_number = None;
                o.customer_id = String::new();
            }),
            org("f", "2026-03-07T00:00:00Z", |o| {
                o.status = OrganizationStatus::from("suspended");
                o.locked_by = LockedBy::from("compliance");
                o.lock_reason_message = Some("kyc_pending".into());
            }),
        ];
        let r = AuditReport::from_organizations(orgs, 7, now);
        assert_eq!(r.total, 6);
        assert_eq!(r.by_status["opened"], 2);
        assert_eq!(r.by_status["locked"], 3);
        assert_eq!(r.by_status["suspended"], 1);
        assert_eq!(r.by_locked_by["scaleway"], 2);
        assert_eq!(r.by_locked_by["partner"], 1);
        assert_eq!(r.by_lock_reason["validate_email"], 2);
        // b waits for 27 days; c only for one day.
        assert_eq!(r.stuck_in_email_validation.len(), 1);
        assert_eq!(r.stuck_in_email_validation[0].id, "b");
        assert!((r.stuck_in_email_validation[0].days.unwrap() - 27.5).abs() < 0.01);
        assert_eq!(r.locked_by_partner[0].id, "d");
        assert!((r.locked_by_partner[0].days.unwrap() - 10.0).abs() < 0.01);
        assert_eq!(r.shared_customer_ids.len(), 1);
        assert_eq!(r.shared_customer_ids[0].value, "cust-a");
        assert_eq!(r.shared_customer_ids[0].organization_ids, vec!["a", "d"]);
        let members: Vec<_> = r.shared_customer_ids[0]
            .organizations
            .iter()
            .map(|m| (m.id.as_str(), m.name.as_str(), m.status.as_str()))
            .collect();
        assert_eq!(
            members,
            vec![("a", "Org a", "opened"), ("d", "Org d", "locked")]
        );
        assert_eq!(
            r.shared_emails[0].organization_ids,
            vec!["a".to_string(), "e".into()]
        );
        assert_eq!(r.empty_customer_id[0].id, "e");
        assert_eq!(r.missing_phone_number.len(), 1);
        assert_eq!(
            r.created_per_month.len(),
            11,
            "every month from January to November"
        );
        assert_eq!(r.created_per_month["2026-03"], 3);
        assert_eq!(r.created_per_month["2026-02"], 0);
        let fields: Vec<_> = r
            .unknown_values
            .iter()
            .map(|u| (u.field.as_str(), u.value.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("lock_reason_message", "kyc_pending"),
                ("locked_by", "compliance"),
                ("status", "suspended")
            ]
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["version"], AUDIT_FORMAT_VERSION);
        assert_eq!(json["organizations"].as_array().unwrap().len(), 6);
        assert_eq!(json["by_status"]["opened"], 2);
        let mut summary = r.clone();
        summary.organizations.clear();
        let json = serde_json::to_value(&summary).unwrap();
        assert!(
            json.get("organizations").is_none(),
            "a summary leaves them out"
        );
    }

    #[test]
    fn closed_organizations_are_apart_from_the_problems() {
        let now = Utc::now();
        let closed = |o: &mut Organization| {
            o.status = OrganizationStatus::Closed;
            o.phone_number = None;
            o.customer_id = "shared".into();
            o.email = "same@example.test".into();
        };
        let orgs = vec![
            org("a", "2026-01-10T00:00:00Z", closed),
            org("b", "2026-01-11T00:00:00Z", closed),
            org("c", "2026-01-12T00:00:00Z", |o| {
                o.customer_id = "shared".into();
                o.email = "same@example.test".into();
            }),
        ];
        let r = AuditReport::from_organizations(orgs, 7, now);
        assert_eq!(
            r.closed.iter().map(|f| f.id.as_str()).collect::<Vec<_>>(),
            vec!["a", "b"]
        );
        assert!(r.missing_phone_number.is_empty());
        assert!(
            r.shared_customer_ids.is_empty(),
            "one open organization left"
        );
        assert!(r.shared_emails.is_empty());
        assert_eq!(r.by_status["closed"], 2);
        assert_eq!(r.created_per_month["2026-01"], 3, "growth counts them all");
    }

    #[test]
    fn the_json_form_reads_back_and_names_its_version() {
        let now = utc("2026-11-28T12:00:00Z");
        let orgs = vec![
            org("a", "2026-01-10T00:00:00Z", |_| {}),
            org("b", "2026-02-10T00:00:00Z", |o| {
                partner_locked(o, "2026-11-01T00:00:00Z")
            }),
        ];
        let r = AuditReport::from_organizations(orgs, 7, now);
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(AuditReport::from_json(&text).unwrap(), r);
        let newer = text.replacen("\"version\":1", "\"version\":2", 1);
        let err = AuditReport::from_json(&newer).unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field, .. } if field == "version"),
            "{err}"
        );
        let err = AuditReport::from_json("{\"total\": 3}").unwrap_err();
        assert!(matches!(&err, Error::Validation { field, .. } if field == "version"));
        let err = AuditReport::from_json("[").unwrap_err();
        assert!(matches!(&err, Error::Validation { field, .. } if field == "report"));
    }

    #[test]
    fn a_deserializer_reads_a_report_as_the_json_form_does() {
        let now = utc("2026-11-28T12:00:00Z");
        let orgs = vec![org("a", "2026-01-10T00:00:00Z", |_| {})];
        let r = AuditReport::from_organizations(orgs, 7, now);
        let value = serde_json::to_value(&r).unwrap();
        assert_eq!(AuditReport::from_deserializer(&value).unwrap(), r);
        let field_of = |value: serde_json::Value| match AuditReport::from_deserializer(&value) {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let mut newer = value.clone();
        newer["version"] = 2.into();
        assert_eq!(field_of(newer), "version");
        assert_eq!(field_of(serde_json::json!({"total": 3})), "version");
        assert_eq!(field_of(serde_json::json!({"version": "1"})), "report");
        assert_eq!(field_of(serde_json::json!(3)), "report");
    }

    #[test]
    fn diff_tells_every_change() {
        let t0 = utc("2026-11-01T12:00:00Z");
        let t1 = t0 + chrono::Duration::days(14);
        let before = vec![
            org("a", "2026-01-10T00:00:00Z", |_| {}),
            org("b", "2026-02-10T00:00:00Z", |o| {
                partner_locked(o, "2026-10-01T00:00:00Z")
            }),
            org("c", "2026-10-30T00:00:00Z", |o| {
                awaiting_email(o, "2026-10-30T00:00:00Z")
            }),
            org("d", "2026-03-10T00:00:00Z", |_| {}),
            org("gone", "2026-03-11T00:00:00Z", |_| {}),
        ];
        let mut after = before.clone();
        after.retain(|o| o.id != "gone");
        // a: now locked by the partner; b: the partner's lock lifted, Scaleway's shows;
        // c: still waiting, now for 16 days; d: shares e's customer ID; e: new.
        partner_locked(&mut after[0], "2026-11-10T00:00:00Z");
        awaiting_email(&mut after[1], "2026-02-10T00:00:00Z");
        after[3].customer_id = "cust-e".into();
        after.push(org("e", "2026-11-12T00:00:00Z", |_| {}));
        let earlier = AuditReport::from_organizations(before, 7, t0);
        let later = AuditReport::from_organizations(after, 7, t1);
        let d = later.diff(&earlier).unwrap();
        let ids = |f: &[Finding]| f.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.new_organizations), vec!["e"]);
        assert_eq!(ids(&d.removed_organizations), vec!["gone"]);
        assert_eq!(ids(&d.new_partner_locks), vec!["a"]);
        assert_eq!(ids(&d.lifted_partner_locks), vec!["b"]);
        assert_eq!(
            d.lifted_partner_locks[0].locked_by, "scaleway",
            "as it is now"
        );
        assert_eq!(ids(&d.newly_stuck), vec!["b", "c"]);
        assert_eq!(d.new_shared_customer_ids.len(), 1);
        assert_eq!(
            d.new_shared_customer_ids[0].organization_ids,
            vec!["d", "e"]
        );
        assert!(d.new_shared_emails.is_empty());
        let changes: Vec<_> = d
            .status_changes
            .iter()
            .map(|c| {
                (
                    c.id.as_str(),
                    c.previous_locked_by.as_str(),
                    c.locked_by.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            vec![
                ("a", "unknown_locked_by", "partner"),
                ("b", "partner", "scaleway")
            ]
        );
        assert_eq!((d.previous_total, d.total), (5, 5));
        assert!(later.diff(&later).unwrap().is_empty());
        // Round trip through the JSON form, as a saved report is read back.
        let saved = AuditReport::from_json(&serde_json::to_string(&earlier).unwrap()).unwrap();
        assert_eq!(later.diff(&saved).unwrap(), d);
        let mut summary = earlier.clone();
        summary.organizations.clear();
        let err = later.diff(&summary).unwrap_err();
        assert!(matches!(&err, Error::Validation { field, .. } if field == "previous"));
    }

    #[test]
    fn diff_of_audits_with_different_thresholds_invents_no_stuck_organization() {
        // Waiting 10 days at the first audit (not stuck under its 30 days), 11 at the second
        // (stuck under its 7): it was already past 7 days before, so it is not newly stuck.
        // One that crossed 7 days between the audits is.
        let t0 = utc("2026-11-11T00:00:00Z");
        let t1 = t0 + chrono::Duration::days(1);
        let book = vec![
            org("old", "2026-11-01T00:00:00Z", |o| {
                awaiting_email(o, "2026-11-01T00:00:00Z")
            }),
            org("crossed", "2026-11-04T12:00:00Z", |o| {
                awaiting_email(o, "2026-11-04T12:00:00Z")
            }),
        ];
        let earlier = AuditReport::from_organizations(book.clone(), 30, t0);
        let later = AuditReport::from_organizations(book, 7, t1);
        assert!(earlier.stuck_in_email_validation.is_empty());
        assert_eq!(later.stuck_in_email_validation.len(), 2);
        let d = later.diff(&earlier).unwrap();
        let ids: Vec<_> = d.newly_stuck.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, vec!["crossed"]);
    }

    #[test]
    fn empty_book() {
        let r = AuditReport::from_organizations(Vec::new(), 7, Utc::now());
        assert_eq!(r.total, 0);
        assert!(r.created_per_month.is_empty());
    }
}
