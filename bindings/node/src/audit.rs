//! Audit reports and their diff cross to JS and back in the core's own JSON form (their shape
//! is declared once, in the core); `lib/audit.js` turns it into plain JS objects (camelCase
//! keys, `Date`s) and back. The diff of two reports (`diffAudits`) is the core's.

use scaleway_partner as core;
use serde::Serialize;

/// A report or a diff in the core's JSON form.
pub fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("strings, numbers and timestamps always serialize")
}

/// What changed from `previous` to `report`, both and the answer in the core's JSON form:
/// exported by `crate::diff_audits`.
pub fn diff_audits(report: &str, previous: &str) -> core::Result<String> {
    let report = core::AuditReport::from_json(report)?;
    let previous = core::AuditReport::from_json(previous)?;
    report.diff(&previous).map(|diff| to_json(&diff))
}

/// The plan locking or unlocking the organizations of `report` picked by ID (exported by
/// `crate::plan_locks`).
pub fn plan_locks(report: &str, ids: &[String], lock: bool) -> core::Result<String> {
    core::AuditReport::from_json(report)
        .and_then(|report| report.plan_locks(ids, lock))
        .map(|plan| plan.to_json())
}
