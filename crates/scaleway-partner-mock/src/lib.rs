//! A faithful local emulator of the Scaleway Partner API, for tests, demos and benchmarks.
//!
//! ```no_run
//! # async fn demo() -> Result<(), scaleway_partner_mock::MockError> {
//! use scaleway_partner_mock::{MockConfig, MockServer};
//! let server = MockServer::start(MockConfig::default()).await?;
//! println!("{} {}", server.url(), server.organization_id());
//! server.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod api;
mod config;
mod control;
mod emulator;
mod errors;
mod faults;
mod latency;
mod operation;
mod persist;
mod ratelimit;
pub mod redis_server;
mod router;
mod seed;
mod server;
mod state;
mod stats;
mod validation;
mod wire;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;

pub use config::{Latency, MockConfig, Partner, RateLimitStyle, SirenStyle};
pub use errors::MockError;
pub use faults::{FaultKind, FaultPlan, FaultProbabilities, RateLimitHeaders, ScriptedFault};
pub use operation::Operation;
pub use redis_server::RedisServer;
pub use stats::Stats;
pub use wire::RawPatch;

use emulator::Emulator;

/// A running emulator. Dropping it stops the server too.
pub struct MockServer {
    url: String,
    address: SocketAddr,
    emulator: Arc<Emulator>,
    stop: Option<watch::Sender<bool>>,
    task: Option<JoinHandle<()>>,
    ca_pem: Option<String>,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("url", &self.url)
            .field("partners", &self.emulator.config.partners)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts the emulator on `config.listen` inside the current tokio runtime (any flavour).
    pub async fn start(config: MockConfig) -> Result<MockServer, MockError> {
        let emulator = Arc::new(Emulator::new(config)?);
        let listen = emulator.config.listen;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|source| MockError::Bind {
                addr: listen,
                source,
            })?;
        let address = listener.local_addr().map_err(|source| MockError::Bind {
            addr: listen,
            source,
        })?;
        let router = router::build(Arc::clone(&emulator));
        let tls = if emulator.config.tls {
            Some(server::Tls::generate()?)
        } else {
            None
        };
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(
            listener,
            router,
            Arc::clone(&emulator),
            tls.as_ref().map(|t| t.acceptor.clone()),
            stopped,
        ));
        let scheme = if tls.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{address}");
        tracing::info!(%url, partners = emulator.config.partners.len(), "emulator listening");
        Ok(MockServer {
            url,
            address,
            emulator,
            stop: Some(stop),
            task: Some(task),
            ca_pem: tls.map(|t| t.ca_pem),
        })
    }

    /// With `tls`, the PEM certificate of the authority that signed the server's certificate:
    /// what a client must trust to reach [`url`](Self::url). `None` without `tls`.
    pub fn ca_certificate_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// Base URL, e.g. `http://127.0.0.1:40123` (`https://` with `tls`; no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The address the server listens on (with the actual port when `listen` asked for 0).
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Secret key of the first partner.
    pub fn secret_key(&self) -> &str {
        &self.partners()[0].secret_key
    }

    /// Organization ID of the first partner (the `partner_id` of its creations).
    pub fn organization_id(&self) -> &str {
        &self.partners()[0].organization_id
    }

    /// Every partner, in configuration order (the generated one when none was given).
    pub fn partners(&self) -> &[Partner] {
        &self.emulator.config.partners
    }

    /// A snapshot of the request counters, same as GET /_mock/stats.
    pub fn stats(&self) -> Stats {
        self.emulator.stats.snapshot()
    }

    /// Zeroes the counters (requests still in flight stay counted as such), same as
    /// POST /_mock/stats/reset.
    pub fn reset_stats(&self) {
        self.emulator.stats.reset();
    }

    /// Same as POST /_mock/faults; out-of-range values are clamped rather than refused.
    pub fn inject_faults(&self, plan: FaultPlan) {
        self.emulator.faults.inject(plan);
    }

    /// Drops scripted faults and sets every probability to zero.
    pub fn clear_faults(&self) {
        self.emulator.faults.clear();
    }

    /// The owner validated the email: lifts the `validate_email` lock. False when no
    /// organization (of any partner) has this ID.
    pub fn validate_email(&self, organization_id: &str) -> bool {
        self.change(organization_id, |e, id| e.validate_email(id).is_some())
    }

    /// Same as PATCH /_mock/organizations/{id}. False when no organization has this ID.
    pub fn patch_raw(&self, organization_id: &str, patch: RawPatch) -> bool {
        self.change(organization_id, |e, id| e.patch_raw(id, patch).is_some())
    }

    fn change(&self, organization_id: &str, f: impl FnOnce(&Emulator, Uuid) -> bool) -> bool {
        let Ok(id) = Uuid::try_parse(organization_id) else {
            return false;
        };
        let found = f(&self.emulator, id);
        if found && let Err(e) = self.emulator.persist_now() {
            tracing::error!(error = %e, "cannot persist the state");
        }
        found
    }

    /// Back to the initial (seeded or loaded) state, stats and faults cleared, late writes
    /// of `apply_late` faults still pending dropped.
    pub fn reset(&self) {
        self.emulator.reset();
        if let Err(e) = self.emulator.persist_now() {
            tracing::error!(error = %e, "cannot persist the state");
        }
    }

    /// Stops accepting, lets open requests finish (up to a few seconds), and returns. Late
    /// writes of `apply_late` faults still pending are dropped.
    pub async fn shutdown(mut self) {
        self.emulator.drop_late_writes();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(task) = self.task.take()
            && let Err(e) = task.await
        {
            tracing::warn!(error = %e, "emulator task failed");
        }
        tracing::info!(url = %self.url, "emulator stopped");
    }
}

// Bindings keep the server in objects shared across threads.
const _: fn() = || {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<MockServer>();
    shareable::<MockConfig>();
};

impl Drop for MockServer {
    fn drop(&mut self) {
        // The accept loop sees the signal (or the dropped sender) and drains on its own.
        if let Some(stop) = self.stop.take() {
            self.emulator.drop_late_writes();
            let _ = stop.send(true);
        }
    }
}
