//! One error type for everything the client can report, with Scaleway's standard API errors
//! decoded into typed kinds.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::setting::{ConfigError, Message, Names, Setting};

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling the Partner API.
///
/// Match on [`Error::kind`] for a flat, stable classification (the bindings map it to one
/// exception class per kind), or on the variants for the details.
///
/// ```
/// use scaleway_partner::{Error, ErrorKind};
/// fn describe(err: &Error) -> &'static str {
///     match err.kind() {
///         ErrorKind::NotFound => "no such organization",
///         ErrorKind::Validation => "fix the input",
///         k if k.is_api() => "the API refused",
///         _ => "could not talk to the API",
///     }
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// An argument was refused locally, before anything was sent.
    #[error("invalid {field}: {message}")]
    Validation {
        /// Name of the offending argument, as the API spells it (`organization_id`, `email`...).
        field: String,
        /// What is wrong with it (naming a client option where it helps).
        message: Message,
    },
    /// The client could not be configured (missing or malformed secret key, bad URL...): which
    /// setting, and what is wrong.
    #[error("configuration error: {0}")]
    Config(ConfigError),
    /// An attempt did not complete within its timeout (the last one, when retries were allowed).
    #[error(
        "request timed out after {} per attempt ({})",
        humantime(*.after),
        spent(*.attempts, *.elapsed)
    )]
    Timeout {
        /// The timeout of each attempt.
        after: Duration,
        /// Attempts made by the call.
        attempts: u32,
        /// Time the whole call took.
        elapsed: Duration,
    },
    /// The connection failed: refused, reset, closed mid-answer, TLS failure...
    #[error("transport error: {message}")]
    Transport {
        /// What the HTTP stack reported.
        message: String,
        /// True when the request provably never reached the service (connection refused,
        /// DNS failure): the only transport failure after which a create may be retried blindly.
        not_sent: bool,
        /// The failure as the system names it (`ECONNREFUSED`, `ECONNRESET`, `ETIMEDOUT`,
        /// `ENOTFOUND`...), when the HTTP stack says which.
        system_code: Option<&'static str>,
    },
    /// The API answered with a success status but a body that cannot be decoded.
    #[error("unexpected response (HTTP {status}, request id {}): {message}", request_id.as_deref().unwrap_or("none"))]
    UnexpectedResponse {
        /// HTTP status code.
        status: u16,
        /// Value of `X-Request-Id`, when present.
        request_id: Option<String>,
        /// Why decoding failed.
        message: String,
        /// The raw body.
        body: String,
    },
    /// The call was cancelled through [`crate::CallOptions::cancel`] (the token a binding's
    /// `close()` cancels). How far it got is kept: a binding's cancellation by a timer (Node's
    /// `AbortSignal.timeout`) is a timeout to its user, with the attempts and time of the call.
    /// The rule of a closed client, the same in every language: a call made after `close()`
    /// fails at once with no attempt and says that nothing was sent; one in flight stops
    /// promptly with the attempts and time it took (a pending progress callback is waited for,
    /// never abandoned: it is the caller's code, on the caller's thread).
    #[error("{}", cancelled_message(*.attempts))]
    Cancelled {
        /// Attempts made by the call before it was cancelled.
        attempts: u32,
        /// Time the call ran before it was cancelled.
        elapsed: Duration,
    },
    /// A progress callback asked the call to stop (or raised): nothing new was started after
    /// it, and what was in flight was finished. A binding raises what the callback raised
    /// (`raised`), unchanged, instead of this error.
    #[error("the progress callback stopped the call")]
    ProgressStopped {
        /// What the callback raised, if it did (see [`ProgressFn::awaited`](crate::ProgressFn::awaited)).
        raised: Option<crate::CallbackError>,
    },
    /// The whole call (attempts, waits and lookups) did not finish within its total timeout.
    /// Its kind is [`ErrorKind::Timeout`].
    #[error(
        "the call did not finish within its total timeout of {} ({})",
        humantime(*.after),
        spent(*.attempts, *.elapsed)
    )]
    DeadlineExceeded {
        /// The total timeout that expired.
        after: Duration,
        /// Attempts made by the call.
        attempts: u32,
        /// Time the whole call took.
        elapsed: Duration,
    },
    /// The API's rate limit holds every request of this key (after a 429, or an answer saying
    /// `X-Ratelimit-Remaining: 0`) for longer than this call may wait: past its retry policy's
    /// `max_server_wait`, or past its total timeout. It fails at once, and this attempt was
    /// not sent. Its kind is [`ErrorKind::Timeout`].
    #[error(
        "the API's rate limit holds every request of this key for {} more (after a 429 or an \
         answer with X-Ratelimit-Remaining: 0), longer than this call may wait ({}: the least \
         of max_server_wait and what is left of its total timeout); this attempt was not sent \
         ({})",
        humantime(*.wait),
        humantime(*.allowed),
        spent(*.attempts, *.elapsed)
    )]
    RateLimitPause {
        /// How long the pause still holds.
        wait: Duration,
        /// The longest this call could wait.
        allowed: Duration,
        /// Attempts the call sent.
        attempts: u32,
        /// Time the whole call took.
        elapsed: Duration,
    },
    /// A create failed in a way that may have applied it (a gateway 5xx, a timeout, a reset
    /// after sending...), and the organization did not appear within the settle window. It may
    /// still appear later. Creating it again blindly risks a permanent duplicate: use
    /// [`Client::ensure_organization`](crate::Client::ensure_organization) with the same
    /// `customer_id` later, or look it up with a listing filtered on `customer_id`.
    #[error(
        "cannot confirm whether the organization for customer_id {customer_id:?} was created: \
         {source}; it did not appear within {}. It may still appear: do not create it again \
         blindly, call ensure_organization with the same customer_id later (or list by \
         customer_id)",
        humantime(*.waited)
    )]
    CreateUnconfirmed {
        /// The `customer_id` of the create.
        customer_id: String,
        /// The owner `email` of the create.
        email: String,
        /// How long the client looked for the organization after the failure.
        waited: Duration,
        /// The failure that left the outcome unknown.
        #[source]
        source: Box<Error>,
    },
    /// [`Client::ensure_organization`](crate::Client::ensure_organization) found organizations
    /// with the `customer_id` that it cannot treat as the one asked for: several of them, or
    /// one with another owner email. Nothing was created.
    #[error("customer_id {customer_id:?}: {message} (organizations: {})", organization_ids.join(", "))]
    Conflict {
        /// The `customer_id` looked for.
        customer_id: String,
        /// The organizations that have it.
        organization_ids: Vec<String>,
        /// What is in conflict.
        message: String,
    },
    /// A listing kept changing while it was read, past the number of passes allowed, or the
    /// server answered pages that cannot be a listing (the same organizations again).
    #[error("the listing changed while it was read: {message}")]
    ListingChanged {
        /// What was seen.
        message: String,
    },
    /// The API answered with a redirect. The Partner API never redirects: this is a
    /// misconfigured URL or a hostile server, so the client does not follow it, and the secret
    /// key is never sent to the other host.
    #[error(
        "the API answered HTTP {status} redirecting to host {location_host:?}; redirects are never \
         followed so that the secret key cannot reach another host (check api_url)"
    )]
    Redirect {
        /// HTTP status (301, 302, 303, 307, 308...).
        status: u16,
        /// Host named by the `Location` header (empty when there was none).
        location_host: String,
    },
    /// The coordination engine shared with other processes or hosts (a lock file, Redis) could
    /// not be used, or a lease on a customer was lost: nothing was sent for the operation it
    /// guarded. Its kind is [`ErrorKind::Coordination`].
    #[error("coordination failed: {message}")]
    Coordination {
        /// What failed (never a secret: engine addresses are shown without their password).
        message: String,
    },
    /// A listing was read to its end, but some of its records could not be decoded as
    /// organizations (a wrong type in a known field, an invalid timestamp...). Every other
    /// organization was decoded: a stream or cursor has yielded them before this error, and
    /// [`OrganizationLister::collect_all`](crate::OrganizationLister::collect_all) returns them
    /// in `organizations`. Its kind is [`ErrorKind::UndecodableOrganizations`].
    #[error(
        "{} record(s) of the listing could not be read as organizations ({}); every other \
         organization was read",
        records.len(),
        describe_records(records)
    )]
    UndecodableOrganizations {
        /// The records that could not be decoded, in listing order.
        records: Vec<UndecodableOrganization>,
        /// The organizations that were decoded, for `collect_all` (a stream or cursor has
        /// yielded them already, and leaves this empty).
        organizations: Vec<crate::Organization>,
    },
}

