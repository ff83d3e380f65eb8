//! The one retry policy: exponential backoff with full jitter, honouring the server's wait when
//! it names one, and a classification of failures by what a retry could cause.

use std::time::Duration;

use crate::error::{Error, ErrorKind};

/// How a client retries failed attempts.
///
/// ```
/// use std::time::Duration;
/// use scaleway_partner::RetryPolicy;
/// let patient = RetryPolicy { max_retries: 8, max_backoff: Duration::from_secs(30), ..RetryPolicy::default() };
/// assert_eq!(RetryPolicy::default().max_retries, 4);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Upper bound of the first backoff; doubled at each retry.
    pub initial_backoff: Duration,
    /// Cap of the exponential backoff.
    pub max_backoff: Duration,
    /// The longest server-requested wait (`Retry-After`...) the client accepts to sit through;
    /// a longer one is returned to the caller as the error.
    pub max_server_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based): the server's wait when it gave one
    /// (plus a little jitter so that waiting clients do not return in lockstep), otherwise a
    /// uniformly random wait in `[0, min(max_backoff, initial_backoff * 2^retry)]`.
    /// `None` when the server asks for more than `max_server_wait`.
    pub fn delay(&self, retry: u32, server_wait: Option<Duration>) -> Option<Duration> {
        match server_wait {
            Some(w) if w > self.max_server_wait => None,
            Some(w) => Some(w + jitter(w / 10 + Duration::from_millis(50))),
            None => {
                let cap = self
                    .initial_backoff
                    .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX))
                    .min(self.max_backoff);
                Some(jitter(cap))
            }
        }
    }
}

fn jitter(max: Duration) -> Duration {
    max.mul_f64(fastrand::f64())
}

/// What a failed attempt allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Retrying cannot do harm.
    Retry,
    /// The request may have been applied; a non-idempotent call must find out before retrying.
    Ambiguous,
    /// Retrying would fail the same way.
    Fail,
}

/// Classifies a failed attempt.
pub(crate) fn classify(err: &Error) -> Outcome {
    match err {
        // Refused before the service processed anything.
        Error::Transport { not_sent: true, .. } => Outcome::Retry,
        Error::Api(e) if e.kind() == ErrorKind::TooManyRequests => Outcome::Retry,
        Error::Api(e) if e.kind() == ErrorKind::TransientState => Outcome::Retry,
        // The request went out; the service may have applied it.
        Error::Transport { .. } | Error::Timeout { .. } | Error::UnexpectedResponse { .. } => {
            Outcome::Ambiguous
        }
        Error::Api(e) if e.status >= 500 => Outcome::Ambiguous,
        _ => Outcome::Fail,
    }
}

/// The wait the server asked for, if any.
pub(crate) fn server_wait(err: &Error) -> Option<Duration> {
    err.api().and_then(|e| e.retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_jitter_stays_under_the_exponential_cap() {
        let p = RetryPolicy::default();
        for retry in 0..10 {
            let cap = (p.initial_backoff * 2u32.pow(retry)).min(p.max_backoff);
            for _ in 0..200 {
                assert!(p.delay(retry, None).unwrap() <= cap);
            }
        }
        // Jitter spreads the waits (they are not all equal).
        let waits: std::collections::HashSet<_> =
            (0..50).map(|_| p.delay(3, None).unwrap()).collect();
        assert!(waits.len() > 10);
    }

    #[test]
    fn server_wait_is_honoured_or_refused() {
        let p = RetryPolicy::default();
        let d = p.delay(0, Some(Duration::from_secs(2))).unwrap();
        assert!(
            d >= Duration::from_secs(2) && d <= Duration::from_millis(2250),
            "{d:?}"
        );
        assert_eq!(p.delay(0, Some(Duration::from_secs(3600))), None);
    }

    #[test]
    fn classification() {
        let not_sent = Error::Transport {
            message: "refused".into(),
            not_sent: true,
            system_code: Some("ECONNREFUSED"),
        };
        let reset = Error::Transport {
            message: "reset".into(),
            not_sent: false,
            system_code: Some("ECONNRESET"),
        };
        assert_eq!(classify(&not_sent), Outcome::Retry);
        assert_eq!(classify(&reset), Outcome::Ambiguous);
        assert_eq!(
            classify(&Error::attempt_timeout(Duration::from_secs(1))),
            Outcome::Ambiguous
        );
        assert_eq!(classify(&Error::validation("email", "bad")), Outcome::Fail);
        assert_eq!(classify(&Error::cancelled()), Outcome::Fail);
    }
}
