//! The core's errors as instances of the exception classes of `scaleway_partner._errors` (one
//! class per kind code, defined in Python so that some can also be `ValueError` or
//! `TimeoutError`), and the core's table of those kinds, which a test holds the classes to.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use scaleway_partner::{ApiErrorDetails, Error};

/// The Python factory `_errors._from_native(code, message, attributes)`.
fn factory(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static FACTORY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    FACTORY
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("scaleway_partner._errors")?
                    .getattr("_from_native")?
                    .unbind(),
            )
        })
        .map(|f| f.bind(py))
}

/// An exception instance of the contract's class for this error, with its attributes.
pub fn error_object<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let attrs = PyDict::new(py);
    attrs.set_item("status_code", err.status_code())?;
    attrs.set_item("request_id", err.request_id())?;
    attrs.set_item("type", err.error_type())?;
    attrs.set_item("body", err.body())?;
    attrs.set_item("field", err.field())?;
    attrs.set_item("customer_id", err.customer_id())?;
    attrs.set_item("email", err.email())?;
    attrs.set_item("organization_ids", err.organization_ids())?;
    attrs.set_item("location_host", err.location_host())?;
    attrs.set_item("attempts", err.attempts())?;
    attrs.set_item("elapsed", err.elapsed().map(|d| d.as_secs_f64()))?;
    attrs.set_item("results", py.None())?;
    match (err.undecodable(), err.organizations()) {
        (Some(records), Some(orgs)) => {
            attrs.set_item("undecodable", crate::convert::undecodable(py, records)?)?;
            attrs.set_item("organizations", crate::convert::organizations(py, orgs)?)?;
        }
        _ => {
            attrs.set_item("undecodable", py.None())?;
            attrs.set_item("organizations", py.None())?;
        }
    }
    match err.cause() {
        // The failure behind it, as an instance of its own class (built the same way).
        Some(cause) => attrs.set_item("cause", error_object(py, cause)?)?,
        None => attrs.set_item("cause", py.None())?,
    }
    if let Some(api) = err.api() {
        attrs.set_item("resource", api.details.resource())?;
        attrs.set_item("resource_id", api.details.resource_id())?;
        attrs.set_item("precondition", api.details.precondition())?;
        attrs.set_item("help_message", api.details.help_message())?;
        match &api.details {
            ApiErrorDetails::InvalidArguments(args) => {
                let list = PyList::empty(py);
                for a in args {
                    let d = PyDict::new(py);
                    d.set_item("argument_name", &a.argument_name)?;
                    d.set_item("reason", &a.reason)?;
                    d.set_item("help_message", &a.help_message)?;
                    list.append(d)?;
                }
                attrs.set_item("details", list)?;
            }
            ApiErrorDetails::PermissionsDenied(resources)
            | ApiErrorDetails::QuotasExceeded(resources) => {
                let list = PyList::empty(py);
                for r in resources {
                    // The same keys as the API's JSON: absent ones are left out.
                    let d = PyDict::new(py);
                    d.set_item("resource", &r.resource)?;
                    if let Some(a) = &r.action {
                        d.set_item("action", a)?;
                    }
                    if let Some(q) = r.quota {
                        d.set_item("quota", q)?;
                    }
                    if let Some(c) = r.current {
                        d.set_item("current", c)?;
                    }
                    list.append(d)?;
                }
                attrs.set_item("details", list)?;
            }
            _ => {}
        }
        attrs.set_item("retry_after", api.retry_after.map(|d| d.as_secs_f64()))?;
    }
    factory(py)?.call1((err.kind().as_str(), crate::names::message(err), attrs))
}

/// The core's table of error kinds (code, class name, parent, status, attributes), as JSON.
#[pyfunction]
pub fn error_kinds() -> String {
    serde_json::to_string(&scaleway_partner::error_kinds()).expect("the table serializes")
}

/// The exception to raise for this error.
pub fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    match error_object(py, err) {
        Ok(obj) => PyErr::from_value(obj),
        Err(e) => e,
    }
}

/// A local validation error of the binding's own argument conversion, in the core's terms.
pub fn validation(field: &str, message: impl Into<String>) -> Error {
    Error::Validation {
        field: field.to_owned(),
        message: scaleway_partner::Message::from(message.into()),
    }
}
