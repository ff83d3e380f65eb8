//! The core's audit report as plain JS objects (camelCase keys, `Date`s); the audit itself is
//! the core's, and so is the diff of two reports (`diffAudits`), which rebuilds both reports
//! from their organizations, reference time and threshold.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use napi_derive::napi;
use scaleway_partner as core;

use crate::convert::Organization;
use crate::errors::to_napi;

// Counts stay far below 2^53, where a JS number is exact (a u64 would become a BigInt).
fn counts(map: BTreeMap<String, u64>) -> BTreeMap<String, f64> {
    map.into_iter().map(|(k, n)| (k, n as f64)).collect()
}

/// One organization in a finding.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct AuditFinding {
    pub id: String,
    pub name: String,
    pub email: String,
    pub customer_id: String,
    pub status: String,
    pub locked_by: String,
    pub lock_reason_message: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub locked_at: Option<DateTime<Utc>>,
    /// Days waiting or locked, for the findings that have an age.
    pub days: Option<f64>,
}

impl From<core::Finding> for AuditFinding {
    fn from(f: core::Finding) -> Self {
        AuditFinding {
            id: f.id,
            name: f.name,
            email: f.email,
            customer_id: f.customer_id,
            status: f.status,
            locked_by: f.locked_by,
            lock_reason_message: f.lock_reason_message,
            created_at: f.created_at,
            locked_at: f.locked_at,
            days: f.days,
        }
    }
}

/// An organization of a shared value's group.
#[napi(object)]
#[derive(Debug)]
pub struct AuditSharedMember {
    pub id: String,
    pub name: String,
    pub email: String,
    pub customer_id: String,
    pub status: String,
}

/// A customer ID or email shared by several organizations (closed ones aside).
#[napi(object)]
#[derive(Debug)]
pub struct AuditSharedValue {
    pub value: String,
    pub organization_ids: Vec<String>,
    pub organizations: Vec<AuditSharedMember>,
}

/// A value of `status`, `locked_by` or `lock_reason_message` the core does not know.
#[napi(object)]
#[derive(Debug)]
pub struct AuditUnknownValue {
    pub field: String,
    pub value: String,
    pub count: f64,
}

/// The report, field for field.
#[napi(object)]
#[derive(Debug)]
pub struct AuditReport {
    pub version: u32,
    pub generated_at: DateTime<Utc>,
    pub stuck_after_days: u32,
    pub total: f64,
    pub by_status: BTreeMap<String, f64>,
    pub by_locked_by: BTreeMap<String, f64>,
    pub by_lock_reason: BTreeMap<String, f64>,
    /// Closed organizations: in no problem list.
    pub closed: Vec<AuditFinding>,
    pub stuck_in_email_validation: Vec<AuditFinding>,
    pub locked_by_partner: Vec<AuditFinding>,
    pub shared_customer_ids: Vec<AuditSharedValue>,
    pub shared_emails: Vec<AuditSharedValue>,
    pub empty_customer_id: Vec<AuditFinding>,
    pub missing_phone_number: Vec<AuditFinding>,
    /// `YYYY-MM` -> count, in month order (a JS object keeps the insertion order of such keys).
    pub created_per_month: BTreeMap<String, f64>,
    pub unknown_values: Vec<AuditUnknownValue>,
    pub organizations: Vec<Organization>,
}

fn findings(list: Vec<core::Finding>) -> Vec<AuditFinding> {
    list.into_iter().map(Into::into).collect()
}

fn shared(list: Vec<core::SharedValue>) -> Vec<AuditSharedValue> {
    list.into_iter()
        .map(|s| AuditSharedValue {
            value: s.value,
            organization_ids: s.organization_ids,
            organizations: s
                .organizations
                .into_iter()
                .map(|m| AuditSharedMember {
                    id: m.id,
                    name: m.name,
                    email: m.email,
                    customer_id: m.customer_id,
                    status: m.status,
                })
                .collect(),
        })
        .collect()
}

