//! The coordination backend shared by hosts: a Redis server (or Valkey, same protocol), named
//! by the client option `coordination` as `redis://[[user]:password@]host[:port][/db]` or
//! `rediss://...` (TLS through rustls, certificates checked against the system's roots, which
//! `SSL_CERT_FILE` can replace). One query parameter is understood: `lease=<seconds>` (at least
//! 10; default 30). One backend (one connection) serves every client of a process using a URL.
//!
//! # Keys
//!
//! Every key is `scaleway-partner:lock:<name>` or `scaleway-partner:rate:<name>`, where `<name>`
//! is the hash the core hands over (never a key, a customer ID or a password). Nothing is kept
//! forever: a lease expires with its holder, a rate budget a minute after its last use.
//!
//! # The lease on a customer
//!
//! Taking it is one atomic `SET key token NX PX lease` (in a script, so that a retried take by
//! the same holder succeeds); a waiter polls with a capped backoff until the deadline. While the
//! holder lives, a task on its runtime extends the lease every third of it (compare-token
//! script); dropping or releasing the lease stops that task and deletes the key if it still
//! holds this holder's token. A holder that dies (SIGKILL, lost host) stops renewing: the next
//! caller gets the lease within one lease length.
//!
//! Before a create is posted the core calls [`Lease::confirm`]: one script that, if the key
//! still holds this holder's token, extends it to a full lease and returns its remaining time;
//! the confirmation fails (and nothing is posted) when the token is gone or less than `margin`
//! remains once the round trip is subtracted. A margin as long as the lease can never be met:
//! a URL's lease is at least twice the core's margin.
//!
//! **The guarantee.** While Redis keeps its data, at most one caller holds a customer's lease
//! at any instant of Redis's clock, and a caller posts a create only when, a moment before, its
//! lease had at least `margin` left (Redis measured it, the client subtracted the round trip;
//! the confirmation itself renews it to a full lease). So two creates for one customer can both
//! reach the API only if a holder's lease expires after its last confirmation and before the
//! API applies its POST, which takes its renewals stopping for longer than the lease had left.
//!
//! **The one remaining window** is exactly that: a holder frozen (a stopped process, a GC or VM
//! pause), or cut off from Redis while it still reaches the API, for longer than its lease
//! *between its last confirmation and the moment the API applies its POST*. Its lease
//! expires, a second caller takes it, lists the customer's organizations (the frozen POST has
//! not landed), and creates; then the frozen POST lands: two organizations. The Partner API takes no fencing token, so
//! no client can close this window; it is detected instead. After a create made under a lease
//! that can expire ([`Lease::expires`]), the core lists the customer's organizations and
//! reports a second one as [`Error::Conflict`](crate::Error::Conflict) with both IDs, never
//! returning one silently; any later ensure for that customer reports the same conflict.
//! A Redis that forgets a lease (a restart without persistence, a failover to a replica the
//! key had not reached yet: replication is asynchronous) opens the same window for the creates
//! in flight at that moment, detected the same way.
//!
//! # The rate budget
//!
//! One script per reservation does a GCRA step on the server, in microseconds of Redis's own
//! `TIME` (so that hosts whose clocks disagree still agree): the slot is the latest of now, the
//! budget's next free slot and its pause; the next free slot moves one interval past it; the
//! wait until the slot is returned. A pause only ever moves the pause's end later.
//!
//! # Failures
//!
//! Every command has short bounds ([`CONNECT_TIMEOUT`], [`RESPONSE_TIMEOUT`]): a Redis that
//! refuses, is unreachable, or accepts and never answers becomes
//! [`Error::Coordination`](crate::Error::Coordination) within them, never a hang; for a second
//! after a failed connection, commands fail at once rather than each waiting again. A connection
//! found broken (Redis restarted, or the runtime that drove it has ended) is replaced once per
//! command; every script is safe to run twice. The password never appears in `Debug` output
//! nor in an error.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};
use std::time::Duration;

use futures::FutureExt;
use futures::future::BoxFuture;
use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, FromRedisValue, Script};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::{Backend, Lease, Slot};
use crate::error::{Error, Result};
use crate::setting::{ConfigError, Message, Origin, Setting};

