//! A bulk call stopped part-way keeps what it did: the items in flight end (cancelled ones
//! promptly), the others are marked not started, and the call says why it stopped.

mod common;

use std::ops::ControlFlow;

use common::{builder, emulator, until_stats};
use scaleway_partner::{BulkAction, CallOptions, CancellationToken, Error, ErrorKind, ProgressFn};
use serde_json::json;

const IDS: [&str; 4] = [
    "6f4049e3-5910-4283-bb02-382ef15aa460",
    "6f4049e3-5910-4283-bb02-382ef15aa461",
    "6f4049e3-5910-4283-bb02-382ef15aa462",
    "6f4049e3-5910-4283-bb02-382ef15aa463",
];

#[tokio::test]
async fn a_bulk_call_cancelled_with_items_in_flight_reports_them_cancelled_and_the_rest_not_started()
 {
    // Answers would take a minute: only the cancellation ends the items in flight.
    let mock = emulator(json!({"latency": {"base_ms": 60_000}})).await;
    let token = CancellationToken::new();
    let client = builder(&mock).build().unwrap().with_options(CallOptions {
        cancel: Some(token.clone()),
        ..Default::default()
    });
    let call =
        tokio::spawn(async move { client.bulk().concurrency(2).run(BulkAction::Get, IDS).await });
    until_stats(&mock, "two items in flight", |s| s["in_flight"] == 2).await;
    token.cancel();
    let interrupted = call.await.unwrap().unwrap_err();
    assert_eq!(interrupted.kind(), ErrorKind::Cancelled);
    let outcomes: Vec<_> = interrupted
        .results
        .iter()
        .map(|r| r.as_ref().map(|r| r.as_ref().map_err(Error::kind).err()))
        .collect();
    assert_eq!(
        outcomes,
        [
            Some(Some(ErrorKind::Cancelled)),
            Some(Some(ErrorKind::Cancelled)),
            None,
            None
        ]
    );
    assert!(
        interrupted
            .to_string()
            .contains("after starting 2 of 4 items"),
        "{interrupted}"
    );
    // Nothing was started after the cancellation.
    assert_eq!(common::stats(&mock)["requests"], 2);
}

#[tokio::test]
async fn a_progress_callback_that_says_stop_lets_the_items_in_flight_finish() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock).build().unwrap();
    let outcome = client
        .bulk()
        .concurrency(2)
        .on_progress(ProgressFn::stoppable(|p| {
            if p.done >= 1 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }))
        .run(BulkAction::Get, IDS)
        .await;
    let interrupted = outcome.unwrap_err();
    assert_eq!(interrupted.kind(), ErrorKind::ProgressStopped);
    // The two started at once both finished with the API's answer; none started after.
    let finished: Vec<_> = interrupted
        .results
        .iter()
        .map(|r| r.as_ref().map(|r| r.as_ref().unwrap_err().status_code()))
        .collect();
    assert_eq!(finished, [Some(Some(404)), Some(Some(404)), None, None]);
    assert_eq!(common::stats(&mock)["requests"], 2);
}

#[tokio::test]
async fn ensure_reports_each_request_of_a_customer_as_it_is_done() {
    // Three requests of one customer run one after the other: progress counts 1, 2, 3, not the
    // group once at the end.
    let mock = emulator(json!({})).await;
    let client = builder(&mock).build().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let request = common::new_org(1, "customer-1");
    let results = client
        .bulk()
        .concurrency(4)
        .on_progress(ProgressFn::new(move |p| {
            record.lock().unwrap().push((p.done, p.total));
        }))
        .ensure([request.clone(), request.clone(), request])
        .await
        .unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(
        *seen.lock().unwrap(),
        [(1, Some(3)), (2, Some(3)), (3, Some(3))]
    );
}
