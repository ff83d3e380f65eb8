//! A bulk call stopped part-way keeps what it did: the items in flight end (cancelled ones
//! promptly), the others are marked not started, and the call says why it stopped.

mod common;

use std::ops::ControlFlow;

use common::{builder, emulator, until_stats};
use scaleway_partner::{
    BulkAction, CallOptions, CallbackError, CancellationToken, Error, ErrorKind,
    ListOrganizationsRequest, ProgressFn,
};
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

/// A binding's callback that raises `raised` at its first report, answering later (as a
/// binding's does, from its own thread); counts its calls.
fn raising_at_first_report(
    raised: &CallbackError,
) -> (ProgressFn, std::sync::Arc<std::sync::atomic::AtomicU32>) {
    let calls: std::sync::Arc<std::sync::atomic::AtomicU32> = std::sync::Arc::default();
    let raised = raised.clone();
    let counted = std::sync::Arc::clone(&calls);
    let callback = ProgressFn::awaited(move |_| {
        counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let raised = raised.clone();
        async move {
            tokio::task::yield_now().await;
            ControlFlow::Break(Some(raised))
        }
    });
    (callback, calls)
}

#[tokio::test]
async fn a_callback_that_raises_stops_the_call_which_fails_with_that_very_value() {
    let mock = emulator(json!({"seed": 3, "seed_organizations": 250})).await;
    let client = builder(&mock).build().unwrap();
    let raised = CallbackError::new("the binding's exception");

    // A bulk call: nothing new starts, the error carries the callback's own value.
    let (callback, calls) = raising_at_first_report(&raised);
    let interrupted = client
        .bulk()
        .concurrency(1)
        .on_progress(callback)
        .run(BulkAction::Get, IDS)
        .await
        .unwrap_err();
    assert!(interrupted.error.raised().is_some_and(|r| r.same(&raised)));
    assert_eq!(interrupted.results.iter().flatten().count(), 1);
    assert_eq!(common::stats(&mock)["requests"], 1);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);

    // A listing (three pages of 100): stopped after its first page.
    let (callback, calls) = raising_at_first_report(&raised);
    let e = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap()
        .concurrency(1)
        .on_progress(callback)
        .collect_all()
        .await
        .unwrap_err();
    assert!(e.raised().is_some_and(|r| r.same(&raised)), "{e:?}");
    assert_eq!(
        e.raised().unwrap().downcast_ref(),
        Some(&"the binding's exception")
    );
    assert_eq!(common::stats(&mock)["requests"], 2);
    assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1);
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
