//! What a caller sees of the HTTP traffic: the client's `hook` option, called with every request,
//! answer and retry (the core's events, durations in milliseconds), and the metadata of a
//! successful answer for `withResponse()`.

use std::collections::HashMap;

use napi::Status;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;
use scaleway_partner::{Hook, HookEvent, ResponseMeta};
use serde::Deserialize;

/// One event of a client's HTTP traffic. Never the key, a body or a query string.
#[napi(object, use_nullable = true)]
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct TrafficEvent {
    /// `request` (an attempt is about to be sent), `response` (it ended, answered or not) or
    /// `retry` (it failed and will be tried again).
    #[napi(ts_type = "'request' | 'response' | 'retry'")]
    pub event: String,
    /// The operation (`get_organization`...).
    pub operation: String,
    /// HTTP method.
    pub method: String,
    /// Path under the API URL, without the query.
    pub path: String,
    /// 1 for the first attempt of the call, then 2, 3...
    pub attempt: u32,
    /// HTTP status, when the API answered (`response`, `retry`).
    pub status: Option<u32>,
    /// `X-Request-Id` of the answer (`response`).
    pub request_id: Option<String>,
    /// Milliseconds from sending to the end of the answer (`response`).
    pub duration: Option<f64>,
    /// Milliseconds before the next attempt (`retry`).
    pub delay: Option<f64>,
    /// The error kind (`code` of the errors) when the attempt failed.
    pub error: Option<String>,
}

/// The JS side passes a wrapper that never throws.
pub type HookCallback = ThreadsafeFunction<TrafficEvent, (), TrafficEvent, Status, false, true>;

/// The core's hook: hands each event to JavaScript without waiting (a core task never blocks on
/// JS for an observation).
pub fn hook(callback: HookCallback) -> Hook {
    Hook::new(move |event: &HookEvent| {
        // The core's serialized event, every field named once there; seconds become milliseconds.
        let Ok(mut event) =
            serde_json::to_value(event).and_then(serde_json::from_value::<TrafficEvent>)
        else {
            return;
        };
        let millis = |s: f64| {
            std::time::Duration::try_from_secs_f64(s).map_or(s * 1000.0, crate::errors::millis)
        };
        event.duration = event.duration.map(millis);
        event.delay = event.delay.map(millis);
        callback.call(event, ThreadsafeFunctionCallMode::NonBlocking);
    })
}

/// The metadata of a successful answer.
#[napi(object, use_nullable = true)]
#[derive(Debug)]
pub struct ResponseInfo {
    /// HTTP status.
    pub status: u32,
    /// `X-Request-Id`, for Scaleway's support.
    pub request_id: Option<String>,
    /// The answer's headers, names in lower case (repeated ones joined with `, `, as `Headers`
    /// does).
    pub headers: HashMap<String, String>,
}

impl From<ResponseMeta> for ResponseInfo {
    fn from(meta: ResponseMeta) -> Self {
        let mut headers: HashMap<String, String> = HashMap::new();
        for (name, value) in meta.headers {
            headers
                .entry(name)
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(&value);
                })
                .or_insert(value);
        }
        ResponseInfo {
            status: u32::from(meta.status),
            request_id: meta.request_id,
            headers,
        }
    }
}