/// Length of a lease when the URL does not say (`lease=<seconds>`): far longer than a create
/// (about 1 s on the real API) and its retries, short enough that a dead holder is soon
/// replaced.
pub(crate) const DEFAULT_LEASE: Duration = Duration::from_secs(30);
/// Shortest lease a URL may ask for: twice the margin the core confirms before a create (5 s).
const MIN_LEASE: Duration = Duration::from_secs(10);
/// Bound on opening a connection (TCP, TLS, AUTH, SELECT).
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Bound on the answer to one command.
pub(crate) const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// Wait after a failed opening before the next (commands fail at once meanwhile).
const RECONNECT_AFTER: Duration = Duration::from_secs(1);
/// Prefix of every key.
const NAMESPACE: &str = "scaleway-partner:";
/// A rate budget unused for this long is deleted (its state then means nothing anyway).
const IDLE_MS: u64 = 60_000;
/// First and longest wait between two tries at a lease held by someone else.
const POLL_FIRST: Duration = Duration::from_millis(10);
const POLL_MAX: Duration = Duration::from_millis(250);

/// Takes the lease (or keeps it, when this token already has it): `{1, 0}`, else `{0, the
/// holder's remaining milliseconds}`.
static ACQUIRE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, 0}
end
return {0, redis.call('PTTL', KEYS[1])}",
    )
});

/// Extends the lease to its full length if this token holds it: its remaining milliseconds,
/// else -1. Renewal and confirmation both use it.
static RENEW: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return redis.call('PTTL', KEYS[1])
end
return -1",
    )
});

/// Deletes the lease if this token holds it.
static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0",
    )
});

/// Shared head of the budget scripts: `now`, `nxt` and `pause` in microseconds of Redis's
/// clock, and `keep()`, which stores both and sets the idle expiry.
const BUDGET_PRELUDE: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = redis.call('HMGET', KEYS[1], 'next', 'pause')
local nxt = tonumber(v[1]) or 0
local pause = tonumber(v[2]) or 0
local function keep()
  redis.call('HSET', KEYS[1], 'next', string.format('%.0f', nxt), 'pause', string.format('%.0f', pause))
  local last = math.max(nxt, pause, now)
  redis.call('PEXPIRE', KEYS[1], math.ceil((last - now) / 1000) + tonumber(ARGV[2]))
end
";

/// One GCRA step: ARGV[1] is the interval in microseconds; returns `{slot, now, 1}`, or
/// `{pause, now, 0}` without taking a slot when the pause lasts more than ARGV[3] microseconds
/// from now.
static RESERVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(&format!(
        "{BUDGET_PRELUDE}
if pause - now > tonumber(ARGV[3]) then
  return {{pause, now, 0}}
end
local slot = math.max(now, nxt, pause)
nxt = slot + tonumber(ARGV[1])
keep()
return {{slot, now, 1}}"
    ))
});

/// Holds the budget for ARGV[1] microseconds from now, unless a longer pause is in force.
static PAUSE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(&format!(
        "{BUDGET_PRELUDE}
pause = math.max(pause, now + tonumber(ARGV[1]))
keep()
return 1"
    ))
});

/// A Redis server shared by the processes and hosts that use one key. Cloning shares its
/// connection.
#[derive(Clone)]
pub(crate) struct RedisBackend {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    /// The URL with its password masked, for messages.
    shown: String,
    /// The password as written and as decoded, scrubbed from any message that might quote it.
    secrets: Vec<String>,
    lease: Duration,
    link: tokio::sync::Mutex<Link>,
}

/// The shared connection: opened on first use, inside the caller's runtime (the core creates
/// none); replaced when found broken. After a failed opening, the next is tried only
/// [`RECONNECT_AFTER`] later: meanwhile every command fails at once, so that reads falling back
/// to local pacing do not each wait for an unreachable server.
#[derive(Default)]
struct Link {
    open: Option<MultiplexedConnection>,
    failed: Option<(Instant, String)>,
}

impl fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisBackend")
            .field("url", &self.inner.shown)
            .field("lease", &self.inner.lease)
            .finish_non_exhaustive()
    }
}

impl RedisBackend {
    /// The backend of `url` shared by every client of this process (one connection).
    pub(crate) fn shared(url: &str) -> Result<Arc<dyn Backend>> {
        static BACKENDS: OnceLock<Mutex<HashMap<String, Arc<RedisBackend>>>> = OnceLock::new();
        let mut backends = BACKENDS
            .get_or_init(Mutex::default)
            .lock()
            .expect("redis backends lock");
        if let Some(backend) = backends.get(url) {
            return Ok(backend.clone());
        }
        let backend = Arc::new(RedisBackend::connect(url)?);
        backends.insert(url.to_owned(), backend.clone());
        Ok(backend)
    }

