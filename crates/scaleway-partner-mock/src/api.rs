//! The Partner API: the gate every /partner/v1 request passes (latency, rate limit, faults,
//! authentication, stats) and the seven handlers.

use std::io;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Extension, FromRequestParts, MatchedPath, Path, Query, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::StreamExt;
use http::request::Parts;
use http::{HeaderValue, StatusCode, Uri, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::emulator::{Caller, Emulator, NewOrganization, OrganizationUpdate};
use crate::errors::{ApiError, Reason};
use crate::faults::{self, FaultAction, RateLimitHeaders};
use crate::latency;
use crate::operation::Operation;
use crate::ratelimit;
use crate::server::{AbortConnection, LocalAddr};
use crate::state::{ListQuery, Order, Organization};
use crate::validation::{self, Fields, Presence, QueryParams};
use crate::wire;

pub(crate) type App = Arc<Emulator>;

/// Everything that happens to a /partner/v1 request around its handler.
pub(crate) async fn gate(
    State(app): State<App>,
    matched: Option<MatchedPath>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(op) = matched.and_then(|m| Operation::from_route(request.method(), m.as_str())) else {
        return next.run(request).await;
    };
    let _in_flight = app.stats.begin(op);
    let delay = latency::delay(&app.config.latency, op);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let token = request
        .headers()
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let caller = token.as_deref().and_then(|t| app.caller(t));
    let bucket = caller.map_or(app.limiter.anonymous_bucket(), |c| c.index);
    let verdict = app.limiter.check(bucket);
    let style = app.config.rate_limit_style;
    let mut rewrite: Option<RateLimitHeaders> = None;

    let mut response = if let Some(refused) = verdict.filter(|v| !v.allowed) {
        app.stats.rate_limited();
        ratelimit::too_many_requests(style, &refused)
    } else {
        let fault = app.faults.decide(op);
        if let Some(fault) = &fault {
            app.stats.fault();
            tracing::debug!(operation = %op, ?fault, "injecting a fault");
        }
        if let Some(FaultAction::RateLimitHeaders(headers)) = &fault {
            rewrite = Some(headers.clone());
        }
        match fault {
            Some(FaultAction::ResetBefore) => return abort(),
            Some(FaultAction::ServerError(status)) => html_response(status),
            Some(FaultAction::RateLimit) => {
                app.stats.rate_limited();
                ratelimit::too_many_requests(style, &app.limiter.refusal())
            }
            Some(FaultAction::Error { status, body }) => {
                wire::json_response(status, serde_json::to_vec(&body).unwrap_or_default())
            }
            Some(FaultAction::ApplyLate { status, delay }) => {
                if op.is_write() {
                    apply_late(&app, request, next, token, caller, delay).await;
                }
                match status {
                    Some(status) => html_response(status),
                    None => return abort(),
                }
            }
            Some(FaultAction::Redirect { status, location }) => {
                redirect(status, location, &request)
            }
            other => {
                let pause = match other {
                    Some(FaultAction::Slow(pause)) => Some(pause),
                    _ => None,
                };
                // Like a real backend, the emulator finishes a request whose client has gone
                // away: a write that timed out on the client's side still lands.
                let handled = tokio::spawn(async move {
                    if let Some(pause) = pause {
                        tokio::time::sleep(pause).await;
                    }
                    match authenticate(token.as_deref(), caller) {
                        Ok(caller) => {
                            request.extensions_mut().insert(caller);
                            next.run(request).await
                        }
                        Err(e) => e.into_response(),
                    }
                });
                let response = match handled.await {
                    Ok(response) => response,
                    Err(e) => {
                        tracing::error!(error = %e, "handler task failed");
                        html_response(StatusCode::INTERNAL_SERVER_ERROR)
                    }
                };
                match other {
                    Some(FaultAction::ResetAfter) => return abort(),
                    Some(FaultAction::Truncate) => return truncate(response).await,
                    Some(FaultAction::Garble) => garble(response).await,
                    _ => response,
                }
            }
        }
    };
    if let Some(verdict) = verdict
        && response.status() != StatusCode::TOO_MANY_REQUESTS
    {
        ratelimit::add_headers(response.headers_mut(), &verdict);
    }
    if let Some(headers) = rewrite {
        for (name, value) in headers.named() {
            response.headers_mut().remove(name);
            if let Some(value) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
                response.headers_mut().insert(name, value);
            }
        }
    }
    app.stats.status(response.status().as_u16());
    response
}

