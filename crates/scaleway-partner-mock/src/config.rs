//! The emulator's options (library `MockConfig`, mirrored by the binary's flags).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::errors::MockError;
use crate::faults::FaultProbabilities;

/// A partner account: the secret key it authenticates with and its own organization ID.
/// In JSON: `{"secret_key": "…", "organization_id": "…"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    /// The key requests send in `X-Auth-Token`: a hyphenated UUID, compared regardless of
    /// case. JSON `secret_key`.
    pub secret_key: String,
    /// The partner's own organization ID (a hyphenated UUID), the `partner_id` of the
    /// organizations it creates. JSON `organization_id`.
    pub organization_id: String,
}

impl Partner {
    /// A partner with a fresh random secret key and organization ID.
    pub fn generate() -> Partner {
        Partner {
            secret_key: Uuid::new_v4().to_string(),
            organization_id: Uuid::new_v4().to_string(),
        }
    }
}

// The secret key manages every customer organization: it must never reach a log.
impl fmt::Debug for Partner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Partner")
            .field("secret_key", &"<redacted>")
            .field("organization_id", &self.organization_id)
            .finish()
    }
}

/// Simulated service time of each /partner/v1 request (control endpoints are never delayed).
/// `create_ms`, when non-zero, replaces `base_ms` for creations (the real service takes about
/// 1.1 s to create and 70 to 120 ms for the rest). The default is no delay at all.
///
/// In JSON (`MockConfig`'s `latency`): `{"base_ms": 70, "jitter_ms": 50, "create_ms": 1100}`,
/// any key may be left out (0).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Latency {
    /// Delay of every request, in ms; default 0. JSON `base_ms`.
    pub base_ms: u64,
    /// Upper bound of a uniformly drawn extra delay added to every request (creations
    /// included), in ms; default 0. JSON `jitter_ms`.
    pub jitter_ms: u64,
    /// Delay of a creation in ms, instead of `base_ms`; default 0 (creations take `base_ms`).
    /// JSON `create_ms`.
    pub create_ms: u64,
}

impl Latency {
    /// Timings close to the recorded traffic.
    pub fn realistic() -> Latency {
        Latency {
            base_ms: 70,
            jitter_ms: 50,
            create_ms: 1100,
        }
    }
}

/// How a rate-limited request is answered. JSON `"gateway"` (the default) or `"json"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateLimitStyle {
    /// What the real gateway sent: 429, `x-envoy-ratelimited: true`, empty body.
    #[default]
    Gateway,
    /// A Scaleway `too_many_requests` JSON body with quota and reset fields.
    Json,
}

/// How an unset `siren_number` is rendered (both were recorded, on different dates).
/// JSON `"null"` (the default) or `"absent"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SirenStyle {
    /// `"siren_number": null`.
    #[default]
    Null,
    /// No `siren_number` key at all.
    Absent,
}

