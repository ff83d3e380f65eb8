//! An outcome that can be established is established: through a proxy that garbles success
//! bodies (the emulator's `garble` fault), a read is read again, and a lock, unlock or update
//! whose 2xx cannot be decoded is read back and reported by what the organization shows. And a
//! bulk call's `total_timeout` bounds the whole call, as it does `all()` and `audit()`.

mod common;

use std::time::Duration;

use common::{builder, capture_traces, emulator, every_organization, hostile, http_json, org_json};
use scaleway_partner::{BulkAction, Client, ErrorKind, UpdateOrganizationRequest};
use scaleway_partner_mock::{FaultPlan, FaultProbabilities, MockServer, ScriptedFault};
use serde_json::json;

/// The share of requests whose success body the proxy garbles.
const GARBLED: f64 = 0.03;

async fn garbling_emulator(organizations: usize) -> (MockServer, Client, Vec<String>) {
    let mock = emulator(json!({"seed_organizations": organizations})).await;
    let client = builder(&mock).bulk_concurrency(16).build().unwrap();
    let ids = every_organization(&client)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    mock.inject_faults(FaultPlan {
        probabilities: Some(FaultProbabilities {
            garble: GARBLED,
            ..FaultProbabilities::default()
        }),
        seed: Some(24),
        ..FaultPlan::default()
    });
    (mock, client, ids)
}

fn failures<T>(results: &[scaleway_partner::Result<T>]) -> usize {
    results.iter().filter(|r| r.is_err()).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_locks_and_unlocks_through_a_garbling_proxy_all_succeed() {
    let (mock, client, ids) = garbling_emulator(500).await;
    let locked = client.lock_organizations(ids.clone()).await.unwrap();
    let garbled_locks = mock.stats().faults_injected;
    let reads_for_locks = mock.stats().by_operation.get("get_organization").copied();
    let unlocked = client.unlock_organizations(ids.clone()).await.unwrap();
    let stats = mock.stats();
    let garbled = stats.faults_injected;
    println!(
        "500 locks: {} failed ({garbled_locks} answers garbled); 500 unlocks: {} failed ({} \
         garbled); reads back: {reads_for_locks:?} after the locks, {:?} in all",
        failures(&locked),
        failures(&unlocked),
        garbled - garbled_locks,
        stats.by_operation.get("get_organization")
    );
    assert!(
        garbled_locks > 0 && garbled > garbled_locks,
        "the proxy garbled nothing"
    );
    assert_eq!(failures(&locked), 0);
    assert_eq!(failures(&unlocked), 0);
    assert!(
        locked
            .iter()
            .all(|o| o.as_ref().unwrap().is_locked_by_partner())
    );
    assert!(
        unlocked
            .iter()
            .all(|o| !o.as_ref().unwrap().is_locked_by_partner())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_gets_through_a_garbling_proxy_all_succeed() {
    let (mock, client, ids) = garbling_emulator(500).await;
    let read = client.get_organizations(ids).await.unwrap();
    assert!(mock.stats().faults_injected > 0);
    assert_eq!(failures(&read), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_with_a_garbled_answer_is_read_back_and_says_so() {
    let mock = emulator(json!({"seed_organizations": 1})).await;
    let client = builder(&mock).build().unwrap();
    let id = every_organization(&client).await.unwrap()[0].id.clone();
    mock.inject_faults(FaultPlan {
        script: vec![
            ScriptedFault::new(scaleway_partner_mock::FaultKind::Garble)
                .on(scaleway_partner_mock::Operation::UpdateOrganization),
        ],
        ..FaultPlan::default()
    });
    let traces = capture_traces();
    let org = client
        .update_organization(
            &id,
            UpdateOrganizationRequest::new().comment("annual billing"),
        )
        .await
        .unwrap();
    assert_eq!(org.comment, "annual billing");
    assert_eq!(mock.stats().faults_injected, 1);
    assert!(
        traces.text().contains("the change is in place"),
        "{}",
        traces.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_garbled_answer_to_a_change_that_is_not_there_stays_an_error() {
    // A hostile server: 200 with HTML to the lock, and an organization that is not locked.
    let id = "6f4049e3-5910-4283-bb02-382ef15aa460";
    let server = hostile("127.0.0.1", move |head| {
        if head.starts_with("POST") {
            http_json(200, "<html>")
        } else {
            http_json(200, &org_json(id).to_string())
        }
    })
    .await;
    let client = common::builder_for(&server.url)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.lock_organization(id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    let heads = server.requests.lock().unwrap().clone();
    assert_eq!(heads.len(), 2, "the lock, then the read back: {heads:?}");
    assert!(heads[1].starts_with("GET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn total_timeout_bounds_a_whole_bulk_call() {
    // Every answer takes 1 s; 20 locks 4 at a time would take 5 s: the call has 3.
    let mock = emulator(json!({"seed_organizations": 20, "latency": {"base_ms": 1000}})).await;
    let client = builder(&mock)
        .bulk_concurrency(4)
        .total_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let ids: Vec<String> = every_organization(&client)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    let limited = client.with_options(scaleway_partner::CallOptions {
        total_timeout: Some(Duration::from_secs(3)),
        ..Default::default()
    });
    let start = std::time::Instant::now();
    let outcome = limited.bulk().run(BulkAction::Lock, ids).await;
    println!("20 locks with total_timeout=3 s took {:?}", start.elapsed());
    let interrupted = outcome.expect_err("the deadline cut the call short");
    assert_eq!(interrupted.kind(), ErrorKind::Timeout, "{interrupted}");
    let results = &interrupted.results;
    assert_eq!(results.len(), 20);
    let done = results.iter().flatten().filter(|r| r.is_ok()).count();
    let cut = results
        .iter()
        .flatten()
        .filter(|r| r.as_ref().is_err_and(|e| e.kind() == ErrorKind::Timeout))
        .count();
    let not_started = results.iter().filter(|r| r.is_none()).count();
    assert!(
        done > 0 && not_started > 0,
        "{done} done, {not_started} not started"
    );
    assert_eq!(done + cut + not_started, 20);
    assert!(interrupted.error.attempts().unwrap() >= done as u32);
}
