//! The retry loop shared by every operation, with tracing and cancellation.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use tokio::time::Instant;
use tracing::Instrument;

use super::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::observe::{HookEvent, ResponseMeta};
use crate::pacer::{Patience, later};
use crate::response::RawResponse;
use crate::retry::{self, Outcome};
use crate::transport::Request;

tokio::task_local! {
    /// What the current call has spent so far, for its timeout errors. Nested operations (the
    /// listing inside an ensure) count into their caller's.
    static SPENT: Spent;
}

#[derive(Clone)]
struct Spent {
    /// Attempts sent (not those still waiting for their slot).
    attempts: Arc<AtomicU32>,
    started: Instant,
    /// When the call's total timeout expires.
    deadline: Instant,
}

impl Spent {
    /// A timeout or cancellation with the attempts and time of the whole call; other errors
    /// unchanged.
    fn fill(&self, err: Error) -> Error {
        let attempts = self.attempts.load(Ordering::Relaxed);
        let elapsed = self.started.elapsed();
        match err {
            Error::Timeout { after, .. } => Error::Timeout {
                after,
                attempts,
                elapsed,
            },
            Error::DeadlineExceeded { after, .. } => Error::DeadlineExceeded {
                after,
                attempts,
                elapsed,
            },
            Error::RateLimitPause { wait, allowed, .. } => Error::RateLimitPause {
                wait,
                allowed,
                attempts,
                elapsed,
            },
            Error::Cancelled { .. } => Error::Cancelled { attempts, elapsed },
            other => other,
        }
    }
}

/// A bulk call, for its items: one deadline for the whole call, and the attempts of all.
#[derive(Debug)]
pub(crate) struct BulkScope {
    pub deadline: Instant,
    pub attempts: AtomicU32,
}

impl Client {
    /// A view whose calls are items of the bulk call `scope`.
    pub(crate) fn in_bulk(&self, scope: Arc<BulkScope>) -> Client {
        let mut view = self.clone();
        view.bulk = Some(scope);
        view
    }
}
/// The rate window of the API's gateway [seen: 50 per 1 s window].
const GATEWAY_WINDOW: std::time::Duration = std::time::Duration::from_secs(1);

/// The result of a retried call, and whether some attempt failed in a way that may have
/// applied the request (the caller may have to reconcile).
pub(crate) struct Sent {
    pub result: Result<RawResponse>,
    pub ambiguous_failure: bool,
}

