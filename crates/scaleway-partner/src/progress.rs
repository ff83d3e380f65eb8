//! Progress reporting for long operations (listings, bulk work, audits).

use std::fmt;
use std::ops::ControlFlow;
use std::sync::Arc;

use crate::error::{Error, Result};

/// How far a long operation has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items done so far (organizations fetched, or IDs processed).
    pub done: u64,
    /// Items expected in all, when known.
    pub total: Option<u64>,
}

/// A progress callback; called from the client's tasks, so it must be cheap and thread-safe.
/// The operation waits for it to return before it starts anything new.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(Progress) -> ControlFlow<()> + Send + Sync>);

impl ProgressFn {
    /// Wraps a callback that only observes.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(move |p| {
            f(p);
            ControlFlow::Continue(())
        }))
    }

    /// Wraps a callback that may stop the operation by returning `Break`: nothing new is
    /// started (no item of a bulk call, no page of a listing), what is in flight is finished,
    /// and the call fails with [`Error::ProgressStopped`] (a bulk call with
    /// [`BulkInterrupted`](crate::BulkInterrupted) holding what was done). This is how a
    /// binding stops a call whose callback raised: it keeps the exception and raises it when
    /// the call ends.
    pub fn stoppable(f: impl Fn(Progress) -> ControlFlow<()> + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(f))
    }
}

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn")
    }
}

/// Reports progress, if anyone listens; [`Error::ProgressStopped`] when the callback says stop.
pub(crate) fn report(p: &Option<ProgressFn>, done: u64, total: Option<u64>) -> Result<()> {
    match p.as_ref().map(|p| (p.0)(Progress { done, total })) {
        Some(ControlFlow::Break(())) => Err(Error::ProgressStopped),
        _ => Ok(()),
    }
}
