//! `onProgress` callbacks: the core calls them from its tasks and awaits their answer (the
//! core's rule: nothing new starts before the callback has returned, and a callback that raised
//! stops the call). An async callback is waited for the same way: until its promise settles.
//! They reach JavaScript through a threadsafe function, weak (unref'd): a pending callback never
//! keeps the process alive, the operation's own promise does that.

use std::ops::ControlFlow;
use std::sync::Arc;

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

/// The core's callback: queues the JS callback on the event loop and awaits its answer (and the
/// promise of an async one); no runtime thread waits, so a callback may call the client.
pub fn stoppable(tsfn: ProgressCallback) -> ProgressFn {
    let tsfn = Arc::new(tsfn);
    ProgressFn::awaited(move |p| {
        let tsfn = Arc::clone(&tsfn);
        async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let status = tsfn.call_with_return_value(
                p.into(),
                ThreadsafeFunctionCallMode::NonBlocking,
                move |answer: napi::Result<Answer>, _env| {
                    let _ = tx.send(answer);
                    Ok(())
                },
            );
            // Not queued (the environment is closing): nothing will answer, keep going.
            let go_on = status != Status::Ok
                || match rx.await {
                    Ok(Ok(Either::A(go_on))) => go_on,
                    // The wrapper's promise never rejects; an environment closing drops it.
                    Ok(Ok(Either::B(promise))) => promise.await.unwrap_or(true),
                    Ok(Err(_)) | Err(_) => true,
                };
            if go_on {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            }
        }
    })
}
