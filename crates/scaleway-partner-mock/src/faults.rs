//! Fault injection: scripted faults for the next matching requests, then seeded probabilities.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::{HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::operation::Operation;

/// What an injected fault does to a /partner/v1 request. In JSON its snake_case name:
/// `"server_error"`, `"reset_before"`, `"reset_after"`, `"truncate"`, `"slow"`,
/// `"apply_late"`, `"garble"`, `"rate_limit"`, `"error"`, `"redirect"`, `"success_body"`,
/// `"rate_limit_headers"` (the last five can only be scripted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 502 or 503 (drawn at random) with an HTML page, as a gateway sends.
    ServerError,
    /// The connection closes without an answer; the write is not applied.
    ResetBefore,
    /// The write is applied (and persisted), then the connection closes without an answer.
    ResetAfter,
    /// The headers announce the full length but the body is cut short.
    Truncate,
    /// The answer comes late (`delay_ms`, default the probabilities' `slow_ms`).
    Slow,
    /// A 429 in the configured style, whether or not the rate limit is on.
    RateLimit,
    /// The given `status` and JSON `body`, with the usual headers.
    Error,
    /// A gateway that timed out while the backend kept working: the client gets a gateway
    /// failure at once (`status` 502, 503 or 504, default 504, with the HTML page of
    /// `server_error`; or, with `reset`, a connection closed without an answer), and a write
    /// lands `delay_ms` later (default the probabilities' `apply_late_ms`, itself 2500 by
    /// default), exactly as if it had been received then: `created_at` is that later time,
    /// and the organization appears only then. A write the emulator would refuse (bad body,
    /// unknown organization...) changes nothing; a read only gets the failure. A late write
    /// still pending when the emulator is reset or stopped is dropped.
    ApplyLate,
    /// A proxy that garbles success bodies: the request is handled (a write is applied), then
    /// a 2xx answer's body is replaced by one that is not JSON (its first half, whole as far as
    /// HTTP goes: the length announced matches). Other answers pass unchanged.
    Garble,
    /// A hostile or misconfigured gateway: the `status` redirect (301, 302, 303, 307 or 308,
    /// default 307) to `location`, by default the same emulator under another host name
    /// (`localhost` and `127.0.0.1` swapped), same path and query. Nothing is applied.
    Redirect,
    /// A success `status` (200 to 299, default 200) with the given JSON `body` (required) in
    /// place of the answer, with the usual headers: a gateway or backend that answers a success
    /// which says something else, such as a listing with a total and no records. Nothing is
    /// applied.
    SuccessBody,
    /// A gateway whose rate-limit headers cannot be trusted: the request is handled as usual,
    /// and its answer carries exactly the `X-Ratelimit-Limit`, `-Remaining` and `-Reset`
    /// values of `rate_limit_headers`, sent as given (an epoch for a reset, a window of a day,
    /// more remaining than the limit, negatives...); those left out are not sent.
    RateLimitHeaders,
}

/// The `X-Ratelimit-*` values of a `rate_limit_headers` fault, each sent as given, as text. In
/// JSON: `{"limit": "1, 1;w=86400", "remaining": "0", "reset": "1700000000"}`; every key may
/// be left out (that header is not sent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitHeaders {
    /// `X-Ratelimit-Limit`. JSON `limit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// `X-Ratelimit-Remaining`. JSON `remaining`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<String>,
    /// `X-Ratelimit-Reset`. JSON `reset`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<String>,
}

