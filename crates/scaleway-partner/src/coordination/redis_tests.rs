//! The Redis backend against a real `redis-server` (started per test on a free loopback port;
//! skipped when none is installed, except under `CI=true`, where that fails).

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use scaleway_partner_mock::RedisServer;
use tokio::time::Instant;

use super::*;

/// Environment variable that turns the ignored `holder_child` test into a lease holder.
const CHILD_URL: &str = "SCALEWAY_PARTNER_TEST_REDIS_HOLDER";
/// A generous bound that only a hang reaches; nothing is asserted about speed.
const HANG: Duration = Duration::from_secs(60);

fn far() -> Instant {
    Instant::now() + HANG
}

async fn raw(server: &RedisServer) -> MultiplexedConnection {
    redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

async fn query<T: FromRedisValue>(conn: &mut MultiplexedConnection, args: &[&str]) -> T {
    let mut cmd = redis::cmd(args[0]);
    for arg in &args[1..] {
        cmd.arg(*arg);
    }
    cmd.query_async(conn).await.unwrap()
}

fn short(server: &RedisServer) -> RedisBackend {
    RedisBackend::with_lease(&server.url(), Duration::from_millis(600)).unwrap()
}

#[test]
fn only_redis_urls_are_accepted_and_the_password_never_shows() {
    for good in [
        "redis://127.0.0.1:6379/0",
        "redis://localhost",
        "rediss://cache.internal:6380/2",
        "redis://:s3cret-pw@127.0.0.1:6379/0?lease=15",
        "REDIS://127.0.0.1",
        "redis://app:s3cret-pw@[::1]:6379/0",
    ] {
        let backend = RedisBackend::connect(good).unwrap_or_else(|e| panic!("{good}: {e}"));
        let shown = format!("{backend:?}");
        assert!(!shown.contains("s3cret-pw"), "{shown}");
    }
    for bad in [
        "",
        "127.0.0.1:6379",
        "http://127.0.0.1:6379",
        "unix:///run/redis.sock",
        "redis+unix:///run/redis.sock",
        "redis://",
        "redis://127.0.0.1/not-a-db",
        "redis://127.0.0.1/0?protocol=resp3",
        "redis://127.0.0.1/0?lease=9.5",
        "redis://127.0.0.1/0?lease=soon",
        "rediss://127.0.0.1/0#insecure",
        "redis://127.0.0.1 /0",
        "redis://:s3cret-pw@127.0.0.1/zero",
        "s3cret-pw@127.0.0.1",
    ] {
        let err = RedisBackend::connect(bad).expect_err(bad);
        assert!(matches!(err, Error::Config(_)), "{bad}: {err:?}");
        let text = err.to_string();
        assert!(text.contains("coordination"), "{bad}: {text}");
        assert!(!text.contains("s3cret-pw"), "{bad}: {text}");
    }
    assert_eq!(
        RedisBackend::connect("redis://127.0.0.1/0?lease=12.5")
            .unwrap()
            .inner
            .lease,
        Duration::from_millis(12_500)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_excludes_every_other_holder_across_tasks_and_connections() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    // Two backends are two connections, as two processes would have.
    let backends = [
        RedisBackend::connect(&server.url()).unwrap(),
        RedisBackend::connect(&server.url()).unwrap(),
    ];
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let backend = backends[i % 2].clone();
            let (inside, most) = (inside.clone(), most.clone());
            tokio::spawn(async move {
                let lease = backend.lock("customer-hash", far()).await.unwrap();
                lease.confirm(Duration::from_millis(100)).await.unwrap();
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(3)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
                lease.release().await;
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(most.load(Ordering::SeqCst), 1);
    // Released leases leave no key behind; another name was never blocked.
    let mut conn = raw(&server).await;
    let keys: Vec<String> = query(&mut conn, &["KEYS", "*"]).await;
    assert!(keys.is_empty(), "{keys:?}");
}

#[tokio::test]
async fn a_lease_has_a_ttl_and_names_are_namespaced() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let backend = RedisBackend::connect(&server.url()).unwrap();
    let lease = backend.lock("abc123", far()).await.unwrap();
    assert!(lease.expires());
    backend
        .reserve("abc123", Duration::from_millis(20), Duration::MAX)
        .await
        .unwrap();
    let mut conn = raw(&server).await;
    let mut keys: Vec<String> = query(&mut conn, &["KEYS", "*"]).await;
    keys.sort();
    assert_eq!(
        keys,
        [
            "scaleway-partner:lock:abc123",
            "scaleway-partner:rate:abc123"
        ]
    );
    for key in &keys {
        let ttl: i64 = query(&mut conn, &["PTTL", key]).await;
        assert!(ttl > 0, "{key} never expires ({ttl})");
    }
    let ttl: i64 = query(&mut conn, &["PTTL", "scaleway-partner:lock:abc123"]).await;
    assert!(ttl <= DEFAULT_LEASE.as_millis() as i64);
    // Dropped (not released): its renewal task deletes the key.
    drop(lease);
    for _ in 0..1000 {
        let exists: i64 = query(&mut conn, &["EXISTS", "scaleway-partner:lock:abc123"]).await;
        if exists == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("a dropped lease was never deleted");
}

#[tokio::test]
async fn renewal_keeps_a_lease_past_its_length_and_a_waiter_meets_the_deadline() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let holder = short(&server);
    let other = short(&server);
    let lease = holder.lock("c", far()).await.unwrap();
    // Three lease lengths pass: without renewal the key would be gone.
    tokio::time::sleep(holder.inner.lease * 3).await;
    lease.confirm(Duration::from_millis(100)).await.unwrap();
    let err = other
        .lock("c", Instant::now() + Duration::from_millis(50))
        .await
        .expect_err("the holder still has it");
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    lease.release().await;
    let taken = other.lock("c", far()).await.unwrap();
    taken.release().await;
}

#[tokio::test]
async fn a_margin_longer_than_the_lease_cannot_be_confirmed() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let backend = short(&server);
    let lease = backend.lock("c", far()).await.unwrap();
    let err = lease
        .confirm(Duration::from_secs(5))
        .await
        .expect_err("600 ms cannot cover 5 s");
    assert!(matches!(err, Error::Coordination { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was sent"), "{err}");
}

/// A holder in a child process (this test binary, re-run on the ignored `holder_child`).
struct Holder {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Holder {
    fn spawn(url: &str) -> Holder {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["coordination::redis::tests::holder_child", "--exact"])
            .args(["--ignored", "--nocapture", "--test-threads=1"])
            .env(CHILD_URL, url)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut holder = Holder {
            child,
            stdin,
            stdout,
        };
        assert_eq!(holder.line_with(&["HOLDER-HELD"]), "HOLDER-HELD");
        holder
    }

    fn line_with(&mut self, markers: &[&str]) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "child ended");
            // libtest prints its own words before the first line: markers are searched for.
            if let Some(at) = markers.iter().find_map(|m| line.find(m)) {
                return line[at..].trim().to_owned();
            }
        }
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(signal)
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run by `Holder::spawn` only: takes the lease "frozen", says HELD, then confirms it when
/// asked on stdin and says what came of it.
#[tokio::test]
#[ignore = "a child process of the frozen and killed holder tests"]
async fn holder_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let backend = RedisBackend::with_lease(&url, Duration::from_millis(600)).unwrap();
    let lease = backend.lock("frozen", far()).await.unwrap();
    println!("HOLDER-HELD");
    let line = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(line.trim(), "confirm");
    match lease.confirm(Duration::ZERO).await {
        Ok(()) => println!("HOLDER-CONFIRMED"),
        Err(e) => println!("HOLDER-LOST {e}"),
    }
}

#[tokio::test]
async fn a_holder_frozen_past_its_lease_loses_it_and_cannot_confirm() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let mut holder = Holder::spawn(&server.url());
    holder.signal("-STOP");
    // The frozen holder renews nothing: its lease expires and the next caller gets it.
    let next = short(&server);
    let lease = next.lock("frozen", far()).await.unwrap();
    holder.signal("-CONT");
    writeln!(holder.stdin, "confirm").unwrap();
    let answer = holder.line_with(&["HOLDER-CONFIRMED", "HOLDER-LOST"]);
    assert!(answer.starts_with("HOLDER-LOST"), "{answer}");
    // The thawed holder neither confirmed nor took the lease back.
    lease.confirm(Duration::from_millis(100)).await.unwrap();
    lease.release().await;
}

#[tokio::test]
async fn a_killed_holder_is_replaced_after_its_lease() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let mut holder = Holder::spawn(&server.url());
    let next = short(&server);
    let busy = next
        .lock("frozen", Instant::now() + Duration::from_millis(50))
        .await
        .expect_err("the child holds it");
    assert!(matches!(busy, Error::DeadlineExceeded { .. }), "{busy:?}");
    holder.child.kill().unwrap();
    holder.child.wait().unwrap();
    let lease = next.lock("frozen", far()).await.unwrap();
    lease.release().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reservations_never_share_or_crowd_a_slot() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let backends = [
        RedisBackend::connect(&server.url()).unwrap(),
        RedisBackend::connect(&server.url()).unwrap(),
    ];
    let interval = Duration::from_millis(20);
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            let backend = backends[i % 2].clone();
            tokio::spawn(async move {
                backend
                    .reserve_slot("budget", interval, Duration::MAX)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut slots = Vec::new();
    for task in tasks {
        slots.push(task.await.unwrap().0);
    }
    slots.sort_unstable();
    for pair in slots.windows(2) {
        assert!(
            pair[1] - pair[0] >= interval.as_micros() as u64,
            "slots {} and {} are closer than the interval",
            pair[0],
            pair[1]
        );
    }
}

#[tokio::test]
async fn a_pause_holds_every_slot_and_is_never_shortened() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let backend = RedisBackend::connect(&server.url()).unwrap();
    let mut conn = raw(&server).await;
    let key = "scaleway-partner:rate:paused";
    let interval = Duration::from_millis(10);
    backend
        .pause("paused", Duration::from_secs(30))
        .await
        .unwrap();
    let until: u64 = query(&mut conn, &["HGET", key, "pause"]).await;
    backend
        .pause("paused", Duration::from_secs(1))
        .await
        .unwrap();
    let still: u64 = query(&mut conn, &["HGET", key, "pause"]).await;
    assert_eq!(still, until, "a shorter pause shortened a longer one");
    // A caller that may not wait it out takes no slot; one that may, the first after it.
    let held = backend
        .reserve("paused", interval, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(
        matches!(held, Slot::Paused(p) if p > Duration::from_secs(29)),
        "{held:?}"
    );
    let (slot, now, taken) = backend
        .reserve_slot("paused", interval, Duration::MAX)
        .await
        .unwrap();
    assert!(
        taken && slot >= until && now < until,
        "slot {slot}, pause until {until}"
    );
    let wait = backend
        .reserve("paused", interval, Duration::MAX)
        .await
        .unwrap();
    assert!(
        matches!(wait, Slot::In(w) if w > Duration::from_secs(29)),
        "{wait:?}"
    );
    // A budget's key expires once idle, pause included.
    let ttl: i64 = query(&mut conn, &["PTTL", key]).await;
    assert!(ttl > 30_000 && ttl <= 30_000 + 2 * IDLE_MS as i64, "{ttl}");
}

#[tokio::test]
async fn an_unreachable_or_silent_redis_is_a_coordination_error_not_a_hang() {
    let Some(mut server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let nothing = format!(
        "redis://127.0.0.1:{}/0",
        scaleway_partner_mock::redis_server::free_port().unwrap()
    );
    let frozen = RedisBackend::connect(&server.url()).unwrap();
    let used = RedisBackend::connect(&server.url()).unwrap();
    used.reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap();
    server.freeze().unwrap();
    let cases = [
        (
            "nothing listening",
            RedisBackend::connect(&nothing).unwrap(),
        ),
        ("accepts, never answers (new connection)", frozen),
        ("stops answering (open connection)", used),
    ];
    for (what, backend) in &cases {
        let errors = tokio::time::timeout(HANG, async {
            [
                backend.lock("c", far()).await.map(drop).unwrap_err(),
                backend
                    .reserve("b", Duration::from_millis(1), Duration::MAX)
                    .await
                    .unwrap_err(),
                backend
                    .pause("b", Duration::from_secs(1))
                    .await
                    .unwrap_err(),
            ]
        })
        .await
        .unwrap_or_else(|_| panic!("{what}: hung"));
        for err in errors {
            assert!(matches!(err, Error::Coordination { .. }), "{what}: {err:?}");
            assert_eq!(err.kind(), crate::ErrorKind::Coordination);
        }
    }
    // Back up: the broken connection is replaced (a second after the last failed opening).
    server.thaw().unwrap();
    let mut back = false;
    for _ in 0..600 {
        if cases[2]
            .1
            .reserve("b", Duration::ZERO, Duration::MAX)
            .await
            .is_ok()
        {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "never usable again");
    server.stop();
    let err = cases[2]
        .1
        .reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Coordination { .. }), "{err:?}");
}

#[tokio::test]
async fn a_refused_password_is_reported_without_it() {
    let Some(server) = RedisServer::for_tests(&["--requirepass", "right-s3cret"]) else {
        return;
    };
    let port = server.port();
    let wrong =
        RedisBackend::connect(&format!("redis://:wrong-s3cret@127.0.0.1:{port}/0")).unwrap();
    let err = wrong
        .reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Coordination { .. }), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("wrong-s3cret"), "{text}");
    assert!(text.contains("redis://:***@127.0.0.1"), "{text}");
    let right =
        RedisBackend::connect(&format!("redis://:right-s3cret@127.0.0.1:{port}/0")).unwrap();
    right
        .reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap();
}

/// The core keeps one backend for the process, used from whatever runtime calls it (a test's,
/// a binding's): a connection driven by a runtime that ended is replaced, not reported.
#[test]
fn a_backend_outlives_the_runtime_that_opened_its_connection() {
    let Some(server) = RedisServer::for_tests(&[]) else {
        return;
    };
    let backend = RedisBackend::connect(&server.url()).unwrap();
    let runtime = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    };
    runtime()
        .block_on(backend.reserve("b", Duration::ZERO, Duration::MAX))
        .unwrap();
    runtime()
        .block_on(backend.reserve("b", Duration::ZERO, Duration::MAX))
        .unwrap();
}