/// A record of a listing page that could not be decoded as an organization. The rest of the
/// page is decoded and returned: see [`OrganizationPage::undecodable`](crate::OrganizationPage::undecodable)
/// and [`Error::UndecodableOrganizations`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndecodableOrganization {
    /// The page it was on (1-based).
    pub page: u32,
    /// Its position on that page (0-based).
    pub index: usize,
    /// Its `id`, when the record has a string `id`.
    pub id: Option<String>,
    /// Why it could not be decoded (the field and what was wrong).
    pub message: String,
}

impl fmt::Display for UndecodableOrganization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "page {} item {}", self.page, self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The first few records, for an error message that stays readable.
fn describe_records(records: &[UndecodableOrganization]) -> String {
    const SHOWN: usize = 3;
    let mut text = records
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if records.len() > SHOWN {
        text.push_str(&format!("; and {} more", records.len() - SHOWN));
    }
    text
}

/// "3 attempts in 6.7 s": what a timed-out call spent, so that a short per-attempt timeout
/// that took long in all explains itself.
fn spent(attempts: u32, elapsed: Duration) -> String {
    let plural = if attempts == 1 { "" } else { "s" };
    format!("{attempts} attempt{plural} in {}", humantime(elapsed))
}

/// What a cancelled call says: whether it had sent anything.
fn cancelled_message(attempts: u32) -> &'static str {
    if attempts == 0 {
        "the call was cancelled: nothing was sent (the client is closed, or its cancellation \
         token fired)"
    } else {
        "the call was cancelled"
    }
}

