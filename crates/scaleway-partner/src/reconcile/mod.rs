//! The customer book as code: the partner's own records of its customers (a CRM or billing
//! export) against its organizations. [`Client::plan`] reads the book with one complete
//! listing and says, per customer, the one action that brings its organization in line (or
//! none), and apart what it will not touch; [`Client::apply`] carries a plan out through the
//! safe primitives, with a durable journal so an interrupted apply resumes without repeating
//! itself.
//!
//! **Owner email.** The customer ID is the key; the owner email tells whether the organization
//! found is this customer's. An email that differs only by ASCII case is the same owner (and
//! is left as it is). Any other address is a conflict, never guessed, unless the record says
//! explicitly that the owner's email changed: its `previous_email` is the organization's
//! current one (case aside), and then an update of `email` is planned.

mod apply;
mod journal;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use apply::{ActionResult, ActionStatus, ApplyInterrupted, ApplyOptions, ApplyOutcome};

use crate::audit::AuditReport;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::{
    CreateOrganizationRequest, ListOrganizationsRequest, LockedBy, Organization,
    OrganizationStatus, UpdateOrganizationRequest,
};
use crate::progress::ProgressFn;
use crate::setting::Message;

/// Version of a plan's JSON form; [`Plan::from_json`] reads this version only.
pub const PLAN_FORMAT_VERSION: u32 = 1;

/// Whether the customer's account should be usable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiredState {
    /// Usable: no partner lock.
    #[default]
    Active,
    /// Suspended (unpaid, for example): locked by the partner.
    Suspended,
}

impl DesiredState {
    /// The value as records spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            DesiredState::Active => "active",
            DesiredState::Suspended => "suspended",
        }
    }
}

/// One customer as the partner's records say it should be. Fields are the API's
/// (`create_organization`'s, plus `comment`); `phone_number`, `siren_number` and `comment`
/// left out (or empty) are not managed: whatever the organization has is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiredRecord {
    /// The partner's reference for the customer: the key.
    pub customer_id: String,
    /// Owner's email.
    pub email: String,
    /// Organization name.
    pub organization_name: String,
    /// Owner's first name.
    pub owner_firstname: String,
    /// Owner's last name.
    pub owner_lastname: String,
    /// Owner's phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// French SIREN number (set at creation only: the API cannot change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siren_number: Option<String>,
    /// The partner's comment on the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The owner's former email, when it changed: the one explicit way to plan an email update
    /// rather than report a conflict (see the module's documentation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_email: Option<String>,
    /// Active or suspended.
    #[serde(default)]
    pub state: DesiredState,
}

/// The keys a record may have.
pub const RECORD_FIELDS: [&str; 10] = [
    "customer_id",
    "email",
    "organization_name",
    "owner_firstname",
    "owner_lastname",
    "phone_number",
    "siren_number",
    "comment",
    "previous_email",
    "state",
];

impl DesiredRecord {
    /// The create request this record makes.
    pub fn create_request(&self) -> CreateOrganizationRequest {
        CreateOrganizationRequest {
            partner_id: None,
            email: Some(self.email.clone()),
            organization_name: Some(self.organization_name.clone()),
            owner_firstname: Some(self.owner_firstname.clone()),
            owner_lastname: Some(self.owner_lastname.clone()),
            customer_id: Some(self.customer_id.clone()),
            phone_number: self.phone_number.clone(),
            siren_number: self.siren_number.clone(),
        }
    }

    /// Checks the record with the API's own rules (those of `create_organization`, and of
    /// `update_organization` for the comment and the previous email).
    pub fn validate(&self) -> Result<()> {
        self.create_request().validate()?;
        let mut extra = UpdateOrganizationRequest::new();
        extra.comment = self.comment.clone();
        extra.email = self.previous_email.clone();
        extra.validate().map_err(|e| match e {
            Error::Validation { field, message } if field == "email" => Error::Validation {
                field: "previous_email".into(),
                message,
            },
            e => e,
        })
    }

