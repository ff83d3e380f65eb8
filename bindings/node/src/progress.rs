//! `onProgress` callbacks: the core calls them from its tasks and waits for their answer (the
//! core's rule: nothing new starts before the callback has returned, and a callback that raised
//! stops the call). An async callback is waited for the same way: until its promise settles.
//! They reach JavaScript through a threadsafe function, weak (unref'd): a pending callback never
//! keeps the process alive, the operation's own promise does that.

use std::ops::ControlFlow;
use std::sync::mpsc;

use napi::Status;
use napi::bindgen_prelude::{Either, Promise};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use scaleway_partner::ProgressFn;

use crate::convert::Progress;

/// What the JS wrapper answers: whether to go on, or a promise of it (an async `onProgress`).
type Answer = Either<bool, Promise<bool>>;

/// The JS side passes a wrapper that never throws nor rejects: it answers `false` once the
/// user's callback has thrown or rejected (the JS layer keeps that exception and rethrows it
/// when the call ends).
pub type ProgressCallback = ThreadsafeFunction<Progress, Answer, Progress, Status, false, true>;

/// The core's callback: runs the JS callback on the event loop and waits for its answer, off the
/// runtime's other tasks (a callback may itself call the client, which needs them).
pub fn stoppable(tsfn: ProgressCallback) -> ProgressFn {
    ProgressFn::stoppable(move |p| {
        let go_on = tokio::task::block_in_place(|| {
            let (tx, rx) = mpsc::channel();
            let status = tsfn.call_with_return_value(
                p.into(),
                ThreadsafeFunctionCallMode::Blocking,
                move |answer: napi::Result<Answer>, _env| {
                    // The receiver waits below; it cannot be gone.
                    let _ = tx.send(answer);
                    Ok(())
                },
            );
            // Not queued (the environment is closing): nothing will answer, keep going.
            if status != Status::Ok {
                return true;
            }
            match rx.recv() {
                Ok(Ok(Either::A(go_on))) => go_on,
                // The wrapper's promise never rejects; an environment closing drops it.
                Ok(Ok(Either::B(promise))) => tokio::runtime::Handle::current()
                    .block_on(promise)
                    .unwrap_or(true),
                Ok(Err(_)) | Err(_) => true,
            }
        });
        if go_on {
            ControlFlow::Continue(())
        } else {
            ControlFlow::Break(())
        }
    })
}