fn humantime(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The flat classification of [`Error`]; one exception class per kind in the bindings, whose
/// names, hierarchy and attributes come from [`ErrorKind::info`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "&'static str")]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400 `invalid_arguments` (and the legacy `invalid_request_error`).
    InvalidArguments,
    /// 404 `not_found` (and the legacy `unknown_resource`).
    NotFound,
    /// 401 `denied_authentication`.
    DeniedAuthentication,
    /// 403 `permissions_denied`.
    PermissionsDenied,
    /// 412 `precondition_failed`.
    PreconditionFailed,
    /// 423 `locked`.
    ResourceLocked,
    /// 409 `transient_state`.
    TransientState,
    /// 409 `already_exists`.
    AlreadyExists,
    /// 403 `quotas_exceeded`.
    QuotasExceeded,
    /// 429, with or without a body.
    TooManyRequests,
    /// Any 5xx.
    ServerError,
    /// Any other error status.
    Api,
    /// Refused locally before sending.
    Validation,
    /// Bad configuration.
    Configuration,
    /// Timeout.
    Timeout,
    /// Connection-level failure.
    Transport,
    /// Undecodable success body.
    UnexpectedResponse,
    /// Cancelled by the caller.
    Cancelled,
    /// A create whose outcome could not be confirmed.
    CreateUnconfirmed,
    /// Organizations in the way of an `ensure_organization`.
    Conflict,
    /// A listing that kept changing while it was read.
    ListingChanged,
    /// A redirect, refused.
    Redirect,
    /// Records of a listing that could not be decoded (the others were).
    UndecodableOrganizations,
    /// A progress callback asked the call to stop.
    ProgressStopped,
    /// The coordination engine (lock files, Redis) failed or a lease was lost.
    Coordination,
}

/// Class name of the root of every error class in the bindings. A kind whose
/// [`ErrorKindInfo::parent`] is `None` derives from it directly.
pub const ROOT_ERROR_CLASS: &str = "ScalewayError";

/// What a binding needs to present one error kind: its code, class, place in the hierarchy and
/// the attributes it carries. Serializes as the bindings read it (snake_case keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorKindInfo {
    /// The kind itself.
    #[serde(skip)]
    pub kind: ErrorKind,
    /// Stable snake_case code (`not_found`), the `code` attribute of errors.
    pub code: &'static str,
    /// Class name in the bindings (`ResourceNotFoundError`). None shadows a language built-in.
    pub class_name: &'static str,
    /// The kind this one specialises (`api_error` for the HTTP kinds), `None` under the root.
    pub parent: Option<ErrorKind>,
    /// Class name of the parent: the parent kind's, or [`ROOT_ERROR_CLASS`].
    pub parent_class: &'static str,
    /// The HTTP status of every error of this kind, where it is fixed.
    pub status: Option<u16>,
    /// Attributes an error of this kind fills (snake_case; beyond `message` and `code`, which
    /// every error has). A binding's class declares those its parent's lacks
    /// ([`ErrorKindInfo::own_attributes`]) and fills them from [`Error::attributes`].
    pub attributes: &'static [&'static str],
    /// One line on what the kind means.
    pub description: &'static str,
}

/// Attributes of every error answered by the API.
const API: &[&str] = &["status_code", "request_id", "type", "body", "retry_after"];
const API_DETAILS: &[&str] = &[
    "status_code",
    "request_id",
    "type",
    "body",
    "retry_after",
    "details",
];
const API_RESOURCE: &[&str] = &[
    "status_code",
    "request_id",
    "type",
    "body",
    "retry_after",
    "resource",
    "resource_id",
];

impl ErrorKind {
    /// Every kind, parents before their children.
    pub const ALL: [ErrorKind; 25] = [
        ErrorKind::Api,
        ErrorKind::InvalidArguments,
        ErrorKind::NotFound,
        ErrorKind::DeniedAuthentication,
        ErrorKind::PermissionsDenied,
        ErrorKind::PreconditionFailed,
        ErrorKind::ResourceLocked,
        ErrorKind::TransientState,
        ErrorKind::AlreadyExists,
        ErrorKind::QuotasExceeded,
        ErrorKind::TooManyRequests,
        ErrorKind::ServerError,
        ErrorKind::Validation,
        ErrorKind::Configuration,
        ErrorKind::Timeout,
        ErrorKind::Transport,
        ErrorKind::UnexpectedResponse,
        ErrorKind::UndecodableOrganizations,
        ErrorKind::Cancelled,
        ErrorKind::CreateUnconfirmed,
        ErrorKind::Conflict,
        ErrorKind::ListingChanged,
        ErrorKind::Redirect,
        ErrorKind::ProgressStopped,
        ErrorKind::Coordination,
    ];

