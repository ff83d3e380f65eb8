//! Decoding of answers: success bodies into models, error bodies into typed [`ApiError`]s,
//! and the rate-limit headers. Every header and body field is treated as optional: a gateway
//! may answer with none of them.

use std::time::Duration;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{
    ApiError, ApiErrorDetails, Error, InvalidArgument, Result, UndecodableOrganization,
};
use crate::models::{ListOrganizationsResponse, Organization};

/// The rate-limit state a response announced (`X-Ratelimit-*`, Envoy's format).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RateLimitInfo {
    /// Requests allowed per window, and the window, from `X-Ratelimit-Limit: 50, 50;w=1`.
    pub limit: Option<(u32, Duration)>,
    pub remaining: Option<u32>,
    /// Time until the window resets (`X-Ratelimit-Reset`, a delta in seconds, or a Unix time).
    pub reset: Option<Duration>,
}

/// A reset at least this large is no delay (31 years) but a Unix time, as some gateways send.
const RESET_AS_UNIX_TIME: f64 = 1e9;

impl RateLimitInfo {
    pub fn from_headers(h: &HeaderMap) -> Self {
        let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        RateLimitInfo {
            limit: text("x-ratelimit-limit").and_then(parse_limit),
            remaining: text("x-ratelimit-remaining").and_then(|v| v.parse().ok()),
            reset: text("x-ratelimit-reset")
                .and_then(|v| v.parse::<f64>().ok())
                .and_then(reset_delay),
        }
    }

    /// What pacing may believe of these headers, which are advice: a window longer than
    /// `max_wait` (hours, a day) is not a pace to follow, a reset beyond it is not a pause to
    /// sit through, and more remaining than the limit contradicts the limit. So no header
    /// holds a request longer than a `Retry-After` may (`max_wait` is the same cap).
    pub fn plausible(self, max_wait: Duration) -> Self {
        let limit = self.limit.filter(|(_, window)| *window <= max_wait);
        RateLimitInfo {
            limit,
            remaining: self
                .remaining
                .filter(|r| limit.is_none_or(|(quota, _)| *r <= quota)),
            reset: self.reset.filter(|r| *r <= max_wait),
        }
    }
}

/// `X-Ratelimit-Reset` as a delay: seconds, or a Unix time (in the past: the window has
/// reset already). Negative, NaN or past what a Duration holds: no information.
fn reset_delay(seconds: f64) -> Option<Duration> {
    if seconds >= RESET_AS_UNIX_TIME {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs_f64();
        return Duration::try_from_secs_f64((seconds - now).max(0.0)).ok();
    }
    Duration::try_from_secs_f64(seconds).ok()
}

/// `50` or `50, 50;w=1` (the first number is the quota; `w=` the window in seconds).
fn parse_limit(v: &str) -> Option<(u32, Duration)> {
    let quota: u32 = v.split([',', ';']).next()?.trim().parse().ok()?;
    let window = v
        .split([',', ';'])
        .find_map(|part| part.trim().strip_prefix("w="))
        .and_then(|w| w.trim().parse::<u64>().ok())
        .unwrap_or(1);
    (quota > 0 && window > 0).then(|| (quota, Duration::from_secs(window)))
}

/// `Retry-After` in seconds or as an HTTP date.
fn parse_retry_after(h: &HeaderMap) -> Option<Duration> {
    let v = h.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<f64>() {
        return Duration::try_from_secs_f64(secs).ok();
    }
    let at = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}

/// An answer, fully read.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after: Option<Duration>,
    pub rate_limit: RateLimitInfo,
    pub body: bytes::Bytes,
    /// Kept for [`crate::ResponseCapture`].
    pub headers: HeaderMap,
}