impl From<core::AuditReport> for AuditReport {
    fn from(r: core::AuditReport) -> Self {
        AuditReport {
            version: r.version,
            generated_at: r.generated_at,
            stuck_after_days: r.stuck_after_days,
            total: r.total as f64,
            by_status: counts(r.by_status),
            by_locked_by: counts(r.by_locked_by),
            by_lock_reason: counts(r.by_lock_reason),
            closed: findings(r.closed),
            stuck_in_email_validation: findings(r.stuck_in_email_validation),
            locked_by_partner: findings(r.locked_by_partner),
            shared_customer_ids: shared(r.shared_customer_ids),
            shared_emails: shared(r.shared_emails),
            empty_customer_id: findings(r.empty_customer_id),
            missing_phone_number: findings(r.missing_phone_number),
            created_per_month: counts(r.created_per_month),
            unknown_values: r
                .unknown_values
                .into_iter()
                .map(|u| AuditUnknownValue {
                    field: u.field,
                    value: u.value,
                    count: u.count as f64,
                })
                .collect(),
            organizations: r.organizations.into_iter().map(Into::into).collect(),
        }
    }
}

/// What `diffAudits` reads of a report: enough for the core to rebuild it exactly.
#[napi(object)]
#[derive(Debug)]
pub struct AuditSource {
    pub generated_at: DateTime<Utc>,
    pub stuck_after_days: u32,
    pub organizations: Vec<Organization>,
}

impl AuditSource {
    fn report(self) -> core::AuditReport {
        let organizations = self.organizations.into_iter().map(Into::into).collect();
        core::AuditReport::from_organizations(
            organizations,
            self.stuck_after_days,
            self.generated_at,
        )
    }
}

/// An organization whose status, lock holder or lock reason changed.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct AuditStatusChange {
    pub id: String,
    pub name: String,
    pub previous_status: String,
    pub status: String,
    pub previous_locked_by: String,
    pub locked_by: String,
    pub previous_lock_reason_message: Option<String>,
    pub lock_reason_message: Option<String>,
}

/// The changes from an earlier audit to a later one.
#[napi(object)]
#[derive(Debug)]
pub struct AuditDiff {
    pub version: u32,
    pub previous_generated_at: DateTime<Utc>,
    pub generated_at: DateTime<Utc>,
    pub previous_total: f64,
    pub total: f64,
    pub new_organizations: Vec<AuditFinding>,
    pub removed_organizations: Vec<AuditFinding>,
    pub new_partner_locks: Vec<AuditFinding>,
    pub lifted_partner_locks: Vec<AuditFinding>,
    pub newly_stuck: Vec<AuditFinding>,
    pub new_shared_customer_ids: Vec<AuditSharedValue>,
    pub new_shared_emails: Vec<AuditSharedValue>,
    pub status_changes: Vec<AuditStatusChange>,
}

impl From<core::AuditDiff> for AuditDiff {
    fn from(d: core::AuditDiff) -> Self {
        AuditDiff {
            version: d.version,
            previous_generated_at: d.previous_generated_at,
            generated_at: d.generated_at,
            previous_total: d.previous_total as f64,
            total: d.total as f64,
            new_organizations: findings(d.new_organizations),
            removed_organizations: findings(d.removed_organizations),
            new_partner_locks: findings(d.new_partner_locks),
            lifted_partner_locks: findings(d.lifted_partner_locks),
            newly_stuck: findings(d.newly_stuck),
            new_shared_customer_ids: shared(d.new_shared_customer_ids),
            new_shared_emails: shared(d.new_shared_emails),
            status_changes: d
                .status_changes
                .into_iter()
                .map(|c| AuditStatusChange {
                    id: c.id,
                    name: c.name,
                    previous_status: c.previous_status,
                    status: c.status,
                    previous_locked_by: c.previous_locked_by,
                    locked_by: c.locked_by,
                    previous_lock_reason_message: c.previous_lock_reason_message,
                    lock_reason_message: c.lock_reason_message,
                })
                .collect(),
        }
    }
}

/// What changed from `previous` to `report`: exported by `crate::diff_audits`.
pub fn diff_audits(report: AuditSource, previous: AuditSource) -> napi::Result<AuditDiff> {
    report
        .report()
        .diff(&previous.report())
        .map(Into::into)
        .map_err(to_napi)
}

impl From<Organization> for core::Organization {
    fn from(o: Organization) -> Self {
        core::Organization {
            id: o.id,
            name: o.name,
            email: o.email,
            status: o.status.into(),
            locked_by: o.locked_by.into(),
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
        }
    }
}