    /// Reads a record from a mapping of field names to values: strings, `null`, or numbers (a
    /// CSV or DataFrame cell read as a number is written back as the API's text). An empty
    /// optional field is left out; an unknown key is refused (a misspelt column would
    /// otherwise be silently unmanaged).
    pub fn from_value(value: &Value) -> Result<DesiredRecord> {
        let Value::Object(map) = value else {
            return Err(Error::validation(
                "record",
                "must be a mapping of field names to values",
            ));
        };
        let mut text: HashMap<&str, String> = HashMap::new();
        for (key, value) in map {
            let Some(field) = RECORD_FIELDS.iter().find(|f| **f == key.as_str()) else {
                return Err(Error::validation(
                    key.as_str(),
                    format!(
                        "is not a record field (expected {})",
                        RECORD_FIELDS.join(", ")
                    ),
                ));
            };
            let cell = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
                other => {
                    return Err(Error::validation(
                        *field,
                        format!("must be text, got {other}"),
                    ));
                }
            };
            if !cell.is_empty() {
                text.insert(field, cell);
            }
        }
        let mut take = |f: &str| text.remove(f);
        let state = match take("state").as_deref() {
            None | Some("active") => DesiredState::Active,
            Some("suspended") => DesiredState::Suspended,
            Some(other) => {
                return Err(Error::validation(
                    "state",
                    format!("must be active or suspended, got {other:?}"),
                ));
            }
        };
        Ok(DesiredRecord {
            customer_id: take("customer_id").unwrap_or_default(),
            email: take("email").unwrap_or_default(),
            organization_name: take("organization_name").unwrap_or_default(),
            owner_firstname: take("owner_firstname").unwrap_or_default(),
            owner_lastname: take("owner_lastname").unwrap_or_default(),
            phone_number: take("phone_number"),
            siren_number: take("siren_number"),
            comment: take("comment"),
            previous_email: take("previous_email"),
            state,
        })
    }
}

/// Records checked as a whole: each valid, no customer ID twice. Nothing is planned from
/// anything less.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desired {
    records: Vec<DesiredRecord>,
}

impl Desired {
    /// Checks every record. The first fault is an [`Error::Validation`] whose field is the
    /// record's (`email`) and whose message starts with its row (1-based, in input order):
    /// `invalid email: row 3 (customer_id "c-9"): must be a valid email address...`.
    pub fn new(records: Vec<DesiredRecord>) -> Result<Desired> {
        let mut rows: HashMap<&str, usize> = HashMap::new();
        for (i, record) in records.iter().enumerate() {
            record
                .validate()
                .map_err(|e| at_row(i, Some(&record.customer_id), e))?;
            if let Some(first) = rows.insert(record.customer_id.as_str(), i) {
                return Err(at_row(
                    i,
                    None,
                    Error::validation(
                        "customer_id",
                        format!(
                            "{:?} is listed twice (also on row {})",
                            record.customer_id,
                            first + 1
                        ),
                    ),
                ));
            }
        }
        Ok(Desired { records })
    }

    /// Reads and checks records given as mappings (see [`DesiredRecord::from_value`]).
    pub fn from_values<'a>(values: impl IntoIterator<Item = &'a Value>) -> Result<Desired> {
        let records = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| DesiredRecord::from_value(v).map_err(|e| at_row(i, None, e)))
            .collect::<Result<Vec<_>>>()?;
        Desired::new(records)
    }

    /// The records, in input order.
    pub fn records(&self) -> &[DesiredRecord] {
        &self.records
    }
}

/// The error of a record, with its row (1-based) in front of the message.
fn at_row(index: usize, customer_id: Option<&str>, e: Error) -> Error {
    match e {
        Error::Validation { field, message } => {
            let who = customer_id
                .filter(|c| !c.is_empty() && field != "customer_id")
                .map(|c| format!(" (customer_id {c:?})"))
                .unwrap_or_default();
            Error::Validation {
                field,
                message: Message::default()
                    .text(format!("row {}{who}: ", index + 1))
                    .then(message),
            }
        }
        e => e,
    }
}

