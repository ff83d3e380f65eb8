//! Errors: `MockError` for the library's caller, `ApiError` for Scaleway-style HTTP answers.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde::Serialize;
use serde_json::json;

use crate::wire;

/// Why the emulator could not start (or persist).
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The configuration is invalid (or the state file has another format); the message
    /// says what.
    #[error("invalid emulator configuration: {0}")]
    Config(String),
    /// The listen address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The configured address.
        addr: SocketAddr,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The state file exists but cannot be read.
    #[error("cannot read state file {path}: {source}")]
    StateRead {
        /// The state file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The state file is not the JSON the emulator writes.
    #[error("state file {path} is not an emulator state: {source}")]
    StateParse {
        /// The state file.
        path: PathBuf,
        /// What the parser found wrong.
        #[source]
        source: serde_json::Error,
    },
    /// The state file cannot be written.
    #[error("cannot write state file {path}: {source}")]
    StateWrite {
        /// The state file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

/// Scaleway's reasons for an invalid argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Reason {
    Required,
    Format,
    Constraint,
}

/// One entry of an `invalid_arguments` error's `details`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ArgError {
    pub argument_name: String,
    pub reason: Reason,
    pub help_message: String,
}

impl ArgError {
    pub(crate) fn new(name: &str, reason: Reason, help: impl Into<String>) -> ArgError {
        ArgError {
            argument_name: name.to_owned(),
            reason,
            help_message: help.into(),
        }
    }
}

/// An error answer of the API, rendered in Scaleway's standard format.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("invalid argument(s): {0:?}")]
    InvalidArguments(Vec<ArgError>),
    #[error("authentication is denied ({reason})")]
    DeniedAuthentication { reason: &'static str },
    #[error("insufficient permissions to {action} an organization")]
    PermissionsDenied { action: &'static str },
    #[error("organization {0} not found")]
    NotFound(String),
    #[error("route not found")]
    RouteNotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("precondition failed: {precondition}")]
    PreconditionFailed {
        precondition: &'static str,
        help: &'static str,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub(crate) fn argument(name: &str, reason: Reason, help: impl Into<String>) -> ApiError {
        ApiError::InvalidArguments(vec![ArgError::new(name, reason, help)])
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidArguments(_) => StatusCode::BAD_REQUEST,
            ApiError::DeniedAuthentication { .. } => StatusCode::UNAUTHORIZED,
            ApiError::PermissionsDenied { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> serde_json::Value {
        match self {
            ApiError::InvalidArguments(details) => json!({
                "type": "invalid_arguments",
                "message": "invalid argument(s)",
                "details": details,
            }),
            ApiError::DeniedAuthentication { reason } => json!({
                "type": "denied_authentication",
                "message": "authentication is denied",
                "method": "api_key",
                "reason": reason,
            }),
            ApiError::PermissionsDenied { action } => json!({
                "type": "permissions_denied",
                "message": "insufficient permissions",
                "details": [{"resource": "organization", "action": action}],
            }),
            ApiError::NotFound(id) => json!({
                "type": "not_found",
                "message": "resource is not found",
                "resource": "organization",
                "resource_id": id,
            }),
            ApiError::RouteNotFound => json!({"type": "not_found", "message": "route not found"}),
            ApiError::MethodNotAllowed => json!({
                "type": "method_not_allowed",
                "message": "method not allowed",
            }),
            ApiError::PreconditionFailed { precondition, help } => json!({
                "type": "precondition_failed",
                "message": "resource precondition failed",
                "precondition": precondition,
                "help_message": help,
            }),
            ApiError::Internal(message) => json!({
                "type": "internal_error",
                "message": message,
            }),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        tracing::debug!(error = %self, "answering with an error");
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        wire::json_response(self.status(), body)
    }
}
