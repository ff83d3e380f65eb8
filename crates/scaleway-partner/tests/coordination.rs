//! Exactly one organization per customer however many callers at once (issue 23): tasks of one
//! client, several clients of one process, and several processes of one machine (this test
//! binary runs itself as the other processes), against one emulator whose create is slow.

mod common;

use std::collections::BTreeSet;
use std::process::Child;
use std::time::Duration;

use common::children::{self, customers};
use common::{builder, emulator, new_org, stats, until_stats};
use scaleway_partner::{Client, ErrorKind, ListOrganizationsRequest};
use serde_json::json;

/// Set in a child process: the emulator to use, as `url secret_key organization_id`.
const CHILD_ENV: &str = "SCALEWAY_PARTNER_COORDINATION_CHILD";

/// A create that takes this long leaves every uncoordinated caller time to create too.
fn slow_create() -> serde_json::Value {
    json!({"latency": {"create_ms": 400}})
}

/// Ensures each of `customers` 5 times at once through `clients` (taken in turn), each call a
/// task of its own; returns (customer, organization ID, created) per call.
async fn ensure_all(clients: &[Client], customers: &[String]) -> Vec<(String, String, bool)> {
    let mut tasks = Vec::new();
    for round in 0..5 {
        for (c, customer) in customers.iter().enumerate() {
            let client = clients[(round * customers.len() + c) % clients.len()].clone();
            let customer = customer.clone();
            tasks.push(tokio::spawn(async move {
                let ensured = client
                    .ensure_organization(new_org(0, &customer))
                    .await
                    .expect("ensure");
                assert_eq!(ensured.organization.customer_id, customer);
                (customer, ensured.organization.id, ensured.created)
            }));
        }
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.expect("task"));
    }
    out
}

