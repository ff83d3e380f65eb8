//! The core's errors as instances of the exception classes of `scaleway_partner._errors` (one
//! class per kind code, defined in Python so that some can also be `ValueError` or
//! `TimeoutError`), and the core's table of those kinds, which a test holds the classes to.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use scaleway_partner::{AttributeValue, Error};

/// The Python factory `_errors._from_native(class_name, code, message, attributes)`.
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

/// An exception instance of the contract's class for this error, with its kind's attributes
/// as the core's table names them (durations in seconds).
pub fn error_object<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let attrs = PyDict::new(py);
    for (name, value) in err.attributes() {
        attrs.set_item(name, attribute(py, value)?)?;
    }
    let class = scaleway_partner::class_for_code(err.kind().as_str(), err.status_code());
    factory(py)?.call1((
        class,
        err.kind().as_str(),
        crate::names::message(err),
        attrs,
    ))
}

fn attribute<'py>(py: Python<'py>, value: AttributeValue<'_>) -> PyResult<Bound<'py, PyAny>> {
    let none = || Ok(py.None().into_bound(py));
    match value {
        AttributeValue::Count(n) => Ok(n.into_pyobject(py)?.into_any()),
        AttributeValue::Text(t) => Ok(t.into_pyobject(py)?.into_any()),
        AttributeValue::Duration(d) => Ok(d.map(|d| d.as_secs_f64()).into_pyobject(py)?.into_any()),
        AttributeValue::TextList(list) => Ok(list.into_pyobject(py)?.into_any()),
        AttributeValue::Details(details) => match details.and_then(|d| d.list_json()) {
            Some(list) => crate::convert::json_value(py, &list),
            None => none(),
        },
        AttributeValue::Undecodable(Some(records)) => {
            crate::convert::undecodable(py, records).map(Bound::into_any)
        }
        AttributeValue::Organizations(Some(orgs)) => {
            crate::convert::organizations(py, orgs).map(Bound::into_any)
        }
        // The failure behind it, as an instance of its own class (built the same way).
        AttributeValue::Cause(Some(cause)) => error_object(py, cause),
        _ => none(),
    }
}

/// The core's table of error kinds (code, class name, parent, status, attributes), as JSON.
#[pyfunction]
pub fn error_kinds() -> String {
    serde_json::to_string(&scaleway_partner::error_kinds()).expect("the table serializes")
}

/// The exception to raise for this error: for a call a progress callback stopped, the very
/// exception the callback raised (the core carries it).
pub fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    if let Some(raised) = raised(py, err) {
        return raised;
    }
    match error_object(py, err) {
        Ok(obj) => PyErr::from_value(obj),
        Err(e) => e,
    }
}

/// The exception of a call cut short, with what it did as its attribute `name`; for a call a
/// progress callback stopped, the callback's own exception, unchanged.
pub fn interrupted<'py>(
    py: Python<'py>,
    err: &Error,
    name: &str,
    done: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
) -> PyErr {
    if let Some(raised) = raised(py, err) {
        return raised;
    }
    let with_done = || {
        let obj = error_object(py, err)?;
        obj.setattr(name, done()?)?;
        Ok(PyErr::from_value(obj))
    };
    with_done().unwrap_or_else(|e| e)
}

/// What a progress callback raised when it stopped the call (see `runtime`'s callbacks).
fn raised(py: Python<'_>, err: &Error) -> Option<PyErr> {
    Some(err.raised()?.downcast_ref::<PyErr>()?.clone_ref(py))
}

/// A local validation error of the binding's own argument conversion, in the core's terms.
pub fn validation(field: &str, message: impl Into<String>) -> Error {
    Error::Validation {
        field: field.to_owned(),
        message: scaleway_partner::Message::from(message.into()),
    }
}
