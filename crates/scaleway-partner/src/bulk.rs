//! The same operation on many organizations: bounded concurrency under the client's pacer, one
//! result per ID in input order; a failure of one never hides the others.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use tokio::time::Instant;

use crate::client::{BulkScope, Client, Ensured};
use crate::error::{Error, ErrorKind, Result};
use crate::models::{CreateOrganizationRequest, Organization};
use crate::progress::{self, ProgressFn};

/// Bulk operations, from [`Client::bulk`].
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client, ids: Vec<String>) {
/// use scaleway_partner::{BulkAction, ProgressFn};
/// let outcome = client
///     .bulk()
///     .concurrency(4)
///     .on_progress(ProgressFn::new(|p| eprintln!("{}/{}", p.done, p.total.unwrap_or(0))))
///     .run(BulkAction::Lock, ids.clone())
///     .await;
/// let Ok(results) = outcome else { return }; // cancelled, or stopped by the callback
/// for (id, result) in ids.iter().zip(&results) {
///     match result {
///         Ok(org) => println!("{id}: {}", org.status),
///         Err(e) => println!("{id}: failed: {e}"),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Bulk {
    client: Client,
    concurrency: usize,
    progress: Option<ProgressFn>,
}

/// What a bulk call does to each organization it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BulkAction {
    /// [`Client::lock_organization`].
    Lock,
    /// [`Client::unlock_organization`].
    Unlock,
    /// [`Client::get_organization`].
    Get,
}

/// One result per item, in input order; or the call stopped before every item was handled.
pub type BulkResults<T> = std::result::Result<Vec<Result<T>>, BulkInterrupted<T>>;

/// A bulk call that stopped before it handled every item: it was cancelled
/// ([`CallOptions::cancel`](crate::CallOptions::cancel)), its progress callback said stop
/// ([`ProgressFn::stoppable`]), or its total timeout, which bounds the whole bulk call as it
/// does `all()` and `audit()`, expired. No item was started after that, the items in flight
/// were finished (a cancelled one ends with [`Error::Cancelled`], one cut by the deadline with
/// [`Error::DeadlineExceeded`]), and nothing is lost: `results` holds every item's outcome,
/// `None` for the items never started.
#[derive(Debug)]
pub struct BulkInterrupted<T> {
    /// Why: [`Error::Cancelled`], [`Error::ProgressStopped`] or [`Error::DeadlineExceeded`]
    /// (whose attempts and time are the whole bulk call's).
    pub error: Error,
    /// One entry per item, in input order: its result, or `None` when it was not started.
    pub results: Vec<Option<Result<T>>>,
}

impl<T> BulkInterrupted<T> {
    /// The kind of [`error`](Self::error).
    pub fn kind(&self) -> ErrorKind {
        self.error.kind()
    }
}

impl<T> fmt::Display for BulkInterrupted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let started = self.results.iter().filter(|r| r.is_some()).count();
        write!(
            f,
            "{} after starting {started} of {} items (the others were not started)",
            self.error,
            self.results.len()
        )
    }
}

impl<T: fmt::Debug> std::error::Error for BulkInterrupted<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl Client {
    /// Bulk operations with this client's `bulk_concurrency`.
    pub fn bulk(&self) -> Bulk {
        Bulk {
            concurrency: self.settings().bulk_concurrency,
            client: self.clone(),
            progress: None,
        }
    }

    /// Locks every organization; one result per ID, in input order.
    pub async fn lock_organizations<I, S>(&self, ids: I) -> BulkResults<Organization>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().run(BulkAction::Lock, ids).await
    }

    /// Unlocks every organization; one result per ID, in input order.
    pub async fn unlock_organizations<I, S>(&self, ids: I) -> BulkResults<Organization>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().run(BulkAction::Unlock, ids).await
    }

    /// Gets every organization; one result per ID, in input order.
    pub async fn get_organizations<I, S>(&self, ids: I) -> BulkResults<Organization>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.bulk().run(BulkAction::Get, ids).await
    }

    /// Ensures every organization (see [`Client::ensure_organization`]); one result per
    /// request, in input order.
    pub async fn ensure_organizations(
        &self,
        requests: impl IntoIterator<Item = CreateOrganizationRequest>,
    ) -> BulkResults<Ensured> {
        self.bulk().ensure(requests).await
    }
}