    /// Checks `url` (the value of the option `coordination`) and prepares the client; nothing
    /// is contacted before the first use.
    pub(crate) fn connect(url: &str) -> Result<RedisBackend> {
        RedisBackend::connect_as(url, &Origin::Option)
    }

    /// [`connect`](Self::connect), naming the option or variable it came from when the URL is
    /// refused.
    pub(crate) fn connect_as(url: &str, origin: &Origin) -> Result<RedisBackend> {
        let shown = mask(url);
        let refuse = |why: &str| {
            Error::Config(ConfigError::new(
                Some(Setting::Coordination),
                Message::default()
                    .origin(Setting::Coordination, origin)
                    .text(format!(
                        " must be a redis:// or rediss:// URL like redis://127.0.0.1:6379/0 \
                         ({why}), got {shown:?}"
                    )),
            ))
        };
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(refuse("no scheme"));
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "redis" && scheme != "rediss" {
            return Err(refuse("unsupported scheme"));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refuse("spaces or control characters"));
        }
        if rest.contains('#') {
            return Err(refuse("a fragment"));
        }
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut lease = DEFAULT_LEASE;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("lease", seconds)) => {
                    lease = seconds
                        .parse::<f64>()
                        .ok()
                        .and_then(|s| Duration::try_from_secs_f64(s).ok())
                        .filter(|l| *l >= MIN_LEASE)
                        .ok_or_else(|| refuse("lease must be a number of seconds >= 10"))?;
                }
                _ => return Err(refuse("the only query parameter is lease=<seconds>")),
            }
        }
        let client = redis::Client::open(base).map_err(|e| refuse(&e.to_string()))?;
        if scheme == "rediss" {
            // As for the HTTP client: ring, unless the application installed a provider.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let mut secrets = Vec::new();
        if let Some(password) = client.get_connection_info().redis_settings().password() {
            secrets.push(password.to_owned());
        }
        if let Some(raw) = raw_password(url) {
            secrets.push(raw.to_owned());
        }
        secrets.retain(|s| !s.is_empty());
        Ok(RedisBackend {
            inner: Arc::new(Inner {
                client,
                shown,
                secrets,
                lease,
                link: tokio::sync::Mutex::default(),
            }),
        })
    }

    /// The same server with leases of `lease` (tests use short ones).
    #[cfg(test)]
    pub(crate) fn with_lease(url: &str, lease: Duration) -> Result<RedisBackend> {
        let mut backend = RedisBackend::connect(url)?;
        Arc::get_mut(&mut backend.inner)
            .expect("not shared yet")
            .lease = lease;
        Ok(backend)
    }

    /// Runs `script` on `key` with `args`, within the bounds, replacing a broken connection
    /// once.
    async fn run<T: FromRedisValue>(&self, script: &Script, key: &str, args: &[&str]) -> Result<T> {
        let mut replaced = false;
        loop {
            let attempt = async {
                let mut connection = self.connection().await?;
                let mut invocation = script.key(key);
                for arg in args {
                    invocation.arg(*arg);
                }
                invocation
                    .invoke_async::<T>(&mut connection)
                    .await
                    .map_err(Failure::Redis)
            };
            let failure =
                match tokio::time::timeout(CONNECT_TIMEOUT + RESPONSE_TIMEOUT, attempt).await {
                    Ok(Ok(value)) => return Ok(value),
                    Ok(Err(failure)) => failure,
                    Err(_) => Failure::TimedOut,
                };
            let broken = match &failure {
                Failure::Redis(e) => {
                    e.is_connection_dropped() || e.is_io_error() || e.is_unrecoverable_error()
                }
                Failure::TimedOut => true,
                Failure::Recent(_) => false,
            };
            if broken {
                self.inner.link.lock().await.open = None;
            }
            // A connection left by an ended runtime or a restarted server fails at once: one
            // fresh one is tried. A timeout is not retried: the bound is the promise.
            let retry = broken && !replaced && !matches!(failure, Failure::TimedOut);
            if !retry {
                return Err(self.unusable(&failure));
            }
            replaced = true;
        }
    }

    /// The shared connection, opened on first use.
    async fn connection(&self) -> Result<MultiplexedConnection, Failure> {
        let mut link = self.inner.link.lock().await;
        if let Some(connection) = &link.open {
            return Ok(connection.clone());
        }
        if let Some((at, why)) = &link.failed {
            if at.elapsed() < RECONNECT_AFTER {
                return Err(Failure::Recent(why.clone()));
            }
        }
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let opened = tokio::time::timeout(
            CONNECT_TIMEOUT,
            self.inner
                .client
                .get_multiplexed_async_connection_with_config(&config),
        )
        .await
        .map_err(|_| Failure::TimedOut)
        .and_then(|r| r.map_err(Failure::Redis));
        match opened {
            Ok(connection) => {
                link.open = Some(connection.clone());
                link.failed = None;
                Ok(connection)
            }
            Err(failure) => {
                link.failed = Some((Instant::now(), self.describe(&failure)));
                Err(failure)
            }
        }
    }

    /// What went wrong, without the password.
    fn describe(&self, failure: &Failure) -> String {
        let why = match failure {
            Failure::Redis(e) => e.to_string(),
            Failure::TimedOut => format!(
                "no answer within {} ms",
                (CONNECT_TIMEOUT + RESPONSE_TIMEOUT).as_millis()
            ),
            Failure::Recent(why) => format!(
                "{why} (tried again {} ms after a failure)",
                RECONNECT_AFTER.as_millis()
            ),
        };
        self.inner
            .secrets
            .iter()
            .fold(why, |text, secret| text.replace(secret.as_str(), "***"))
    }

    fn unusable(&self, failure: &Failure) -> Error {
        Error::coordination(format!(
            "Redis at {} cannot be used: {}",
            self.inner.shown,
            self.describe(failure)
        ))
    }

    /// One GCRA step on `name`, unless paused for longer than `max_pause`: the slot (or the
    /// pause's end), Redis's now, in microseconds of its clock, and whether a slot was taken.
    async fn reserve_slot(
        &self,
        name: &str,
        interval: Duration,
        max_pause: Duration,
    ) -> Result<(u64, u64, bool)> {
        let key = format!("{NAMESPACE}rate:{name}");
        let interval = interval.as_micros().to_string();
        let max_pause = u64::try_from(max_pause.as_micros())
            .unwrap_or(u64::MAX)
            .to_string();
        self.run(
            &RESERVE,
            &key,
            &[&interval, &IDLE_MS.to_string(), &max_pause],
        )
        .await
    }

    async fn take(&self, name: &str, deadline: Instant) -> Result<Box<dyn Lease>> {
        let key = format!("{NAMESPACE}lock:{name}");
        let token = uuid::Uuid::new_v4().to_string();
        let lease_ms = self.inner.lease.as_millis().to_string();
        let started = Instant::now();
        let mut wait = POLL_FIRST;
        loop {
            let (taken, holder_left): (bool, i64) =
                self.run(&ACQUIRE, &key, &[&token, &lease_ms]).await?;
            if taken {
                return Ok(Box::new(RedisLease::start(self.clone(), key, token)));
            }
            let now = Instant::now();
            if now >= deadline {
                // When `deadline` is the call's, its runner reports the call's total timeout.
                return Err(Error::deadline_exceeded(now - started));
            }
            let holder_left = Duration::from_millis(holder_left.max(1).unsigned_abs());
            let jitter = wait.mul_f64(fastrand::f64() * 0.5);
            let pause = (wait + jitter).min(holder_left);
            tokio::time::sleep_until((now + pause).min(deadline)).await;
            wait = (wait * 2).min(POLL_MAX);
        }
    }
}