impl RateLimitHeaders {
    /// The headers by name, those given only.
    pub(crate) fn named(&self) -> [(&'static str, Option<&str>); 3] {
        [
            ("x-ratelimit-limit", self.limit.as_deref()),
            ("x-ratelimit-remaining", self.remaining.as_deref()),
            ("x-ratelimit-reset", self.reset.as_deref()),
        ]
    }
}

/// A scripted fault hits one request unless its `count` says more.
fn default_fault_count() -> u32 {
    1
}

/// The statuses an `apply_late` fault may answer.
const GATEWAY_FAILURES: [u16; 3] = [502, 503, 504];
/// The statuses a `redirect` fault may answer.
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// A fault for the next `count` requests of `operation` (any operation when `None`).
/// Scripted faults come before the probabilities; a request takes the earliest matching one.
///
/// In JSON: `{"fault": "reset_after", "count": 2, "operation": "create_organization"}`, or
/// `{"fault": "apply_late", "operation": "create_organization", "delay_ms": 2500, "status": 504}`,
/// or `{"fault": "redirect", "status": 307, "location": "http://localhost:8080/"}`; only
/// `fault` is required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScriptedFault {
    /// What happens. JSON `fault`.
    pub fault: FaultKind,
    /// How many matching requests get it; default 1, at least 1. JSON `count`.
    #[serde(default = "default_fault_count")]
    pub count: u32,
    /// The only operation it applies to; `None` (the default) for any. JSON `operation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// For `slow`: the delay in ms; default the probabilities' `slow_ms`. For `apply_late`:
    /// how long after the answer the write lands, in ms; default the probabilities'
    /// `apply_late_ms` (2500 unless changed). JSON `delay_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// The HTTP status. For `error`, required: 400 to 599. For `apply_late`: 502, 503 or 504,
    /// default 504. For `redirect`: 301, 302, 303, 307 or 308, default 307. For
    /// `success_body`: 200 to 299, default 200. JSON `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For `error`: the JSON body; default
    /// `{"type": "unknown_error", "message": "injected error"}`. For `success_body`, required:
    /// the JSON body answered. JSON `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// For `apply_late` only: close the connection without an answer instead of answering
    /// a gateway status; default false. JSON `reset`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// For `redirect` only: the `Location` header; default the same emulator under the
    /// other local host name (`http://localhost:{port}` reached as `127.0.0.1`, and the
    /// other way round), with the request's path and query. JSON `location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// For `rate_limit_headers`, required: the `X-Ratelimit-*` values its answer carries.
    /// JSON `rate_limit_headers`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit_headers: Option<RateLimitHeaders>,
}

impl ScriptedFault {
    /// A `fault` for the next request, of any operation.
    pub fn new(fault: FaultKind) -> ScriptedFault {
        ScriptedFault {
            fault,
            count: 1,
            operation: None,
            delay_ms: None,
            status: None,
            body: None,
            reset: false,
            location: None,
            rate_limit_headers: None,
        }
    }

    /// For the next `count` matching requests instead of one.
    pub fn times(mut self, count: u32) -> ScriptedFault {
        self.count = count;
        self
    }

    /// Only for requests of `operation`.
    pub fn on(mut self, operation: Operation) -> ScriptedFault {
        self.operation = Some(operation);
        self
    }

    /// With this `delay_ms` (for `slow` and `apply_late`).
    pub fn with_delay_ms(mut self, delay_ms: u64) -> ScriptedFault {
        self.delay_ms = Some(delay_ms);
        self
    }

    /// With this `status` (for `error`, `apply_late` and `redirect`).
    pub fn with_status(mut self, status: u16) -> ScriptedFault {
        self.status = Some(status);
        self
    }

    /// With `reset`: an `apply_late` fault closes the connection instead of answering.
    pub fn with_reset(mut self) -> ScriptedFault {
        self.reset = true;
        self
    }

    /// With this `location` (for `redirect`).
    pub fn with_location(mut self, location: impl Into<String>) -> ScriptedFault {
        self.location = Some(location.into());
        self
    }

    /// With these `X-Ratelimit-*` values (for `rate_limit_headers`).
    pub fn with_rate_limit_headers(mut self, headers: RateLimitHeaders) -> ScriptedFault {
        self.rate_limit_headers = Some(headers);
        self
    }