impl Client {
    /// Runs an operation in its tracing span, within the call's total timeout, stopping early
    /// if the call is cancelled.
    pub(crate) fn run<'a, T: 'a>(
        &'a self,
        operation: &'static str,
        organization_id: Option<&str>,
        fut: impl Future<Output = Result<T>> + Send + 'a,
    ) -> impl Future<Output = Result<T>> + Send + 'a {
        let total = self.total_timeout();
        let deadline = self.deadline();
        self.traced(operation, organization_id, async move {
            tokio::time::timeout_at(deadline, fut)
                .await
                .unwrap_or(Err(Error::deadline_exceeded(total)))
        })
    }

    /// Runs an operation in its tracing span, stopping early if the call is cancelled (for the
    /// operations that apply the total timeout themselves).
    pub(crate) fn traced<'a, T: 'a>(
        &'a self,
        operation: &'static str,
        organization_id: Option<&str>,
        fut: impl Future<Output = Result<T>> + Send + 'a,
    ) -> impl Future<Output = Result<T>> + Send + 'a {
        let span = tracing::debug_span!(
            "scaleway_partner",
            operation,
            organization_id = organization_id.unwrap_or(""),
        );
        // Boxed at once: an operation's states (attempts, retries, lookups, nested listings)
        // are tens of KB, too much to nest in a caller's future or on its stack.
        let spent = SPENT.try_with(Spent::clone).unwrap_or_else(|_| {
            let started = Instant::now();
            Spent {
                attempts: Arc::default(),
                started,
                deadline: self.deadline(),
            }
        });
        let fut = Box::pin(SPENT.scope(spent.clone(), fut.instrument(span)));
        async move {
            let result = match &self.options.cancel {
                None => fut.await,
                Some(token) => tokio::select! {
                    biased;
                    _ = token.cancelled() => Err(Error::cancelled()),
                    r = fut => r,
                },
            };
            result.map_err(|e| spent.fill(e))
        }
    }

    /// One attempt, logged and shown to the hook. Bodies are never logged (a request may carry
    /// a password).
    pub(crate) async fn attempt(&self, req: &Request, attempt: u32) -> Result<RawResponse> {
        // A rate-limit pause, this process's or one shared by the backend, is waited out in the
        // pacer's reservation only as long as a server's wait is believed and the call lasts.
        let patience = Patience {
            max_server_wait: self.retry_policy().max_server_wait,
            deadline: SPENT.try_with(|s| s.deadline).ok(),
        };
        let start = Instant::now();
        let sending = || {
            // Counted as it leaves: a call held by the rate limit until its deadline sent
            // nothing. Outside an operation's scope there is nothing to count into.
            let _ = SPENT.try_with(|s| s.attempts.fetch_add(1, Ordering::Relaxed));
            if let Some(bulk) = &self.bulk {
                bulk.attempts.fetch_add(1, Ordering::Relaxed);
            }
            self.emit(|| HookEvent::Request {
                operation: req.operation,
                method: req.method.to_string(),
                path: req.path.clone(),
                attempt,
            });
        };
        let result = self
            .inner
            .transport
            .attempt(req, self.timeout(), patience, sending)
            .await;
        if let Err(e @ Error::RateLimitPause { .. }) = result {
            // Nothing was sent: no answer to show or log.
            return Err(e);
        }
        let elapsed = start.elapsed();
        let elapsed_ms = elapsed.as_millis() as u64;
        self.emit(|| HookEvent::Response {
            operation: req.operation,
            method: req.method.to_string(),
            path: req.path.clone(),
            attempt,
            status: match &result {
                Ok(raw) => Some(raw.status),
                Err(e) => e.status_code(),
            },
            request_id: match &result {
                Ok(raw) => raw.request_id.clone(),
                Err(e) => e.request_id().map(str::to_owned),
            },
            duration: elapsed,
            error: result.as_ref().err().map(Error::kind),
        });
        if let (Ok(raw), Some(capture)) = (&result, &self.capture) {
            capture.record(ResponseMeta::new(
                raw.status,
                raw.request_id.clone(),
                &raw.headers,
            ));
        }
        match &result {
            Ok(raw) => tracing::debug!(
                operation = req.operation,
                attempt,
                status = raw.status,
                request_id = raw.request_id.as_deref().unwrap_or(""),
                elapsed_ms,
                "answered"
            ),
            Err(e) => tracing::debug!(
                operation = req.operation,
                attempt,
                status = e.status_code().unwrap_or(0),
                request_id = e.request_id().unwrap_or(""),
                kind = e.kind().as_str(),
                elapsed_ms,
                error = %e,
                "attempt failed"
            ),
        }
        result
    }

    /// Shows an event to the client's hook; the event is only built when there is one.
    fn emit(&self, event: impl FnOnce() -> HookEvent) {
        if let Some(hook) = &self.inner.settings.hook {
            hook.emit(&event());
        }
    }

    /// Sends a request that is safe to repeat, retrying what the policy allows.
    pub(crate) async fn send_idempotent(&self, req: &Request) -> Sent {
        self.send(req, true).await
    }

    /// Sends a request that must not be repeated once it may have been applied: retried only
    /// after failures that prove it was not (refused connection, 429...).
    pub(crate) async fn send_unrepeatable(&self, req: &Request) -> Result<RawResponse> {
        self.send(req, false).await.result
    }

    async fn send(&self, req: &Request, repeatable: bool) -> Sent {
        let mut ambiguous_failure = false;
        let mut retry = 0;
        loop {
            let err = match self.attempt(req, retry + 1).await {
                Ok(raw) => {
                    return Sent {
                        result: Ok(raw),
                        ambiguous_failure,
                    };
                }
                Err(e) => e,
            };
            match retry::classify(&err) {
                Outcome::Fail => {
                    return Sent {
                        result: Err(err),
                        ambiguous_failure,
                    };
                }
                Outcome::Ambiguous if repeatable => ambiguous_failure = true,
                Outcome::Ambiguous => {
                    return Sent {
                        result: Err(err),
                        ambiguous_failure: true,
                    };
                }
                Outcome::Retry => {}
            }
            if let Err(err) = self.wait_before_retry(req, retry, err).await {
                return Sent {
                    result: Err(err),
                    ambiguous_failure,
                };
            }
            retry += 1;
        }
    }

    /// Waits before retry number `retry` (0-based), or gives the error back when the budget is
    /// spent or the server asks for too long a wait. After a 429 every client of the key pauses
    /// (every process, with machine-wide or Redis coordination); and since a 429 proves the
    /// request never reached the service, it is retried while the call's deadline allows,
    /// whatever `max_retries` says.
    pub(crate) async fn wait_before_retry(
        &self,
        req: &Request,
        retry: u32,
        err: Error,
    ) -> Result<()> {
        let policy = self.retry_policy();
        let too_many = err.kind() == ErrorKind::TooManyRequests;
        let deadline = SPENT.try_with(|s| s.deadline).ok();
        if retry >= policy.max_retries && !(too_many && deadline.is_some()) {
            return Err(err);
        }
        // A 429 that names no wait (the gateway's bare one) waits out the gateway's window of
        // one second, as an exhausted window does: a shorter pause only meets more 429s.
        let server_wait = retry::server_wait(&err).or(too_many.then_some(GATEWAY_WINDOW));
        let Some(delay) = policy.delay(retry, server_wait) else {
            return Err(err);
        };
        if too_many {
            if deadline.is_some_and(|d| later(Instant::now(), delay) >= d) {
                return Err(err);
            }
            let pacer = &self.inner.transport.pacer;
            pacer.throttle(delay);
            pacer.share_pause().await;
        }
        self.emit(|| HookEvent::Retry {
            operation: req.operation,
            method: req.method.to_string(),
            path: req.path.clone(),
            attempt: retry + 1,
            delay,
            error: err.kind(),
            status: err.status_code(),
        });
        tracing::warn!(
            retry = retry + 1,
            of = policy.max_retries,
            delay_ms = delay.as_millis() as u64,
            kind = err.kind().as_str(),
            error = %err,
            "retrying"
        );
        tokio::time::sleep(delay).await;
        Ok(())
    }
}