    /// The kind's entry in the error table: the one place that names classes and attributes.
    pub fn info(self) -> ErrorKindInfo {
        use ErrorKind as K;
        let api = Some(K::Api);
        #[rustfmt::skip]
        let (code, class_name, parent, status, attributes, description): (_, _, _, _, &'static [&'static str], _) = match self {
            K::Api => ("api_error", "APIError", None, None, API, "the API answered with an error status"),
            K::InvalidArguments => ("invalid_arguments", "InvalidArgumentsError", api, Some(400), API_DETAILS, "the API refused the arguments"),
            K::NotFound => ("not_found", "ResourceNotFoundError", api, Some(404), API_RESOURCE, "no such resource"),
            K::DeniedAuthentication => ("denied_authentication", "DeniedAuthenticationError", api, Some(401), API, "the secret key was refused"),
            K::PermissionsDenied => ("permissions_denied", "PermissionsDeniedError", api, Some(403), API_DETAILS, "the key may not do this"),
            K::PreconditionFailed => ("precondition_failed", "PreconditionFailedError", api, Some(412), &["status_code", "request_id", "type", "body", "retry_after", "precondition", "help_message"], "a precondition of the operation failed"),
            K::ResourceLocked => ("resource_locked", "ResourceLockedError", api, Some(423), API_RESOURCE, "the resource is locked"),
            K::TransientState => ("transient_state", "TransientStateError", api, Some(409), API_RESOURCE, "the resource is in a transient state"),
            K::AlreadyExists => ("already_exists", "AlreadyExistsError", api, Some(409), API_RESOURCE, "the resource already exists"),
            K::QuotasExceeded => ("quotas_exceeded", "QuotasExceededError", api, Some(403), API_DETAILS, "a quota is exhausted"),
            K::TooManyRequests => ("too_many_requests", "TooManyRequestsError", api, Some(429), &["status_code", "request_id", "type", "body", "retry_after", "help_message"], "rate limited"),
            K::ServerError => ("server_error", "ServerError", api, None, API, "the API failed (5xx)"),
            K::Validation => ("validation", "ValidationError", None, None, &["field"], "an argument was refused before anything was sent"),
            K::Configuration => ("configuration", "ConfigurationError", None, None, &[], "the client cannot be configured so"),
            K::Timeout => ("timeout", "APITimeoutError", None, None, &["attempts", "elapsed", "results", "outcome"], "an attempt or the whole call timed out (a bulk call's results so far in results, an apply's outcome in outcome)"),
            K::Transport => ("transport", "TransportError", None, None, &[], "the connection failed"),
            K::UnexpectedResponse => ("unexpected_response", "UnexpectedResponseError", None, None, &["status_code", "request_id", "body"], "a success answer that cannot be decoded"),
            K::UndecodableOrganizations => ("undecodable_organizations", "UndecodableOrganizationsError", Some(K::UnexpectedResponse), None, &["undecodable", "organizations"], "records of a listing that cannot be decoded; the others were"),
            K::Cancelled => ("cancelled", "RequestCancelledError", None, None, &["attempts", "elapsed", "results", "outcome"], "the call was cancelled (a bulk call's results so far in results, an apply's outcome in outcome)"),
            K::CreateUnconfirmed => ("create_unconfirmed", "CreateUnconfirmedError", None, None, &["status_code", "request_id", "type", "body", "customer_id", "email", "cause"], "a create that may or may not have happened"),
            K::Conflict => ("conflict", "ConflictError", None, None, &["customer_id", "organization_ids"], "organizations in the way of an ensure"),
            K::ListingChanged => ("listing_changed", "ListingChangedError", None, None, &[], "a listing that kept changing while it was read"),
            K::Redirect => ("redirect", "RedirectError", None, None, &["status_code", "location_host"], "a redirect, never followed"),
            K::Coordination => ("coordination", "CoordinationError", None, None, &[], "the engine coordinating processes or hosts failed, or a lease was lost; nothing was sent"),
            K::ProgressStopped => ("progress_stopped", "ProgressStoppedError", None, None, &[], "a progress callback stopped the call (bindings raise the callback's own exception)"),
        };
        ErrorKindInfo {
            kind: self,
            code,
            class_name,
            parent,
            parent_class: parent.map_or(ROOT_ERROR_CLASS, |p| p.info().class_name),
            status,
            attributes,
            description,
        }
    }

    /// Stable snake_case name, used as the `code` of errors in the bindings.
    pub fn as_str(self) -> &'static str {
        self.info().code
    }

    /// The kind with this code, if any.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// True for kinds that come from an HTTP error status of the API.
    pub fn is_api(self) -> bool {
        self == ErrorKind::Api || self.info().parent == Some(ErrorKind::Api)
    }
}

impl From<ErrorKind> for &'static str {
    fn from(kind: ErrorKind) -> Self {
        kind.as_str()
    }
}

/// The whole error table, in [`ErrorKind::ALL`] order: what the bindings derive their classes
/// from (or check theirs against).
pub fn error_kinds() -> Vec<ErrorKindInfo> {
    ErrorKind::ALL.into_iter().map(ErrorKind::info).collect()
}