    fn check(&self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count must be at least 1".into());
        }
        if self.reset && self.fault != FaultKind::ApplyLate {
            return Err("only an `apply_late` fault takes `reset`".into());
        }
        if self.location.is_some() && self.fault != FaultKind::Redirect {
            return Err("only a `redirect` fault takes a `location`".into());
        }
        if let Some(location) = &self.location
            && (location.is_empty() || HeaderValue::from_str(location).is_err())
        {
            return Err(format!("location {location:?} is not a valid header value"));
        }
        match (&self.rate_limit_headers, self.fault) {
            (None, FaultKind::RateLimitHeaders) => {
                return Err("a `rate_limit_headers` fault needs `rate_limit_headers`".into());
            }
            (Some(_), kind) if kind != FaultKind::RateLimitHeaders => {
                return Err("only a `rate_limit_headers` fault takes `rate_limit_headers`".into());
            }
            (Some(headers), _) => {
                for (name, value) in headers.named() {
                    if let Some(value) = value
                        && HeaderValue::from_str(value).is_err()
                    {
                        return Err(format!("{name} {value:?} is not a valid header value"));
                    }
                }
            }
            (None, _) => {}
        }
        match (self.fault, self.status) {
            (FaultKind::Error, None) => Err("an `error` fault needs a status".into()),
            (FaultKind::Error, Some(s)) if !(400..=599).contains(&s) => {
                Err(format!("status {s} is not an error status (400..=599)"))
            }
            (FaultKind::ApplyLate, Some(_)) if self.reset => {
                Err("an `apply_late` fault with `reset` answers no status".into())
            }
            (FaultKind::ApplyLate, Some(s)) if !GATEWAY_FAILURES.contains(&s) => Err(format!(
                "status {s} is not a gateway failure (502, 503 or 504)"
            )),
            (FaultKind::Redirect, Some(s)) if !REDIRECTS.contains(&s) => Err(format!(
                "status {s} is not a redirect (301, 302, 303, 307 or 308)"
            )),
            (FaultKind::SuccessBody, Some(s)) if !(200..=299).contains(&s) => {
                Err(format!("status {s} is not a success status (200..=299)"))
            }
            (FaultKind::SuccessBody, _) if self.body.is_none() => {
                Err("a `success_body` fault needs a body".into())
            }
            _ => Ok(()),
        }
    }
}

/// Per-request probabilities of each fault (checked in this order), between 0 and 1 and
/// adding up to at most 1. One random draw per request that no scripted fault matched.
///
/// In JSON: `{"server_error": 0.1, "slow": 0.05, "slow_ms": 500}`; every key may be left out
/// (probability 0, `slow_ms` 2000, `apply_late_ms` 2500).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultProbabilities {
    /// Probability of a `server_error` fault, 0..1; default 0. JSON `server_error`.
    pub server_error: f64,
    /// Probability of a `reset_before` fault, 0..1; default 0. JSON `reset_before`.
    pub reset_before: f64,
    /// Probability of a `reset_after` fault, 0..1; default 0. JSON `reset_after`.
    pub reset_after: f64,
    /// Probability of a `truncate` fault, 0..1; default 0. JSON `truncate`.
    pub truncate: f64,
    /// Probability of a `slow` fault, 0..1; default 0. JSON `slow`.
    pub slow: f64,
    /// Delay of a `slow` fault (and of a scripted one without `delay_ms`), in ms; default
    /// 2000. JSON `slow_ms`.
    pub slow_ms: u64,
    /// Probability of an `apply_late` fault (a 504 at once, the write applied
    /// `apply_late_ms` later), 0..1; default 0. JSON `apply_late`.
    pub apply_late: f64,
    /// Probability of a `garble` fault (a write applied, its 2xx body not JSON), 0..1; default
    /// 0. JSON `garble`.
    pub garble: f64,
    /// How long after the answer an `apply_late` fault (and a scripted one without
    /// `delay_ms`) applies the write, in ms; default 2500. JSON `apply_late_ms`.
    pub apply_late_ms: u64,
}

impl Default for FaultProbabilities {
    fn default() -> FaultProbabilities {
        FaultProbabilities {
            server_error: 0.0,
            reset_before: 0.0,
            reset_after: 0.0,
            truncate: 0.0,
            slow: 0.0,
            slow_ms: 2000,
            apply_late: 0.0,
            apply_late_ms: 2500,
            garble: 0.0,
        }
    }
}

