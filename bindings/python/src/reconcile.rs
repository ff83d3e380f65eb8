//! `client.plan(...)` and `client.apply(...)`: the core's plan and apply, handed over as their
//! JSON documents (the package's `Plan` and `ApplyOutcome` read them); the plan's text is the
//! core's.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use scaleway_partner::{
    ApplyInterrupted, ApplyOptions, ApplyOutcome, CallOptions, CancellationToken, Client, Desired,
    Error, Plan, PlanOptions,
};

use crate::convert;
use crate::errors::to_py_err;
use crate::runtime::{self, Flavor};

fn text_out(py: Python<'_>, r: Result<String, Error>) -> PyResult<Py<PyAny>> {
    convert::result(py, r, |py, s| Ok(s.into_pyobject(py)?.into_any().unbind()))
}

/// Plans the records (a JSON array of mappings) against the book; the plan's JSON text.
pub fn plan(
    py: Python<'_>,
    flavor: Flavor,
    client: Client,
    records: &str,
    lock_unclaimed: bool,
    on_progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let values: Vec<serde_json::Value> = serde_json::from_str(records)
        .map_err(|e| PyValueError::new_err(format!("records are not a JSON array: {e}")))?;
    let desired = Desired::from_values(&values).map_err(|e| to_py_err(py, &e))?;
    runtime::call(
        py,
        flavor,
        move |progress| async move {
            let options = PlanOptions {
                lock_unclaimed,
                progress,
            };
            client.plan(&desired, options).await.map(|p| p.to_json())
        },
        on_progress,
        Box::new(text_out),
    )
}

/// Applies a plan (its JSON text) with `client`, whose calls `cancel` cancels, and `options`
/// (their progress the call's `on_progress`); the outcome's JSON text. An interrupted apply
/// (cancelled, Ctrl-C, past its total timeout) raises the core's error with the outcome so far
/// in `outcome` (the journal has it too).
pub fn apply(
    py: Python<'_>,
    flavor: Flavor,
    client: Client,
    cancel: CancellationToken,
    plan: &str,
    options: ApplyOptions,
    on_progress: Option<Py<PyAny>>,
) -> PyResult<Py<PyAny>> {
    let plan = Plan::from_json(plan).map_err(|e| to_py_err(py, &e))?;
    let client = client.with_options(CallOptions {
        cancel: Some(cancel.clone()),
        ..CallOptions::default()
    });
    runtime::call_cancellable(
        py,
        flavor,
        cancel,
        move |progress| async move {
            let options = ApplyOptions {
                progress,
                ..options
            };
            client.apply(&plan, options).await
        },
        on_progress,
        Box::new(apply_out),
    )
}

/// The outcome's JSON text, or the interruption's error with the outcome (the package's
/// `ApplyOutcome`) in `outcome`.
fn apply_out(py: Python<'_>, r: Result<ApplyOutcome, Error>) -> PyResult<Py<PyAny>> {
    let ApplyInterrupted { error, outcome } = match r.map(ApplyOutcome::into_result) {
        Ok(Ok(outcome)) => return text_out(py, Ok(outcome.to_value().to_string())),
        Ok(Err(interrupted)) => *interrupted,
        Err(e) => return Err(to_py_err(py, &e)),
    };
    Err(crate::errors::interrupted(py, &error, "outcome", || {
        let document = py
            .import("json")?
            .call_method1("loads", (outcome.to_value().to_string(),))?;
        py.import("scaleway_partner._reconcile")?
            .getattr("ApplyOutcome")?
            .call1((document,))
    }))
}

/// The plan's text (counts, actions with their field changes, what is left alone).
#[pyfunction]
pub fn plan_text(py: Python<'_>, plan: &str) -> PyResult<String> {
    Plan::from_json(plan)
        .map(|p| p.to_string())
        .map_err(|e| to_py_err(py, &e))
}

/// The core's dry run of locking (`lock`) or unlocking the organizations of a report (its dict
/// form, with its organizations) picked by ID: the plan's JSON text; nothing is sent.
#[pyfunction]
pub fn plan_locks(
    py: Python<'_>,
    report: &Bound<'_, PyAny>,
    ids: Vec<String>,
    lock: bool,
) -> PyResult<String> {
    let report = crate::audit::report_in(report)?;
    py.detach(|| report.plan_locks(&ids, lock))
        .map(|plan| plan.to_json())
        .map_err(|e| to_py_err(py, &e))
}
