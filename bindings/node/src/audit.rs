//! The core's audit report and diff reach JS as the core's own JSON form (their shape is
//! declared once, in the core), which `lib/audit.js` turns into plain JS objects (camelCase
//! keys, `Date`s). The diff of two reports (`diffAudits`) is the core's too: it rebuilds both
//! reports from their organizations, reference time and threshold.

use chrono::{DateTime, Utc};
use napi_derive::napi;
use scaleway_partner as core;
use serde::Serialize;

use crate::convert::Organization;
use crate::errors::to_napi;

/// A report or a diff in the core's JSON form.
pub fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("strings, numbers and timestamps always serialize")
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

/// What changed from `previous` to `report`, in the core's JSON form: exported by
/// `crate::diff_audits`.
pub fn diff_audits(report: AuditSource, previous: AuditSource) -> napi::Result<String> {
    report
        .report()
        .diff(&previous.report())
        .map(|diff| to_json(&diff))
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
