//! `onProgress` callbacks: the core calls them from its tasks, so they reach JavaScript through a
//! threadsafe function. It is weak (unref'd): a pending callback never keeps the process alive,
//! the operation's own promise does that while it runs.

use napi::Status;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use scaleway_partner::ProgressFn;

use crate::convert::Progress;

/// The JS side passes a wrapper that ignores `null` (the flush marker) and never throws.
pub type ProgressCallback =
    ThreadsafeFunction<Option<Progress>, (), Option<Progress>, Status, false, true>;

/// Reports progress to JavaScript without waiting for it (a core task must never block on JS).
pub struct Reporter {
    tsfn: std::sync::Arc<ProgressCallback>,
}

impl Reporter {
    pub fn new(tsfn: ProgressCallback) -> Self {
        Reporter {
            tsfn: std::sync::Arc::new(tsfn),
        }
    }

    /// The core's callback.
    pub fn progress_fn(&self) -> ProgressFn {
        let tsfn = self.tsfn.clone();
        ProgressFn::new(move |p| {
            tsfn.call(Some(p.into()), ThreadsafeFunctionCallMode::NonBlocking);
        })
    }

    /// Waits until every report queued so far has run in JavaScript, so that the operation's
    /// promise settles after its last `onProgress` call, as a caller expects. The queue is
    /// first-in first-out, so one marker behind them is enough.
    pub async fn flush(self) {
        // An error here means the environment is closing: nothing is left to wait for.
        let _ = self.tsfn.call_async(None).await;
    }
}