/// Why one command failed.
enum Failure {
    Redis(redis::RedisError),
    TimedOut,
    /// The last opening failed less than [`RECONNECT_AFTER`] ago, for this reason.
    Recent(String),
}

impl Backend for RedisBackend {
    fn lock<'a>(
        &'a self,
        name: &'a str,
        deadline: Instant,
    ) -> BoxFuture<'a, Result<Box<dyn Lease>>> {
        self.take(name, deadline).boxed()
    }

    fn reserve<'a>(
        &'a self,
        name: &'a str,
        interval: Duration,
        max_pause: Duration,
    ) -> BoxFuture<'a, Result<Slot>> {
        async move {
            let (at, now, taken) = self.reserve_slot(name, interval, max_pause).await?;
            let wait = Duration::from_micros(at.saturating_sub(now));
            Ok(if taken {
                Slot::In(wait)
            } else {
                Slot::Paused(wait)
            })
        }
        .boxed()
    }

    fn pause<'a>(&'a self, name: &'a str, pause: Duration) -> BoxFuture<'a, Result<()>> {
        async move {
            let key = format!("{NAMESPACE}rate:{name}");
            let pause = pause.as_micros().to_string();
            self.run::<i64>(&PAUSE, &key, &[&pause, &IDLE_MS.to_string()])
                .await
                .map(drop)
        }
        .boxed()
    }
}