/// Options of [`Client::plan`] and [`Plan::build`].
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// Also lock the organizations no record claims (not already locked by the partner, not
    /// closed). Off by default: they are only reported.
    pub lock_unclaimed: bool,
    /// Called after each page of the listing.
    pub progress: Option<ProgressFn>,
}

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Create the organization (by `ensure`), then set its comment and lock it if asked.
    Create,
    /// Change the fields that differ (and lock or unlock it when its state differs too).
    Update,
    /// Lock it (suspended, not locked by the partner).
    Lock,
    /// Lift the partner's lock (active, locked by the partner).
    Unlock,
}

impl ActionKind {
    /// The kind as the plan's JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Update => "update",
            ActionKind::Lock => "lock",
            ActionKind::Unlock => "unlock",
        }
    }
}

/// One field an action sets: its value in the book (`None` when absent, and for a create) and
/// the one it will have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field, as `update_organization` spells it (`name`, `email`, `comment`...).
    pub field: String,
    /// Its value in the book.
    pub before: Option<String>,
    /// Its value after the action.
    pub after: Option<String>,
}

/// What the plan saw of an organization it will change: the fields an action may set and
/// whether the partner's lock was on. Apply reads the organization again and refuses the
/// action (stale) when any of these differs both from this and from what the action sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Organization name.
    pub name: String,
    /// Owner email.
    pub email: String,
    /// Owner first name.
    pub owner_firstname: String,
    /// Owner last name.
    pub owner_lastname: String,
    /// Phone number.
    pub phone_number: Option<String>,
    /// Comment.
    pub comment: String,
    /// True when the partner's lock was on.
    pub locked_by_partner: bool,
    /// Status.
    pub status: OrganizationStatus,
}

impl Seen {
    fn of(org: &Organization) -> Seen {
        Seen {
            name: org.name.clone(),
            email: org.email.clone(),
            owner_firstname: org.owner_firstname.clone(),
            owner_lastname: org.owner_lastname.clone(),
            phone_number: org.phone_number.clone(),
            comment: org.comment.clone(),
            locked_by_partner: org.is_locked_by_partner(),
            status: org.status.clone(),
        }
    }

    /// The compared values by field name (status aside: Scaleway changes it on its own when
    /// the owner validates the email, which is no edit of the partner's).
    fn values(&self) -> [(&'static str, Option<String>); 7] {
        [
            ("name", Some(self.name.clone())),
            ("email", Some(self.email.clone())),
            ("owner_firstname", Some(self.owner_firstname.clone())),
            ("owner_lastname", Some(self.owner_lastname.clone())),
            ("phone_number", self.phone_number.clone()),
            ("comment", Some(self.comment.clone())),
            (
                "locked_by_partner",
                Some(self.locked_by_partner.to_string()),
            ),
        ]
    }
}

/// One action of a plan, on one customer's organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// What it does.
    pub kind: ActionKind,
    /// The customer.
    pub customer_id: String,
    /// The organization (none for a create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The organization's name (the record's, for a create).
    pub name: String,
    /// The fields set (for a create: every field given, before `None`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// `Some(true)`: lock it; `Some(false)`: lift the partner's lock (a create or update may
    /// carry one too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<bool>,
    /// For a create: the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<DesiredRecord>,
    /// For a change: what the plan saw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen: Option<Seen>,
}

impl Action {
    /// The update request of the field changes (none for a create or a lone lock change).
    pub fn update_request(&self) -> Option<UpdateOrganizationRequest> {
        if self.kind == ActionKind::Create || self.changes.is_empty() {
            return None;
        }
        let mut req = UpdateOrganizationRequest::new();
        for c in &self.changes {
            let v = c.after.clone();
            match c.field.as_str() {
                "name" => req.name = v,
                "email" => req.email = v,
                "owner_firstname" => req.owner_firstname = v,
                "owner_lastname" => req.owner_lastname = v,
                "phone_number" => req.phone_number = v,
                "comment" => req.comment = v,
                _ => {}
            }
        }
        Some(req)
    }

