//! The client-wide pacer keeps bulk work under the API's rate budget.

mod common;

use std::time::Instant;

use common::{builder, emulator, fast_retries, stats};
use scaleway_partner::{BulkAction, Client, Organization, Result};
use serde_json::json;

const ID: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

/// `n` gets of an ID the emulator does not know, `concurrency` at a time: one result each.
async fn gets(client: &Client, concurrency: usize, n: usize) -> Vec<Result<Organization>> {
    let bulk = client.bulk().concurrency(concurrency);
    bulk.run(BulkAction::Get, vec![ID; n]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_work_stays_under_the_budget_without_a_single_429() {
    let mock = emulator(json!({"rate_limit": 50})).await;
    let client = builder(&mock).rate_limit(50.0).build().unwrap();
    let start = Instant::now();
    let results = gets(&client, 32, 150).await;
    let elapsed = start.elapsed();
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap_err().status_code() == Some(404))
    );
    assert_eq!(
        stats(&mock)["rate_limited"],
        0,
        "paced calls never hit the limit"
    );
    println!("150 paced calls in {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_pacing_the_same_work_is_rate_limited() {
    // The control experiment: it proves the emulator's limit is real, so the test above can fail.
    let mock = emulator(json!({"rate_limit": 50})).await;
    let client = builder(&mock)
        .rate_limit(0.0)
        .retry_policy(fast_retries(0))
        // A 429 is retried until the deadline: this one is shorter than the 1 s it waits.
        .total_timeout(std::time::Duration::from_millis(900))
        .build()
        .unwrap();
    let results = gets(&client, 32, 150).await;
    let limited = results
        .iter()
        .filter(|r| r.as_ref().unwrap_err().status_code() == Some(429))
        .count();
    assert!(limited > 0);
    assert_eq!(stats(&mock)["rate_limited"], limited as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_budget_follows_what_the_server_announces_and_429s_are_ridden_out() {
    let mock = emulator(json!({"rate_limit": 10})).await;
    let client = builder(&mock)
        .rate_limit(50.0)
        .retry_policy(fast_retries(8))
        .build()
        .unwrap();
    let results = gets(&client, 16, 40).await;
    assert!(
        results
            .iter()
            .all(|r| r.as_ref().unwrap_err().status_code() == Some(404)),
        "every call ends with the API's answer, not a 429"
    );
    // The server's 10, or less while the rate recovers from the 429s of the first calls (paced
    // at 50 per second until the first answer told otherwise).
    let budget = client.rate_budget();
    assert!(budget > 0.0 && budget <= 10.0, "{budget}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_of_one_key_share_the_budget() {
    // Each client alone would stay under 50 requests/s; together, only a shared pacer does.
    let mock = emulator(json!({"rate_limit": 50})).await;
    let a = builder(&mock).rate_limit(50.0).build().unwrap();
    let b = builder(&mock).rate_limit(50.0).build().unwrap();
    let start = Instant::now();
    let (ra, rb) = tokio::join!(gets(&a, 16, 100), gets(&b, 16, 100));
    let elapsed = start.elapsed();
    assert!(
        ra.iter()
            .chain(&rb)
            .all(|r| r.as_ref().unwrap_err().status_code() == Some(404))
    );
    assert_eq!(stats(&mock)["rate_limited"], 0, "one key, one budget");
    println!("2 clients x 100 paced calls in {elapsed:?}");
}
