//! Fault injection: scripted faults for the next matching requests, then seeded probabilities.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::operation::Operation;

/// What an injected fault does to a /partner/v1 request. In JSON its snake_case name:
/// `"server_error"`, `"reset_before"`, `"reset_after"`, `"truncate"`, `"slow"`,
/// `"rate_limit"`, `"error"` (the last two can only be scripted).
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
}

fn one() -> u32 {
    1
}

/// A fault for the next `count` requests of `operation` (any operation when `None`).
/// Scripted faults come before the probabilities; a request takes the earliest matching one.
///
/// In JSON: `{"fault": "reset_after", "count": 2, "operation": "create_organization"}`;
/// only `fault` is required.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScriptedFault {
    /// What happens. JSON `fault`.
    pub fault: FaultKind,
    /// How many matching requests get it; default 1, at least 1. JSON `count`.
    #[serde(default = "one")]
    pub count: u32,
    /// The only operation it applies to; `None` (the default) for any. JSON `operation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    /// For `slow`: the delay in ms; default the probabilities' `slow_ms`. JSON `delay_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// For `error`, required: the HTTP status, 400 to 599. JSON `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For `error`: the JSON body; default
    /// `{"type": "unknown_error", "message": "injected error"}`. JSON `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
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

    fn check(&self) -> Result<(), String> {
        if self.count == 0 {
            return Err("count must be at least 1".into());
        }
        match (self.fault, self.status) {
            (FaultKind::Error, None) => Err("an `error` fault needs a status".into()),
            (FaultKind::Error, Some(s)) if !(400..=599).contains(&s) => {
                Err(format!("status {s} is not an error status (400..=599)"))
            }
            _ => Ok(()),
        }
    }
}

/// Per-request probabilities of each fault (checked in this order), between 0 and 1 and
/// adding up to at most 1. One random draw per request that no scripted fault matched.
///
/// In JSON: `{"server_error": 0.1, "slow": 0.05, "slow_ms": 500}`; every key may be left out
/// (probability 0, `slow_ms` 2000).
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
        }
    }
}

impl FaultProbabilities {
    fn all(&self) -> [(FaultKind, f64); 5] {
        [
            (FaultKind::ServerError, self.server_error),
            (FaultKind::ResetBefore, self.reset_before),
            (FaultKind::ResetAfter, self.reset_after),
            (FaultKind::Truncate, self.truncate),
            (FaultKind::Slow, self.slow),
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
    /// Replaces all the current probabilities (including `slow_ms`) when given; `None` (the
    /// default) keeps them. JSON `probabilities`.
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
    Slow(Duration),
    RateLimit,
    Error { status: StatusCode, body: Value },
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

    /// No scripted faults left and all probabilities zero.
    pub(crate) fn clear(&self) {
        self.with_plan(|plan| {
            plan.script.clear();
            plan.probabilities = FaultProbabilities {
                slow_ms: plan.probabilities.slow_ms,
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
            let slow_ms = plan.probabilities.slow_ms;
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
                return Some(action(&entry, slow_ms, &mut plan.rng));
            }
            // One draw per request, so a given seed gives the same sequence every time.
            let draw = plan.rng.f64();
            let mut cumulative = 0.0;
            for (kind, p) in plan.probabilities.all() {
                cumulative += p;
                if draw < cumulative {
                    return Some(action(&ScriptedFault::new(kind), slow_ms, &mut plan.rng));
                }
            }
            None
        })
    }
}

fn action(entry: &ScriptedFault, slow_ms: u64, rng: &mut fastrand::Rng) -> FaultAction {
    match entry.fault {
        FaultKind::ServerError => FaultAction::ServerError(if rng.bool() {
            StatusCode::BAD_GATEWAY
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        }),
        FaultKind::ResetBefore => FaultAction::ResetBefore,
        FaultKind::ResetAfter => FaultAction::ResetAfter,
        FaultKind::Truncate => FaultAction::Truncate,
        FaultKind::Slow => {
            FaultAction::Slow(Duration::from_millis(entry.delay_ms.unwrap_or(slow_ms)))
        }
        FaultKind::RateLimit => FaultAction::RateLimit,
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

/// The HTML page of a failing gateway.
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
}
