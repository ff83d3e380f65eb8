//! The core's audit report as plain JS objects (camelCase keys, `Date`s); the audit itself is
//! the core's.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use napi_derive::napi;
use scaleway_partner as core;

use crate::convert::Organization;

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

/// A customer ID or email shared by several organizations.
#[napi(object)]
#[derive(Debug)]
pub struct AuditSharedValue {
    pub value: String,
    pub organization_ids: Vec<String>,
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
    pub generated_at: DateTime<Utc>,
    pub stuck_after_days: u32,
    pub total: f64,
    pub by_status: BTreeMap<String, f64>,
    pub by_locked_by: BTreeMap<String, f64>,
    pub by_lock_reason: BTreeMap<String, f64>,
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
        })
        .collect()
}

impl From<core::AuditReport> for AuditReport {
    fn from(r: core::AuditReport) -> Self {
        AuditReport {
            generated_at: r.generated_at,
            stuck_after_days: r.stuck_after_days,
            total: r.total as f64,
            by_status: counts(r.by_status),
            by_locked_by: counts(r.by_locked_by),
            by_lock_reason: counts(r.by_lock_reason),
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
