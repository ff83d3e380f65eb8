//! Timeouts by default and per call, and cancellation.

mod common;

use std::time::{Duration, Instant};

use common::{builder, emulator, fast_retries};
use scaleway_partner::{CallOptions, CancellationToken, ErrorKind};
use serde_json::json;

const ID: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

#[tokio::test]
async fn a_slow_answer_times_out_and_a_per_call_timeout_overrides() {
    let mock = emulator(json!({"latency": {"base_ms": 600}})).await;
    let client = builder(&mock)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(0))
        .build()
        .unwrap();
    let start = Instant::now();
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(start.elapsed() < Duration::from_millis(500));
    let patient = client.with_options(CallOptions {
        timeout: Some(Duration::from_secs(5)),
        ..Default::default()
    });
    let err = patient.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "the answer arrived: {err}");
}

#[tokio::test]
async fn timeouts_are_retried_for_reads() {
    let mock = emulator(json!({})).await;
    mock.inject_faults(
        serde_json::from_value(
            json!({"script": [{"fault": "slow", "count": 2, "delay_ms": 1000}]}),
        )
        .unwrap(),
    );
    let client = builder(&mock)
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::NotFound,
        "third attempt answers: {err}"
    );
}

#[tokio::test]
async fn a_cancelled_call_stops_at_once() {
    let mock = emulator(json!({"latency": {"base_ms": 2000}})).await;
    let token = CancellationToken::new();
    let client = builder(&mock).build().unwrap().with_options(CallOptions {
        cancel: Some(token.clone()),
        ..Default::default()
    });
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        token.cancel();
    });
    let start = Instant::now();
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled);
    assert!(
        start.elapsed() < Duration::from_millis(1000),
        "{:?}",
        start.elapsed()
    );
    canceller.await.unwrap();
}

#[tokio::test]
async fn dropping_the_future_cancels_the_request() {
    let mock = emulator(json!({"latency": {"base_ms": 2000}})).await;
    let client = builder(&mock).build().unwrap();
    let start = Instant::now();
    let r = tokio::time::timeout(Duration::from_millis(100), client.get_organization(ID)).await;
    assert!(r.is_err());
    assert!(start.elapsed() < Duration::from_millis(500));
}
