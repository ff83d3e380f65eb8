//! `client.audit(...)`: the core's audit, handed to Python as its JSON form (the package's
//! `AuditReport.from_dict` types it) plus the organizations, converted like other values; a
//! saved report read back, and the diff of two reports, both by the core.

use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use scaleway_partner::{AuditOptions, AuditReport, Client, DEFAULT_STUCK_AFTER_DAYS, Error};

use crate::convert;
use crate::errors::to_py_err;
use crate::runtime::{self, Flavor, callable_arg};

/// Runs the audit in the given flavor; the result is `(json_text, [Organization, ...])`.
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

/// A saved report (its JSON form, version checked by the core), as `client.audit` returns one.
#[pyfunction]
pub fn audit_read(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    let report = py.detach(|| AuditReport::from_json(text));
    report_out(py, report)
}

/// The JSON form of `report.diff(previous)`, both given in their JSON form.
#[pyfunction]
pub fn audit_diff(py: Python<'_>, report: &str, previous: &str) -> PyResult<String> {
    py.detach(|| {
        let report = AuditReport::from_json(report)?;
        let previous = AuditReport::from_json(previous)?;
        let diff = report.diff(&previous)?;
        serde_json::to_string(&diff).map_err(|e| Error::Validation {
            field: "report".into(),
            message: e.to_string().into(),
        })
    })
    .map_err(|e| to_py_err(py, &e))
}

fn report_out(py: Python<'_>, r: Result<AuditReport, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, mut report| {
        let organizations = std::mem::take(&mut report.organizations);
        // Serializing is pure Rust work: let other Python threads run meanwhile.
        let json = py
            .detach(|| serde_json::to_string(&report))
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        drop(report);
        let orgs = convert::organizations_owned(py, organizations)?;
        Ok(
            PyTuple::new(py, [json.into_pyobject(py)?.into_any(), orgs.into_any()])?
                .into_any()
                .unbind(),
        )
    })
}