/// The class for an error code, with the one fallback rule every binding follows: the kind's
/// class for a known code; for an unknown one (from a newer core), [`ErrorKind::Api`]'s class
/// when the error has an HTTP status, else [`ROOT_ERROR_CLASS`].
pub fn class_for_code(code: &str, status: Option<u16>) -> &'static str {
    match (ErrorKind::from_code(code), status) {
        (Some(kind), _) => kind.info().class_name,
        (None, Some(_)) => ErrorKind::Api.info().class_name,
        (None, None) => ROOT_ERROR_CLASS,
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of an `invalid_arguments` error: which argument, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidArgument {
    /// The argument's name (`email`, `page_size`...).
    pub argument_name: String,
    /// `required`, `format` or `constraint` in Scaleway's convention.
    #[serde(default)]
    pub reason: String,
    /// Human-readable help, when the API gives one.
    #[serde(default)]
    pub help_message: String,
}

/// One entry of a `permissions_denied` or `quotas_exceeded` error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceDetail {
    /// The resource concerned (`organization`...).
    #[serde(default)]
    pub resource: String,
    /// The action refused (`create`, `read`...), for permission errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The quota, for quota errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<u64>,
    /// The current usage, for quota errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
}

/// The typed content of an API error, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorDetails {
    /// `invalid_arguments`: the arguments at fault.
    InvalidArguments(Vec<InvalidArgument>),
    /// `not_found`.
    NotFound {
        /// Kind of resource (`organization`).
        resource: Option<String>,
        /// Its ID.
        resource_id: Option<String>,
    },
    /// `denied_authentication`.
    DeniedAuthentication {
        /// Authentication method (`api_key`).
        method: Option<String>,
        /// Why (`invalid_argument`, `not_found`, `expired`...).
        reason: Option<String>,
    },
    /// `permissions_denied`.
    PermissionsDenied(Vec<ResourceDetail>),
    /// `precondition_failed`.
    PreconditionFailed {
        /// The precondition that failed.
        precondition: Option<String>,
        /// Help, when given.
        help_message: Option<String>,
    },
    /// `locked`.
    ResourceLocked {
        /// Kind of resource.
        resource: Option<String>,
        /// Its ID.
        resource_id: Option<String>,
    },
    /// `transient_state` or `already_exists`.
    Conflict {
        /// Kind of resource.
        resource: Option<String>,
        /// Its ID.
        resource_id: Option<String>,
        /// Its state, for `transient_state`.
        current_state: Option<String>,
    },
    /// `quotas_exceeded`.
    QuotasExceeded(Vec<ResourceDetail>),
    /// 429: whatever reset information the answer carried (all optional: a gateway 429 can be bare).
    TooManyRequests {
        /// Help, when given.
        help_message: Option<String>,
        /// Requests allowed per window, when given.
        quota: Option<u64>,
        /// Window length in seconds, when given.
        window_seconds: Option<u64>,
        /// How long until the limit resets, from the body, `Retry-After` or `X-Ratelimit-Reset`.
        reset_after: Option<Duration>,
    },
    /// Nothing more than the type and message.
    None,
}

impl ApiErrorDetails {
    /// The kind of resource concerned (`organization`), for `not_found`, `locked` and the
    /// conflicts, when the answer named it.
    pub fn resource(&self) -> Option<&str> {
        self.resource_and_id()
            .and_then(|(resource, _)| resource.as_deref())
    }

    /// The ID of the resource concerned, for `not_found`, `locked` and the conflicts.
    pub fn resource_id(&self) -> Option<&str> {
        self.resource_and_id().and_then(|(_, id)| id.as_deref())
    }

    fn resource_and_id(&self) -> Option<(&Option<String>, &Option<String>)> {
        match self {
            Self::NotFound {
                resource,
                resource_id,
            }
            | Self::ResourceLocked {
                resource,
                resource_id,
            }
            | Self::Conflict {
                resource,
                resource_id,
                ..
            } => Some((resource, resource_id)),
            _ => None,
        }
    }

    /// The precondition that failed, for `precondition_failed`.
    pub fn precondition(&self) -> Option<&str> {
        match self {
            Self::PreconditionFailed { precondition, .. } => precondition.as_deref(),
            _ => None,
        }
    }

