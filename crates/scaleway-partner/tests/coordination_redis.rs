//! Coordination through Redis with machine coordination off (issue 23 item 3): processes of
//! this test binary, each its own "host", share one real `redis-server` and one emulator.
//! Skipped when redis-server is not installed, except under `CI=true`, where that fails.

mod common;

use std::collections::BTreeMap;
use std::process::{Child, Command};
use std::time::Duration;

use common::children::{self, customers, marked, wait};
use common::{builder, emulator, new_org, stats, until_stats};
use scaleway_partner::{Client, ErrorKind};
use scaleway_partner_mock::{MockServer, RedisServer};
use serde_json::json;

/// Set in a child process: `emulator_url secret_key organization_id redis_url`.
const CHILD_ENV: &str = "SCALEWAY_PARTNER_REDIS_CHILD";

/// This test binary again, running `test` against `mock` and `redis`.
fn child(test: &str, mock: &MockServer, redis: &str) -> Child {
    children::spawn(CHILD_ENV, test, mock, &[redis])
}

/// In a child: a client coordinated through the parent's Redis, chosen by the environment
/// variable (the client option is the same path: `tests/coordination.rs`).
fn child_client() -> Option<Client> {
    let (extra, builder) = children::spec(CHILD_ENV)?;
    let [redis] = &extra[..] else {
        panic!("bad {CHILD_ENV}: {extra:?}")
    };
    Some(
        builder
            .environment([
                ("HOME", "/nonexistent"),
                ("SCW_PARTNER_COORDINATION", redis.as_str()),
            ])
            .timeout(Duration::from_secs(60))
            .total_timeout(Duration::from_secs(120))
            .build()
            .unwrap(),
    )
}

async fn by_customer(mock: &MockServer) -> BTreeMap<String, Vec<String>> {
    children::by_customer(&common::client(mock)).await
}

/// The child of `five_processes_pointed_at_redis_make_one_organization_per_customer`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_ensures_every_customer() {
    let Some(client) = child_client() else { return };
    children::ensure_and_print(&client, customers()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_processes_pointed_at_redis_make_one_organization_per_customer() {
    if child_client().is_some() {
        return;
    }
    let Some(redis) = RedisServer::for_tests(&[]) else {
        return;
    };
    let mock = emulator(json!({"latency": {"create_ms": 400}})).await;
    let children: Vec<Child> = (0..5)
        .map(|_| child("child_ensures_every_customer", &mock, &redis.url()))
        .collect();
    let mut results = Vec::new();
    for c in children {
        let output = wait(c).await;
        assert!(output.status.success(), "a child failed");
        results.extend(marked(&output, "ENSURED "));
    }
    assert_eq!(results.len(), 25, "{results:?}");
    let orgs = by_customer(&mock).await;
    assert_eq!(orgs.len(), 5, "{orgs:?}");
    let mut created = 0;
    for line in &results {
        let f: Vec<&str> = line.split(' ').collect();
        assert_eq!(
            orgs[f[0]],
            [f[1]],
            "{f:?}: one organization, the one every caller got"
        );
        created += usize::from(f[2] == "true");
    }
    assert_eq!(created, 5, "one created: true per customer");
}

/// The child of `a_killed_holder_is_replaced_after_its_lease`: holds the customer's lease
/// while its listing hangs, until killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_holds_a_customer() {
    let Some(client) = child_client() else { return };
    children::hold_a_customer(&client).await;
}

