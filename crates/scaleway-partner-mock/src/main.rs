//! `scaleway-partner-mock`: the emulator as a standalone server.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use scaleway_partner_mock::{
    FaultProbabilities, Latency, MockConfig, MockServer, Partner, RateLimitStyle, SirenStyle,
};

/// A faithful local emulator of the Scaleway Partner API.
///
/// Prints its base URL as the first line on stdout once it accepts connections, then, when
/// it generated the credentials, `SCW_SECRET_KEY=...` and `SCW_DEFAULT_ORGANIZATION_ID=...`.
/// Logs go to stderr (filter with RUST_LOG). Control endpoints live under /_mock.
#[derive(Debug, Parser)]
#[command(name = "scaleway-partner-mock", version, about, long_about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Secret key (a UUID) the partner sends in X-Auth-Token; generated when omitted.
    #[arg(long, requires = "organization_id", value_name = "UUID")]
    secret_key: Option<String>,
    /// The partner's own organization ID (the partner_id of creations); generated when omitted.
    #[arg(long, requires = "secret_key", value_name = "UUID")]
    organization_id: Option<String>,
    /// Another partner, isolated from the first (repeatable).
    #[arg(long = "partner", value_name = "SECRET_KEY:ORGANIZATION_ID")]
    partners: Vec<String>,
    /// Seed of the random generator (seeded organizations, probabilistic faults).
    #[arg(long, value_name = "N")]
    seed: Option<u64>,
    /// Create N realistic organizations for the first partner at start.
    #[arg(long, default_value_t = 0, value_name = "N")]
    seed_organizations: usize,
    /// Base latency of every API request, in milliseconds.
    #[arg(long, default_value_t = 0, value_name = "N")]
    latency_ms: u64,
    /// Random extra latency, uniform between 0 and N milliseconds.
    #[arg(long, default_value_t = 0, value_name = "N")]
    jitter_ms: u64,
    /// Latency of creations instead of the base (the real service takes about 1100 ms).
    #[arg(long, default_value_t = 0, value_name = "N")]
    create_latency_ms: u64,
    /// Recorded timings: 70 ms + up to 50 ms of jitter, creations 1100 ms (overrides the above).
    #[arg(long)]
    realistic_latency: bool,
    /// Requests per second per secret key; 0 turns the limit and its headers off.
    #[arg(long, default_value_t = 50, value_name = "N")]
    rate_limit: u32,
    /// Shape of 429 answers: the gateway's bare one, or a JSON too_many_requests body.
    #[arg(long, value_enum, default_value_t = Style::Gateway)]
    rate_limit_style: Style,
    /// Persist the state in FILE (atomically, before each write is acknowledged); reloaded
    /// at start.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// How an unset siren_number is rendered (both were seen in real traffic).
    #[arg(long, value_enum, default_value_t = Siren::Null)]
    unset_siren_number: Siren,
    /// Largest accepted request body, in bytes.
    #[arg(long, default_value_t = 65536, value_name = "N")]
    max_body_bytes: usize,
    /// Connections served at once (more wait in the listen backlog).
    #[arg(long, default_value_t = 1024, value_name = "N")]
    max_connections: usize,
    /// Time a client gets to send a request's headers before its connection is closed.
    #[arg(long, default_value_t = 10_000, value_name = "MS")]
    header_read_timeout_ms: u64,
    /// Probability (0..1) of a 502/503 with an HTML body.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_server_error: f64,
    /// Probability of closing the connection without applying the request.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_reset_before: f64,
    /// Probability of applying the request, then closing the connection without an answer.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_reset_after: f64,
    /// Probability of cutting the answer's body short.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_truncate: f64,
    /// Probability of a slow answer (see --slow-ms).
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_slow: f64,
    /// Delay of a slow answer, in milliseconds.
    #[arg(long, default_value_t = 2000, value_name = "N")]
    slow_ms: u64,
    /// Probability of a gateway 504 answered at once while the write still lands later (see
    /// --apply-late-ms).
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_apply_late: f64,
    /// How long after its 504 the write of an apply-late fault lands, in milliseconds.
    #[arg(long, default_value_t = 2500, value_name = "N")]
    apply_late_ms: u64,
    /// Probability of applying the request, then answering a 2xx whose body is not JSON.
    #[arg(long, default_value_t = 0.0, value_name = "P", value_parser = probability)]
    fault_garble: f64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Style {
    Gateway,
    Json,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Siren {
    Null,
    Absent,
}

fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!("{s:?} is not a probability between 0 and 1")),
    }
}

fn partner(s: &str) -> Result<Partner, String> {
    let (secret_key, organization_id) = s
        .split_once(':')
        .ok_or_else(|| format!("--partner {s:?}: expected SECRET_KEY:ORGANIZATION_ID"))?;
    Ok(Partner {
        secret_key: secret_key.to_owned(),
        organization_id: organization_id.to_owned(),
    })
}

impl Args {
    fn config(&self) -> Result<(MockConfig, bool), String> {
        let generated = self.secret_key.is_none();
        let first = match (&self.secret_key, &self.organization_id) {
            (Some(secret_key), Some(organization_id)) => Partner {
                secret_key: secret_key.clone(),
                organization_id: organization_id.clone(),
            },
            _ => Partner::generate(),
        };
        let mut partners = vec![first];
        for p in &self.partners {
            partners.push(partner(p)?);
        }
        let latency = if self.realistic_latency {
            Latency::realistic()
        } else {
            Latency {
                base_ms: self.latency_ms,
                jitter_ms: self.jitter_ms,
                create_ms: self.create_latency_ms,
            }
        };
        let config = MockConfig {
            listen: self.listen,
            partners,
            seed: self.seed,
            seed_organizations: self.seed_organizations,
            latency,
            rate_limit: self.rate_limit,
            rate_limit_style: match self.rate_limit_style {
                Style::Gateway => RateLimitStyle::Gateway,
                Style::Json => RateLimitStyle::Json,
            },
            faults: FaultProbabilities {
                server_error: self.fault_server_error,
                reset_before: self.fault_reset_before,
                reset_after: self.fault_reset_after,
                truncate: self.fault_truncate,
                slow: self.fault_slow,
                slow_ms: self.slow_ms,
                apply_late: self.fault_apply_late,
                apply_late_ms: self.apply_late_ms,
                garble: self.fault_garble,
            },
            state_file: self.state.clone(),
            unset_siren_number: match self.unset_siren_number {
                Siren::Null => SirenStyle::Null,
                Siren::Absent => SirenStyle::Absent,
            },
            max_body_bytes: self.max_body_bytes,
            max_connections: self.max_connections,
            header_read_timeout_ms: self.header_read_timeout_ms,
            tls: false,
        };
        Ok((config, generated))
    }
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "scaleway_partner_mock=info,warn".into()),
        )
        .init();
    let args = Args::parse();
    let (config, generated) = match args.config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("scaleway-partner-mock: {e}");
            return ExitCode::from(2);
        }
    };
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("scaleway-partner-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts wait for this first line: it must be out (flushed) once connections are taken.
    let mut stdout = std::io::stdout().lock();
    let mut banner = format!("{}\n", server.url());
    if generated {
        banner.push_str(&format!(
            "SCW_SECRET_KEY={}\nSCW_DEFAULT_ORGANIZATION_ID={}\n",
            server.secret_key(),
            server.organization_id()
        ));
    }
    if stdout
        .write_all(banner.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        tracing::warn!("stdout is closed; serving anyway");
    }
    drop(stdout);
    stop_signal().await;
    tracing::info!("stopping");
    server.shutdown().await;
    ExitCode::SUCCESS
}
