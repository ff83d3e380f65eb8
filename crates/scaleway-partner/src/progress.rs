//! Progress reporting for long operations (listings, bulk work, audits).

use std::any::Any;
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

/// What a binding's callback raised, kept opaque (a Python exception, a reference to a thrown JS
/// value): the call that it stopped fails with [`Error::ProgressStopped`] carrying it, and the
/// binding raises it again, unchanged. The core never looks inside.
#[derive(Clone)]
pub struct CallbackError(Arc<dyn Any + Send + Sync>);

impl CallbackError {
    /// Wraps what the callback raised.
    pub fn new(raised: impl Any + Send + Sync) -> Self {
        CallbackError(Arc::new(raised))
    }

    /// What the callback raised, if it is a `T`.
    pub fn downcast_ref<T: Any>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }

    /// Whether both are the same raised value (not a copy).
    pub fn same(&self, other: &CallbackError) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CallbackError")
    }
}

/// What a callback answers, once it has run: go on, or stop (with what it raised, if it did).
type Answer = BoxFuture<'static, ControlFlow<Option<CallbackError>>>;

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

    /// Wraps a binding's callback, whose answer comes later: the future it returns is awaited
    /// (it must not block). `Break(Some(raised))` is a callback that raised: the call stops as
    /// [`stoppable`](Self::stoppable)'s does and its [`Error::ProgressStopped`] carries
    /// `raised`, for the binding to raise again. The callback is not called again once it said
    /// stop.
    pub fn awaited<F>(f: impl Fn(Progress) -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = ControlFlow<Option<CallbackError>>> + Send + 'static,
    {
        ProgressFn(Arc::new(move |p| f(p).boxed()))
    }

    /// Wraps a callback that may stop the operation by returning `Break`: nothing new is
    /// started (no item of a bulk call, no page of a listing), what is in flight is finished,
    /// and the call fails with [`Error::ProgressStopped`] (a bulk call with
    /// [`BulkInterrupted`](crate::BulkInterrupted) holding what was done).
    pub fn stoppable(f: impl Fn(Progress) -> ControlFlow<()> + Send + Sync + 'static) -> Self {
        ProgressFn::awaited(move |p| futures::future::ready(f(p).map_break(|()| None)))
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
        ControlFlow::Break(raised) => Err(Error::ProgressStopped { raised }),
        ControlFlow::Continue(()) => Ok(()),
    }
}