/// A Redis URL with the shortest lease, so that a dead holder is replaced soon.
fn short_lease(redis: &RedisServer) -> String {
    format!("{}?lease=10", redis.url())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_holder_is_replaced_after_its_lease() {
    if child_client().is_some() {
        return;
    }
    let Some(redis) = RedisServer::for_tests(&[]) else {
        return;
    };
    let mock = emulator(json!({})).await;
    let url = short_lease(&redis);
    // The holder renews no more once killed: its lease runs out and the next caller gets it.
    children::a_killed_holder_is_replaced(
        &mock,
        || child("child_holds_a_customer", &mock, &url),
        |deadline| {
            builder(&mock)
                .coordination(&url)
                .total_timeout(deadline)
                .build()
                .unwrap()
        },
        Duration::from_secs(60),
    )
    .await;
}

/// The child of `a_holder_frozen_past_its_lease_gets_a_conflict_not_a_silent_duplicate`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_creates_slowly() {
    let Some(client) = child_client() else { return };
    match client.ensure_organization(new_org(0, "cust-frozen")).await {
        Ok(e) => println!("RESULT ok {}", e.organization.id),
        Err(e) => println!("RESULT {:?} {e}", e.kind()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_frozen_past_its_lease_gets_a_conflict_not_a_silent_duplicate() {
    if child_client().is_some() {
        return;
    }
    let Some(redis) = RedisServer::for_tests(&[]) else {
        return;
    };
    let mock = emulator(json!({})).await;
    // The holder's create lands 20 s after it was posted: twice the lease.
    mock.inject_faults(
        serde_json::from_value(json!({"script": [{"fault": "slow", "delay_ms": 20_000,
            "operation": "create_organization"}]}))
        .unwrap(),
    );
    let url = short_lease(&redis);
    let frozen = child("child_creates_slowly", &mock, &url);
    until_stats(&mock, "the holder posts", |s| s["requests"] == 2).await;
    let stop = |signal: &str| {
        let ok = Command::new("kill")
            .args([signal, &frozen.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {signal}");
    };
    // Frozen between its confirmation and the moment its create lands: the one window.
    stop("-STOP");
    let next = builder(&mock)
        .coordination(&url)
        .total_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let second = next
        .ensure_organization(new_org(0, "cust-frozen"))
        .await
        .unwrap();
    assert!(second.created, "the frozen create had not landed yet");
    let mut landed = false;
    for _ in 0..600 {
        if by_customer(&mock).await["cust-frozen"].len() == 2 {
            landed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(landed, "the frozen holder's create never landed");
    stop("-CONT");
    let result = marked(&wait(frozen).await, "RESULT ").join("\n");
    assert!(result.starts_with("Conflict"), "{result}");
    assert!(result.contains(&second.organization.id), "{result}");
    // And every later ensure reports it too.
    let err = next
        .ensure_organization(new_org(0, "cust-frozen"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
}

#[tokio::test]
async fn redis_down_nothing_is_sent_for_a_create_and_reads_pace_alone() {
    let mock = emulator(json!({})).await;
    let nothing = format!(
        "redis://127.0.0.1:{}/0",
        scaleway_partner_mock::redis_server::free_port().unwrap()
    );
    // Paced, so that reads reserve their slots through the backend too.
    let client = builder(&mock)
        .coordination(&nothing)
        .rate_limit(50.0)
        .build()
        .unwrap();
    let err = client
        .ensure_organization(new_org(0, "cust-down"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Coordination, "{err}");
    let err = client
        .create_organization(new_org(1, "cust-down"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Coordination, "{err}");
    assert_eq!(stats(&mock)["requests"], 0, "nothing sent");
    // A read is not worth failing: it is paced by this process alone (with a warning).
    common::first_page(&client).await.unwrap();
    assert_eq!(stats(&mock)["requests"], 1);
}

#[test]
fn a_redis_url_is_checked_naming_its_source_and_its_password_never_shows() {
    let client = common::builder_for("http://127.0.0.1:9")
        .coordination("redis://app:hunter2-pw@127.0.0.1:6379/0")
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("hunter2-pw"));
    let err = common::builder_for("http://127.0.0.1:9")
        .coordination("redis://app:hunter2-pw@127.0.0.1:6379/zero")
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(
        text.starts_with("configuration error: coordination must be"),
        "{text}"
    );
    assert!(text.contains("redis://app:***@127.0.0.1"), "{text}");
    let err = common::builder_for("http://127.0.0.1:9")
        .environment([
            ("HOME", "/nonexistent"),
            (
                "SCW_PARTNER_COORDINATION",
                "rediss://:hunter2-pw@cache/0?lease=1",
            ),
        ])
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("SCW_PARTNER_COORDINATION must be"), "{text}");
    assert!(!text.contains("hunter2-pw"), "{text}");
}

/// A paced client (a shared budget is only used when pacing is on) coordinated through
/// `redis`, that retries nothing.
fn paced_through(builder: scaleway_partner::ClientBuilder, redis: &str) -> Client {
    builder
        .coordination(redis)
        .rate_limit(50.0)
        .max_retries(0)
        .build()
        .unwrap()
}

/// The child of `a_pause_another_host_received_fails_a_call_at_once`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_receives_a_pause() {
    let Some((extra, builder)) = children::spec(CHILD_ENV) else {
        return;
    };
    children::receive_a_pause(&paced_through(builder, &extra[0])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_another_host_received_fails_a_call_at_once() {
    if child_client().is_some() {
        return;
    }
    let Some(redis) = RedisServer::for_tests(&[]) else {
        return;
    };
    let redis = redis.url();
    // Machine coordination off in this process: only Redis can tell it of the pause.
    children::a_pause_set_by_another_process_fails_a_call_at_once(
        |url, key| {
            let org = uuid::Uuid::new_v4().to_string();
            children::spawn_with(
                CHILD_ENV,
                "child_receives_a_pause",
                &[url, key, &org, &redis],
            )
        },
        |url, key, total| {
            paced_through(
                common::builder_for(url)
                    .secret_key(key)
                    .total_timeout(total),
                &redis,
            )
        },
    )
    .await;
}