    /// What the organization looks like once the action is done, in [`Seen::values`] terms.
    fn target(&self) -> Option<Seen> {
        let mut t = self.seen.clone()?;
        for c in &self.changes {
            let v = c.after.clone();
            match c.field.as_str() {
                "name" => t.name = v.unwrap_or_default(),
                "email" => t.email = v.unwrap_or_default(),
                "owner_firstname" => t.owner_firstname = v.unwrap_or_default(),
                "owner_lastname" => t.owner_lastname = v.unwrap_or_default(),
                "phone_number" => t.phone_number = v,
                "comment" => t.comment = v.unwrap_or_default(),
                _ => {}
            }
        }
        if let Some(lock) = self.lock {
            t.locked_by_partner = lock;
        }
        Some(t)
    }
}

/// Why a customer's organizations are left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanConflict {
    /// The customer.
    pub customer_id: String,
    /// The organizations in question.
    pub organization_ids: Vec<String>,
    /// What does not match.
    pub reason: String,
}

/// An organization the plan reports without touching it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reported {
    /// Organization ID.
    pub id: String,
    /// Customer ID.
    pub customer_id: String,
    /// Name.
    pub name: String,
    /// Owner email.
    pub email: String,
    /// Status.
    pub status: OrganizationStatus,
    /// Who placed the lock shown.
    pub locked_by: LockedBy,
}

impl Reported {
    fn of(org: &Organization) -> Reported {
        Reported {
            id: org.id.clone(),
            customer_id: org.customer_id.clone(),
            name: org.name.clone(),
            email: org.email.clone(),
            status: org.status.clone(),
            locked_by: org.locked_by.clone(),
        }
    }
}

/// What to do to bring the book in line with the records, and what will not be touched. A
/// value: saved as versioned JSON ([`to_json`](Plan::to_json), [`from_json`](Plan::from_json)),
/// printed with counts (`Display`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// [`PLAN_FORMAT_VERSION`].
    pub version: u32,
    /// This plan's identity: a journal belongs to one plan.
    pub id: String,
    /// When the book was read.
    pub created_at: DateTime<Utc>,
    /// Organizations in the book when it was read.
    pub book_size: usize,
    /// Records given.
    pub records: usize,
    /// For a plan of organizations picked ([`Plan::lock_selection`]): how many were picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picked: Option<usize>,
    /// Customers already in line (organizations picked that the change leaves as they are).
    pub unchanged: usize,
    /// The actions, creates first, then by customer ID.
    pub actions: Vec<Action>,
    /// Customers whose organizations are left alone.
    pub conflicts: Vec<PlanConflict>,
    /// Organizations no record claims (left alone unless `lock_unclaimed`).
    pub unclaimed: Vec<Reported>,
    /// Claimed organizations under Scaleway's lock (email validation): the partner cannot lift it.
    pub scaleway_locked: Vec<Reported>,
}

impl Plan {
    /// Plans `desired` against `book` (every organization of the partner, as one complete
    /// listing reads it).
    pub fn build(desired: &Desired, book: &[Organization], options: &PlanOptions) -> Plan {
        let mut by_customer: HashMap<&str, Vec<&Organization>> = HashMap::new();
        for org in book {
            by_customer
                .entry(org.customer_id.as_str())
                .or_default()
                .push(org);
        }
        let claimed: HashSet<&str> = desired
            .records
            .iter()
            .map(|r| r.customer_id.as_str())
            .collect();
        let mut plan = Plan {
            records: desired.records.len(),
            ..Plan::empty(book.len())
        };
        for record in &desired.records {
            let found = by_customer
                .get(record.customer_id.as_str())
                .map_or(&[][..], |v| v);
            match found {
                [] => plan.actions.push(create_action(record)),
                [org] => match change_action(record, org) {
                    Ok(action) => {
                        if org.locked_by == LockedBy::Scaleway {
                            plan.scaleway_locked.push(Reported::of(org));
                        }
                        match action {
                            Some(a) => plan.actions.push(a),
                            None => plan.unchanged += 1,
                        }
                    }
                    Err(reason) => plan.conflicts.push(PlanConflict {
                        customer_id: record.customer_id.clone(),
                        organization_ids: vec![org.id.clone()],
                        reason,
                    }),
                },
                several => plan.conflicts.push(PlanConflict {
                    customer_id: record.customer_id.clone(),
                    organization_ids: several.iter().map(|o| o.id.clone()).collect(),
                    reason: format!(
                        "{} organizations have this customer_id (give the others another one)",
                        several.len()
                    ),
                }),
            }
        }
        for org in book
            .iter()
            .filter(|o| !claimed.contains(o.customer_id.as_str()))
        {
            plan.unclaimed.push(Reported::of(org));
            if options.lock_unclaimed && lock_changes(org, true) {
                plan.actions.push(lock_action(org, true));
            }
        }
        plan.actions
            .sort_by(|a, b| (a.kind, &a.customer_id).cmp(&(b.kind, &b.customer_id)));
        plan
    }