impl FaultProbabilities {
    // New kinds go last, so that a seed keeps drawing the same faults for the older ones.
    fn all(&self) -> [(FaultKind, f64); 7] {
        [
            (FaultKind::ServerError, self.server_error),
            (FaultKind::ResetBefore, self.reset_before),
            (FaultKind::ResetAfter, self.reset_after),
            (FaultKind::Truncate, self.truncate),
            (FaultKind::Slow, self.slow),
            (FaultKind::ApplyLate, self.apply_late),
            (FaultKind::Garble, self.garble),
        ]
    }

    fn any(&self) -> bool {
        self.all().iter().any(|(_, p)| *p > 0.0)
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        for (kind, p) in self.all() {
            if !(0.0..=1.0).contains(&p) {
                return Err(format!(
                    "probability of {kind:?} must be between 0 and 1, not {p}"
                ));
            }
        }
        let sum: f64 = self.all().iter().map(|(_, p)| p).sum();
        if sum > 1.0 + 1e-9 {
            return Err(format!("fault probabilities add up to {sum}, more than 1"));
        }
        Ok(())
    }
}

/// What POST /_mock/faults takes: scripted faults appended, probabilities replaced, RNG reseeded.
/// Faults only ever hit /partner/v1 requests, never the control endpoints.
///
/// In JSON every key may be left out. Here the next two creations are applied, then lose
/// their connection, and 10% of the other requests get a 502 or 503, reproducibly (seed 42):
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use scaleway_partner_mock::{FaultPlan, MockConfig, MockServer};
///
/// let server = MockServer::start(MockConfig::default()).await?;
/// let plan: FaultPlan = serde_json::from_str(
///     r#"{
///         "script": [{"fault": "reset_after", "count": 2, "operation": "create_organization"}],
///         "probabilities": {"server_error": 0.1},
///         "seed": 42
///     }"#,
/// )?;
/// server.inject_faults(plan);
/// // ... run the client under test against server.url(), then:
/// println!("{} faults injected", server.stats().faults_injected);
/// server.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultPlan {
    /// Scripted faults, appended to those still pending; default none. JSON `script`.
    pub script: Vec<ScriptedFault>,
    /// Replaces all the current probabilities (including `slow_ms` and `apply_late_ms`) when
    /// given; `None` (the default) keeps them. JSON `probabilities`.
    pub probabilities: Option<FaultProbabilities>,
    /// Reseeds the fault RNG when given, so that the same requests get the same faults on
    /// every run; `None` (the default) keeps it. JSON `seed`.
    pub seed: Option<u64>,
}

impl FaultPlan {
    pub(crate) fn check(&self) -> Result<(), String> {
        for (i, entry) in self.script.iter().enumerate() {
            entry.check().map_err(|e| format!("script[{i}]: {e}"))?;
        }
        self.probabilities
            .as_ref()
            .map_or(Ok(()), FaultProbabilities::check)
    }
}

/// The fault to apply to one request.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum FaultAction {
    ServerError(StatusCode),
    ResetBefore,
    ResetAfter,
    Truncate,
    Garble,
    Slow(Duration),
    RateLimit,
    /// Answers `status` (an error, or a success for `success_body`) with this JSON body.
    Error {
        status: StatusCode,
        body: Value,
    },
    /// Answers `status` (or closes the connection when `None`) at once; a write lands after
    /// `delay`.
    ApplyLate {
        status: Option<StatusCode>,
        delay: Duration,
    },
    /// Answers `status` with `location` (`None`: the emulator under its other host name).
    Redirect {
        status: StatusCode,
        location: Option<String>,
    },
    /// Handles the request, its answer carrying these `X-Ratelimit-*` values only.
    RateLimitHeaders(RateLimitHeaders),
}

struct Plan {
    script: VecDeque<ScriptedFault>,
    probabilities: FaultProbabilities,
    rng: fastrand::Rng,
}

