//! What changed between two audits of the same book: the weekly question of a reseller.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AUDIT_FORMAT_VERSION, AuditReport, Finding, SharedValue, stuck_for};
use crate::error::{Error, Result};
use crate::models::Organization;

/// An organization whose status, lock holder or lock reason changed between two audits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    /// Organization ID.
    pub id: String,
    /// Organization name (now).
    pub name: String,
    /// Status in the earlier audit.
    pub previous_status: String,
    /// Status now.
    pub status: String,
    /// Who held the lock in the earlier audit.
    pub previous_locked_by: String,
    /// Who holds the lock now.
    pub locked_by: String,
    /// Lock reason in the earlier audit.
    pub previous_lock_reason_message: Option<String>,
    /// Lock reason now.
    pub lock_reason_message: Option<String>,
}

/// The changes from an earlier audit to a later one ([`AuditReport::diff`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditDiff {
    /// Version of the JSON form (the report's, [`AUDIT_FORMAT_VERSION`]).
    pub version: u32,
    /// When the earlier audit ran.
    pub previous_generated_at: DateTime<Utc>,
    /// When the later audit ran.
    pub generated_at: DateTime<Utc>,
    /// Organizations in the earlier audit.
    pub previous_total: u64,
    /// Organizations in the later audit.
    pub total: u64,
    /// Organizations that were not in the earlier audit, oldest first.
    pub new_organizations: Vec<Finding>,
    /// Organizations of the earlier audit that are gone, as they were.
    pub removed_organizations: Vec<Finding>,
    /// Locked by the partner now, not in the earlier audit; longest-locked first.
    pub new_partner_locks: Vec<Finding>,
    /// Locked by the partner in the earlier audit, not now: as the organization is now (it
    /// may still be locked by Scaleway), or as it was when it is gone.
    pub lifted_partner_locks: Vec<Finding>,
    /// Stuck in email validation now, not in the earlier audit; longest first.
    pub newly_stuck: Vec<Finding>,
    /// Customer IDs shared now that were not, or shared with more organizations than before.
    pub new_shared_customer_ids: Vec<SharedValue>,
    /// Owner emails shared now that were not, or shared with more organizations than before.
    pub new_shared_emails: Vec<SharedValue>,
    /// Organizations in both audits whose status, lock holder or lock reason changed.
    pub status_changes: Vec<StatusChange>,
}

impl AuditDiff {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.new_organizations.is_empty()
            && self.removed_organizations.is_empty()
            && self.new_partner_locks.is_empty()
            && self.lifted_partner_locks.is_empty()
            && self.newly_stuck.is_empty()
            && self.new_shared_customer_ids.is_empty()
            && self.new_shared_emails.is_empty()
            && self.status_changes.is_empty()
    }
}

fn ids(findings: &[Finding]) -> HashSet<&str> {
    findings.iter().map(|f| f.id.as_str()).collect()
}

fn not_in(findings: &[Finding], earlier: &[Finding]) -> Vec<Finding> {
    let earlier = ids(earlier);
    findings
        .iter()
        .filter(|f| !earlier.contains(f.id.as_str()))
        .cloned()
        .collect()
}

/// Stuck now and not at the earlier audit, both judged by this audit's `stuck_after_days`: two
/// audits made with different thresholds do not make unchanged organizations "newly" stuck.
fn newly_stuck(report: &AuditReport, previous: &AuditReport) -> Vec<Finding> {
    let before: HashSet<&str> = previous
        .organizations
        .iter()
        .filter(|o| stuck_for(o, report.stuck_after_days, previous.generated_at).is_some())
        .map(|o| o.id.as_str())
        .collect();
    report
        .stuck_in_email_validation
        .iter()
        .filter(|f| !before.contains(f.id.as_str()))
        .cloned()
        .collect()
}

/// Shared values with a member the earlier audit did not group under that value.
fn new_shared(now: &[SharedValue], earlier: &[SharedValue]) -> Vec<SharedValue> {
    let before: HashMap<&str, HashSet<&str>> = earlier
        .iter()
        .map(|s| {
            let members = s.organization_ids.iter().map(String::as_str).collect();
            (s.value.as_str(), members)
        })
        .collect();
    now.iter()
        .filter(|s| match before.get(s.value.as_str()) {
            None => true,
            Some(members) => s
                .organization_ids
                .iter()
                .any(|id| !members.contains(id.as_str())),
        })
        .cloned()
        .collect()
}

fn held(report: &AuditReport, which: &str) -> Result<()> {
    if report.organizations.len() as u64 == report.total {
        return Ok(());
    }
    Err(Error::Validation {
        field: which.into(),
        message: format!(
            "holds {} of its {} organizations: a diff needs them all (save the report with its organizations)",
            report.organizations.len(),
            report.total
        )
        .into(),
    })
}

impl AuditReport {
    /// The changes since `previous`, an earlier audit of the same book. Both reports must
    /// hold their organizations (a saved report keeps them).
    ///
    /// ```
    /// # use scaleway_partner::AuditReport;
    /// # let now = chrono::Utc::now();
    /// let before = AuditReport::from_organizations(Vec::new(), 7, now);
    /// let after = AuditReport::from_organizations(Vec::new(), 7, now);
    /// assert!(after.diff(&before).unwrap().is_empty());
    /// ```
    pub fn diff(&self, previous: &AuditReport) -> Result<AuditDiff> {
        held(self, "report")?;
        held(previous, "previous")?;
        let before: HashMap<&str, &Organization> = previous
            .organizations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let now: HashMap<&str, &Organization> = self
            .organizations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let mut new_organizations = Vec::new();
        let mut status_changes = Vec::new();
        for org in &self.organizations {
            let Some(old) = before.get(org.id.as_str()) else {
                new_organizations.push(Finding::new(org, None));
                continue;
            };
            if old.status != org.status
                || old.locked_by != org.locked_by
                || old.lock_reason_message != org.lock_reason_message
            {
                status_changes.push(StatusChange {
                    id: org.id.clone(),
                    name: org.name.clone(),
                    previous_status: old.status.to_string(),
                    status: org.status.to_string(),
                    previous_locked_by: old.locked_by.to_string(),
                    locked_by: org.locked_by.to_string(),
                    previous_lock_reason_message: old.lock_reason_message.clone(),
                    lock_reason_message: org.lock_reason_message.clone(),
                });
            }
        }
        let removed_organizations = previous
            .organizations
            .iter()
            .filter(|o| !now.contains_key(o.id.as_str()))
            .map(|o| Finding::new(o, None))
            .collect();
        let locked_now = ids(&self.locked_by_partner);
        let lifted_partner_locks = previous
            .locked_by_partner
            .iter()
            .filter(|f| !locked_now.contains(f.id.as_str()))
            .map(|f| match now.get(f.id.as_str()) {
                Some(org) => Finding::new(org, None),
                None => f.clone(),
            })
            .collect();
        Ok(AuditDiff {
            version: AUDIT_FORMAT_VERSION,
            previous_generated_at: previous.generated_at,
            generated_at: self.generated_at,
            previous_total: previous.total,
            total: self.total,
            new_organizations,
            removed_organizations,
            new_partner_locks: not_in(&self.locked_by_partner, &previous.locked_by_partner),
            lifted_partner_locks,
            newly_stuck: newly_stuck(self, previous),
            new_shared_customer_ids: new_shared(
                &self.shared_customer_ids,
                &previous.shared_customer_ids,
            ),
            new_shared_emails: new_shared(&self.shared_emails, &previous.shared_emails),
            status_changes,
        })
    }
}
