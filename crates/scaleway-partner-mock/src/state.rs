//! The organization model with its lock stack, and the in-memory store of all partners.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire::RawPatch;

pub(crate) const VALIDATE_EMAIL: &str = "validate_email";
pub(crate) const LOCKED_BY_RESELLER: &str = "locked_by_reseller";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LockedBy {
    Partner,
    Scaleway,
}

impl LockedBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            LockedBy::Partner => "partner",
            LockedBy::Scaleway => "scaleway",
        }
    }
}

/// One lock of the stack; the last one of the stack is the one the API shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Lock {
    pub by: LockedBy,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// What request-admin-role leaves behind (the password is never kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AdminRoleRequest {
    pub username: String,
    pub email: String,
    pub requested_at: DateTime<Utc>,
}

/// A customer organization as the emulator keeps it (also its persisted and dumped form).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Organization {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub name: String,
    pub email: String,
    pub owner_firstname: String,
    pub owner_lastname: String,
    pub customer_id: String,
    pub phone_number: Option<String>,
    pub siren_number: Option<String>,
    pub comment: String,
    pub created_at: DateTime<Utc>,
    /// Only seeded organizations are closed; the API has no way to close one.
    #[serde(default)]
    pub closed: bool,
    #[serde(default)]
    pub locks: Vec<Lock>,
    #[serde(default, skip_serializing_if = "RawPatch::is_empty")]
    pub overrides: RawPatch,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_role_requests: Vec<AdminRoleRequest>,
}

/// The current time at the API's resolution (microseconds).
pub(crate) fn now() -> DateTime<Utc> {
    truncate_micros(Utc::now())
}

pub(crate) fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = t.timestamp_subsec_nanos();
    t - TimeDelta::nanoseconds(i64::from(nanos % 1000))
}

impl Organization {
    pub(crate) fn top_lock(&self) -> Option<&Lock> {
        self.locks.last()
    }

    pub(crate) fn status(&self) -> &'static str {
        if self.closed {
            "closed"
        } else if self.locks.is_empty() {
            "opened"
        } else {
            "locked"
        }
    }

    pub(crate) fn locked_by(&self) -> &'static str {
        self.top_lock()
            .map_or("unknown_locked_by", |lock| lock.by.as_str())
    }

    /// Pushes a partner lock, or refreshes the date of the one already there (as recorded:
    /// locking twice answers 200 with a fresh `locked_at`).
    pub(crate) fn lock_by_partner(&mut self, now: DateTime<Utc>) {
        if let Some(lock) = self.locks.iter_mut().find(|l| l.by == LockedBy::Partner) {
            // Strictly later, so a client can always tell a refreshed lock from the old one.
            lock.at = now.max(lock.at + TimeDelta::microseconds(1));
        } else {
            self.locks.push(Lock {
                by: LockedBy::Partner,
                reason: LOCKED_BY_RESELLER.to_owned(),
                at: now,
            });
        }
    }

    /// Removes the partner lock so the one underneath shows again; false when there is none.
    pub(crate) fn unlock_by_partner(&mut self) -> bool {
        let before = self.locks.len();
        self.locks.retain(|l| l.by != LockedBy::Partner);
        self.locks.len() != before
    }

    /// The owner validated the email: Scaleway's `validate_email` lock goes, wherever it is.
    pub(crate) fn validate_email(&mut self) {
        self.locks
            .retain(|l| !(l.by == LockedBy::Scaleway && l.reason == VALIDATE_EMAIL));
    }
}

/// Order of a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    CreatedAtAsc,
    CreatedAtDesc,
}

/// A validated list query; `None` filters mean "no filter".
#[derive(Clone, Debug)]
pub(crate) struct ListQuery {
    pub page: u64,
    pub page_size: u64,
    pub order: Order,
    pub status: Option<String>,
    pub locked_by: Option<String>,
    pub email: Option<String>,
    pub customer_id: Option<String>,
}

impl ListQuery {
    fn filters(&self) -> bool {
        self.status.is_some()
            || self.locked_by.is_some()
            || self.email.is_some()
            || self.customer_id.is_some()
    }

    fn matches(&self, org: &Organization) -> bool {
        self.status.as_deref().is_none_or(|s| org.status() == s)
            && self
                .locked_by
                .as_deref()
                .is_none_or(|l| org.locked_by() == l)
            && self
                .email
                .as_deref()
                .is_none_or(|e| org.email.to_lowercase() == e.to_lowercase())
            && self
                .customer_id
                .as_deref()
                .is_none_or(|c| org.customer_id == c)
    }
}

/// All organizations of all partners. Values are `Arc`s so readers render outside the lock.
#[derive(Debug, Default)]
pub(crate) struct Store {
    orgs: HashMap<Uuid, Arc<Organization>>,
    /// Per partner, in (created_at, id) order: listing walks it without sorting.
    by_partner: HashMap<Uuid, BTreeSet<(DateTime<Utc>, Uuid)>>,
    /// Bumped by every change; persistence uses it to skip snapshots already superseded.
    version: u64,
}

impl Store {
    pub(crate) fn from_organizations(orgs: Vec<Organization>) -> Store {
        let mut store = Store::default();
        for org in orgs {
            store.insert(org);
        }
        store
    }

    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    pub(crate) fn insert(&mut self, org: Organization) -> Arc<Organization> {
        self.by_partner
            .entry(org.partner_id)
            .or_default()
            .insert((org.created_at, org.id));
        let org = Arc::new(org);
        self.orgs.insert(org.id, Arc::clone(&org));
        self.version += 1;
        org
    }