/// A held lease: renewed by a task on the runtime that took it, until dropped or released.
struct RedisLease {
    backend: RedisBackend,
    key: String,
    token: String,
    /// Set by the renewal task when it found the key in other hands.
    lost: Arc<AtomicBool>,
    stop: CancellationToken,
    renewal: Option<JoinHandle<()>>,
}

impl fmt::Debug for RedisLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLease")
            .field("key", &self.key)
            .field("lost", &self.lost.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl RedisLease {
    fn start(backend: RedisBackend, key: String, token: String) -> RedisLease {
        let lost = Arc::new(AtomicBool::new(false));
        let stop = CancellationToken::new();
        let renewal = tokio::spawn(renew(
            backend.clone(),
            key.clone(),
            token.clone(),
            lost.clone(),
            stop.clone(),
        ));
        RedisLease {
            backend,
            key,
            token,
            lost,
            stop,
            renewal: Some(renewal),
        }
    }

    fn lost_error(&self, why: &str) -> Error {
        Error::coordination(format!(
            "the lease on this customer at Redis {} was lost ({why}): another caller may hold \
             it, so nothing was sent",
            self.backend.inner.shown
        ))
    }
}

/// Extends the lease every third of it while the holder lives; deletes it when told to stop.
async fn renew(
    backend: RedisBackend,
    key: String,
    token: String,
    lost: Arc<AtomicBool>,
    stop: CancellationToken,
) {
    let lease_ms = backend.inner.lease.as_millis().to_string();
    let every = backend.inner.lease / 3;
    while tokio::time::timeout(every, stop.cancelled()).await.is_err() {
        match backend.run::<i64>(&RENEW, &key, &[&token, &lease_ms]).await {
            Ok(left) if left >= 0 => {}
            Ok(_) => {
                lost.store(true, Ordering::Relaxed);
                tracing::warn!(key = %key, "a Redis lease expired before it was renewed: lost");
                return;
            }
            // The lease still runs: the next renewal, or the confirmation, decides.
            Err(error) => tracing::warn!(key = %key, %error, "could not renew a Redis lease"),
        }
    }
    if let Err(error) = backend.run::<i64>(&RELEASE, &key, &[&token]).await {
        tracing::warn!(key = %key, %error, "could not release a Redis lease: it will expire");
    }
}

impl Lease for RedisLease {
    fn confirm(&self, margin: Duration) -> BoxFuture<'_, Result<()>> {
        async move {
            if self.lost.load(Ordering::Relaxed) {
                return Err(self.lost_error("it expired before it was renewed"));
            }
            let sent = Instant::now();
            let lease_ms = self.backend.inner.lease.as_millis().to_string();
            let left: i64 = self
                .backend
                .run(&RENEW, &self.key, &[&self.token, &lease_ms])
                .await?;
            if left < 0 {
                return Err(self.lost_error("it expired before it was renewed"));
            }
            let left = Duration::from_millis(left.unsigned_abs()).saturating_sub(sent.elapsed());
            if left < margin {
                return Err(self.lost_error(&format!(
                    "{} ms left, {} ms needed",
                    left.as_millis(),
                    margin.as_millis()
                )));
            }
            Ok(())
        }
        .boxed()
    }

    fn expires(&self) -> bool {
        true
    }

    fn release(mut self: Box<Self>) -> BoxFuture<'static, ()> {
        self.stop.cancel();
        let renewal = self.renewal.take();
        async move {
            if let Some(renewal) = renewal {
                let _ = renewal.await;
            }
        }
        .boxed()
    }
}

impl Drop for RedisLease {
    fn drop(&mut self) {
        // The renewal task deletes the key; if its runtime is gone, the key expires.
        self.stop.cancel();
    }
}

/// `url` with its user information masked but the user name.
fn mask(url: &str) -> String {
    let (prefix, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("***@{host}"),
        },
        None => authority.to_owned(),
    };
    format!("{prefix}{authority}{tail}")
}

/// The password as written in `url` (percent-encoded or not), if any.
fn raw_password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let userinfo = authority.rsplit_once('@')?.0;
    Some(
        userinfo
            .split_once(':')
            .map_or(userinfo, |(_, password)| password),
    )
}

#[cfg(test)]
#[path = "redis_tests.rs"]
mod tests;
