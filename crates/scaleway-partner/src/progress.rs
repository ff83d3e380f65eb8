//! Progress reporting for long operations (listings, bulk work, audits).

use std::fmt;
use std::future::Future;
use std::ops::ControlFlow;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;

use crate::error::{Error, Result};

/// How far a long operation has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items done so far (organizations fetched, or IDs processed).
    pub done: u64,
    /// Items expected in all, when known.
    pub total: Option<u64>,
}

/// What a callback answers, once it has run: go on, or stop.
type Answer = BoxFuture<'static, ControlFlow<()>>;

/// A progress callback. The operation awaits its answer before it starts anything new: a
/// callback that runs elsewhere (a binding's, on its language's thread or event loop) answers
/// later ([`awaited`](Self::awaited)) without a runtime thread waiting for it.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(Progress) -> Answer + Send + Sync>);

impl ProgressFn {
    /// Wraps a callback that only observes; called from the client's tasks, so it must be
    /// cheap and thread-safe.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        ProgressFn::stoppable(move |p| {
            f(p);
            ControlFlow::Continue(())
        })
    }

    /// Wraps a callback whose answer comes later: the future it returns is awaited (it must
    /// not block), and a `Break` stops the call as [`stoppable`](Self::stoppable)'s does.
    pub fn awaited<F>(f: impl Fn(Progress) -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = ControlFlow<()>> + Send + 'static,
    {
        ProgressFn(Arc::new(move |p| f(p).boxed()))
    }

    /// Wraps a callback that may stop the operation by returning `Break`: nothing new is
    /// started (no item of a bulk call, no page of a listing), what is in flight is finished,
    /// and the call fails with [`Error::ProgressStopped`] (a bulk call with
    /// [`BulkInterrupted`](crate::BulkInterrupted) holding what was done). This is how a
    /// binding stops a call whose callback raised: it keeps the exception and raises it when
    /// the call ends.
    pub fn stoppable(f: impl Fn(Progress) -> ControlFlow<()> + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(move |p| futures::future::ready(f(p)).boxed()))
    }
}

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn")
    }
}

/// Reports progress, if anyone listens; [`Error::ProgressStopped`] when the callback says stop.
pub(crate) async fn report(p: &Option<ProgressFn>, done: u64, total: Option<u64>) -> Result<()> {
    let Some(p) = p else { return Ok(()) };
    match (p.0)(Progress { done, total }).await {
        ControlFlow::Break(()) => Err(Error::ProgressStopped),
        ControlFlow::Continue(()) => Ok(()),
    }
}