impl Plan {
    fn active(&self) -> bool {
        !self.script.is_empty() || self.probabilities.any()
    }
}

pub(crate) struct FaultEngine {
    /// Lets the common case (no faults) skip the mutex.
    active: AtomicBool,
    plan: Mutex<Plan>,
    initial: (FaultProbabilities, u64),
}

impl std::fmt::Debug for FaultEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultEngine")
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl FaultEngine {
    pub(crate) fn new(probabilities: FaultProbabilities, seed: u64) -> FaultEngine {
        let plan = Plan {
            script: VecDeque::new(),
            probabilities,
            rng: fastrand::Rng::with_seed(seed),
        };
        FaultEngine {
            active: AtomicBool::new(plan.active()),
            plan: Mutex::new(plan),
            initial: (probabilities, seed),
        }
    }

    fn with_plan<T>(&self, f: impl FnOnce(&mut Plan) -> T) -> T {
        let mut plan = self.plan.lock().unwrap_or_else(|e| e.into_inner());
        let out = f(&mut plan);
        self.active.store(plan.active(), Ordering::Release);
        out
    }

    /// Scripted entries are appended; probabilities and seed replace the current ones.
    /// Out-of-range values are clamped (the HTTP endpoint refuses them instead).
    pub(crate) fn inject(&self, plan: FaultPlan) {
        if let Err(problem) = plan.check() {
            tracing::warn!(%problem, "fault plan out of range, clamping");
        }
        self.with_plan(|current| {
            for mut entry in plan.script {
                entry.count = entry.count.max(1);
                current.script.push_back(entry);
            }
            if let Some(mut p) = plan.probabilities {
                for value in [
                    &mut p.server_error,
                    &mut p.reset_before,
                    &mut p.reset_after,
                    &mut p.truncate,
                    &mut p.slow,
                    &mut p.apply_late,
                    &mut p.garble,
                ] {
                    *value = if value.is_nan() {
                        0.0
                    } else {
                        value.clamp(0.0, 1.0)
                    };
                }
                current.probabilities = p;
            }
            if let Some(seed) = plan.seed {
                current.rng = fastrand::Rng::with_seed(seed);
            }
        });
    }

    /// No scripted faults left and all probabilities zero (the delays are kept).
    pub(crate) fn clear(&self) {
        self.with_plan(|plan| {
            plan.script.clear();
            plan.probabilities = FaultProbabilities {
                slow_ms: plan.probabilities.slow_ms,
                apply_late_ms: plan.probabilities.apply_late_ms,
                ..FaultProbabilities::default()
            };
        });
    }

    /// Back to the configured probabilities and seed.
    pub(crate) fn reset(&self) {
        let (probabilities, seed) = self.initial;
        self.with_plan(|plan| {
            plan.script.clear();
            plan.probabilities = probabilities;
            plan.rng = fastrand::Rng::with_seed(seed);
        });
    }

    /// The fault for this request, if any.
    pub(crate) fn decide(&self, op: Operation) -> Option<FaultAction> {
        if !self.active.load(Ordering::Acquire) {
            return None;
        }
        self.with_plan(|plan| {
            let defaults = plan.probabilities;
            if let Some(i) = plan
                .script
                .iter()
                .position(|e| e.operation.is_none_or(|o| o == op))
            {
                let entry = plan.script[i].clone();
                plan.script[i].count -= 1;
                if plan.script[i].count == 0 {
                    plan.script.remove(i);
                }
                return Some(action(&entry, &defaults, &mut plan.rng));
            }
            // One draw per request, so a given seed gives the same sequence every time.
            let draw = plan.rng.f64();
            let mut cumulative = 0.0;
            for (kind, p) in plan.probabilities.all() {
                cumulative += p;
                if draw < cumulative {
                    return Some(action(&ScriptedFault::new(kind), &defaults, &mut plan.rng));
                }
            }
            None
        })
    }
}

