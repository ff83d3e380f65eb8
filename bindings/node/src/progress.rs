//! `onProgress` callbacks: the core calls them from its tasks and waits for their answer (the
//! core's rule: nothing new starts before the callback has returned, and a callback that raised
//! stops the call). They reach JavaScript through a threadsafe function, weak (unref'd): a
//! pending callback never keeps the process alive, the operation's own promise does that.

use std::ops::ControlFlow;
use std::sync::mpsc;

use napi::Status;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use scaleway_partner::ProgressFn;

use crate::convert::Progress;

/// The JS side passes a wrapper that never throws: it returns `false` once the user's callback
/// has thrown (the JS layer keeps that exception and rethrows it when the call ends).
pub type ProgressCallback = ThreadsafeFunction<Progress, bool, Progress, Status, false, true>;

/// The core's callback: runs the JS callback on the event loop and waits for its answer.
pub fn stoppable(tsfn: ProgressCallback) -> ProgressFn {
    ProgressFn::stoppable(move |p| {
        let (tx, rx) = mpsc::channel();
        let status = tsfn.call_with_return_value(
            p.into(),
            ThreadsafeFunctionCallMode::Blocking,
            move |answer, _env| {
                // The receiver waits below; it cannot be gone.
                let _ = tx.send(answer.unwrap_or(true));
                Ok(())
            },
        );
        // Not queued (the environment is closing): nothing will answer, keep going.
        let go_on = status != Status::Ok || rx.recv().unwrap_or(true);
        if go_on {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
}
