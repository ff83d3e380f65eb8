//! The emulator's core: partners, store, persistence, stats, faults and limiter, with the
//! operations shared by the API handlers, the control endpoints and the library.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::TimeDelta;
use uuid::Uuid;

use crate::config::MockConfig;
use crate::errors::{ApiError, MockError};
use crate::faults::FaultEngine;
use crate::persist::{self, Persister};
use crate::ratelimit::RateLimiter;
use crate::seed;
use crate::state::{
    AdminRoleRequest, ListQuery, Lock, LockedBy, Organization, Store, VALIDATE_EMAIL, now,
};
use crate::stats::Counters;
use crate::wire::RawPatch;

/// The authenticated partner of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Caller {
    pub index: usize,
    pub partner_id: Uuid,
}

/// A validated creation request.
#[derive(Debug)]
pub(crate) struct NewOrganization {
    pub email: String,
    pub name: String,
    pub owner_firstname: String,
    pub owner_lastname: String,
    pub customer_id: String,
    pub phone_number: Option<String>,
    pub siren_number: Option<String>,
}

/// A validated update; `None` leaves a field unchanged.
#[derive(Debug, Default)]
pub(crate) struct OrganizationUpdate {
    pub email: Option<String>,
    pub name: Option<String>,
    pub owner_firstname: Option<String>,
    pub owner_lastname: Option<String>,
    pub phone_number: Option<String>,
    pub customer_id: Option<String>,
    pub comment: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Emulator {
    pub config: MockConfig,
    keys: HashMap<String, Caller>,
    /// Each partner's own organization, by partner index: what a get of the partner's own ID
    /// answers (the client's default organization). Not a customer: never listed or changed.
    own: Vec<Arc<Organization>>,
    store: RwLock<Store>,
    initial: Vec<Organization>,
    persister: Option<Arc<Persister>>,
    pub stats: Counters,
    pub faults: FaultEngine,
    pub limiter: RateLimiter,
    /// Bumped by a reset and on shutdown: late writes scheduled before are dropped.
    generation: AtomicU64,
}

impl Emulator {
    /// Checks the configuration, then loads the state file or seeds a fresh book.
    pub(crate) fn new(config: MockConfig) -> Result<Emulator, MockError> {
        let config = config.resolved()?;
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let keys = config
            .partners
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let partner_id = Uuid::try_parse(&p.organization_id).expect("checked by resolved");
                (
                    p.secret_key.to_ascii_lowercase(),
                    Caller { index, partner_id },
                )
            })
            .collect();
        let started = now();
        let own = config
            .partners
            .iter()
            .enumerate()
            .map(|(index, p)| Arc::new(own_organization(index, p, started)))
            .collect();
        let loaded = match &config.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        let persister = config
            .state_file
            .clone()
            .map(|p| Arc::new(Persister::new(p)));
        let initial = match loaded {
            Some(orgs) => {
                tracing::info!(organizations = orgs.len(), "state loaded");
                orgs
            }
            None => {
                let first = Uuid::try_parse(&config.partners[0].organization_id)
                    .expect("checked by resolved");
                let mut rng = fastrand::Rng::with_seed(seed);
                seed::organizations(&mut rng, first, config.seed_organizations, now())
            }
        };
        let emulator = Emulator {
            keys,
            own,
            store: RwLock::new(Store::from_organizations(initial.clone())),
            initial,
            persister,
            stats: Counters::new(),
            faults: FaultEngine::new(config.faults, seed.wrapping_add(1)),
            limiter: RateLimiter::new(config.rate_limit, config.partners.len()),
            generation: AtomicU64::new(0),
            config,
        };
        // A fresh state file exists from the start, so a restart finds the same seeded book.
        emulator.persist_now()?;
        Ok(emulator)
    }

    fn read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The partner owning this secret key.
    pub(crate) fn caller(&self, secret_key: &str) -> Option<Caller> {
        // Keys are UUIDs; compare them regardless of case without allocating for valid ones.
        self.keys
            .get(secret_key)
            .copied()
            .or_else(|| self.keys.get(&secret_key.to_ascii_lowercase()).copied())
    }

    pub(crate) fn create(&self, caller: Caller, new: NewOrganization) -> Arc<Organization> {
        let created_at = now();
        let org = Organization {
            id: Uuid::new_v4(),
            partner_id: caller.partner_id,
            name: new.name,
            email: new.email,
            owner_firstname: new.owner_firstname,
            owner_lastname: new.owner_lastname,
            customer_id: new.customer_id,
            phone_number: new.phone_number,
            siren_number: new.siren_number,
            comment: String::new(),
            created_at,
            closed: false,
            // As recorded: locked by Scaleway until the owner validates the email, the lock
            // dated a fraction of a second after the creation.
            locks: vec![Lock {
                by: LockedBy::Scaleway,
                reason: VALIDATE_EMAIL.to_owned(),
                at: created_at + TimeDelta::microseconds(fastrand::i64(100_000..150_000)),
            }],
            overrides: RawPatch::default(),
            admin_role_requests: Vec::new(),
        };
        tracing::debug!(id = %org.id, "organization created");
        self.write().insert(org)
    }

    pub(crate) fn get(&self, caller: Caller, id: Uuid) -> Result<Arc<Organization>, ApiError> {
        if id == caller.partner_id {
            return Ok(Arc::clone(&self.own[caller.index]));
        }
        self.read()
            .get(Some(caller.partner_id), id)
            .ok_or_else(|| ApiError::NotFound(id.to_string()))
    }

    pub(crate) fn list(&self, caller: Caller, query: &ListQuery) -> (Vec<Arc<Organization>>, u64) {
        self.read().list(caller.partner_id, query)
    }

    fn modify<T>(
        &self,
        caller: Caller,
        id: Uuid,
        change: impl FnOnce(&mut Organization) -> T,
    ) -> Result<(Arc<Organization>, T), ApiError> {
        self.write()
            .modify(Some(caller.partner_id), id, change)
            .ok_or_else(|| ApiError::NotFound(id.to_string()))
    }

    pub(crate) fn update(
        &self,
        caller: Caller,
        id: Uuid,
        update: OrganizationUpdate,
    ) -> Result<Arc<Organization>, ApiError> {
        let (org, ()) = self.modify(caller, id, |org| {
            let fields = [
                (&mut org.email, update.email),
                (&mut org.name, update.name),
                (&mut org.owner_firstname, update.owner_firstname),
                (&mut org.owner_lastname, update.owner_lastname),
                (&mut org.customer_id, update.customer_id),
                (&mut org.comment, update.comment),
            ];
            for (field, value) in fields {
                if let Some(value) = value {
                    *field = value;
                }
            }
            if let Some(phone) = update.phone_number {
                org.phone_number = Some(phone);
            }
        })?;
        Ok(org)
    }

    pub(crate) fn lock(&self, caller: Caller, id: Uuid) -> Result<Arc<Organization>, ApiError> {
        let (org, ()) = self.modify(caller, id, |org| org.lock_by_partner(now()))?;
        Ok(org)
    }

    pub(crate) fn unlock(&self, caller: Caller, id: Uuid) -> Result<Arc<Organization>, ApiError> {
        // Checked before changing anything, so a refused unlock does not bump the version.
        let current = self.get(caller, id)?;
        if !current.locks.iter().any(|l| l.by == LockedBy::Partner) {
            return Err(ApiError::PreconditionFailed {
                precondition: "organization_locked_by_partner",
                help: "the organization is not locked by the partner; only partner locks can be lifted",
            });
        }
        let (org, _) = self.modify(caller, id, Organization::unlock_by_partner)?;
        Ok(org)
    }

    pub(crate) fn request_admin_role(
        &self,
        caller: Caller,
        id: Uuid,
        username: String,
        email: String,
    ) -> Result<(), ApiError> {
        self.modify(caller, id, |org| {
            org.admin_role_requests.push(AdminRoleRequest {
                username,
                email,
                requested_at: now(),
            });
        })?;
        Ok(())
    }

    /// Lifts the `validate_email` lock (any partner); `None` for an unknown organization.
    pub(crate) fn validate_email(&self, id: Uuid) -> Option<Arc<Organization>> {
        self.write()
            .modify(None, id, Organization::validate_email)
            .map(|(org, ())| org)
    }

    pub(crate) fn patch_raw(&self, id: Uuid, patch: RawPatch) -> Option<Arc<Organization>> {
        self.write()
            .modify(None, id, |org| org.overrides.merge(patch))
            .map(|(org, ())| org)
    }

    /// Every organization of every partner, in the persisted form.
    pub(crate) fn dump(&self) -> Vec<Organization> {
        self.read().snapshot()
    }

    /// The current generation: a late write checks it has not changed before it lands.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Drops the late writes (of `apply_late` faults) still pending.
    pub(crate) fn drop_late_writes(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Back to the state of the start (seeded or loaded); stats, faults and limits cleared,
    /// pending late writes dropped.
    pub(crate) fn reset(&self) {
        self.drop_late_writes();
        self.write().replace(self.initial.clone());
        self.stats.reset();
        self.faults.reset();
        self.limiter.reset();
    }

    fn snapshot_for_disk(&self) -> (u64, Vec<u8>) {
        let store = self.read();
        (store.version(), persist::encode(store.snapshot()))
    }

    /// Saves the state now, from the calling thread (start, library calls).
    pub(crate) fn persist_now(&self) -> Result<(), MockError> {
        let Some(persister) = &self.persister else {
            return Ok(());
        };
        let (version, bytes) = self.snapshot_for_disk();
        persister.write(version, &bytes)
    }

    /// Saves the state before a write is acknowledged, off the async worker threads.
    pub(crate) async fn persist(&self) -> Result<(), ApiError> {
        let Some(persister) = self.persister.clone() else {
            return Ok(());
        };
        let (version, bytes) = self.snapshot_for_disk();
        let result = tokio::task::spawn_blocking(move || persister.write(version, &bytes))
            .await
            .map_err(|e| ApiError::Internal(format!("state writer failed: {e}")))?;
        result.map_err(|e| {
            tracing::error!(error = %e, "cannot persist the state");
            ApiError::Internal("the emulator could not save its state".into())
        })
    }

    pub(crate) fn state_path(&self) -> Option<&std::path::Path> {
        self.persister.as_deref().map(Persister::path)
    }
}

/// The partner's own organization: opened, no customer reference, created when the emulator
/// started.
fn own_organization(
    index: usize,
    partner: &crate::config::Partner,
    created_at: chrono::DateTime<chrono::Utc>,
) -> Organization {
    let id = Uuid::try_parse(&partner.organization_id).expect("checked by resolved");
    let number = index + 1;
    Organization {
        id,
        partner_id: id,
        name: format!("Partner {number}"),
        email: format!("partner-{number}@example.test"),
        owner_firstname: "Partner".to_owned(),
        owner_lastname: format!("Owner {number}"),
        customer_id: String::new(),
        phone_number: None,
        siren_number: None,
        comment: String::new(),
        created_at,
        closed: false,
        locks: Vec::new(),
        overrides: RawPatch::default(),
        admin_role_requests: Vec::new(),
    }
}
