//! `client.audit(...)`: the core's audit handed to Python as native values built from its serde
//! types (dicts keyed by the core's field names, `datetime`s, lists; `scaleway_partner.audit`
//! gives them their classes) plus the organizations, converted like other values. A saved
//! report read back, and the diff and lock plans of reports, all by the core.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use scaleway_partner::tree::{Build, BuildError, build};
use scaleway_partner::{AuditOptions, AuditReport, Client, DEFAULT_STUCK_AFTER_DAYS, Error};
use serde::Serialize;
use serde_json::Value;

use crate::convert;
use crate::errors::to_py_err;
use crate::runtime::{self, Flavor, callable_arg};

/// Runs the audit in the given flavor; the result is `(report, [Organization, ...])`, the
/// report a dict without its organizations.
pub fn audit(
    py: Python<'_>,
    flavor: Flavor,
    client: Client,
    stuck_after_days: Option<i64>,
    now: Option<DateTime<Utc>>,
    on_progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let on_progress = callable_arg("on_progress", on_progress)?;
    let stuck_after_days = convert::count::<u32>("stuck_after_days", stuck_after_days)
        .map_err(|e| to_py_err(py, &e))?
        .unwrap_or(DEFAULT_STUCK_AFTER_DAYS);
    runtime::call(
        py,
        flavor,
        move |progress| async move {
            client
                .audit(AuditOptions {
                    stuck_after_days,
                    now,
                    progress,
                })
                .await
        },
        on_progress,
        Box::new(report_out),
    )
}

/// A saved report (its JSON text, version checked by the core), as `client.audit` returns one.
#[pyfunction]
pub fn audit_read(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let report = py.detach(|| AuditReport::from_json(text));
    report_out(py, report)
}

/// A report given as its dict form (`AuditReport.to_dict`), as `client.audit` returns one.
#[pyfunction]
pub fn audit_from_dict(py: Python<'_>, report: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let report = report_in(report)?;
    report_out(py, Ok(report))
}

/// An RFC 3339 timestamp of a report's JSON form, read by the core (any fraction, `Z` or an
/// offset: more than Python 3.9's `fromisoformat` takes).
#[pyfunction]
pub fn timestamp(text: &str) -> PyResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| PyValueError::new_err(format!("not an RFC 3339 timestamp: {text:?} ({e})")))
}

/// `report.diff(previous)`, both given as their dict form with their organizations.
#[pyfunction]
pub fn audit_diff(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
    previous: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let (report, previous) = (report_in(report)?, report_in(previous)?);
    let diff = py.detach(|| report.diff(&previous));
    convert::result(py, diff, |py, diff| native(py, &diff))
}

/// The core's report from its dict form: no JSON text on the way.
pub fn report_in(report: &Bound<'_, PyAny>) -> PyResult<AuditReport> {
    AuditReport::from_value(value_of(report)?).map_err(|e| to_py_err(report.py(), &e))
}

fn report_out(py: Python<'_>, r: Result<AuditReport, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, mut report| {
        let organizations = std::mem::take(&mut report.organizations);
        let summary = native(py, &report)?;
        drop(report);
        let orgs = convert::organizations_owned(py, organizations)?;
        Ok(PyTuple::new(py, [summary, orgs.into_any().unbind()])?
            .into_any()
            .unbind())
    })
}

/// A core value as Python's: structs and maps as dicts, timestamps as `datetime`s.
fn native(py: Python<'_>, value: &impl Serialize) -> PyResult<Py<PyAny>> {
    let builder = Builder {
        py,
        fields: RefCell::new(HashMap::new()),
    };
    match build(&builder, value) {
        Ok(v) => Ok(v.unbind()),
        Err(BuildError::Build(e)) => Err(e),
        Err(e) => Err(PyTypeError::new_err(e.to_string())),
    }
}

/// Makes Python values, each field name once (as `json.loads` shares its keys): a report holds
/// a dict per finding.
struct Builder<'py> {
    py: Python<'py>,
    fields: RefCell<HashMap<&'static str, Bound<'py, PyString>>>,
}

impl<'py> Build for Builder<'py> {
    type Value = Bound<'py, PyAny>;
    type Error = PyErr;
    fn null(&self) -> PyResult<Self::Value> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn bool(&self, v: bool) -> PyResult<Self::Value> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }
    fn int(&self, v: i64) -> PyResult<Self::Value> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn uint(&self, v: u64) -> PyResult<Self::Value> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn float(&self, v: f64) -> PyResult<Self::Value> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn str(&self, v: &str) -> PyResult<Self::Value> {
        Ok(PyString::new(self.py, v).into_any())
    }
    fn time(&self, v: DateTime<Utc>) -> PyResult<Self::Value> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn list(&self, items: Vec<Self::Value>) -> PyResult<Self::Value> {
        Ok(PyList::new(self.py, items)?.into_any())
    }
    fn map(&self, entries: Vec<(String, Self::Value)>) -> PyResult<Self::Value> {
        let dict = PyDict::new(self.py);
        for (k, v) in entries {
            dict.set_item(k, v)?;
        }
        Ok(dict.into_any())
    }
    fn record(&self, fields: Vec<(&'static str, Self::Value)>) -> PyResult<Self::Value> {
        let dict = PyDict::new(self.py);
        let mut names = self.fields.borrow_mut();
        for (k, v) in fields {
            let key = names
                .entry(k)
                .or_insert_with(|| PyString::intern(self.py, k));
            dict.set_item(&*key, v)?;
        }
        Ok(dict.into_any())
    }
}

/// A Python value of JSON's kinds (and `datetime`s) as a JSON value, without JSON text.
fn value_of(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    Ok(if obj.is_none() {
        Value::Null
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Value::Bool(b.is_true())
    } else if obj.is_instance_of::<PyInt>() {
        match obj.extract::<i64>() {
            Ok(i) => i.into(),
            Err(_) => obj.extract::<u64>()?.into(),
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        serde_json::Number::from_f64(f.value()).map_or(Value::Null, Value::Number)
    } else if let Ok(s) = obj.cast::<PyString>() {
        Value::String(s.to_cow()?.into_owned())
    } else if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            map.insert(k.extract::<String>()?, value_of(&v)?);
        }
        Value::Object(map)
    } else if let Ok(t) = obj.extract::<DateTime<Utc>>() {
        Value::String(t.to_rfc3339())
    } else if let Ok(items) = obj.try_iter() {
        Value::Array(items.map(|i| value_of(&i?)).collect::<PyResult<_>>()?)
    } else {
        return Err(PyTypeError::new_err(format!(
            "not a value of an audit report: {}",
            obj.get_type().name()?
        )));
    })
}