/// Schedules `request` to be handled `delay` from now, as if it arrived then, unless the
/// emulator is reset or stopped in the meantime. The body is read now, before the answer.
async fn apply_late(
    app: &App,
    request: Request,
    next: Next,
    token: Option<String>,
    caller: Option<Caller>,
    delay: Duration,
) {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, app.config.max_body_bytes)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        // Too large or unreadable: the handler would refuse it, so nothing would land.
        Err(e) => {
            tracing::debug!(error = %e, "late write dropped: unreadable body");
            return;
        }
    };
    let mut request = Request::from_parts(parts, Body::from(body));
    let app = Arc::clone(app);
    let generation = app.generation();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        if app.generation() != generation {
            tracing::debug!("late write dropped: the emulator was reset or stopped");
            return;
        }
        let response = match authenticate(token.as_deref(), caller) {
            Ok(caller) => {
                request.extensions_mut().insert(caller);
                next.run(request).await
            }
            Err(e) => e.into_response(),
        };
        let status = response.status();
        if status.is_success() {
            app.stats.late_applied();
        }
        tracing::debug!(status = status.as_u16(), "late write handled");
    });
}

/// A redirect to `location`, by default the emulator under its other local host name.
fn redirect(status: StatusCode, location: Option<String>, request: &Request) -> Response {
    let location = location
        .and_then(|l| HeaderValue::try_from(l).ok())
        .or_else(|| HeaderValue::try_from(other_host(request)).ok())
        .unwrap_or_else(|| HeaderValue::from_static("/"));
    let mut response = html_response(status);
    response.headers_mut().insert(header::LOCATION, location);
    response
}

/// `http://localhost:{port}{path and query}` for a request that reached the emulator by an
/// address, `http://{address}:{port}...` for one that named `localhost`.
fn other_host(request: &Request) -> String {
    let local = request.extensions().get::<LocalAddr>().map(|l| l.0);
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<http::uri::Authority>().ok());
    let port = local
        .map(|a| a.port())
        .or_else(|| host.as_ref().and_then(http::uri::Authority::port_u16));
    let named_localhost = host
        .as_ref()
        .is_some_and(|h| h.host().eq_ignore_ascii_case("localhost"));
    let name = if named_localhost {
        match local.map(|a| a.ip()) {
            Some(IpAddr::V6(ip)) if !ip.is_unspecified() => format!("[{ip}]"),
            Some(IpAddr::V4(ip)) if !ip.is_unspecified() => ip.to_string(),
            _ => "127.0.0.1".to_owned(),
        }
    } else {
        "localhost".to_owned()
    };
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", http::uri::PathAndQuery::as_str);
    match port {
        Some(port) => format!("http://{name}:{port}{path}"),
        None => format!("http://{name}{path}"),
    }
}

fn authenticate(token: Option<&str>, caller: Option<Caller>) -> Result<Caller, ApiError> {
    match (token, caller) {
        (_, Some(caller)) => Ok(caller),
        (Some(token), None) if validation::is_canonical_uuid(token) => {
            Err(ApiError::DeniedAuthentication {
                reason: "not_found",
            })
        }
        _ => Err(ApiError::DeniedAuthentication {
            reason: "invalid_argument",
        }),
    }
}

/// A response the server turns into a closed connection without an answer.
fn abort() -> Response {
    let mut response = Response::new(Body::empty());
    response.extensions_mut().insert(AbortConnection);
    response
}

