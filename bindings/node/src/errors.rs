//! Core errors to JavaScript. An `async fn` can only reject with a napi status as `code`, so
//! every core error travels as a JSON payload of the contract's attributes behind a marker, and
//! the package's JS layer (`lib/errors.js`) turns it into the right `Error` subclass in one place.

use scaleway_partner::{ApiErrorDetails, Error};
use serde::Serialize;

/// Prefix of the message of a rejection that carries a payload; lib/errors.js looks for it.
pub const PAYLOAD_MARKER: &str = "SCALEWAY_PARTNER_ERROR:";

/// The contract attributes of an error, camelCased for Node; durations in milliseconds.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    code: &'static str,
    /// The class by the core's rule (`class_for_code`), so that no binding has its own fallback.
    class_name: &'static str,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    #[serde(rename = "type")]
    error_type: Option<String>,
    body: Option<String>,
    /// Only for the kinds that have a list (invalid arguments, permissions, quotas).
    details: Option<Vec<serde_json::Value>>,
    field: Option<String>,
    resource: Option<String>,
    resource_id: Option<String>,
    retry_after: Option<f64>,
    /// A timeout: attempts made and the time the whole call took.
    attempts: Option<u32>,
    elapsed: Option<f64>,
    precondition: Option<String>,
    help_message: Option<String>,
    /// An unconfirmed create or a conflict.
    customer_id: Option<String>,
    /// An unconfirmed create.
    email: Option<String>,
    /// A conflict: the organizations in the way.
    organization_ids: Option<Vec<String>>,
    /// A refused redirect: the host it pointed to.
    location_host: Option<String>,
    /// A transport failure as the system names it (`ECONNREFUSED`...): the `code` of the
    /// error's `cause`, as Node's own network errors have it.
    system_code: Option<&'static str>,
    /// Undecodable records of a listing: `{page, index, id, message}`.
    undecodable: Option<Vec<serde_json::Value>>,
    /// The organizations read beside them, camelCased (lib/errors.js makes the dates `Date`s).
    organizations: Option<Vec<serde_json::Value>>,
    /// The failure behind this one (an unconfirmed create), as a payload of its own.
    cause: Option<Box<ErrorPayload>>,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        let mut p = ErrorPayload {
            code: e.kind().as_str(),
            class_name: scaleway_partner::class_for_code(e.kind().as_str(), e.status_code()),
            message: crate::names::message(e),
            status: e.status_code(),
            request_id: e.request_id().map(str::to_owned),
            error_type: e.error_type().map(str::to_owned),
            body: e.body().map(str::to_owned),
            details: None,
            field: e.field().map(str::to_owned),
            resource: None,
            resource_id: None,
            retry_after: None,
            attempts: e.attempts(),
            elapsed: e.elapsed().map(millis),
            precondition: None,
            help_message: None,
            customer_id: e.customer_id().map(str::to_owned),
            email: e.email().map(str::to_owned),
            organization_ids: e.organization_ids().map(<[String]>::to_vec),
            location_host: e.location_host().map(str::to_owned),
            system_code: e.system_code(),
            undecodable: e.undecodable().map(|records| {
                records
                    .iter()
                    .map(|r| serde_json::json!({"page": r.page, "index": r.index, "id": r.id, "message": r.message}))
                    .collect()
            }),
            organizations: e
                .organizations()
                .map(|orgs| orgs.iter().map(organization_json).collect()),
            cause: e.cause().map(|c| Box::new(ErrorPayload::from(c))),
        };
        let Some(api) = e.api() else { return p };
        p.retry_after = api.retry_after.map(millis);
        let owned = |s: Option<&str>| s.map(str::to_owned);
        p.resource = owned(api.details.resource());
        p.resource_id = owned(api.details.resource_id());
        p.precondition = owned(api.details.precondition());
        p.help_message = owned(api.details.help_message());
        match &api.details {
            ApiErrorDetails::InvalidArguments(args) => {
                p.details = Some(
                    args.iter()
                        .map(|a| {
                            serde_json::json!({
                                "argumentName": a.argument_name,
                                "reason": a.reason,
                                "helpMessage": a.help_message,
                            })
                        })
                        .collect(),
                );
            }
            ApiErrorDetails::PermissionsDenied(list) | ApiErrorDetails::QuotasExceeded(list) => {
                p.details = Some(
                    list.iter()
                        .map(|r| serde_json::to_value(r).unwrap_or_default())
                        .collect(),
                );
            }
            _ => {}
        }
        p
    }
}

/// A duration as JS counts them: milliseconds, to the microsecond (`500.839`, not
/// `500.83903699999996`).
pub fn millis(d: std::time::Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

/// An organization as the JS `Organization`, its timestamps as RFC 3339 text.
fn organization_json(o: &scaleway_partner::Organization) -> serde_json::Value {
    serde_json::json!({
        "id": o.id,
        "name": o.name,
        "email": o.email,
        "status": o.status.as_str(),
        "lockedBy": o.locked_by.as_str(),
        "lockedAt": o.locked_at.map(|t| t.to_rfc3339()),
        "lockReasonMessage": o.lock_reason_message,
        "createdAt": o.created_at.map(|t| t.to_rfc3339()),
        "customerId": o.customer_id,
        "ownerFirstname": o.owner_firstname,
        "ownerLastname": o.owner_lastname,
        "phoneNumber": o.phone_number,
        "pictureLink": o.picture_link,
        "sirenNumber": o.siren_number,
        "comment": o.comment,
    })
}

/// The payload as JSON (for bulk results, where errors are values, not rejections).
pub fn payload_json(e: &Error) -> String {
    serde_json::to_string(&ErrorPayload::from(e)).unwrap_or_else(|_| {
        // Serializing plain strings and numbers cannot fail; keep a usable answer anyway.
        format!(
            r#"{{"code":"{}","message":"unserializable error"}}"#,
            e.kind()
        )
    })
}

/// A core error as a napi error the JS layer converts.
pub fn to_napi(e: Error) -> napi::Error {
    napi::Error::new(
        napi::Status::GenericFailure,
        format!("{PAYLOAD_MARKER}{}", payload_json(&e)),
    )
}

/// Shorthand for `.map_err(to_napi)`.
pub trait IntoNapi<T> {
    fn napi(self) -> napi::Result<T>;
}

impl<T> IntoNapi<T> for Result<T, Error> {
    fn napi(self) -> napi::Result<T> {
        self.map_err(to_napi)
    }
}

/// A wrong JS argument (type or range) that the core cannot see: a `TypeError` on the JS side.
pub fn invalid_arg(message: impl Into<String>) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, message.into())
}
