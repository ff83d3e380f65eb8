//! The embedded emulator (`scaleway_partner.testing.MockServer`), running in-process on the
//! binding's runtime. Settings, fault plans, patches and statistics cross the boundary as JSON
//! text, decoded by the emulator's own serde types.

use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use scaleway_partner_mock::{FaultPlan, MockConfig, RawPatch};

use crate::runtime::{self, block_on};

/// A running emulator.
#[derive(Debug)]
#[pyclass(frozen, name = "MockServer", module = "scaleway_partner._native")]
pub struct NativeMockServer {
    server: Mutex<Option<scaleway_partner_mock::MockServer>>,
    url: String,
    partners: Vec<(String, String)>,
    rate_limit: u32,
    ca_certificate_pem: Option<String>,
}

/// Decodes settings given as JSON: a value of the wrong type is a `TypeError`, any other
/// mistake a `ValueError`.
fn json_arg<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        let message = format!("invalid {what}: {e}");
        if e.to_string().starts_with("invalid type") {
            PyTypeError::new_err(message)
        } else {
            PyValueError::new_err(message)
        }
    })
}

impl NativeMockServer {
    fn with<R>(&self, f: impl FnOnce(&scaleway_partner_mock::MockServer) -> R) -> PyResult<R> {
        let guard = self.server.lock().expect("mock server lock");
        match guard.as_ref() {
            Some(s) => Ok(f(s)),
            None => Err(PyRuntimeError::new_err("the emulator is closed")),
        }
    }
}

#[pymethods]
impl NativeMockServer {
    /// Starts an emulator with the given `MockConfig` (JSON; missing fields take their defaults).
    #[new]
    fn new(py: Python<'_>, config: &str) -> PyResult<Self> {
        let config: MockConfig = json_arg("emulator settings", config)?;
        let rate_limit = config.rate_limit;
        let server = block_on(py, scaleway_partner_mock::MockServer::start(config))?
            .map_err(|e| PyValueError::new_err(format!("cannot start the emulator: {e}")))?;
        Ok(NativeMockServer {
            url: server.url().to_owned(),
            partners: server
                .partners()
                .iter()
                .map(|p| (p.secret_key.clone(), p.organization_id.clone()))
                .collect(),
            rate_limit,
            ca_certificate_pem: server.ca_certificate_pem().map(str::to_owned),
            server: Mutex::new(Some(server)),
        })
    }

    /// `http://127.0.0.1:PORT`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// `(secret_key, organization_id)` of every partner, the first being the default one.
    #[getter]
    fn partners(&self) -> Vec<(String, String)> {
        self.partners.clone()
    }

    /// With `tls`, the PEM certificate of the authority that signed the server's certificate.
    #[getter]
    fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_certificate_pem.as_deref()
    }

    /// Requests per second per key (0: no limit).
    #[getter]
    fn rate_limit(&self) -> u32 {
        self.rate_limit
    }

    #[getter]
    fn closed(&self) -> bool {
        self.server.lock().expect("mock server lock").is_none()
    }

    /// The statistics, as JSON.
    fn stats(&self) -> PyResult<String> {
        self.with(|s| serde_json::to_string(&s.stats()))?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    fn reset_stats(&self) -> PyResult<()> {
        self.with(|s| s.reset_stats())
    }

    /// Scripted and probabilistic faults (a `FaultPlan` as JSON).
    fn inject_faults(&self, plan: &str) -> PyResult<()> {
        let plan: FaultPlan = json_arg("fault plan", plan)?;
        self.with(|s| s.inject_faults(plan))
    }

    fn clear_faults(&self) -> PyResult<()> {
        self.with(|s| s.clear_faults())
    }

    /// Removes the `validate_email` lock; False when there is no such organization.
    fn validate_email(&self, organization_id: &str) -> PyResult<bool> {
        self.with(|s| s.validate_email(organization_id))
    }

    /// Overrides applied to the organization's rendered JSON (a `RawPatch` as JSON).
    fn patch_raw(&self, organization_id: &str, patch: &str) -> PyResult<bool> {
        let patch: RawPatch = json_arg("patch", patch)?;
        self.with(|s| s.patch_raw(organization_id, patch))
    }

    /// Back to the initial (seeded) state; statistics and faults cleared.
    fn reset(&self) -> PyResult<()> {
        self.with(|s| s.reset())
    }

    /// Stops the server (gracefully, for at most a few seconds). Idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let server = self.server.lock().expect("mock server lock").take();
        if let Some(server) = server {
            block_on(py, async move {
                let _ = tokio::time::timeout(Duration::from_secs(5), server.shutdown()).await;
            })?;
        }
        Ok(())
    }
}

impl Drop for NativeMockServer {
    fn drop(&mut self) {
        let server = match self.server.get_mut() {
            Ok(s) => s.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        // Stopping the server's tasks needs the runtime's context.
        let _guard = runtime::runtime().enter();
        drop(server);
    }
}