    /// Plans locking (`lock`) or lifting the partner's lock of organizations picked by the
    /// caller (rows of an audit's finding), as they were seen: nothing is read or sent, so the
    /// plan is the dry run of the bulk change. Only the organizations the change would alter get
    /// an action (see [`lock_changes`]); the others, and an organization picked twice, count as
    /// unchanged. [`Client::apply`] carries it out, refusing an action whose organization
    /// changed since it was seen. `book_size`: the organizations of the book they were picked
    /// from (apply weighs one listing of it against a read per action).
    pub fn lock_selection(organizations: &[Organization], lock: bool, book_size: usize) -> Plan {
        let mut plan = Plan {
            picked: Some(organizations.len()),
            ..Plan::empty(book_size)
        };
        let mut picked = HashSet::new();
        for org in organizations {
            if picked.insert(org.id.as_str()) && lock_changes(org, lock) {
                plan.actions.push(lock_action(org, lock));
            } else {
                plan.unchanged += 1;
            }
        }
        plan
    }

    fn empty(book_size: usize) -> Plan {
        Plan {
            version: PLAN_FORMAT_VERSION,
            id: uuid::Uuid::new_v4().to_string(),
            created_at: Utc::now(),
            book_size,
            records: 0,
            picked: None,
            unchanged: 0,
            actions: Vec::new(),
            conflicts: Vec::new(),
            unclaimed: Vec::new(),
            scaleway_locked: Vec::new(),
        }
    }

    /// Actions per kind.
    pub fn counts(&self) -> BTreeMap<ActionKind, usize> {
        let mut counts = BTreeMap::new();
        for a in &self.actions {
            *counts.entry(a.kind).or_insert(0) += 1;
        }
        counts
    }

    /// True when the plan changes something.
    pub fn has_changes(&self) -> bool {
        !self.actions.is_empty()
    }

    /// The plan as versioned JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan serializes")
    }

    /// Reads a plan saved by [`to_json`](Plan::to_json) (this version only).
    pub fn from_json(json: &str) -> Result<Plan> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| Error::validation("plan", format!("is not JSON: {e}")))?;
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == u64::from(PLAN_FORMAT_VERSION) => {}
            other => {
                return Err(Error::validation(
                    "plan",
                    format!(
                        "has version {}, this client reads version {PLAN_FORMAT_VERSION}",
                        other.map_or("none".into(), |v| v.to_string())
                    ),
                ));
            }
        }
        serde_json::from_value(value).map_err(|e| Error::validation("plan", e.to_string()))
    }
}

fn create_action(record: &DesiredRecord) -> Action {
    let changes: Vec<FieldChange> = [
        ("name", Some(&record.organization_name)),
        ("email", Some(&record.email)),
        ("owner_firstname", Some(&record.owner_firstname)),
        ("owner_lastname", Some(&record.owner_lastname)),
        ("phone_number", record.phone_number.as_ref()),
        ("siren_number", record.siren_number.as_ref()),
        ("comment", record.comment.as_ref()),
    ]
    .into_iter()
    .filter_map(|(field, v)| {
        v.map(|v| FieldChange {
            field: field.into(),
            before: None,
            after: Some(v.clone()),
        })
    })
    .collect();
    Action {
        kind: ActionKind::Create,
        customer_id: record.customer_id.clone(),
        organization_id: None,
        name: record.organization_name.clone(),
        changes,
        lock: (record.state == DesiredState::Suspended).then_some(true),
        record: Some(record.clone()),
        seen: None,
    }
}

