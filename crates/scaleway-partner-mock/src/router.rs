//! The full HTTP application: API routes behind the gate, control routes, fallbacks, and the
//! headers every answer carries.

use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use http::{HeaderValue, header};

use crate::api::{self, App};
use crate::control;
use crate::errors::ApiError;
use crate::operation::{ADMIN_ROLE, LOCK, ORGANIZATION, ORGANIZATIONS, UNLOCK};
use crate::wire::APPLICATION_JSON;

pub(crate) const SERVER: &str = "Scaleway API Gateway (emulator)";

pub(crate) fn build(app: App) -> Router {
    let partner = Router::new()
        .route(ORGANIZATIONS, post(api::create).get(api::list))
        .route(ORGANIZATION, get(api::get).patch(api::update))
        .route(LOCK, post(api::set_lock::<true>))
        .route(UNLOCK, post(api::set_lock::<false>))
        .route(ADMIN_ROLE, post(api::request_admin_role))
        .route_layer(middleware::from_fn_with_state(app.clone(), api::gate));
    Router::new()
        .merge(partner)
        .merge(control::routes())
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn(common_headers))
        .with_state(app)
}

/// A random v4 UUID without a system call per request (the thread-local RNG suffices).
fn request_id() -> HeaderValue {
    let id = uuid::Builder::from_random_bytes(fastrand::u128(..).to_le_bytes()).into_uuid();
    let mut buf = uuid::Uuid::encode_buffer();
    HeaderValue::from_str(id.hyphenated().encode_lower(&mut buf)).expect("a UUID is ASCII")
}

/// `X-Request-Id`, `Server` and `Content-Type: application/json` (exactly: Scaleway's JS SDK
/// rejects anything else) on every answer but the injected HTML pages.
async fn common_headers(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let uri = request.uri().clone();
    let mut response = next.run(request).await;
    let id = request_id();
    tracing::debug!(
        request_id = ?id,
        %method,
        %uri,
        status = response.status().as_u16(),
        elapsed_us = started.elapsed().as_micros() as u64,
        "request"
    );
    let headers = response.headers_mut();
    headers.insert("x-request-id", id);
    headers.insert(header::SERVER, HeaderValue::from_static(SERVER));
    let html = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if !html {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(APPLICATION_JSON),
        );
    }
    response
}
