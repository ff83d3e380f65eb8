//! Control endpoints under /_mock (no authentication, no faults, latency or rate limit).

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, patch, post};
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::api::{App, OrganizationId, read_body, saved};
use crate::errors::{ApiError, Reason};
use crate::faults::FaultPlan;
use crate::wire::{self, RawPatch};

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/_mock/health", get(health))
        .route("/_mock/stats", get(stats))
        .route("/_mock/stats/reset", post(reset_stats))
        .route("/_mock/faults", post(inject_faults).delete(clear_faults))
        .route("/_mock/organizations", get(dump))
        .route("/_mock/organizations/{organization_id}", patch(patch_raw))
        .route(
            "/_mock/organizations/{organization_id}/validate-email",
            post(validate_email),
        )
        .route("/_mock/reset", post(reset))
}

fn json<T: serde::Serialize>(value: &T) -> Response {
    wire::json_response(
        StatusCode::OK,
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

async fn parse<T: DeserializeOwned>(app: &App, body: Body) -> Result<T, ApiError> {
    let bytes = read_body(app, body).await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::argument("body", Reason::Format, e.to_string()))
}

async fn health(State(app): State<App>) -> Response {
    json(&json!({
        "status": "ok",
        "partners": app.config.partners.len(),
        "persistent": app.state_path().is_some(),
    }))
}

async fn stats(State(app): State<App>) -> Response {
    json(&app.stats.snapshot())
}

async fn reset_stats(State(app): State<App>) -> Response {
    app.stats.reset();
    wire::empty_response(StatusCode::NO_CONTENT)
}

async fn inject_faults(State(app): State<App>, body: Body) -> Result<Response, ApiError> {
    let plan: FaultPlan = parse(&app, body).await?;
    plan.check()
        .map_err(|e| ApiError::argument("body", Reason::Constraint, e))?;
    tracing::info!(scripted = plan.script.len(), "faults injected");
    app.faults.inject(plan);
    Ok(wire::empty_response(StatusCode::NO_CONTENT))
}

async fn clear_faults(State(app): State<App>) -> Response {
    app.faults.clear();
    wire::empty_response(StatusCode::NO_CONTENT)
}

async fn dump(State(app): State<App>) -> Response {
    json(&json!({ "organizations": app.dump() }))
}

async fn validate_email(
    State(app): State<App>,
    OrganizationId(id): OrganizationId,
) -> Result<Response, ApiError> {
    let org = app
        .validate_email(id)
        .ok_or_else(|| ApiError::NotFound(id.to_string()))?;
    saved(&app, &org).await
}

async fn patch_raw(
    State(app): State<App>,
    OrganizationId(id): OrganizationId,
    body: Body,
) -> Result<Response, ApiError> {
    let patch: RawPatch = parse(&app, body).await?;
    let org = app
        .patch_raw(id, patch)
        .ok_or_else(|| ApiError::NotFound(id.to_string()))?;
    saved(&app, &org).await
}

async fn reset(State(app): State<App>) -> Result<Response, ApiError> {
    app.reset();
    app.persist().await?;
    tracing::info!("state reset");
    Ok(wire::empty_response(StatusCode::NO_CONTENT))
}