    /// The help the answer gave, for `precondition_failed` and 429s.
    pub fn help_message(&self) -> Option<&str> {
        match self {
            Self::PreconditionFailed { help_message, .. }
            | Self::TooManyRequests { help_message, .. } => help_message.as_deref(),
            _ => None,
        }
    }
}

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// Value of the `X-Request-Id` header, for Scaleway's support.
    pub request_id: Option<String>,
    /// The body's `type` field, when the body is Scaleway JSON.
    pub error_type: Option<String>,
    /// The body's `message`, or a description of the status when there is none.
    pub message: String,
    /// Typed details.
    pub details: ApiErrorDetails,
    /// The raw body, exactly as received.
    pub body: String,
    /// The wait the server asked for, from the body's reset time, `Retry-After` or (on a 429)
    /// `X-Ratelimit-Reset`, in that order; for a 429 it equals the details' `reset_after`.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// The flat classification.
    pub fn kind(&self) -> ErrorKind {
        match (&self.details, self.error_type.as_deref()) {
            (ApiErrorDetails::InvalidArguments(_), _) => ErrorKind::InvalidArguments,
            (ApiErrorDetails::NotFound { .. }, _) => ErrorKind::NotFound,
            (ApiErrorDetails::DeniedAuthentication { .. }, _) => ErrorKind::DeniedAuthentication,
            (ApiErrorDetails::PermissionsDenied(_), _) => ErrorKind::PermissionsDenied,
            (ApiErrorDetails::PreconditionFailed { .. }, _) => ErrorKind::PreconditionFailed,
            (ApiErrorDetails::ResourceLocked { .. }, _) => ErrorKind::ResourceLocked,
            (ApiErrorDetails::Conflict { .. }, Some("already_exists")) => ErrorKind::AlreadyExists,
            (ApiErrorDetails::Conflict { .. }, _) => ErrorKind::TransientState,
            (ApiErrorDetails::QuotasExceeded(_), _) => ErrorKind::QuotasExceeded,
            (ApiErrorDetails::TooManyRequests { .. }, _) => ErrorKind::TooManyRequests,
            (ApiErrorDetails::None, _) if self.status >= 500 => ErrorKind::ServerError,
            (ApiErrorDetails::None, _) => ErrorKind::Api,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Status, type and request ID first: a one-line summary (pytest's, a log line) cut to
        // the terminal's width still shows them.
        write!(f, "HTTP {}", self.status)?;
        let mut about: Vec<String> = self.error_type.iter().cloned().collect();
        if let Some(id) = &self.request_id {
            about.push(format!("request id {id}"));
        }
        if !about.is_empty() {
            write!(f, " ({})", about.join(", "))?;
        }
        // A body without a message gets "HTTP 429 Too Many Requests": the status is said once.
        let prefix = format!("HTTP {} ", self.status);
        write!(
            f,
            ": {}",
            self.message.strip_prefix(&prefix).unwrap_or(&self.message)
        )?;
        match &self.details {
            ApiErrorDetails::InvalidArguments(args) => {
                for a in args {
                    write!(f, "; {}: {}", a.argument_name, a.reason)?;
                    if !a.help_message.is_empty() {
                        write!(f, " ({})", a.help_message)?;
                    }
                }
            }
            ApiErrorDetails::NotFound {
                resource,
                resource_id,
            }
            | ApiErrorDetails::ResourceLocked {
                resource,
                resource_id,
            } => {
                if let (Some(r), Some(id)) = (resource, resource_id) {
                    write!(f, "; {r} {id}")?;
                }
            }
            ApiErrorDetails::PreconditionFailed {
                precondition,
                help_message,
            } => {
                if let Some(p) = precondition {
                    write!(f, "; precondition {p}")?;
                }
                if let Some(h) = help_message {
                    write!(f, ": {h}")?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

impl Error {
    /// The flat classification of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => e.kind(),
            Error::Validation { .. } => ErrorKind::Validation,
            Error::Config(_) => ErrorKind::Configuration,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Transport { .. } => ErrorKind::Transport,
            Error::UnexpectedResponse { .. } => ErrorKind::UnexpectedResponse,
            Error::Cancelled { .. } => ErrorKind::Cancelled,
            Error::DeadlineExceeded { .. } | Error::RateLimitPause { .. } => ErrorKind::Timeout,
            Error::CreateUnconfirmed { .. } => ErrorKind::CreateUnconfirmed,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::ListingChanged { .. } => ErrorKind::ListingChanged,
            Error::Redirect { .. } => ErrorKind::Redirect,
            Error::UndecodableOrganizations { .. } => ErrorKind::UndecodableOrganizations,
            Error::ProgressStopped { .. } => ErrorKind::ProgressStopped,
            Error::Coordination { .. } => ErrorKind::Coordination,
        }
    }

    /// The API error, when this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// HTTP status code, when the API answered (for an unconfirmed create, that of the failure
    /// that left it unknown).
    pub fn status_code(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse { status, .. } | Error::Redirect { status, .. } => {
                Some(*status)
            }
            Error::CreateUnconfirmed { source, .. } => source.status_code(),
            _ => None,
        }
    }

    /// `X-Request-Id` of the answer, when the API answered with one (for an unconfirmed create,
    /// that of the failure that left it unknown).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::UnexpectedResponse { request_id, .. } => request_id.as_deref(),
            Error::CreateUnconfirmed { source, .. } => source.request_id(),
            _ => None,
        }
    }

    /// The failure behind this error, for an unconfirmed create.
    pub fn cause(&self) -> Option<&Error> {
        match self {
            Error::CreateUnconfirmed { source, .. } => Some(source),
            _ => None,
        }
    }

    /// The `customer_id` concerned, for an unconfirmed create or a conflict.
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            Error::CreateUnconfirmed { customer_id, .. } | Error::Conflict { customer_id, .. } => {
                Some(customer_id)
            }
            _ => None,
        }
    }

    /// The owner email of an unconfirmed create.
    pub fn email(&self) -> Option<&str> {
        match self {
            Error::CreateUnconfirmed { email, .. } => Some(email),
            _ => None,
        }
    }

    /// The organizations in the way, for a conflict.
    pub fn organization_ids(&self) -> Option<&[String]> {
        match self {
            Error::Conflict {
                organization_ids, ..
            } => Some(organization_ids),
            _ => None,
        }
    }

    /// A transport failure as the system names it (`ECONNREFUSED`...), when known.
    pub fn system_code(&self) -> Option<&'static str> {
        match self {
            Error::Transport { system_code, .. } => *system_code,
            _ => None,
        }
    }

    /// The host a refused redirect pointed to.
    pub fn location_host(&self) -> Option<&str> {
        match self {
            Error::Redirect { location_host, .. } => Some(location_host),
            _ => None,
        }
    }

    /// The records that could not be decoded, for [`Error::UndecodableOrganizations`].
    pub fn undecodable(&self) -> Option<&[UndecodableOrganization]> {
        match self {
            Error::UndecodableOrganizations { records, .. } => Some(records),
            _ => None,
        }
    }

    /// The organizations decoded beside undecodable records, for
    /// [`Error::UndecodableOrganizations`] (empty when a stream already yielded them).
    pub fn organizations(&self) -> Option<&[crate::Organization]> {
        match self {
            Error::UndecodableOrganizations { organizations, .. } => Some(organizations),
            _ => None,
        }
    }

    /// The Scaleway error `type` of the answer (`not_found`...), when it had one.
    pub fn error_type(&self) -> Option<&str> {
        match self {
            Error::CreateUnconfirmed { source, .. } => source.error_type(),
            _ => self.api().and_then(|e| e.error_type.as_deref()),
        }
    }

    /// The raw body of the answer, when the API answered.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.body),
            Error::UnexpectedResponse { body, .. } => Some(body),
            Error::CreateUnconfirmed { source, .. } => source.body(),
            _ => None,
        }
    }

    /// What a progress callback raised when it stopped the call: a binding raises it instead
    /// of this error.
    pub fn raised(&self) -> Option<&crate::CallbackError> {
        match self {
            Error::ProgressStopped { raised } => raised.as_ref(),
            _ => None,
        }
    }

    /// Attempts the call made, for a timeout or a cancelled call.
    pub fn attempts(&self) -> Option<u32> {
        match self {
            Error::Timeout { attempts, .. }
            | Error::DeadlineExceeded { attempts, .. }
            | Error::RateLimitPause { attempts, .. }
            | Error::Cancelled { attempts, .. } => Some(*attempts),
            _ => None,
        }
    }

    /// Time the whole call took, for a timeout or a cancelled call.
    pub fn elapsed(&self) -> Option<Duration> {
        match self {
            Error::Timeout { elapsed, .. }
            | Error::DeadlineExceeded { elapsed, .. }
            | Error::RateLimitPause { elapsed, .. }
            | Error::Cancelled { elapsed, .. } => Some(*elapsed),
            _ => None,
        }
    }

    /// The message with options and arguments named by `names`, as the caller's language writes
    /// them: what a binding shows (`Display` uses Rust's names).
    pub fn message_in(&self, names: &dyn Names) -> String {
        match self {
            Error::Validation { field, message } => {
                format!(
                    "invalid {}: {}",
                    names.argument(field),
                    message.render(names)
                )
            }
            Error::Config(c) => format!("configuration error: {}", c.message().render(names)),
            e => e.to_string(),
        }
    }

    /// The setting a configuration error refuses, when one is to blame.
    pub fn setting(&self) -> Option<Setting> {
        match self {
            Error::Config(c) => c.setting(),
            _ => None,
        }
    }

    /// The field at fault, for a local validation error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A cancellation, as of a call that had not started (a closed client's); the call's
    /// runner fills in the attempts and time spent by one that had.
    pub fn cancelled() -> Self {
        Error::Cancelled {
            attempts: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// A total timeout; the call's runner fills in the attempts and time spent.
    pub(crate) fn deadline_exceeded(after: Duration) -> Self {
        Error::DeadlineExceeded {
            after,
            attempts: 0,
            elapsed: Duration::ZERO,
        }
    }

    /// An attempt's timeout; the call's runner fills in the attempts and time spent.
    pub(crate) fn attempt_timeout(after: Duration) -> Self {
        Error::Timeout {
            after,
            attempts: 0,
            elapsed: Duration::ZERO,
        }
    }

    pub(crate) fn coordination(message: impl Into<String>) -> Self {
        Error::Coordination {
            message: message.into(),
        }
    }

    pub(crate) fn validation(field: impl Into<String>, message: impl Into<Message>) -> Self {
        Error::Validation {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_table_has_distinct_codes_and_classes_and_parents_first() {
        let table = error_kinds();
        let codes: HashSet<_> = table.iter().map(|i| i.code).collect();
        let classes: HashSet<_> = table.iter().map(|i| i.class_name).collect();
        assert_eq!(codes.len(), table.len());
        assert_eq!(classes.len(), table.len());
        assert!(!classes.contains(ROOT_ERROR_CLASS));
        for (i, info) in table.iter().enumerate() {
            assert_eq!(ErrorKind::from_code(info.code), Some(info.kind));
            assert_eq!(info.kind.to_string(), info.code);
            if let Some(parent) = info.parent {
                let at = ErrorKind::ALL.iter().position(|k| *k == parent).unwrap();
                assert!(at < i, "{} comes before its parent", info.code);
                assert_eq!(info.parent_class, parent.info().class_name);
            } else {
                assert_eq!(info.parent_class, ROOT_ERROR_CLASS);
            }
        }
    }

    #[test]
    fn no_class_shadows_a_language_builtin() {
        // Python's builtins and asyncio, and JavaScript's globals, that a `*` import or a
        // global name would hide.
        let builtins = [
            "TimeoutError",
            "CancelledError",
            "ConnectionError",
            "AbortError",
            "TypeError",
            "ValueError",
            "RangeError",
            "Error",
        ];
        for info in error_kinds() {
            assert!(!builtins.contains(&info.class_name), "{}", info.class_name);
        }
        assert_eq!(ErrorKind::Timeout.info().class_name, "APITimeoutError");
        assert_eq!(
            ErrorKind::Cancelled.info().class_name,
            "RequestCancelledError"
        );
    }

    #[test]
    fn api_kinds_sit_under_api_error_with_their_status() {
        for info in error_kinds() {
            assert_eq!(
                info.kind.is_api(),
                info.kind == ErrorKind::Api || info.parent == Some(ErrorKind::Api)
            );
            if info.kind.is_api() {
                assert!(info.attributes.contains(&"status_code"), "{}", info.code);
            }
        }
        assert_eq!(ErrorKind::NotFound.info().status, Some(404));
        assert_eq!(ErrorKind::ServerError.info().status, None);
        assert_eq!(
            ErrorKind::UndecodableOrganizations.info().parent_class,
            "UnexpectedResponseError"
        );
    }

    #[test]
    fn details_name_their_resource_precondition_and_help_for_the_kinds_that_have_them() {
        let some = |s: &str| Some(s.to_owned());
        let conflict = ApiErrorDetails::Conflict {
            resource: some("organization"),
            resource_id: some("o-1"),
            current_state: some("locking"),
        };
        assert_eq!(conflict.resource(), Some("organization"));
        assert_eq!(conflict.resource_id(), Some("o-1"));
        assert_eq!(conflict.precondition(), None);
        let locked = ApiErrorDetails::ResourceLocked {
            resource: None,
            resource_id: some("o-2"),
        };
        assert_eq!(
            (locked.resource(), locked.resource_id()),
            (None, Some("o-2"))
        );
        let failed = ApiErrorDetails::PreconditionFailed {
            precondition: some("organization_locked_by_partner"),
            help_message: some("unlock it first"),
        };
        assert_eq!(
            failed.precondition(),
            Some("organization_locked_by_partner")
        );
        assert_eq!(failed.help_message(), Some("unlock it first"));
        assert_eq!(failed.resource(), None);
        let limited = ApiErrorDetails::TooManyRequests {
            help_message: some("slow down"),
            quota: None,
            window_seconds: None,
            reset_after: None,
        };
        assert_eq!(limited.help_message(), Some("slow down"));
        assert_eq!(ApiErrorDetails::None.help_message(), None);
    }

    #[test]
    fn the_table_serializes_as_the_bindings_read_it() {
        let json = serde_json::to_value(ErrorKind::NotFound.info()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "not_found",
                "class_name": "ResourceNotFoundError",
                "parent": "api_error",
                "parent_class": "APIError",
                "status": 404,
                "attributes": ["status_code", "request_id", "type", "body", "retry_after", "resource", "resource_id"],
                "description": "no such resource",
            })
        );
    }

    #[test]
    fn an_unknown_code_falls_back_to_its_family_else_the_root() {
        assert_eq!(
            class_for_code("not_found", Some(404)),
            "ResourceNotFoundError"
        );
        assert_eq!(class_for_code("timeout", None), "APITimeoutError");
        assert_eq!(class_for_code("teapot", Some(418)), "APIError");
        assert_eq!(class_for_code("something_new", None), ROOT_ERROR_CLASS);
    }

    #[test]
    fn timeouts_say_how_many_attempts_and_how_long() {
        let e = Error::Timeout {
            after: Duration::from_millis(50),
            attempts: 5,
            elapsed: Duration::from_millis(6680),
        };
        assert_eq!(
            e.to_string(),
            "request timed out after 50 ms per attempt (5 attempts in 6.7 s)"
        );
        assert_eq!(
            (e.attempts(), e.elapsed()),
            (Some(5), Some(Duration::from_millis(6680)))
        );
        let e = Error::DeadlineExceeded {
            after: Duration::from_secs(2),
            attempts: 1,
            elapsed: Duration::from_secs(2),
        };
        assert_eq!(
            e.to_string(),
            "the call did not finish within its total timeout of 2.0 s (1 attempt in 2.0 s)"
        );
        assert_eq!(e.kind(), ErrorKind::Timeout);
    }

    #[test]
    fn validation_error_names_the_field() {
        let e = Error::validation("email", "must be a valid email address");
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.field(), Some("email"));
        assert_eq!(
            e.to_string(),
            "invalid email: must be a valid email address"
        );
    }
}
