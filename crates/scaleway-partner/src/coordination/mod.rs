//! Coordination between every caller of one key: in this process, across the processes of one
//! machine, and across hosts. Two things are shared: the exclusion of creates for one customer
//! (so that two callers never both create its organization) and the rate budget of the key.
//!
//! An engine shared by processes or hosts implements [`Backend`]; names handed to it are
//! hashes of (API URL, secret key or partner, customer ID), never a secret.

pub(crate) mod redis;

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
    /// burst) and never inside a pause; returns how long from now the slot is.
    fn reserve<'a>(&'a self, name: &'a str, interval: Duration) -> BoxFuture<'a, Result<Duration>>;

    /// Holds every sender of the budget `name` for `pause` from now (after a 429, or when the
    /// server's window is exhausted). A pause never shortens one already in force.
    fn pause<'a>(&'a self, name: &'a str, pause: Duration) -> BoxFuture<'a, Result<()>>;
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
