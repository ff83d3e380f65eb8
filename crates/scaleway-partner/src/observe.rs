//! What a caller can observe of the HTTP exchanges: one hook for every request, answer and
//! retry, and the metadata of successful answers. Neither ever carries the secret key, a body
//! or a query string (a filter may hold an email address).

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::{Serialize, Serializer};

use crate::error::ErrorKind;

/// One observed event of a client's HTTP traffic. Serializes with an `event` tag
/// (`"request"`, `"response"`, `"retry"`) and durations in seconds, as the bindings pass it on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum HookEvent {
    /// An attempt is being sent (it has its connection and its pacing slot).
    Request {
        /// The operation (`get_organization`...).
        operation: &'static str,
        /// HTTP method.
        method: String,
        /// Path under the API URL, without the query.
        path: String,
        /// 1 for the first attempt of the call, then 2, 3...
        attempt: u32,
    },
    /// An attempt ended: answered (any status), or failed without an answer.
    Response {
        /// The operation.
        operation: &'static str,
        /// HTTP method.
        method: String,
        /// Path under the API URL, without the query.
        path: String,
        /// Which attempt.
        attempt: u32,
        /// HTTP status, when the API answered.
        status: Option<u16>,
        /// `X-Request-Id` of the answer, when there was one.
        request_id: Option<String>,
        /// Time from sending to the end of the answer (seconds in JSON).
        #[serde(serialize_with = "seconds")]
        duration: Duration,
        /// The error kind, when the attempt failed.
        error: Option<ErrorKind>,
    },
    /// A failed attempt will be tried again after `delay`.
    Retry {
        /// The operation.
        operation: &'static str,
        /// HTTP method.
        method: String,
        /// Path under the API URL, without the query.
        path: String,
        /// The attempt that failed.
        attempt: u32,
        /// The wait before the next attempt (seconds in JSON).
        #[serde(serialize_with = "seconds")]
        delay: Duration,
        /// Why the attempt failed.
        error: ErrorKind,
        /// Its HTTP status, when the API answered.
        status: Option<u16>,
    },
}

fn seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The client's hook: called with every [`HookEvent`], from the client's tasks, so it must be
/// quick and must not panic. Set with [`ClientBuilder::hook`](crate::ClientBuilder::hook).
#[derive(Clone)]
pub struct Hook(Arc<dyn Fn(&HookEvent) + Send + Sync>);

impl Hook {
    /// Wraps a function.
    pub fn new(f: impl Fn(&HookEvent) + Send + Sync + 'static) -> Self {
        Hook(Arc::new(f))
    }

    pub(crate) fn emit(&self, event: &HookEvent) {
        (self.0)(event);
    }
}

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hook")
    }
}

/// The metadata of a successful answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// `X-Request-Id`, for Scaleway's support.
    pub request_id: Option<String>,
    /// Every header of the answer, names in lower case, in the order received (values that
    /// are not text are left out).
    pub headers: Vec<(String, String)>,
}

impl ResponseMeta {
    pub(crate) fn new(status: u16, request_id: Option<String>, headers: &HeaderMap) -> Self {
        ResponseMeta {
            status,
            request_id,
            headers: headers
                .iter()
                .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect(),
        }
    }
}

/// Where calls record the metadata of their successful answers: make the call through
/// [`Client::with_response_capture`](crate::Client::with_response_capture), then read
/// [`last`](Self::last). Any method works this way: no twin method per operation.
///
/// ```no_run
/// # async fn demo(client: scaleway_partner::Client) -> scaleway_partner::Result<()> {
/// use scaleway_partner::ResponseCapture;
/// let capture = ResponseCapture::new();
/// let view = client.with_response_capture(capture.clone());
/// let org = view.get_organization("6f4049e3-5910-4283-bb02-382ef15aa460").await?;
/// let meta = capture.last().expect("a success was answered");
/// println!("{} (request {:?})", org.name, meta.request_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseCapture(Arc<Mutex<Option<ResponseMeta>>>);

impl ResponseCapture {
    /// An empty capture.
    pub fn new() -> Self {
        ResponseCapture::default()
    }

    /// The last successful answer of the calls made with this capture (for a listing read in
    /// several pages, the last page's).
    pub fn last(&self) -> Option<ResponseMeta> {
        self.0.lock().expect("capture lock").clone()
    }

    pub(crate) fn record(&self, meta: ResponseMeta) {
        *self.0.lock().expect("capture lock") = Some(meta);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_tagged_with_seconds() {
        let event = HookEvent::Response {
            operation: "get_organization",
            method: "GET".into(),
            path: "/partner/v1/organizations/x".into(),
            attempt: 2,
            status: Some(404),
            request_id: Some("r-1".into()),
            duration: Duration::from_millis(1500),
            error: Some(ErrorKind::NotFound),
        };
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            serde_json::json!({
                "event": "response", "operation": "get_organization", "method": "GET",
                "path": "/partner/v1/organizations/x", "attempt": 2, "status": 404,
                "request_id": "r-1", "duration": 1.5, "error": "not_found",
            })
        );
    }
}
