//! An audit of the partner's book: who is locked and why, who never finished onboarding, which
//! customer IDs and emails point to several organizations, how the book has grown, and which
//! values the API sent that this client does not know.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

use crate::client::Client;
use crate::error::Result;
use crate::models::{ListOrganizationsRequest, LockedBy, Organization};
use crate::progress::ProgressFn;

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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// A value (customer ID or email) shared by several organizations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedValue {
    /// The shared value.
    pub value: String,
    /// The organizations sharing it, oldest first.
    pub organization_ids: Vec<String>,
}

/// A value of an enum-like field this client does not know (the API evolves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownValue {
    /// `status`, `locked_by` or `lock_reason_message`.
    pub field: String,
    /// The value seen.
    pub value: String,
    /// How many organizations carry it.
    pub count: u64,
}

/// The audit of a partner's organizations. Serializes to JSON (without the organizations
/// themselves, which [`AuditReport::organizations`] keeps for drill-down).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
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
    /// Waiting for the owner's email validation for more than `stuck_after_days`, longest first.
    pub stuck_in_email_validation: Vec<Finding>,
    /// Locked by the partner, longest-locked first.
    pub locked_by_partner: Vec<Finding>,
    /// Customer IDs used by several organizations, most used first.
    pub shared_customer_ids: Vec<SharedValue>,
    /// Owner emails (case-insensitive) used by several organizations, most used first.
    pub shared_emails: Vec<SharedValue>,
    /// Organizations with an empty customer ID.
    pub empty_customer_id: Vec<Finding>,
    /// Organizations with no phone number.
    pub missing_phone_number: Vec<Finding>,
    /// Organizations created per month (`YYYY-MM`), every month from the first to the last.
    pub created_per_month: BTreeMap<String, u64>,
    /// Values this client does not know.
    pub unknown_values: Vec<UnknownValue>,
    /// The organizations audited, oldest first.
    #[serde(skip)]
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
        let mut lister = self.list_organizations(ListOrganizationsRequest::new());
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
fn shared(groups: HashMap<String, Vec<String>>) -> Vec<SharedValue> {
    let mut out: Vec<_> = groups
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(value, organization_ids)| SharedValue {
            value,
            organization_ids,
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
            generated_at: now,
            stuck_after_days,
            total: organizations.len() as u64,
            by_status: BTreeMap::new(),
            by_locked_by: BTreeMap::new(),
            by_lock_reason: BTreeMap::new(),
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
        let mut customer_ids: HashMap<String, Vec<String>> = HashMap::new();
        let mut emails: HashMap<String, Vec<String>> = HashMap::new();
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
            let waiting_email = org.locked_by == LockedBy::Scaleway
                && org.lock_reason_message.as_deref() == Some("validate_email");
            if waiting_email {
                let days = days_since(now, org.locked_at.or(org.created_at));
                if days.is_some_and(|d| d > f64::from(stuck_after_days)) {
                    r.stuck_in_email_validation.push(Finding::new(org, days));
                }
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
                    .push(org.id.clone());
            }
            if !org.email.is_empty() {
                emails
                    .entry(org.email.to_lowercase())
                    .or_default()
                    .push(org.id.clone());
            }
            if org.phone_number.is_none() {
                r.missing_phone_number.push(Finding::new(org, None));
            }
            if let Some(t) = org.created_at {
                *months.entry(month_key(t)).or_default() += 1;
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::OrganizationStatus;

    fn org(id: &str, created: &str, f: impl FnOnce(&mut Organization)) -> Organization {
        let t = DateTime::parse_from_rfc3339(created)
            .unwrap()
            .with_timezone(&Utc);
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
        };
        f(&mut o);
        o
    }

    fn locked(o: &mut Organization, by: LockedBy, reason: &str, at: &str) {
        o.status = OrganizationStatus::Locked;
        o.locked_by = by;
        o.lock_reason_message = Some(reason.into());
        o.locked_at = Some(
            DateTime::parse_from_rfc3339(at)
                .unwrap()
                .with_timezone(&Utc),
        );
    }

    #[test]
    fn every_finding() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let orgs = vec![
            org("a", "2026-01-10T00:00:00Z", |_| {}),
            org("b", "2026-11-01T00:00:00Z", |o| {
                locked(
                    o,
                    LockedBy::Scaleway,
                    "validate_email",
                    "2026-11-01T00:00:01Z",
                )
            }),
            org("c", "2026-11-27T00:00:00Z", |o| {
                locked(
                    o,
                    LockedBy::Scaleway,
                    "validate_email",
                    "2026-11-27T00:00:01Z",
                )
            }),
            org("d", "2026-03-05T00:00:00Z", |o| {
                locked(
                    o,
                    LockedBy::Partner,
                    "locked_by_reseller",
                    "2026-11-18T12:00:00Z",
                );
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
        assert_eq!(
            r.shared_customer_ids,
            vec![SharedValue {
                value: "cust-a".into(),
                organization_ids: vec!["a".into(), "d".into()]
            }]
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
        assert!(json.get("organizations").is_none());
        assert_eq!(json["by_status"]["opened"], 2);
    }

    #[test]
    fn empty_book() {
        let r = AuditReport::from_organizations(Vec::new(), 7, Utc::now());
        assert_eq!(r.total, 0);
        assert!(r.created_per_month.is_empty());
    }
}