fn action(
    entry: &ScriptedFault,
    defaults: &FaultProbabilities,
    rng: &mut fastrand::Rng,
) -> FaultAction {
    // Out-of-range statuses are refused by `check`; `inject` lets them fall to the default.
    let status_in = |allowed: &[u16], default: StatusCode| {
        entry
            .status
            .filter(|s| allowed.contains(s))
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(default)
    };
    match entry.fault {
        FaultKind::ServerError => FaultAction::ServerError(if rng.bool() {
            StatusCode::BAD_GATEWAY
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        }),
        FaultKind::ResetBefore => FaultAction::ResetBefore,
        FaultKind::ResetAfter => FaultAction::ResetAfter,
        FaultKind::Truncate => FaultAction::Truncate,
        FaultKind::Garble => FaultAction::Garble,
        FaultKind::Slow => FaultAction::Slow(Duration::from_millis(
            entry.delay_ms.unwrap_or(defaults.slow_ms),
        )),
        FaultKind::ApplyLate => FaultAction::ApplyLate {
            status: (!entry.reset)
                .then(|| status_in(&GATEWAY_FAILURES, StatusCode::GATEWAY_TIMEOUT)),
            delay: Duration::from_millis(entry.delay_ms.unwrap_or(defaults.apply_late_ms)),
        },
        FaultKind::Redirect => FaultAction::Redirect {
            status: status_in(&REDIRECTS, StatusCode::TEMPORARY_REDIRECT),
            location: entry.location.clone(),
        },
        FaultKind::RateLimit => FaultAction::RateLimit,
        FaultKind::RateLimitHeaders => {
            FaultAction::RateLimitHeaders(entry.rate_limit_headers.clone().unwrap_or_default())
        }
        FaultKind::SuccessBody => FaultAction::Error {
            status: entry
                .status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .filter(StatusCode::is_success)
                .unwrap_or(StatusCode::OK),
            body: entry.body.clone().unwrap_or(Value::Null),
        },
        FaultKind::Error => FaultAction::Error {
            status: entry
                .status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .filter(|s| s.is_client_error() || s.is_server_error())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: entry.body.clone().unwrap_or_else(
                || serde_json::json!({"type": "unknown_error", "message": "injected error"}),
            ),
        },
    }
}