/// A status with the HTML page a gateway sends along.
fn html_response(status: StatusCode) -> Response {
    let mut response = Response::new(Body::from(faults::gateway_page(status)));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// The whole body of an answer the emulator made itself (it cannot fail to be read).
async fn body_bytes(body: Body) -> Bytes {
    body.collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default()
}

/// A 2xx answer whose body is its first half, complete as far as HTTP goes, so not JSON; any
/// other answer unchanged.
async fn garble(response: Response) -> Response {
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = body_bytes(body).await;
    let garbled = if bytes.len() > 1 {
        bytes.slice(..bytes.len() / 2)
    } else {
        Bytes::from_static(b"<html>")
    };
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(garbled.len()));
    Response::from_parts(parts, Body::from(garbled))
}

/// Announces the full length, sends half the body, then breaks the connection.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = body_bytes(body).await;
    if bytes.is_empty() {
        // Nothing to cut (204): the closest failure is a connection closed after the write.
        return abort();
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let head = bytes.slice(..bytes.len() / 2);
    // The pause lets hyper flush what was sent before the error closes the connection.
    let stream =
        futures::stream::iter([Ok::<Bytes, io::Error>(head)]).chain(futures::stream::once(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "body truncated by fault injection",
            ))
        }));
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The request body, at most `max_body_bytes` long.
pub(crate) async fn read_body(app: &Emulator, body: Body) -> Result<Bytes, ApiError> {
    let limit = app.config.max_body_bytes;
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(ApiError::argument(
            "body",
            Reason::Constraint,
            format!("the body must be at most {limit} bytes long"),
        )),
        Err(e) => Err(ApiError::argument(
            "body",
            Reason::Format,
            format!("cannot read the body: {e}"),
        )),
    }
}

async fn read_object(app: &Emulator, body: Body) -> Result<Map<String, Value>, ApiError> {
    validation::json_object(&read_body(app, body).await?)
}

/// The `{organization_id}` of an API or control route, checked: a malformed one is refused as
/// an argument error naming `organization_id`.
pub(crate) struct OrganizationId(pub(crate) Uuid);

impl<S: Send + Sync> FromRequestParts<S> for OrganizationId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => validation::path_id(&id).map(Self),
            Err(e) => Err(ApiError::argument(
                "organization_id",
                Reason::Format,
                e.body_text(),
            )),
        }
    }
}

fn organization_response(app: &Emulator, org: &Organization) -> Response {
    wire::json_response(
        StatusCode::OK,
        wire::organization(org, app.config.unset_siren_number),
    )
}

/// The answer to a change: the state is saved (when the emulator persists it) before the
/// changed organization is sent.
pub(crate) async fn saved(app: &Emulator, org: &Organization) -> Result<Response, ApiError> {
    app.persist().await?;
    Ok(organization_response(app, org))
}

fn is_siren(s: &str) -> bool {
    s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_username(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'_' | b'-'))
}

const REQUIRED: &str = "required fields are present after validation";

pub(crate) async fn create(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    body: Body,
) -> Result<Response, ApiError> {
    let mut f = Fields::new(read_object(&app, body).await?);
    let partner_id = f.uuid("partner_id", Presence::Required);
    let email = f.email("email", Presence::Required);
    let name = f.text("organization_name", Presence::Required, 2..=256);
    let owner_firstname = f.text("owner_firstname", Presence::Required, 2..=256);
    let owner_lastname = f.text("owner_lastname", Presence::Required, 2..=256);
    let customer_id = f.text("customer_id", Presence::Required, 1..=256);
    let phone_number = f.string("phone_number", Presence::Optional);
    let siren = f.string("siren_number", Presence::Optional);
    let siren_number = f.matching("siren_number", siren, "^[0-9]{9}$", is_siren);
    f.finish()?;
    if partner_id.expect(REQUIRED) != caller.partner_id {
        return Err(ApiError::PermissionsDenied { action: "create" });
    }
    let org = app.create(
        caller,
        NewOrganization {
            email: email.expect(REQUIRED),
            name: name.expect(REQUIRED),
            owner_firstname: owner_firstname.expect(REQUIRED),
            owner_lastname: owner_lastname.expect(REQUIRED),
            customer_id: customer_id.expect(REQUIRED),
            phone_number,
            siren_number,
        },
    );
    saved(&app, &org).await
}

