//! The embedded emulator for `scaleway_partner/testing`. Configuration, fault plans and patches
//! arrive as JSON in the emulator's own (snake_case) form; the JS layer maps camelCase keys.

use std::sync::Mutex;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use scaleway_partner_mock::{FaultPlan, FaultProbabilities, MockConfig, MockServer, RawPatch};
use serde::de::DeserializeOwned;

use crate::errors::invalid_arg;

fn parse<T: DeserializeOwned>(what: &str, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| invalid_arg(format!("invalid {what}: {e}")))
}

/// A running emulator; stopped by `close()` or when it is garbage-collected.
#[napi]
#[derive(Debug)]
pub struct NativeMockServer {
    server: Mutex<Option<MockServer>>,
    url: String,
    secret_key: String,
    organization_id: String,
    ca_certificate_pem: Option<String>,
}

impl NativeMockServer {
    fn with<T>(&self, f: impl FnOnce(&MockServer) -> T) -> Result<T> {
        let guard = self.server.lock().unwrap_or_else(|p| p.into_inner());
        match guard.as_ref() {
            Some(server) => Ok(f(server)),
            None => Err(Error::from_reason("the MockServer is closed")),
        }
    }
}

#[napi]
impl NativeMockServer {
    /// Starts an emulator on the binding's runtime; `config` is a MockConfig as JSON.
    #[napi]
    pub async fn start(config: String) -> Result<NativeMockServer> {
        let config: MockConfig = parse("MockServer config", &config)?;
        let server = MockServer::start(config)
            .await
            .map_err(|e| Error::from_reason(format!("cannot start the emulator: {e}")))?;
        Ok(NativeMockServer {
            url: server.url().to_owned(),
            secret_key: server.secret_key().to_owned(),
            organization_id: server.organization_id().to_owned(),
            ca_certificate_pem: server.ca_certificate_pem().map(str::to_owned),
            server: Mutex::new(Some(server)),
        })
    }

    /// `{config, fault_plan}`: a configuration and a fault plan with every field at its default,
    /// as JSON: the keys the JS layer accepts.
    #[napi]
    pub fn defaults() -> Result<String> {
        let fault_plan = FaultPlan {
            probabilities: Some(FaultProbabilities::default()),
            ..FaultPlan::default()
        };
        let defaults =
            serde_json::json!({ "config": MockConfig::default(), "fault_plan": fault_plan });
        Ok(defaults.to_string())
    }

    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// With `tls`, the PEM certificate of the authority that signed the server's certificate.
    #[napi(getter)]
    pub fn ca_certificate_pem(&self) -> Option<String> {
        self.ca_certificate_pem.clone()
    }

    #[napi(getter)]
    pub fn secret_key(&self) -> String {
        self.secret_key.clone()
    }

    #[napi(getter)]
    pub fn organization_id(&self) -> String {
        self.organization_id.clone()
    }

    /// Every partner as JSON (`[{secret_key, organization_id}]`).
    #[napi]
    pub fn partners(&self) -> Result<String> {
        self.with(|s| {
            let list: Vec<_> = s
                .partners()
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "secret_key": p.secret_key,
                        "organization_id": p.organization_id,
                    })
                })
                .collect();
            serde_json::Value::Array(list).to_string()
        })
    }

    /// The emulator's counters as JSON.
    #[napi]
    pub fn stats(&self) -> Result<String> {
        self.with(|s| serde_json::to_string(&s.stats()))?
            .map_err(|e| Error::from_reason(e.to_string()))
    }

    #[napi]
    pub fn reset_stats(&self) -> Result<()> {
        self.with(MockServer::reset_stats)
    }

    /// `plan` is a FaultPlan as JSON.
    #[napi]
    pub fn inject_faults(&self, plan: String) -> Result<()> {
        let plan: FaultPlan = parse("fault plan", &plan)?;
        self.with(|s| s.inject_faults(plan))
    }

    #[napi]
    pub fn clear_faults(&self) -> Result<()> {
        self.with(MockServer::clear_faults)
    }

    /// False when there is no such organization.
    #[napi]
    pub fn validate_email(&self, organization_id: String) -> Result<bool> {
        self.with(|s| s.validate_email(&organization_id))
    }

    /// `patch` is a RawPatch as JSON; false when there is no such organization.
    #[napi]
    pub fn patch_raw(&self, organization_id: String, patch: String) -> Result<bool> {
        let patch: RawPatch = parse("raw patch", &patch)?;
        self.with(|s| s.patch_raw(&organization_id, patch))
    }

    #[napi]
    pub fn reset(&self) -> Result<()> {
        self.with(MockServer::reset)
    }

    /// Stops the server gracefully; closing twice is harmless.
    #[napi]
    pub async fn close(&self) -> Result<()> {
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            server.shutdown().await;
        }
        Ok(())
    }
}