/// Whether the partner locking (`lock`) or unlocking `org` changes it: a lock when the
/// partner's lock is not on and the organization is not closed, an unlock when the partner's
/// lock is on (Scaleway's own lock is not the partner's to lift).
pub fn lock_changes(org: &Organization, lock: bool) -> bool {
    if lock {
        !org.is_locked_by_partner() && org.status != OrganizationStatus::Closed
    } else {
        org.is_locked_by_partner()
    }
}

/// The action locking or unlocking `org`, and nothing else.
fn lock_action(org: &Organization, lock: bool) -> Action {
    Action {
        kind: if lock {
            ActionKind::Lock
        } else {
            ActionKind::Unlock
        },
        customer_id: org.customer_id.clone(),
        organization_id: Some(org.id.clone()),
        name: org.name.clone(),
        changes: Vec::new(),
        lock: Some(lock),
        record: None,
        seen: Some(Seen::of(org)),
    }
}

/// The action for a record and its one organization; `Err` with the reason of a conflict.
fn change_action(
    record: &DesiredRecord,
    org: &Organization,
) -> std::result::Result<Option<Action>, String> {
    let same_owner = org.email.eq_ignore_ascii_case(&record.email);
    let moved = record
        .previous_email
        .as_deref()
        .is_some_and(|p| org.email.eq_ignore_ascii_case(p));
    if !same_owner && !moved {
        return Err(format!(
            "the organization's owner email is {:?}, the record's {:?} (set previous_email to \
             the old address if the owner's email changed)",
            org.email, record.email
        ));
    }
    let mut changes = Vec::new();
    let mut differ = |field: &str, before: Option<&str>, after: Option<&str>| {
        if after.is_some() && before != after {
            changes.push(FieldChange {
                field: field.into(),
                before: before.map(str::to_owned),
                after: after.map(str::to_owned),
            });
        }
    };
    differ("name", Some(&org.name), Some(&record.organization_name));
    if !same_owner {
        differ("email", Some(&org.email), Some(&record.email));
    }
    differ(
        "owner_firstname",
        Some(&org.owner_firstname),
        Some(&record.owner_firstname),
    );
    differ(
        "owner_lastname",
        Some(&org.owner_lastname),
        Some(&record.owner_lastname),
    );
    differ(
        "phone_number",
        org.phone_number.as_deref(),
        record.phone_number.as_deref(),
    );
    let comment = (!org.comment.is_empty()).then_some(org.comment.as_str());
    differ("comment", comment, record.comment.as_deref());
    let lock = Some(record.state == DesiredState::Suspended).filter(|&l| lock_changes(org, l));
    let kind = match (changes.is_empty(), lock) {
        (false, _) => ActionKind::Update,
        (true, Some(true)) => ActionKind::Lock,
        (true, Some(false)) => ActionKind::Unlock,
        (true, None) => return Ok(None),
    };
    Ok(Some(Action {
        kind,
        customer_id: record.customer_id.clone(),
        organization_id: Some(org.id.clone()),
        name: org.name.clone(),
        changes,
        lock,
        record: None,
        seen: Some(Seen::of(org)),
    }))
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = self.counts();
        let n = |k| counts.get(&k).copied().unwrap_or(0);
        let source = match self.picked {
            Some(picked) => format!("{picked} organizations picked, as seen then"),
            None => format!(
                "{} records, {} organizations read",
                self.records, self.book_size
            ),
        };
        writeln!(
            f,
            "Plan: {} to create, {} to update, {} to lock, {} to unlock; {} unchanged ({source})",
            n(ActionKind::Create),
            n(ActionKind::Update),
            n(ActionKind::Lock),
            n(ActionKind::Unlock),
            self.unchanged,
        )?;
        for a in &self.actions {
            let target = a.organization_id.as_deref().unwrap_or("new");
            let lock = match (a.kind, a.lock) {
                (ActionKind::Create | ActionKind::Update, Some(true)) => ", then lock",
                (ActionKind::Update, Some(false)) => ", then unlock",
                _ => "",
            };
            writeln!(
                f,
                "  {:<6} {} {:?} ({target}){lock}",
                a.kind.as_str(),
                a.customer_id,
                a.name
            )?;
            if a.kind == ActionKind::Update {
                for c in &a.changes {
                    writeln!(
                        f,
                        "           {}: {} -> {}",
                        c.field,
                        shown(c.before.as_deref()),
                        shown(c.after.as_deref())
                    )?;
                }
            }
        }
        if !self.conflicts.is_empty() {
            writeln!(f, "Conflicts, left alone ({}):", self.conflicts.len())?;
            for c in &self.conflicts {
                writeln!(
                    f,
                    "  {}: {} ({})",
                    c.customer_id,
                    c.reason,
                    c.organization_ids.join(", ")
                )?;
            }
        }
        if !self.unclaimed.is_empty() {
            writeln!(
                f,
                "Organizations no record claims ({}):",
                self.unclaimed.len()
            )?;
            for o in self.unclaimed.iter().take(20) {
                writeln!(
                    f,
                    "  {} {:?} customer_id {:?} {}",
                    o.id, o.name, o.customer_id, o.status
                )?;
            }
            if self.unclaimed.len() > 20 {
                writeln!(f, "  ... and {} more", self.unclaimed.len() - 20)?;
            }
        }
        if !self.scaleway_locked.is_empty() {
            writeln!(
                f,
                "Locked by Scaleway, waiting for the owner's email validation ({}; the partner \
                 cannot lift it):",
                self.scaleway_locked.len()
            )?;
            for o in self.scaleway_locked.iter().take(20) {
                writeln!(f, "  {} {} {:?}", o.id, o.customer_id, o.name)?;
            }
            if self.scaleway_locked.len() > 20 {
                writeln!(f, "  ... and {} more", self.scaleway_locked.len() - 20)?;
            }
        }
        Ok(())
    }
}