impl RawResponse {
    pub fn new(status: u16, headers: HeaderMap, body: bytes::Bytes) -> Self {
        RawResponse {
            status,
            request_id: headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            retry_after: parse_retry_after(&headers),
            rate_limit: RateLimitInfo::from_headers(&headers),
            body,
            headers,
        }
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Decodes a success body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body)
            .map_err(|e| self.unexpected(format!("cannot decode the body: {e}")))
    }

    /// True when the body is not JSON at all (garbled on the way, cut, a proxy's page), as
    /// opposed to JSON of the wrong shape, which reading again would not change.
    pub fn is_garbled(&self) -> bool {
        serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_err()
    }

    /// An answer that is not what was asked: [`Error::UnexpectedResponse`], with the body.
    pub fn unexpected(&self, message: impl Into<String>) -> Error {
        Error::UnexpectedResponse {
            status: self.status,
            request_id: self.request_id.clone(),
            message: message.into(),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }

    /// Decodes a listing page record by record: the body must be a JSON object with an
    /// `organizations` array (absent or null is an answer without its records, not an empty
    /// page) and a `total_count` that is a count or null; but a record that is not a valid
    /// organization is reported in the second list instead of failing the page.
    pub fn organization_page(
        &self,
        page: u32,
    ) -> Result<(Vec<Organization>, Vec<UndecodableOrganization>, Option<u64>)> {
        // The whole page at once first: the common case, without the intermediate JSON tree
        // of the record-by-record decode below (which costs twice the CPU).
        if let Ok(body) = serde_json::from_slice::<ListOrganizationsResponse>(&self.body) {
            return Ok((body.organizations, Vec::new(), body.total_count));
        }
        #[derive(serde::Deserialize)]
        struct Wire {
            #[serde(default)]
            organizations: Option<Vec<Value>>,
            #[serde(default)]
            total_count: Option<u64>,
        }
        let wire: Wire = serde_json::from_slice(&self.body)
            .map_err(|e| self.unexpected(format!("cannot decode the body: {e}")))?;
        let Some(records) = wire.organizations else {
            return Err(self
                .unexpected("the listing answer holds no `organizations` list (absent or null)"));
        };
        let mut organizations = Vec::new();
        let mut undecodable = Vec::new();
        for (index, record) in records.into_iter().enumerate() {
            let id = record.get("id").and_then(Value::as_str).map(str::to_owned);
            match serde_json::from_value::<Organization>(record) {
                Ok(org) => organizations.push(org),
                Err(e) => undecodable.push(UndecodableOrganization {
                    page,
                    index,
                    id,
                    message: e.to_string(),
                }),
            }
        }
        if !undecodable.is_empty() {
            tracing::warn!(
                page,
                undecodable = undecodable.len(),
                decoded = organizations.len(),
                "some records of a listing page are not valid organizations"
            );
        }
        Ok((organizations, undecodable, wire.total_count))
    }

    /// Decodes an error answer, whatever its body.
    pub fn into_api_error(self) -> ApiError {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        let json = serde_json::from_str::<Value>(&body).ok();
        let obj = json.as_ref().and_then(Value::as_object);
        let error_type = obj.and_then(|o| str_field(o, "type"));
        let message = obj
            .and_then(|o| str_field(o, "message"))
            .unwrap_or_else(|| describe_status(self.status, obj.is_some()));
        let details = details(self.status, error_type.as_deref(), obj, &message);
        let body_reset = match &details {
            ApiErrorDetails::TooManyRequests { reset_after, .. } => *reset_after,
            _ => None,
        };
        // A 429 names its wait in the body, `Retry-After`, or the rate-limit headers; use the
        // first one present.
        let retry_after = body_reset.or(self.retry_after).or(if self.status == 429 {
            self.rate_limit.reset
        } else {
            None
        });
        let details = match details {
            ApiErrorDetails::TooManyRequests {
                help_message,
                quota,
                window_seconds,
                ..
            } => ApiErrorDetails::TooManyRequests {
                help_message,
                quota: quota.or(self.rate_limit.limit.map(|(q, _)| u64::from(q))),
                window_seconds: window_seconds.or(self.rate_limit.limit.map(|(_, w)| w.as_secs())),
                reset_after: retry_after,
            },
            d => d,
        };
        ApiError {
            status: self.status,
            request_id: self.request_id,
            error_type,
            message,
            details,
            body,
            retry_after,
        }
    }
}

fn describe_status(status: u16, was_json: bool) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error");
    if was_json {
        format!("HTTP {status} {reason}")
    } else {
        format!("HTTP {status} {reason} (the body is not Scaleway JSON)")
    }
}

