//! The emulator's options (library `MockConfig`, mirrored by the binary's flags).

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::errors::MockError;
use crate::faults::FaultProbabilities;

/// A partner account: the secret key it authenticates with and its own organization ID.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub secret_key: String,
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

/// Simulated service time. `create_ms`, when non-zero, replaces `base_ms` for creations
/// (the real service takes about 1.1 s to create and 70 to 120 ms for the rest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Latency {
    pub base_ms: u64,
    pub jitter_ms: u64,
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

/// How a rate-limited request is answered.
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SirenStyle {
    #[default]
    Null,
    Absent,
}

/// Everything the emulator can be told at start.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MockConfig {
    pub listen: SocketAddr,
    /// Empty means one generated partner.
    pub partners: Vec<Partner>,
    /// Seed of the RNG used for seeding and probabilistic faults; `None` picks one at random.
    pub seed: Option<u64>,
    /// Realistic organizations created for the first partner at start.
    pub seed_organizations: usize,
    pub latency: Latency,
    /// Requests per second per secret key; 0 turns the limit (and its headers) off.
    pub rate_limit: u32,
    pub rate_limit_style: RateLimitStyle,
    pub faults: FaultProbabilities,
    /// Persist state in this file (atomically, before a write is acknowledged).
    pub state_file: Option<PathBuf>,
    pub unset_siren_number: SirenStyle,
    pub max_body_bytes: usize,
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
        self.faults.check().map_err(MockError::Config)?;
        Ok(self)
    }
}