/// Every caller of a customer got the one organization the customer has.
async fn one_organization_each(client: &Client, results: &[(String, String, bool)]) {
    let by_customer = children::by_customer(client).await;
    let all: usize = by_customer.values().map(Vec::len).sum();
    assert_eq!(all, customers().len(), "organizations: {by_customer:?}");
    for (customer, id, _) in results {
        assert_eq!(by_customer[customer.as_str()], [id.as_str()], "{customer}");
    }
    let created = results.iter().filter(|r| r.2).count();
    assert_eq!(created, customers().len(), "one created: true per customer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_on_one_client_make_one_organization_per_customer() {
    let mock = emulator(slow_create()).await;
    let client = builder(&mock).build().unwrap();
    let results = ensure_all(std::slice::from_ref(&client), &customers()).await;
    one_organization_each(&client, &results).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn several_clients_of_one_process_make_one_organization_per_customer() {
    let mock = emulator(slow_create()).await;
    // Separate clients, each coordinating only within the process: the rule is the process's,
    // not a client's.
    let clients: Vec<Client> = (0..5)
        .map(|_| builder(&mock).coordination("process").build().unwrap())
        .collect();
    let results = ensure_all(&clients, &customers()).await;
    one_organization_each(&clients[0], &results).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bulk_form_and_single_calls_share_the_rule() {
    let mock = emulator(slow_create()).await;
    let client = builder(&mock).build().unwrap();
    let bulk = client.clone();
    let batch = tokio::spawn(async move {
        let requests = (0..3).map(|_| new_org(0, "cust-0"));
        bulk.ensure_organizations(requests).await.unwrap()
    });
    let single = client
        .ensure_organization(new_org(0, "cust-0"))
        .await
        .unwrap();
    let batch = batch.await.unwrap();
    let ids: BTreeSet<_> = batch
        .iter()
        .map(|r| r.as_ref().unwrap().organization.id.clone())
        .chain([single.organization.id.clone()])
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let created =
        batch.iter().filter(|r| r.as_ref().unwrap().created).count() + usize::from(single.created);
    assert_eq!(created, 1);
}

/// In a child process: the client its parent asked for (machine coordination, the default).
fn child_client() -> Option<Client> {
    let (_, builder) = children::spec(CHILD_ENV)?;
    Some(builder.build().unwrap())
}

/// The child of `processes_of_one_machine_make_one_organization_per_customer`: ensures every
/// customer at once and prints what it got.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_ensures_every_customer() {
    let Some(client) = child_client() else { return };
    children::ensure_and_print(&client, customers()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_of_one_machine_make_one_organization_per_customer() {
    if child_client().is_some() {
        return;
    }
    let mock = emulator(json!({"latency": {"create_ms": 1000}})).await;
    let procs: Vec<Child> = (0..5)
        .map(|_| children::spawn(CHILD_ENV, "child_ensures_every_customer", &mock, &[]))
        .collect();
    let mut results = Vec::new();
    for c in procs {
        let output = children::wait(c).await;
        assert!(output.status.success(), "a child failed");
        for line in children::marked(&output, "ENSURED ") {
            let f: Vec<&str> = line.split(' ').collect();
            results.push((f[0].to_owned(), f[1].to_owned(), f[2] == "true"));
        }
    }
    assert_eq!(results.len(), 25, "{results:?}");
    one_organization_each(&builder(&mock).build().unwrap(), &results).await;
}

/// The child of `a_killed_holder_lets_the_next_caller_in_at_once`: its ensure holds the
/// customer's lock while its listing hangs, until the parent kills it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_holds_a_customer() {
    let Some(client) = child_client() else { return };
    children::hold_a_customer(&client).await;
}

/// The operating system releases a killed holder's lock: the next caller gets in at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_holder_lets_the_next_caller_in_at_once() {
    if child_client().is_some() {
        return;
    }
    let mock = emulator(json!({})).await;
    children::a_killed_holder_is_replaced(
        &mock,
        || children::spawn(CHILD_ENV, "child_holds_a_customer", &mock, &[]),
        |deadline| builder(&mock).total_timeout(deadline).build().unwrap(),
        Duration::from_secs(20),
    )
    .await;
}

#[tokio::test]
async fn a_bad_coordination_is_a_configuration_error_naming_it() {
    let mock = emulator(json!({})).await;
    let err = builder(&mock).coordination("cluster").build().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("coordination"), "{err}");
    let err = builder(&mock)
        .environment([
            ("HOME", "/nonexistent"),
            ("SCW_PARTNER_COORDINATION", "memcached://secret@host"),
        ])
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("SCW_PARTNER_COORDINATION") && !text.contains("secret"),
        "{text}"
    );
    for ok in ["machine", "process", "PROCESS"] {
        builder(&mock).coordination(ok).build().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bulk_item_fails_because_its_siblings_spent_the_budget() {
    // The gateway allows 5 requests a second; the client believes 50 and allows no retry.
    let mock = emulator(json!({"seed_organizations": 30, "rate_limit": 5,
        "rate_limit_style": "gateway"}))
    .await;
    let client = builder(&mock)
        .rate_limit(50.0)
        .max_retries(0)
        .build()
        .unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(100))
        .unwrap();
    let page = lister.page(1).await.unwrap();
    let ids: Vec<String> = page.organizations.into_iter().map(|o| o.id).collect();
    assert_eq!(ids.len(), 30);
    let results = client.get_organizations(ids).await.unwrap();
    let failed: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    assert!(
        stats(&mock)["rate_limited"].as_u64().unwrap() > 0,
        "the budget was spent: 429s were answered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_gives_up_at_its_deadline_or_when_cancelled_having_sent_nothing() {
    let mock = emulator(json!({"latency": {"create_ms": 3000}})).await;
    let client = builder(&mock).build().unwrap();
    let first = client.clone();
    let holder = tokio::spawn(async move { first.ensure_organization(new_org(0, "cust-w")).await });
    until_stats(&mock, "the first create is on its way", |s| {
        s["by_operation"]["create_organization"] == 1
    })
    .await;
    let token = scaleway_partner::CancellationToken::new();
    let cancellable = client.with_options(scaleway_partner::CallOptions {
        cancel: Some(token.clone()),
        ..Default::default()
    });
    let waiter =
        tokio::spawn(async move { cancellable.ensure_organization(new_org(0, "cust-w")).await });
    token.cancel();
    let err = waiter.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    let quick = client.with_options(scaleway_partner::CallOptions {
        total_timeout: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    });
    let err = quick
        .ensure_organization(new_org(0, "cust-w"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // Only the holder's listing and create reached the API.
    assert_eq!(stats(&mock)["requests"], 2);
    assert!(holder.await.unwrap().unwrap().created);
}

/// A client of the pausing server `url` with `key`, paced (a shared budget is only used when
/// pacing is on), coordinated through the lock files of `runtime_dir`.
fn machine_client(url: &str, key: &str, runtime_dir: &str) -> scaleway_partner::ClientBuilder {
    common::builder_for(url)
        .secret_key(key)
        .environment([("HOME", "/nonexistent"), ("XDG_RUNTIME_DIR", runtime_dir)])
        .rate_limit(50.0)
        .max_retries(0)
}

/// Set in the child of `a_pause_another_process_received_fails_a_call_at_once`:
/// `url key organization runtime_dir`.
const PAUSE_CHILD_ENV: &str = "SCALEWAY_PARTNER_PAUSE_CHILD";

/// The child of `a_pause_another_process_received_fails_a_call_at_once`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_receives_a_pause() {
    let Ok(spec) = std::env::var(PAUSE_CHILD_ENV) else {
        return;
    };
    let words: Vec<&str> = spec.split(' ').collect();
    let &[url, key, _, dir] = &words[..] else {
        panic!("bad {PAUSE_CHILD_ENV}: {spec}")
    };
    let client = machine_client(url, key, dir).build().unwrap();
    children::receive_a_pause(&client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_another_process_received_fails_a_call_at_once() {
    if std::env::var_os(PAUSE_CHILD_ENV).is_some() {
        return;
    }
    let runtime = tempfile::tempdir().unwrap();
    let dir = runtime.path().to_str().unwrap();
    children::a_pause_set_by_another_process_fails_a_call_at_once(
        |url, key| {
            children::spawn_with(
                PAUSE_CHILD_ENV,
                "child_receives_a_pause",
                &[url, key, "00000000-0000-4000-8000-000000000000", dir],
            )
        },
        |url, key, total| {
            machine_client(url, key, dir)
                .total_timeout(total)
                .build()
                .unwrap()
        },
    )
    .await;
}