/// Environment variable that turns the ignored `rediss_child` test into a TLS client.
const TLS_CHILD_URL: &str = "SCALEWAY_PARTNER_TEST_REDISS";

/// Run by `rediss_checks_the_certificate` only, with `SSL_CERT_FILE` naming the test authority
/// (the environment of this process cannot be changed safely while tests run in threads).
#[tokio::test]
#[ignore = "a child process of rediss_checks_the_certificate"]
async fn rediss_child() {
    let Ok(url) = std::env::var(TLS_CHILD_URL) else {
        return;
    };
    let backend = RedisBackend::connect(&url).unwrap();
    match backend.lock("tls", far()).await {
        Ok(lease) => {
            lease.release().await;
            println!("REDISS-OK");
        }
        Err(e) => println!("REDISS-ERR {e}"),
    }
}

#[tokio::test]
async fn rediss_checks_the_certificate() {
    let Some(server) = RedisServer::for_tests_tls() else {
        return;
    };
    // The system's roots do not know the test authority: refused, as a coordination error.
    let err = RedisBackend::connect(&server.url())
        .unwrap()
        .reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Coordination { .. }), "{err:?}");
    // Plain Redis spoken to a TLS port: refused too, never a hang.
    let plain = server.url().replace("rediss://", "redis://");
    let err = RedisBackend::connect(&plain)
        .unwrap()
        .reserve("b", Duration::ZERO, Duration::MAX)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Coordination { .. }), "{err:?}");
    // Trusting the authority (SSL_CERT_FILE), the lease goes through TLS.
    let output = tokio::task::spawn_blocking({
        let (url, ca) = (server.url(), server.ca_file());
        move || {
            Command::new(std::env::current_exe().unwrap())
                .args(["coordination::redis::tests::rediss_child", "--exact"])
                .args(["--ignored", "--nocapture", "--test-threads=1"])
                .env(TLS_CHILD_URL, url)
                .env("SSL_CERT_FILE", ca)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("REDISS-OK"), "{stdout}");
}