impl AuditReport {
    /// The dry run of locking (`lock`) or unlocking organizations of this audit picked by ID
    /// (rows of a finding), as the audit saw them: [`Plan::lock_selection`]; nothing is sent.
    /// An ID that is not one of the audit's organizations is refused, naming `selection`.
    pub fn plan_locks<S: AsRef<str>>(&self, ids: &[S], lock: bool) -> Result<Plan> {
        if self.organizations.is_empty() {
            return Err(Error::validation(
                "selection",
                "this report has no organizations (a report saved with its organizations has)",
            ));
        }
        let index: HashMap<&str, &Organization> = self
            .organizations
            .iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let picked = ids
            .iter()
            .map(|id| {
                index.get(id.as_ref()).map(|o| (*o).clone()).ok_or_else(|| {
                    Error::validation(
                        "selection",
                        format!("{:?} is not an organization of this audit", id.as_ref()),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Plan::lock_selection(
            &picked,
            lock,
            self.organizations.len(),
        ))
    }
}

fn shown(v: Option<&str>) -> String {
    v.map_or_else(|| "(none)".into(), |v| format!("{v:?}"))
}

impl Client {
    /// Plans the records against the book, read with one complete listing (every page, at
    /// the rate budget; never one request per organization). Invalid records fail with
    /// [`Error::Validation`] naming the row and the field, before anything is sent.
    pub async fn plan(&self, desired: &Desired, options: PlanOptions) -> Result<Plan> {
        let mut lister = self.list_organizations(ListOrganizationsRequest::new())?;
        if let Some(p) = options.progress.clone() {
            lister = lister.on_progress(p);
        }
        let book = lister.collect_all().await?;
        Ok(Plan::build(desired, &book, &options))
    }
}
