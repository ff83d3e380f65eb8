//! `onProgress` callbacks: the core calls them from its tasks and awaits their answer (the
//! core's rule: nothing new starts before the callback has returned, and a callback that threw
//! stops the call with what it threw). An async callback is waited for the same way: until its
//! promise settles. They reach JavaScript through a threadsafe function, weak (unref'd): a
//! pending callback never keeps the process alive, the operation's own promise does that.

use std::ops::ControlFlow;
use std::sync::Arc;

use napi::bindgen_prelude::{FromNapiValue, Promise, Unknown};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, JsValue, Status};
use scaleway_partner::{CallbackError, ProgressFn};

use crate::convert::Progress;

/// The user's `onProgress` itself. What it throws (or its promise rejects with) comes back as
/// a `napi::Error` holding a reference to that very JS value, released on the JS thread.
pub type ProgressCallback =
    ThreadsafeFunction<Progress, Unknown<'static>, Progress, Status, false, true>;

/// The core's callback: queues the JS callback on the event loop and awaits its answer (and the
/// promise of an async one); no runtime thread waits, so a callback may call the client. What
/// it throws goes to the core as the call's [`CallbackError`]; the rejection is that value
/// (see `errors::Outcome`).
pub fn stoppable(tsfn: ProgressCallback) -> ProgressFn {
    let tsfn = Arc::new(tsfn);
    ProgressFn::awaited(move |p| {
        let tsfn = Arc::clone(&tsfn);
        async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let status = tsfn.call_with_return_value(
                p.into(),
                ThreadsafeFunctionCallMode::NonBlocking,
                move |answer: napi::Result<Unknown<'static>>, env| {
                    let _ = tx.send(answer.and_then(|value| promise(&env, value)));
                    Ok(())
                },
            );
            // Not queued, or dropped unanswered (the environment is closing): nothing will
            // answer, keep going.
            if status != Status::Ok {
                return ControlFlow::Continue(());
            }
            let answered = match rx.await {
                Ok(Ok(Some(promise))) => promise.await,
                Ok(answer) => answer.map(drop),
                Err(_) => Ok(()),
            };
            match answered {
                Ok(()) => ControlFlow::Continue(()),
                Err(thrown) => ControlFlow::Break(Some(CallbackError::new(thrown))),
            }
        }
    })
}

/// The promise an async callback returned, to await; None for any other value.
fn promise(env: &Env, value: Unknown<'_>) -> napi::Result<Option<Promise<()>>> {
    let mut is_promise = false;
    // SAFETY: the callback's value, in its environment, on the JS thread.
    unsafe {
        napi::check_status!(napi::sys::napi_is_promise(
            env.raw(),
            value.raw(),
            &mut is_promise
        ))?;
        if !is_promise {
            return Ok(None);
        }
        Promise::from_napi_value(env.raw(), value.raw()).map(Some)
    }
}

/// What a progress callback threw, to reject its call with (the same JS value).
pub fn thrown(e: &scaleway_partner::Error) -> Option<napi::Error> {
    e.raised()?.downcast_ref::<napi::Error>()?.try_clone().ok()
}