/// The HTML page a gateway sends with an error or a redirect.
pub(crate) fn gateway_page(status: StatusCode) -> String {
    let line = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{line}</title></head>\r\n<body>\r\n<center><h1>{line}</h1></center>\r\n\
         <hr><center>Scaleway API Gateway</center>\r\n</body>\r\n</html>\r\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripted_faults_match_their_operation_in_order_and_run_out() {
        let engine = FaultEngine::new(FaultProbabilities::default(), 1);
        assert_eq!(engine.decide(Operation::GetOrganization), None);
        engine.inject(FaultPlan {
            script: vec![
                ScriptedFault::new(FaultKind::ResetBefore).on(Operation::CreateOrganization),
                ScriptedFault::new(FaultKind::Truncate).times(2),
            ],
            ..FaultPlan::default()
        });
        assert_eq!(
            engine.decide(Operation::GetOrganization),
            Some(FaultAction::Truncate)
        );
        assert_eq!(
            engine.decide(Operation::CreateOrganization),
            Some(FaultAction::ResetBefore)
        );
        assert_eq!(
            engine.decide(Operation::CreateOrganization),
            Some(FaultAction::Truncate)
        );
        assert_eq!(engine.decide(Operation::CreateOrganization), None);
    }

    #[test]
    fn probabilities_are_reproducible_with_a_seed() {
        let p = FaultProbabilities {
            server_error: 0.3,
            slow: 0.2,
            slow_ms: 5,
            ..FaultProbabilities::default()
        };
        let run = || {
            let engine = FaultEngine::new(p, 42);
            (0..200)
                .map(|_| engine.decide(Operation::GetOrganization))
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let errors = first
            .iter()
            .filter(|a| matches!(a, Some(FaultAction::ServerError(_))))
            .count();
        assert!(
            (30..=90).contains(&errors),
            "{errors} server errors out of 200 at p=0.3"
        );
        assert!(first.contains(&Some(FaultAction::Slow(Duration::from_millis(5)))));
        assert!(first.contains(&None));
    }

    #[test]
    fn plans_out_of_range_are_refused_by_check() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"error","status":200}],"probabilities":{"server_error":1.5}}"#,
        )
        .unwrap();
        assert!(plan.check().is_err());
        let ok: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"slow","delay_ms":10,"operation":"get_organization"}]}"#,
        )
        .unwrap();
        assert_eq!(ok.script[0].count, 1);
        assert!(ok.check().is_ok());
    }

    #[test]
    fn rate_limit_headers_need_their_values_and_only_they_take_them() {
        let parse = |json: &str| serde_json::from_str::<FaultPlan>(json).unwrap().check();
        let err = parse(r#"{"script":[{"fault":"rate_limit_headers"}]}"#).unwrap_err();
        assert!(err.contains("needs `rate_limit_headers`"), "{err}");
        let err = parse(r#"{"script":[{"fault":"slow","rate_limit_headers":{}}]}"#).unwrap_err();
        assert!(err.contains("only a `rate_limit_headers` fault"), "{err}");
        let err = parse(
            r#"{"script":[{"fault":"rate_limit_headers","rate_limit_headers":{"reset":"1\n2"}}]}"#,
        )
        .unwrap_err();
        assert!(err.contains("x-ratelimit-reset"), "{err}");
        let plan: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"rate_limit_headers",
                "rate_limit_headers":{"limit":"1, 1;w=86400","remaining":"-1"}}]}"#,
        )
        .unwrap();
        assert!(plan.check().is_ok());
        let engine = FaultEngine::new(FaultProbabilities::default(), 1);
        engine.inject(plan);
        assert_eq!(
            engine.decide(Operation::GetOrganization),
            Some(FaultAction::RateLimitHeaders(RateLimitHeaders {
                limit: Some("1, 1;w=86400".into()),
                remaining: Some("-1".into()),
                reset: None,
            }))
        );
    }

    #[test]
    fn apply_late_and_redirect_take_their_defaults() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"apply_late"},{"fault":"apply_late","reset":true,"delay_ms":5},
                          {"fault":"apply_late","status":502},{"fault":"redirect"},
                          {"fault":"redirect","status":308,"location":"http://x/"}]}"#,
        )
        .unwrap();
        assert!(plan.check().is_ok());
        assert_eq!(
            plan.script[1],
            ScriptedFault::new(FaultKind::ApplyLate)
                .with_reset()
                .with_delay_ms(5)
        );
        let engine = FaultEngine::new(FaultProbabilities::default(), 1);
        engine.inject(plan);
        let late = |status, ms| FaultAction::ApplyLate {
            status,
            delay: Duration::from_millis(ms),
        };
        let op = Operation::CreateOrganization;
        assert_eq!(
            engine.decide(op),
            Some(late(Some(StatusCode::GATEWAY_TIMEOUT), 2500))
        );
        assert_eq!(engine.decide(op), Some(late(None, 5)));
        assert_eq!(
            engine.decide(op),
            Some(late(Some(StatusCode::BAD_GATEWAY), 2500))
        );
        assert_eq!(
            engine.decide(op),
            Some(FaultAction::Redirect {
                status: StatusCode::TEMPORARY_REDIRECT,
                location: None
            })
        );
        assert_eq!(
            engine.decide(op),
            Some(FaultAction::Redirect {
                status: StatusCode::PERMANENT_REDIRECT,
                location: Some("http://x/".into())
            })
        );
        // Serialized back, the defaults stay implicit.
        let json = serde_json::to_value(ScriptedFault::new(FaultKind::ApplyLate)).unwrap();
        assert_eq!(json, serde_json::json!({"fault": "apply_late", "count": 1}));
    }

    #[test]
    fn apply_late_and_redirect_plans_out_of_range_are_refused() {
        for bad in [
            r#"{"fault":"apply_late","status":500}"#,
            r#"{"fault":"apply_late","status":504,"reset":true}"#,
            r#"{"fault":"redirect","status":200}"#,
            r#"{"fault":"redirect","location":""}"#,
            r#"{"fault":"redirect","location":"http://x/\n"}"#,
            r#"{"fault":"slow","reset":true}"#,
            r#"{"fault":"server_error","location":"http://x/"}"#,
        ] {
            let entry: ScriptedFault = serde_json::from_str(bad).unwrap();
            assert!(entry.check().is_err(), "{bad}");
        }
        for bad in [
            r#"{"apply_late":1.5}"#,
            r#"{"apply_late":-0.1}"#,
            r#"{"apply_late":0.6,"truncate":0.5}"#,
        ] {
            let p: FaultProbabilities = serde_json::from_str(bad).unwrap();
            assert!(p.check().is_err(), "{bad}");
        }
        let p: FaultProbabilities = serde_json::from_str(r#"{"apply_late":0.5}"#).unwrap();
        assert_eq!((p.apply_late_ms, p.slow_ms), (2500, 2000));
        assert!(p.check().is_ok());
    }

    #[test]
    fn garble_is_scripted_or_drawn_after_the_older_kinds() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"garble","operation":"lock_organization"}],
                "probabilities":{"garble":1.0}}"#,
        )
        .unwrap();
        assert!(plan.check().is_ok());
        let engine = FaultEngine::new(FaultProbabilities::default(), 1);
        engine.inject(plan);
        assert_eq!(
            engine.decide(Operation::LockOrganization),
            Some(FaultAction::Garble)
        );
        assert_eq!(
            engine.decide(Operation::GetOrganization),
            Some(FaultAction::Garble)
        );
        let p: FaultProbabilities = serde_json::from_str(r#"{"garble":0.6,"slow":0.5}"#).unwrap();
        assert!(p.check().is_err());
    }

    #[test]
    fn success_body_answers_its_body_with_a_success_status() {
        let plan: FaultPlan = serde_json::from_str(
            r#"{"script":[{"fault":"success_body","body":{"total_count":3}},
                          {"fault":"success_body","status":201,"body":{}}]}"#,
        )
        .unwrap();
        assert!(plan.check().is_ok());
        let engine = FaultEngine::new(FaultProbabilities::default(), 1);
        engine.inject(plan);
        let op = Operation::ListOrganizations;
        assert_eq!(
            engine.decide(op),
            Some(FaultAction::Error {
                status: StatusCode::OK,
                body: serde_json::json!({"total_count": 3})
            })
        );
        assert_eq!(
            engine.decide(op),
            Some(FaultAction::Error {
                status: StatusCode::CREATED,
                body: serde_json::json!({})
            })
        );
        for bad in [
            r#"{"fault":"success_body"}"#,
            r#"{"fault":"success_body","status":404,"body":{}}"#,
        ] {
            let entry: ScriptedFault = serde_json::from_str(bad).unwrap();
            assert!(entry.check().is_err(), "{bad}");
        }
    }

    #[test]
    fn probabilistic_apply_late_is_a_504_after_apply_late_ms() {
        let p = FaultProbabilities {
            apply_late: 1.0,
            apply_late_ms: 7,
            ..FaultProbabilities::default()
        };
        let engine = FaultEngine::new(p, 3);
        assert_eq!(
            engine.decide(Operation::LockOrganization),
            Some(FaultAction::ApplyLate {
                status: Some(StatusCode::GATEWAY_TIMEOUT),
                delay: Duration::from_millis(7)
            })
        );
        // Cleared, the delay is kept for the scripted faults without `delay_ms`.
        engine.clear();
        assert_eq!(engine.decide(Operation::LockOrganization), None);
        engine.inject(FaultPlan {
            script: vec![ScriptedFault::new(FaultKind::ApplyLate).with_status(503)],
            ..FaultPlan::default()
        });
        assert_eq!(
            engine.decide(Operation::LockOrganization),
            Some(FaultAction::ApplyLate {
                status: Some(StatusCode::SERVICE_UNAVAILABLE),
                delay: Duration::from_millis(7)
            })
        );
    }
}
