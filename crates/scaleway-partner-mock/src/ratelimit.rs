//! The per-key rate limit (fixed 1-second windows, as the gateway's Envoy filter does) and
//! its headers and 429 answers.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::response::Response;
use chrono::Utc;
use http::{HeaderMap, HeaderValue, StatusCode};
use serde_json::json;

use crate::config::RateLimitStyle;
use crate::wire;

const WINDOW: Duration = Duration::from_secs(1);

/// The limiter's answer for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Whole seconds until the window resets, at least 1.
    pub reset_secs: u64,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    count: u32,
}

#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: u32,
    /// One bucket per partner, plus a last one shared by unknown keys.
    buckets: Vec<Mutex<Window>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32, partners: usize) -> RateLimiter {
        let now = Instant::now();
        RateLimiter {
            limit,
            buckets: (0..=partners)
                .map(|_| {
                    Mutex::new(Window {
                        start: now,
                        count: 0,
                    })
                })
                .collect(),
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.limit > 0
    }

    pub(crate) fn anonymous_bucket(&self) -> usize {
        self.buckets.len() - 1
    }

    /// Counts a request in `bucket`; `None` when the limit is off.
    pub(crate) fn check(&self, bucket: usize) -> Option<Verdict> {
        if !self.enabled() {
            return None;
        }
        let now = Instant::now();
        let mut window = self.buckets[bucket]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if now.duration_since(window.start) >= WINDOW {
            window.start = now;
            window.count = 0;
        }
        let left = WINDOW.saturating_sub(now.duration_since(window.start));
        let reset_secs = left.as_secs_f64().ceil().max(1.0) as u64;
        let allowed = window.count < self.limit;
        if allowed {
            window.count += 1;
        }
        Some(Verdict {
            allowed,
            limit: self.limit,
            remaining: self.limit - window.count,
            reset_secs,
        })
    }

    /// A refusal (for the scripted `rate_limit` fault), whether or not the limit is on.
    pub(crate) fn refusal(&self) -> Verdict {
        Verdict {
            allowed: false,
            limit: if self.enabled() { self.limit } else { 50 },
            remaining: 0,
            reset_secs: 1,
        }
    }

    pub(crate) fn reset(&self) {
        for bucket in &self.buckets {
            let mut window = bucket.lock().unwrap_or_else(|e| e.into_inner());
            window.count = 0;
        }
    }
}

/// `X-Ratelimit-*` as the recorded gateway sends them (`50, 50;w=1`, remaining, reset delta).
pub(crate) fn add_headers(headers: &mut HeaderMap, verdict: &Verdict) {
    let limit = format!("{0}, {0};w=1", verdict.limit);
    for (name, value) in [
        ("x-ratelimit-limit", limit),
        ("x-ratelimit-remaining", verdict.remaining.to_string()),
        ("x-ratelimit-reset", verdict.reset_secs.to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

/// The 429 answer in the configured style.
pub(crate) fn too_many_requests(style: RateLimitStyle, verdict: &Verdict) -> Response {
    match style {
        RateLimitStyle::Gateway => {
            // As reported from the real gateway: no body, no X-Ratelimit-*, no Retry-After.
            let mut response = wire::empty_response(StatusCode::TOO_MANY_REQUESTS);
            response
                .headers_mut()
                .insert("x-envoy-ratelimited", HeaderValue::from_static("true"));
            response
        }
        RateLimitStyle::Json => {
            let reset_at = Utc::now() + Duration::from_secs(verdict.reset_secs);
            let body = json!({
                "type": "too_many_requests",
                "message": "too many requests",
                "help_message": format!(
                    "the quota of {} requests per second is exhausted, retry in {} s",
                    verdict.limit, verdict.reset_secs
                ),
                "limit": {"quota": verdict.limit, "window_seconds": 1},
                "reset_seconds": verdict.reset_secs,
                "reset_at": wire::timestamp(&reset_at),
            });
            let mut response = wire::json_response(
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::to_vec(&body).unwrap_or_default(),
            );
            add_headers(response.headers_mut(), verdict);
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_and_refuses_past_the_limit() {
        let limiter = RateLimiter::new(3, 1);
        let remaining: Vec<_> = (0..4)
            .map(|_| limiter.check(0).unwrap())
            .map(|v| (v.allowed, v.remaining, v.reset_secs))
            .collect();
        assert_eq!(
            remaining,
            [(true, 2, 1), (true, 1, 1), (true, 0, 1), (false, 0, 1)]
        );
        // Buckets are independent.
        assert!(limiter.check(limiter.anonymous_bucket()).unwrap().allowed);
        limiter.reset();
        assert!(limiter.check(0).unwrap().allowed);
        assert_eq!(RateLimiter::new(0, 1).check(0), None);
    }
}
