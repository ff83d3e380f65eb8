//! Tests that run their own test binary again as other processes (one per "caller"), passing
//! the emulator to each child in an environment variable.

use std::collections::BTreeMap;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use scaleway_partner::{Client, ClientBuilder, Error, ErrorKind};
use scaleway_partner_mock::MockServer;
use serde_json::json;

use super::{every_organization, hostile, new_org, org_json, stats, until_stats};

/// The customers every child ensures.
pub fn customers() -> Vec<String> {
    (0..5).map(|c| format!("cust-{c}")).collect()
}

/// Starts this test binary as another process running only `test`, with `var` set to
/// `url secret_key organization_id` of `mock` followed by `extra`.
pub fn spawn(var: &str, test: &str, mock: &MockServer, extra: &[&str]) -> Child {
    let mut spec = vec![mock.url(), mock.secret_key(), mock.organization_id()];
    spec.extend_from_slice(extra);
    spawn_with(var, test, &spec)
}

/// Starts this test binary as another process running only `test`, with `var` set to `spec`
/// (`url secret_key organization_id` and more, as [`spec`] reads it).
pub fn spawn_with<S: AsRef<str>>(var: &str, test: &str, spec: &[S]) -> Child {
    let spec: Vec<&str> = spec.iter().map(AsRef::as_ref).collect();
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(var, spec.join(" "))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the test binary starts again")
}

/// In a child: the words after the emulator's three that its parent set in `var`, and a
/// builder bound to that emulator (no pacing, the machine's configuration ignored). `None` in
/// the parent.
pub fn spec(var: &str) -> Option<(Vec<String>, ClientBuilder)> {
    let spec = std::env::var(var).ok()?;
    let parts: Vec<&str> = spec.split(' ').collect();
    let &[url, key, org, ref extra @ ..] = &parts[..] else {
        panic!("bad {var}: {spec}")
    };
    let builder = Client::builder()
        .api_url(url)
        .secret_key(key)
        .default_organization_id(org)
        .environment([("HOME", "/nonexistent")])
        .rate_limit(0.0);
    Some((extra.iter().map(|e| (*e).to_owned()).collect(), builder))
}

/// Waits for a child to end, off the runtime's threads.
pub async fn wait(child: Child) -> Output {
    tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap()
}

/// The lines of a finished child's output that follow `marker` (the harness prints its own
/// words before the first one).
pub fn marked(output: &Output, marker: &str) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_once(marker).map(|(_, rest)| rest.to_owned()))
        .collect()
}

/// The body of a child: ensures each of `customers` at once, one task each, and prints
/// `ENSURED customer id created` per call for its parent to read with [`marked`].
pub async fn ensure_and_print(client: &Client, customers: Vec<String>) {
    let tasks: Vec<_> = customers
        .into_iter()
        .map(|customer| {
            let client = client.clone();
            tokio::spawn(async move {
                let e = client
                    .ensure_organization(new_org(0, &customer))
                    .await
                    .expect("ensure");
                (customer, e.organization.id, e.created)
            })
        })
        .collect();
    for task in tasks {
        let (customer, id, created) = task.await.unwrap();
        println!("ENSURED {customer} {id} {created}");
    }
}

/// The organization IDs of each customer, as a full listing shows them.
pub async fn by_customer(client: &Client) -> BTreeMap<String, Vec<String>> {
    let all = every_organization(client).await.unwrap();
    all.into_iter().fold(BTreeMap::new(), |mut m, o| {
        m.entry(o.customer_id).or_default().push(o.id);
        m
    })
}

/// The body of a holder child: its ensure of `cust-held` holds the customer while its listing
/// hangs (see [`a_killed_holder_is_replaced`]), until the parent kills it.
pub async fn hold_a_customer(client: &Client) {
    let _ = client.ensure_organization(new_org(0, "cust-held")).await;
    unreachable!("killed while its listing hangs");
}

/// A holder child started by `spawn_holder` (running [`hold_a_customer`]) holds `cust-held`
/// while its listing hangs: a caller built by `caller` (given its deadline) waits until that
/// deadline having sent nothing; once the holder is killed (SIGKILL, no chance to let go), the
/// next caller, given `next_deadline`, creates the organization.
pub async fn a_killed_holder_is_replaced(
    mock: &MockServer,
    spawn_holder: impl FnOnce() -> Child,
    caller: impl Fn(Duration) -> Client,
    next_deadline: Duration,
) {
    // The holder's listing hangs far longer than anything below waits.
    mock.inject_faults(
        serde_json::from_value(json!({"script": [{"fault": "slow", "delay_ms": 600_000,
            "operation": "list_organizations"}]}))
        .unwrap(),
    );
    let mut holder = spawn_holder();
    until_stats(mock, "the holder lists", |s| s["requests"] == 1).await;
    let err = caller(Duration::from_millis(500))
        .ensure_organization(new_org(0, "cust-held"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(stats(mock)["requests"], 1, "nothing sent while waiting");
    holder.kill().unwrap();
    wait(holder).await;
    let ensured = caller(next_deadline)
        .ensure_organization(new_org(0, "cust-held"))
        .await
        .unwrap();
    assert!(ensured.created);
}

/// The organization the pausing server answers with.
const PAUSED_ORG: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

/// The body of a child that receives a pause: one call to the server of its spec, whose 200
/// says the key's window is spent for 50 s (within the 60 s a server's wait is believed).
pub async fn receive_a_pause(client: &Client) {
    client
        .get_organization(PAUSED_ORG)
        .await
        .expect("the paused answer");
    println!("PAUSED");
}

/// A pause set by another process holds this one too, and a call that may not wait it out
/// fails at once: a child started by `spawn_child(url, key)` (running [`receive_a_pause`])
/// gets the pause from a hostile server on a real socket; then a call of this process, made
/// with a client built by `client(url, key)` whose total timeout is shorter than the pause,
/// is a `RateLimitPause` (kind timeout, 0 attempts), and nothing more reaches the server.
/// This process's own pacer never saw the pause: only the shared budget knows it.
pub async fn a_pause_set_by_another_process_fails_a_call_at_once(
    spawn_child: impl FnOnce(&str, &str) -> Child,
    client: impl FnOnce(&str, &str, Duration) -> Client,
) {
    let server = hostile("127.0.0.1", |_| {
        let body = org_json(PAUSED_ORG).to_string();
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 50\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    })
    .await;
    // A key of this run only: nothing else on the machine shares its budget.
    let key = uuid::Uuid::new_v4().to_string();
    let output = wait(spawn_child(&server.url, &key)).await;
    assert!(output.status.success(), "the child failed");
    assert_eq!(marked(&output, "PAUSED"), [""], "the child got its answer");
    assert_eq!(server.requests.lock().unwrap().len(), 1);
    let err = client(&server.url, &key, Duration::from_secs(20))
        .get_organization(PAUSED_ORG)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimitPause { .. }), "{err}");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), Some(0), "{err}");
    assert_eq!(
        server.requests.lock().unwrap().len(),
        1,
        "nothing more sent"
    );
}
