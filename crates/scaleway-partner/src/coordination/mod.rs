//! Coordination between every caller of one key: in this process, across the processes of one
//! machine, and across hosts. Two things are shared: the exclusion of creates for one customer
//! (so that two callers never both create its organization) and the rate budget of the key.
//!
//! An engine shared by processes or hosts implements [`Backend`]; names handed to it are
//! hashes of (API URL, secret key or partner, customer ID), never a secret.

use std::fmt::Debug;
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use crate::error::Result;

/// An engine that several processes (or hosts) share.
pub(crate) trait Backend: Send + Sync + Debug {
    /// Takes the exclusive lease `name`, waiting for it until `deadline`. Fails with
    /// [`Error::Coordination`](crate::Error::Coordination) when the engine cannot be used, and
    /// with [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded) when the deadline came
    /// first.
    fn lock<'a>(
        &'a self,
        name: &'a str,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Box<dyn Lease>>>;

    /// Reserves the next send slot of the budget `name`, paced `interval` apart (GCRA without
    /// burst) and never inside a pause, unless the pause in force lasts longer than `max_pause`
    /// from now: then it takes nothing (the caller fails at once instead of waiting).
    fn reserve<'a>(
        &'a self,
        name: &'a str,
        interval: Duration,
        max_pause: Duration,
    ) -> BoxFuture<'a, Result<Slot>>;

    /// Holds every sender of the budget `name` for `pause` from now (after a 429, or when the
    /// server's window is exhausted). A pause never shortens one already in force.
    fn pause<'a>(&'a self, name: &'a str, pause: Duration) -> BoxFuture<'a, Result<()>>;
}

/// What a reservation found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A slot was taken, this long from now.
    In(Duration),
    /// None was: the budget is paused for this long from now, longer than the caller may wait.
    Paused(Duration),
}

/// An exclusive lease held through a [`Backend`]. Dropping it releases it (at the latest when
/// it expires, for an engine with expiry).
pub(crate) trait Lease: Send + Sync + Debug {
    /// Ok when the lease is held and will be for at least `margin` from now: checked right
    /// before a create is posted. The error when it was lost or cannot be confirmed; nothing
    /// may be posted then.
    fn confirm(&self, margin: Duration) -> BoxFuture<'_, Result<()>>;

    /// Whether the lease can expire while its holder lives (Redis) rather than being held until
    /// released (a lock file): a create made under such a lease is checked afterwards for a
    /// duplicate made by a holder frozen past its lease.
    fn expires(&self) -> bool;

    /// Gives the lease up now.
    fn release(self: Box<Self>) -> BoxFuture<'static, ()>;
}

#[cfg(unix)]
pub(crate) mod file;
mod process;
pub(crate) mod redis;

use std::sync::Arc;

use crate::error::Error;
use crate::setting::{ConfigError, Message, Origin, Setting};

/// The environment variable that chooses the coordination when the client option does not.
pub(crate) const COORDINATION_ENV: &str = "SCW_PARTNER_COORDINATION";

/// How far the callers of one key coordinate: creates for one customer never overlap, and
/// the rate budget is one, among the callers this covers. Chosen by
/// [`ClientBuilder::coordination`](crate::ClientBuilder::coordination) or the
/// `SCW_PARTNER_COORDINATION` environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub(crate) enum Coordination {
    /// Every process of this machine (the default, written `machine`): advisory lock files in
    /// a per-user runtime directory, released by the operating system when a process dies.
    #[default]
    Machine,
    /// The clients of this process only (written `process`): for a process that is alone with
    /// its key on this machine, or coordinated by other means.
    Process,
    /// Every process of every host pointed at this Redis (or Valkey) server, written as its
    /// URL, `redis://host:6379/0` or `rediss://...` (TLS).
    Redis(String),
}

impl Coordination {
    /// Parses the value of the option or of `SCW_PARTNER_COORDINATION`, as `origin` says. The
    /// value is not echoed when it is a URL: it may hold a password.
    pub(crate) fn parse(value: &str, origin: &Origin) -> crate::Result<Coordination> {
        let refuse = |got: String| {
            Err(Error::Config(ConfigError::new(
                Some(Setting::Coordination),
                Message::default()
                    .origin(Setting::Coordination, origin)
                    .text(format!(
                        " must be \"machine\", \"process\" or a redis:// or rediss:// URL, got \
                         {got}"
                    )),
            )))
        };
        let trimmed = value.trim();
        let lower = trimmed.to_ascii_lowercase();
        match lower.as_str() {
            "machine" => Ok(Coordination::Machine),
            "process" => Ok(Coordination::Process),
            _ if lower.starts_with("redis://") || lower.starts_with("rediss://") => {
                // Checked now, to name the option or variable it came from.
                redis::RedisBackend::connect_as(trimmed, origin)?;
                Ok(Coordination::Redis(trimmed.to_owned()))
            }
            _ if lower.contains("://") => refuse("another kind of URL".into()),
            _ => refuse(format!("{trimmed:?}")),
        }
    }