    /// The organization, if it exists and belongs to `partner` (`None`: any partner).
    pub(crate) fn get(&self, partner: Option<Uuid>, id: Uuid) -> Option<Arc<Organization>> {
        self.orgs
            .get(&id)
            .filter(|org| partner.is_none_or(|p| org.partner_id == p))
            .cloned()
    }

    /// Applies `change` to the organization; `None` when it is not visible to `partner`.
    pub(crate) fn modify<T>(
        &mut self,
        partner: Option<Uuid>,
        id: Uuid,
        change: impl FnOnce(&mut Organization) -> T,
    ) -> Option<(Arc<Organization>, T)> {
        let slot = self
            .orgs
            .get_mut(&id)
            .filter(|org| partner.is_none_or(|p| org.partner_id == p))?;
        let out = change(Arc::make_mut(slot));
        self.version += 1;
        Some((Arc::clone(slot), out))
    }

    /// One page of the partner's matching organizations, and how many match in all.
    pub(crate) fn list(&self, partner: Uuid, query: &ListQuery) -> (Vec<Arc<Organization>>, u64) {
        let Some(index) = self.by_partner.get(&partner) else {
            return (Vec::new(), 0);
        };
        let skip = (query.page - 1).saturating_mul(query.page_size);
        if !query.filters() {
            // Without filters the total is the index's size: a page costs its offset, not a
            // scan of the whole book (reading 100,000 organizations would be quadratic).
            let take = |keys: &mut dyn Iterator<Item = &(DateTime<Utc>, Uuid)>| {
                keys.skip(usize::try_from(skip).unwrap_or(usize::MAX))
                    .take(usize::try_from(query.page_size).unwrap_or(usize::MAX))
                    .map(|key| Arc::clone(&self.orgs[&key.1]))
                    .collect()
            };
            let page = match query.order {
                Order::CreatedAtAsc => take(&mut index.iter()),
                Order::CreatedAtDesc => take(&mut index.iter().rev()),
            };
            return (page, index.len() as u64);
        }
        let mut total = 0u64;
        let mut page = Vec::new();
        let mut visit = |key: &(DateTime<Utc>, Uuid)| {
            let org = &self.orgs[&key.1];
            if query.matches(org) {
                if total >= skip && (page.len() as u64) < query.page_size {
                    page.push(Arc::clone(org));
                }
                total += 1;
            }
        };
        match query.order {
            Order::CreatedAtAsc => index.iter().for_each(&mut visit),
            Order::CreatedAtDesc => index.iter().rev().for_each(&mut visit),
        }
        (page, total)
    }

    /// Every organization, oldest first (the persisted and dumped form).
    pub(crate) fn snapshot(&self) -> Vec<Organization> {
        let mut all: Vec<Organization> = self.orgs.values().map(|o| (**o).clone()).collect();
        all.sort_by_key(|o| (o.created_at, o.id));
        all
    }

    /// Replaces the content (reset), keeping the version increasing.
    pub(crate) fn replace(&mut self, orgs: Vec<Organization>) {
        let version = self.version;
        *self = Store::from_organizations(orgs);
        self.version = version + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(created_at: DateTime<Utc>) -> Organization {
        Organization {
            id: Uuid::new_v4(),
            partner_id: Uuid::nil(),
            name: "Acme".into(),
            email: "a@b.test".into(),
            owner_firstname: "Jo".into(),
            owner_lastname: "Doe".into(),
            customer_id: "c".into(),
            phone_number: None,
            siren_number: None,
            comment: String::new(),
            created_at,
            closed: false,
            locks: vec![Lock {
                by: LockedBy::Scaleway,
                reason: VALIDATE_EMAIL.into(),
                at: created_at,
            }],
            overrides: RawPatch::default(),
            admin_role_requests: Vec::new(),
        }
    }

    #[test]
    fn partner_locks_stack_over_scaleway_and_unlock_restores_the_original_date() {
        let t0 = now();
        let mut o = org(t0);
        o.lock_by_partner(t0 + TimeDelta::seconds(1));
        assert_eq!((o.status(), o.locked_by()), ("locked", "partner"));
        let first = o.top_lock().unwrap().at;
        o.lock_by_partner(first);
        assert!(
            o.top_lock().unwrap().at > first,
            "a second lock must refresh the date"
        );
        assert_eq!(o.locks.len(), 2);
        assert!(o.unlock_by_partner());
        assert_eq!(o.top_lock().unwrap().at, t0);
        assert_eq!(o.locked_by(), "scaleway");
        assert!(!o.unlock_by_partner());
        o.validate_email();
        assert_eq!((o.status(), o.locked_by()), ("opened", "unknown_locked_by"));
    }

    #[test]
    fn validating_the_email_keeps_a_partner_lock_above_it() {
        let t0 = now();
        let mut o = org(t0);
        o.lock_by_partner(t0);
        o.validate_email();
        assert_eq!(o.locks.len(), 1);
        assert_eq!(o.locked_by(), "partner");
        o.closed = true;
        assert_eq!(o.status(), "closed");
    }
}
