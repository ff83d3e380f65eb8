//! Progress reporting for long operations (listings, bulk work, audits).

use std::fmt;
use std::sync::Arc;

/// How far a long operation has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Items done so far (organizations fetched, or IDs processed).
    pub done: u64,
    /// Items expected in all, when known.
    pub total: Option<u64>,
}

/// A progress callback; called from the client's tasks, so it must be cheap and thread-safe.
#[derive(Clone)]
pub struct ProgressFn(Arc<dyn Fn(Progress) + Send + Sync>);

impl ProgressFn {
    /// Wraps a callback.
    pub fn new(f: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        ProgressFn(Arc::new(f))
    }

    pub(crate) fn report(&self, done: u64, total: Option<u64>) {
        (self.0)(Progress { done, total });
    }
}

impl fmt::Debug for ProgressFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProgressFn")
    }
}

pub(crate) fn report(p: &Option<ProgressFn>, done: u64, total: Option<u64>) {
    if let Some(p) = p {
        p.report(done, total);
    }
}