/// Everything the emulator can be told at start (checked by [`MockServer::start`]).
///
/// The JSON keys (as the Python and Node bindings take them) are the field names; every key
/// may be left out and then takes its default ([`MockConfig::default`]).
///
/// ```
/// use scaleway_partner_mock::MockConfig;
///
/// let config: MockConfig = serde_json::from_str(
///     r#"{
///         "seed": 42,
///         "seed_organizations": 500,
///         "latency": {"base_ms": 70, "jitter_ms": 50, "create_ms": 1100},
///         "rate_limit": 0
///     }"#,
/// )?;
/// assert_eq!(config.seed, Some(42));
/// assert_eq!(config.latency.create_ms, 1100);
/// assert_eq!(config.rate_limit, 0); // no rate limit
/// assert!(config.partners.is_empty()); // left out: one partner is generated at start
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// [`MockServer::start`]: crate::MockServer::start
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MockConfig {
    /// Address to listen on; default `127.0.0.1:0` (a free port: read it from
    /// [`MockServer::url`](crate::MockServer::url)). JSON `"listen": "127.0.0.1:8080"`.
    pub listen: SocketAddr,
    /// Partner accounts, isolated from each other; the first one gets the seeded
    /// organizations. Empty (the default) means one generated partner. JSON `partners`.
    pub partners: Vec<Partner>,
    /// Seed of the RNG used for seeding and probabilistic faults; `None` (the default) picks
    /// one at random. JSON `seed`.
    pub seed: Option<u64>,
    /// Realistic organizations created for the first partner at start; default 0. Not used
    /// when `state_file` exists (its organizations are loaded). JSON `seed_organizations`.
    pub seed_organizations: usize,
    /// Simulated service time; default none. JSON `latency`.
    pub latency: Latency,
    /// Requests per second per secret key (unknown or missing keys share one budget);
    /// default 50; 0 turns the limit (and its headers) off. JSON `rate_limit`.
    pub rate_limit: u32,
    /// How a rate-limited request is answered; default `gateway`. JSON `rate_limit_style`.
    pub rate_limit_style: RateLimitStyle,
    /// Fault probabilities from the start (and after a reset); default all 0. Each must be
    /// between 0 and 1 and their sum at most 1. JSON `faults`.
    pub faults: FaultProbabilities,
    /// Persist state in this file (atomically, before a write is acknowledged), loaded at
    /// start when it exists; default `None` (in memory only). JSON `state_file`.
    pub state_file: Option<PathBuf>,
    /// How an unset `siren_number` is rendered; default `null`. JSON `unset_siren_number`.
    pub unset_siren_number: SirenStyle,
    /// Largest request body accepted, in bytes (larger ones get a 400); default 65536, must
    /// be positive. JSON `max_body_bytes`.
    pub max_body_bytes: usize,
    /// Connections served at once; further ones wait in the listen backlog until one closes;
    /// default 1024, must be positive. JSON `max_connections`.
    pub max_connections: usize,
    /// Time a client gets to send a request's headers, on a new connection and between
    /// requests of a kept-alive one, in ms; past it the connection is closed (a slow or idle
    /// client cannot hold a connection forever); default 10000, must be positive. JSON
    /// `header_read_timeout_ms`.
    pub header_read_timeout_ms: u64,
    /// Serve HTTPS with a certificate for `localhost`, `127.0.0.1` and `::1` signed by an
    /// authority generated at start (read it from
    /// [`MockServer::ca_certificate_pem`](crate::MockServer::ca_certificate_pem)); the URL is
    /// then `https://127.0.0.1:PORT`. Default false. JSON `tls`.
    pub tls: bool,
}

impl Default for MockConfig {
    fn default() -> MockConfig {
        MockConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            partners: Vec::new(),
            seed: None,
            seed_organizations: 0,
            latency: Latency::default(),
            rate_limit: 50,
            rate_limit_style: RateLimitStyle::Gateway,
            faults: FaultProbabilities::default(),
            state_file: None,
            unset_siren_number: SirenStyle::Null,
            max_body_bytes: 64 * 1024,
            max_connections: 1024,
            header_read_timeout_ms: 10_000,
            tls: false,
        }
    }
}

// Written by hand so that a change to `Partner` can never leak a key through this one.
impl fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockConfig")
            .field("listen", &self.listen)
            .field("partners", &self.partners)
            .field("seed", &self.seed)
            .field("seed_organizations", &self.seed_organizations)
            .field("latency", &self.latency)
            .field("rate_limit", &self.rate_limit)
            .field("rate_limit_style", &self.rate_limit_style)
            .field("faults", &self.faults)
            .field("state_file", &self.state_file)
            .field("unset_siren_number", &self.unset_siren_number)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_connections", &self.max_connections)
            .field("header_read_timeout_ms", &self.header_read_timeout_ms)
            .field("tls", &self.tls)
            .finish()
    }
}

impl MockConfig {
    /// Fills in a generated partner when none is given and checks the rest.
    pub(crate) fn resolved(mut self) -> Result<MockConfig, MockError> {
        if self.partners.is_empty() {
            self.partners.push(Partner::generate());
        }
        for (i, partner) in self.partners.iter().enumerate() {
            if !crate::validation::is_canonical_uuid(&partner.secret_key) {
                return Err(MockError::Config(format!(
                    "partner {i}: the secret key must be a UUID"
                )));
            }
            if !crate::validation::is_canonical_uuid(&partner.organization_id) {
                return Err(MockError::Config(format!(
                    "partner {i}: organization_id {:?} is not a UUID",
                    partner.organization_id
                )));
            }
            let duplicate = self.partners[..i].iter().any(|p| {
                p.secret_key.eq_ignore_ascii_case(&partner.secret_key)
                    || p.organization_id
                        .eq_ignore_ascii_case(&partner.organization_id)
            });
            if duplicate {
                return Err(MockError::Config(format!(
                    "partner {i}: secret key or organization_id used twice"
                )));
            }
        }
        if self.max_body_bytes == 0 {
            return Err(MockError::Config("max_body_bytes must be positive".into()));
        }
        if self.max_connections == 0 {
            return Err(MockError::Config("max_connections must be positive".into()));
        }
        if self.header_read_timeout_ms == 0 {
            return Err(MockError::Config(
                "header_read_timeout_ms must be positive".into(),
            ));
        }
        self.faults.check().map_err(MockError::Config)?;
        Ok(self)
    }
}