pub(crate) async fn list(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(&uri)
        .map_err(|e| ApiError::argument("query", Reason::Format, e.body_text()))?;
    let mut q = QueryParams::new(pairs);
    let page = q.integer("page", 1, 1..=u64::from(u32::MAX));
    let page_size = q.integer("page_size", 50, 1..=100);
    let order = match q
        .choice("order_by", &["created_at_asc", "created_at_desc"], None)
        .as_deref()
    {
        Some("created_at_desc") => Order::CreatedAtDesc,
        _ => Order::CreatedAtAsc,
    };
    let status = q.choice(
        "status",
        &["unknown_status", "opened", "locked", "closed"],
        Some("unknown_status"),
    );
    let locked_by = q.choice(
        "locked_by",
        &["unknown_locked_by", "partner", "scaleway"],
        Some("unknown_locked_by"),
    );
    let email = q.email("email");
    let customer_id = q.text("customer_id", 1..=256);
    q.finish()?;
    let query = ListQuery {
        page,
        page_size,
        order,
        status,
        locked_by,
        email,
        customer_id,
    };
    let (orgs, total) = app.list(caller, &query);
    let body = wire::organization_list(
        orgs.iter().map(|o| &**o),
        total,
        app.config.unset_siren_number,
    );
    Ok(wire::json_response(StatusCode::OK, body))
}

pub(crate) async fn get(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    OrganizationId(id): OrganizationId,
) -> Result<Response, ApiError> {
    let org = app.get(caller, id)?;
    Ok(organization_response(&app, &org))
}

pub(crate) async fn update(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    OrganizationId(id): OrganizationId,
    body: Body,
) -> Result<Response, ApiError> {
    let mut f = Fields::new(read_object(&app, body).await?);
    let update = OrganizationUpdate {
        email: f.email("email", Presence::Optional),
        name: f.text("name", Presence::Optional, 2..=256),
        owner_firstname: f.text("owner_firstname", Presence::Optional, 2..=256),
        owner_lastname: f.text("owner_lastname", Presence::Optional, 2..=256),
        phone_number: f.string("phone_number", Presence::Optional),
        customer_id: f.text("customer_id", Presence::Optional, 1..=256),
        comment: f.text("comment", Presence::Optional, 1..=1024),
    };
    f.finish()?;
    let org = app.update(caller, id, update)?;
    saved(&app, &org).await
}

/// `POST .../lock` (`LOCK` true) and `POST .../unlock`: the same request (an object body, its
/// fields ignored) and answer; only the change differs.
pub(crate) async fn set_lock<const LOCK: bool>(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    OrganizationId(id): OrganizationId,
    body: Body,
) -> Result<Response, ApiError> {
    read_object(&app, body).await?;
    let org = if LOCK {
        app.lock(caller, id)?
    } else {
        app.unlock(caller, id)?
    };
    saved(&app, &org).await
}

pub(crate) async fn request_admin_role(
    State(app): State<App>,
    Extension(caller): Extension<Caller>,
    OrganizationId(id): OrganizationId,
    body: Body,
) -> Result<Response, ApiError> {
    let mut f = Fields::new(read_object(&app, body).await?);
    let username = f.text("username", Presence::Required, 2..=64);
    let username = f.matching("username", username, "^[a-zA-Z0-9@._-]+$", is_username);
    let email = f.email("email", Presence::Required);
    // Checked for its length only, and never kept nor logged.
    f.text("password", Presence::Optional, 0..=72);
    f.finish()?;
    app.request_admin_role(
        caller,
        id,
        username.expect(REQUIRED),
        email.expect(REQUIRED),
    )?;
    app.persist().await?;
    Ok(wire::empty_response(StatusCode::NO_CONTENT))
}