impl Bulk {
    /// Organizations handled at once (all calls still share the client's rate budget).
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Called after each organization with how many are done. A [`ProgressFn::stoppable`]
    /// callback can stop the call.
    #[must_use]
    pub fn on_progress(mut self, progress: ProgressFn) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Does `action` to every organization.
    pub async fn run<I, S>(&self, action: BulkAction, ids: I) -> BulkResults<Organization>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let ids: Vec<String> = ids.into_iter().map(Into::into).collect();
        self.run_all(
            ids.len(),
            ids.into_iter().enumerate(),
            |client, (i, id)| async move {
                let result = match action {
                    BulkAction::Lock => client.lock_organization(id.as_str()).await,
                    BulkAction::Unlock => client.unlock_organization(id.as_str()).await,
                    BulkAction::Get => client.get_organization(id.as_str()).await,
                };
                vec![(i, result)]
            },
        )
        .await
    }

    /// Ensures every organization (see [`Client::ensure_organization`]). Requests that share a
    /// `customer_id` never overlap, as any two ensures for one customer: the first (in input
    /// order) creates, the next wait for it and find it.
    pub async fn ensure(
        &self,
        requests: impl IntoIterator<Item = CreateOrganizationRequest>,
    ) -> BulkResults<Ensured> {
        let requests: Vec<_> = requests.into_iter().collect();
        self.run_all(
            requests.len(),
            requests.into_iter().enumerate(),
            |client, (i, request)| async move { vec![(i, client.ensure_organization(request).await)] },
        )
        .await
    }

    /// Runs `op` on every unit of work (a unit gives one or more indexed results) with bounded
    /// concurrency; the results of all `total` indices, in index order. Once the call is
    /// cancelled, the progress callback says stop or the total timeout of the whole call
    /// expires, no unit is started; those in flight are finished (a cancelled one promptly,
    /// with [`Error::Cancelled`]; one past the deadline with [`Error::DeadlineExceeded`]).
    pub(crate) async fn run_all<U, T, F, Fut>(
        &self,
        total: usize,
        units: impl IntoIterator<Item = U>,
        op: F,
    ) -> BulkResults<T>
    where
        F: Fn(Client, U) -> Fut,
        Fut: Future<Output = Vec<(usize, Result<T>)>>,
    {
        let started = Instant::now();
        let scope = Arc::new(BulkScope {
            deadline: self.client.deadline(),
            attempts: AtomicU32::new(0),
        });
        let client = self.client.in_bulk(scope.clone());
        let expired = || Error::DeadlineExceeded {
            after: self.client.total_timeout(),
            attempts: scope.attempts.load(Ordering::Relaxed),
            elapsed: started.elapsed(),
        };
        let cancelled = || Error::Cancelled {
            attempts: scope.attempts.load(Ordering::Relaxed),
            elapsed: started.elapsed(),
        };
        let mut results: Vec<Option<Result<T>>> = (0..total).map(|_| None).collect();
        let mut units = units.into_iter();
        let mut running = FuturesUnordered::new();
        let mut stopped = None;
        let mut done = 0;
        loop {
            while stopped.is_none() && running.len() < self.concurrency {
                if self.client.is_cancelled() {
                    stopped = Some(cancelled());
                    break;
                }
                if Instant::now() >= scope.deadline {
                    stopped = Some(expired());
                    break;
                }
                match units.next() {
                    Some(unit) => running.push(op(client.clone(), unit)),
                    None => break,
                }
            }
            let Some(finished) = running.next().await else {
                break;
            };
            for (i, result) in finished {
                results[i] = Some(result);
                done += 1;
            }
            if stopped.is_none() {
                stopped = progress::report(&self.progress, done, Some(total as u64))
                    .await
                    .err();
            }
        }
        // Cancelled, or out of time, once every item had started: those it cut short say so.
        let cut_short =
            |by: fn(&Error) -> bool| results.iter().any(|r| matches!(r, Some(Err(e)) if by(e)));
        let cut_by_cancel =
            self.client.is_cancelled() && cut_short(|e| e.kind() == ErrorKind::Cancelled);
        let expired_late = stopped.is_none()
            && Instant::now() >= scope.deadline
            && cut_short(|e| matches!(e, Error::DeadlineExceeded { .. }));
        let stopped = stopped
            .or_else(|| cut_by_cancel.then(cancelled))
            .or_else(|| expired_late.then(expired));
        match stopped {
            None => Ok(results
                .into_iter()
                .map(|r| r.expect("every index is filled once"))
                .collect()),
            Some(error) => Err(BulkInterrupted { error, results }),
        }
    }
}