    /// The client option's value, else the environment's, else the default.
    pub(crate) fn resolve(
        explicit: Option<&str>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> crate::Result<Coordination> {
        match explicit {
            Some(v) => Coordination::parse(v, &Origin::Option),
            None => match env(COORDINATION_ENV).filter(|v| !v.trim().is_empty()) {
                Some(v) => Coordination::parse(&v, &Origin::Env(COORDINATION_ENV)),
                None => Ok(Coordination::Machine),
            },
        }
    }

    /// The engine shared beyond this process, if any.
    pub(crate) fn backend(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> crate::Result<Option<Arc<dyn Backend>>> {
        match self {
            Coordination::Process => Ok(None),
            #[cfg(unix)]
            Coordination::Machine => Ok(Some(file::FileBackend::shared(env))),
            // Elsewhere the machine is coordinated as far as this process goes.
            #[cfg(not(unix))]
            Coordination::Machine => Ok(None),
            Coordination::Redis(url) => redis::RedisBackend::shared(url).map(Some),
        }
    }
}

/// A name for an engine: a SHA-256 of the parts, so that no secret, partner or customer ID
/// appears in a file name or a Redis key, and the same in every process and language.
pub(crate) fn name(kind: &str, parts: &[&str]) -> String {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    ctx.update(b"scaleway-partner/");
    ctx.update(kind.as_bytes());
    for part in parts {
        // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
        ctx.update(&(part.len() as u64).to_be_bytes());
        ctx.update(part.as_bytes());
    }
    let digest = ctx.finish();
    let hex: String = digest.as_ref()[..20]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{kind}-{hex}")
}

/// The name of the rate budget of a key at an API URL.
pub(crate) fn budget_name(secret_key: &str, api_url: &str) -> String {
    name("budget", &[api_url, secret_key])
}

/// The name of the exclusion of one customer's creates.
pub(crate) fn customer_name(api_url: &str, partner_id: &str, customer_id: &str) -> String {
    name("customer", &[api_url, partner_id, customer_id])
}

/// The coordination of one client: the exclusion of creates per customer, in this process
/// always, and through its [`Backend`] beyond it.
#[derive(Debug, Clone)]
pub(crate) struct Coordinator {
    backend: Option<Arc<dyn Backend>>,
}

/// Held while a create for one customer may run: dropping it lets the next caller in.
#[derive(Debug)]
pub(crate) struct Exclusion {
    lease: Option<Box<dyn Lease>>,
    // Declared last: dropped after the lease, so that no caller of this process takes the
    // engine's lock before this one gave it up.
    _local: process::Guard,
}

/// How long a lease must still hold when a create is posted under it.
const CONFIRM_MARGIN: Duration = Duration::from_secs(5);

impl Coordinator {
    pub(crate) fn new(backend: Option<Arc<dyn Backend>>) -> Self {
        Coordinator { backend }
    }

    /// The engine shared beyond this process, for the pacer.
    pub(crate) fn backend(&self) -> Option<Arc<dyn Backend>> {
        self.backend.clone()
    }

    /// Waits, until `deadline`, to be the only caller creating for the customer `name`: first
    /// among the clients of this process, then among the processes (or hosts) of the engine.
    /// Fails with [`Error::DeadlineExceeded`] (`total` named) or the engine's error.
    pub(crate) async fn exclude(
        &self,
        name: &str,
        deadline: Instant,
        total: Duration,
    ) -> crate::Result<Exclusion> {
        let local = tokio::time::timeout_at(deadline, process::lock(name))
            .await
            .map_err(|_| Error::deadline_exceeded(total))?;
        let lease = match &self.backend {
            None => None,
            Some(backend) => Some(backend.lock(name, deadline).await.map_err(|e| match e {
                Error::DeadlineExceeded { .. } => Error::deadline_exceeded(total),
                other => other,
            })?),
        };
        Ok(Exclusion {
            lease,
            _local: local,
        })
    }
}

impl Exclusion {
    /// Ok when a create may be posted now: the lease (if any) still holds.
    pub(crate) async fn confirm(&self) -> crate::Result<()> {
        match &self.lease {
            Some(lease) => lease.confirm(CONFIRM_MARGIN).await,
            None => Ok(()),
        }
    }

    /// Whether the exclusion may have ended while its holder lived (a lease that expires): what
    /// was created under it is checked for a duplicate afterwards.
    pub(crate) fn expires(&self) -> bool {
        self.lease.as_ref().is_some_and(|l| l.expires())
    }

    /// Gives the exclusion up.
    pub(crate) async fn release(mut self) {
        if let Some(lease) = self.lease.take() {
            lease.release().await;
        }
    }
}