fn str_field(o: &Map<String, Value>, k: &str) -> Option<String> {
    o.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn u64_field(o: &Map<String, Value>, k: &str) -> Option<u64> {
    o.get(k)
        .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
}

fn list<T: DeserializeOwned>(o: Option<&Map<String, Value>>, k: &str) -> Vec<T> {
    o.and_then(|o| o.get(k))
        .and_then(|v| serde_json::from_value::<Vec<T>>(v.clone()).ok())
        .unwrap_or_default()
}

fn details(
    status: u16,
    ty: Option<&str>,
    o: Option<&Map<String, Value>>,
    message: &str,
) -> ApiErrorDetails {
    let s = |k: &str| o.and_then(|o| str_field(o, k));
    match (ty, status) {
        (Some("invalid_arguments"), _) => ApiErrorDetails::InvalidArguments(list(o, "details")),
        (Some("invalid_request_error"), _) => ApiErrorDetails::InvalidArguments(legacy_fields(o)),
        (Some("not_found"), _) => ApiErrorDetails::NotFound {
            resource: s("resource"),
            resource_id: s("resource_id"),
        },
        (Some("unknown_resource"), _) => {
            let (resource, resource_id) = legacy_not_found(message);
            ApiErrorDetails::NotFound {
                resource,
                resource_id,
            }
        }
        (Some("denied_authentication"), _) => ApiErrorDetails::DeniedAuthentication {
            method: s("method"),
            reason: s("reason"),
        },
        (Some("permissions_denied"), _) => ApiErrorDetails::PermissionsDenied(list(o, "details")),
        (Some("precondition_failed"), _) => ApiErrorDetails::PreconditionFailed {
            precondition: s("precondition"),
            help_message: s("help_message"),
        },
        (Some("locked" | "resource_locked"), _) => ApiErrorDetails::ResourceLocked {
            resource: s("resource"),
            resource_id: s("resource_id"),
        },
        (Some("transient_state" | "already_exists"), _) => ApiErrorDetails::Conflict {
            resource: s("resource"),
            resource_id: s("resource_id"),
            current_state: s("current_state"),
        },
        (Some("quotas_exceeded"), _) => ApiErrorDetails::QuotasExceeded(list(o, "details")),
        (Some("too_many_requests"), _) | (_, 429) => {
            let limit = o.and_then(|o| o.get("limit")).and_then(Value::as_object);
            let reset_at = s("reset_at")
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                .and_then(|t| {
                    (t.with_timezone(&chrono::Utc) - chrono::Utc::now())
                        .to_std()
                        .ok()
                });
            ApiErrorDetails::TooManyRequests {
                help_message: s("help_message"),
                quota: limit.and_then(|l| u64_field(l, "quota")),
                window_seconds: limit.and_then(|l| u64_field(l, "window_seconds")),
                reset_after: o
                    .and_then(|o| u64_field(o, "reset_seconds"))
                    .map(Duration::from_secs)
                    .or(reset_at),
            }
        }
        // Without a recognised type, the status decides, so a proxy's page still maps cleanly.
        (_, 400) => ApiErrorDetails::InvalidArguments(Vec::new()),
        (_, 401) => ApiErrorDetails::DeniedAuthentication {
            method: None,
            reason: None,
        },
        (_, 403) => ApiErrorDetails::PermissionsDenied(Vec::new()),
        (_, 404) => ApiErrorDetails::NotFound {
            resource: None,
            resource_id: None,
        },
        (_, 412) => ApiErrorDetails::PreconditionFailed {
            precondition: None,
            help_message: None,
        },
        (_, 423) => ApiErrorDetails::ResourceLocked {
            resource: None,
            resource_id: None,
        },
        _ => ApiErrorDetails::None,
    }
}

/// `{"type":"invalid_request_error","fields":{"name":["msg", ...]}}`, the older Scaleway form.
fn legacy_fields(o: Option<&Map<String, Value>>) -> Vec<InvalidArgument> {
    let Some(fields) = o.and_then(|o| o.get("fields")).and_then(Value::as_object) else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|(name, msgs)| InvalidArgument {
            argument_name: name.clone(),
            reason: "constraint".into(),
            help_message: match msgs {
                Value::Array(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("; "),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            },
        })
        .collect()
}

/// `organization "6f40...460" not found`: the resource is the word before the quoted ID.
fn legacy_not_found(message: &str) -> (Option<String>, Option<String>) {
    let mut parts = message.splitn(3, '"');
    let before = parts.next().unwrap_or("");
    match (parts.next(), parts.next()) {
        (Some(id), Some(_)) if !id.is_empty() => {
            let resource = before.split_whitespace().last().map(|w| w.to_lowercase());
            (resource, Some(id.to_owned()))
        }
        _ => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use reqwest::header::{HeaderName, HeaderValue};

    fn err(status: u16, headers: &[(&str, &str)], body: &str) -> ApiError {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        RawResponse::new(status, h, bytes::Bytes::from(body.to_owned())).into_api_error()
    }

    #[test]
    fn standard_types_map_to_kinds() {
        let cases = [
            (
                400,
                r#"{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"email","reason":"format","help_message":"bad"}]}"#,
                ErrorKind::InvalidArguments,
            ),
            (
                401,
                r#"{"type":"denied_authentication","message":"authentication is denied","method":"api_key","reason":"not_found"}"#,
                ErrorKind::DeniedAuthentication,
            ),
            (
                403,
                r#"{"type":"permissions_denied","message":"insufficient permissions","details":[{"resource":"organization","action":"create"}]}"#,
                ErrorKind::PermissionsDenied,
            ),
            (
                404,
                r#"{"type":"not_found","message":"resource is not found","resource":"organization","resource_id":"x"}"#,
                ErrorKind::NotFound,
            ),
            (
                409,
                r#"{"type":"transient_state","message":"busy","resource":"organization","resource_id":"x","current_state":"locking"}"#,
                ErrorKind::TransientState,
            ),
            (
                409,
                r#"{"type":"already_exists","message":"exists","resource":"organization","resource_id":"x"}"#,
                ErrorKind::AlreadyExists,
            ),
            (
                412,
                r#"{"type":"precondition_failed","message":"no","precondition":"organization_locked_by_partner","help_message":"lock it first"}"#,
                ErrorKind::PreconditionFailed,
            ),
            (
                423,
                r#"{"type":"locked","message":"locked","resource":"organization","resource_id":"x"}"#,
                ErrorKind::ResourceLocked,
            ),
            (
                403,
                r#"{"type":"quotas_exceeded","message":"quota","details":[{"resource":"organizations","quota":10,"current":10}]}"#,
                ErrorKind::QuotasExceeded,
            ),
            (
                429,
                r#"{"type":"too_many_requests","message":"slow down"}"#,
                ErrorKind::TooManyRequests,
            ),
            (
                503,
                "<html><body>Service Unavailable</body></html>",
                ErrorKind::ServerError,
            ),
            (
                418,
                r#"{"type":"teapot","message":"short and stout"}"#,
                ErrorKind::Api,
            ),
        ];
        for (status, body, kind) in cases {
            let e = err(status, &[("x-request-id", "req-1")], body);
            assert_eq!(e.kind(), kind, "{body}");
            assert_eq!(e.request_id.as_deref(), Some("req-1"));
            assert_eq!(e.body, body);
        }
    }

    #[test]
    fn invalid_arguments_details_and_display() {
        let e = err(
            400,
            &[],
            r#"{"type":"invalid_arguments","message":"invalid argument(s)","details":[{"argument_name":"page_size","reason":"constraint","help_message":"must be between 1 and 100"}]}"#,
        );
        let ApiErrorDetails::InvalidArguments(d) = &e.details else {
            panic!()
        };
        assert_eq!(d[0].argument_name, "page_size");
        assert!(
            e.to_string()
                .contains("page_size: constraint (must be between 1 and 100)"),
            "{e}"
        );
    }

    #[test]
    fn legacy_forms() {
        let e = err(
            404,
            &[],
            r#"{"type":"unknown_resource","message":"organization \"6f4049e3-5910-4283-bb02-382ef15aa460\" not found"}"#,
        );
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(
            e.details,
            ApiErrorDetails::NotFound {
                resource: Some("organization".into()),
                resource_id: Some("6f4049e3-5910-4283-bb02-382ef15aa460".into())
            }
        );
        let e = err(
            400,
            &[],
            r#"{"type":"invalid_request_error","message":"validation error","fields":{"name":["too short","bad chars"]}}"#,
        );
        let ApiErrorDetails::InvalidArguments(d) = &e.details else {
            panic!()
        };
        assert_eq!(d[0].argument_name, "name");
        assert_eq!(d[0].help_message, "too short; bad chars");
    }

    #[test]
    fn bare_gateway_429_and_html_500() {
        let e = err(
            429,
            &[
                ("x-envoy-ratelimited", "true"),
                ("server", "Scaleway API Gateway"),
            ],
            "",
        );
        assert_eq!(e.kind(), ErrorKind::TooManyRequests);
        assert_eq!(e.retry_after, None);
        assert!(e.message.contains("429"));
        // The status once in the one-line form, not "HTTP 429 (...): HTTP 429 Too Many Requests".
        let line = e.to_string();
        assert_eq!(line.matches("429").count(), 1, "{line}");
        assert!(line.contains(": Too Many Requests"), "{line}");
        let e = err(
            502,
            &[("content-type", "text/html")],
            "<html><h1>502 Bad Gateway</h1></html>",
        );
        assert_eq!(e.kind(), ErrorKind::ServerError);
        assert!(e.message.contains("not Scaleway JSON"), "{}", e.message);
    }

    #[test]
    fn reset_information_in_any_place() {
        let e = err(
            429,
            &[],
            r#"{"type":"too_many_requests","message":"m","help_message":"h","limit":{"quota":3,"window_seconds":60},"reset_seconds":13}"#,
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(13)));
        let ApiErrorDetails::TooManyRequests {
            quota,
            window_seconds,
            ..
        } = e.details
        else {
            panic!()
        };
        assert_eq!((quota, window_seconds), (Some(3), Some(60)));
        let e = err(429, &[("retry-after", "2")], "");
        assert_eq!(e.retry_after, Some(Duration::from_secs(2)));
        let e = err(
            429,
            &[
                ("x-ratelimit-reset", "1"),
                ("x-ratelimit-limit", "50, 50;w=1"),
            ],
            "",
        );
        assert_eq!(e.retry_after, Some(Duration::from_secs(1)));
        let ApiErrorDetails::TooManyRequests { quota, .. } = e.details else {
            panic!()
        };
        assert_eq!(quota, Some(50));
    }

    #[test]
    fn rate_limit_headers() {
        assert_eq!(
            parse_limit("50, 50;w=1"),
            Some((50, Duration::from_secs(1)))
        );
        assert_eq!(parse_limit("100"), Some((100, Duration::from_secs(1))));
        assert_eq!(
            parse_limit("10, 10;w=60"),
            Some((10, Duration::from_secs(60)))
        );
        assert_eq!(parse_limit("garbage"), None);
    }

    #[test]
    fn implausible_rate_limit_headers_are_not_believed() {
        let info = |pairs: &[(&str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(
                    HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            RateLimitInfo::from_headers(&h).plausible(Duration::from_secs(60))
        };
        // A Unix time: in the past, the window has reset; ahead, the delay until then.
        assert_eq!(
            info(&[("x-ratelimit-reset", "1700000000")]).reset,
            Some(Duration::ZERO)
        );
        let soon = chrono::Utc::now().timestamp() + 30;
        let reset = info(&[("x-ratelimit-reset", &soon.to_string())])
            .reset
            .unwrap();
        assert!(reset > Duration::from_secs(25) && reset <= Duration::from_secs(30));
        // A reset beyond the cap, a window of a day, more remaining than the limit: dropped.
        assert_eq!(info(&[("x-ratelimit-reset", "3600")]).reset, None);
        assert_eq!(info(&[("x-ratelimit-limit", "1, 1;w=86400")]).limit, None);
        let contradiction = info(&[
            ("x-ratelimit-limit", "50, 50;w=1"),
            ("x-ratelimit-remaining", "51"),
        ]);
        assert_eq!(contradiction.remaining, None);
        assert_eq!(contradiction.limit, Some((50, Duration::from_secs(1))));
        for negative in [
            ("x-ratelimit-remaining", "-1"),
            ("x-ratelimit-limit", "-50"),
            ("x-ratelimit-reset", "-5"),
        ] {
            assert_eq!(info(&[negative]), RateLimitInfo::default(), "{negative:?}");
        }
        // What the API sends is kept.
        let real = info(&[
            ("x-ratelimit-limit", "50, 50;w=1"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1"),
        ]);
        assert_eq!(
            real,
            RateLimitInfo {
                limit: Some((50, Duration::from_secs(1))),
                remaining: Some(0),
                reset: Some(Duration::from_secs(1)),
            }
        );
    }

    #[test]
    fn absurd_waits_are_ignored_not_a_panic() {
        let h = |k: &str, v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
            h
        };
        for v in ["1e30", "-1", "NaN", "inf"] {
            assert_eq!(
                RateLimitInfo::from_headers(&h("x-ratelimit-reset", v)).reset,
                None
            );
            assert_eq!(parse_retry_after(&h("retry-after", v)), None, "{v}");
        }
    }
}
