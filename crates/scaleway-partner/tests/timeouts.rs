//! Timeouts by default and per call, and cancellation.

mod common;

use std::time::Duration;

use common::{builder, emulator, fast_retries, until_stats};
use scaleway_partner::{CallOptions, CancellationToken, ErrorKind};
use serde_json::json;

const ID: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

// On the paused clock (the emulator runs on this runtime too), which of the 100 ms timeout and
// the 600 ms answer comes first does not depend on the machine's load.
#[tokio::test(start_paused = true)]
async fn a_slow_answer_times_out_and_a_per_call_timeout_overrides() {
    let mock = emulator(json!({"latency": {"base_ms": 600}})).await;
    let client = builder(&mock)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(0))
        .build()
        .unwrap();
    // A timeout, not the 404 the emulator answers after 600 ms: the client gave up first.
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), Some(1), "{err}");
    let patient = client.with_options(CallOptions {
        timeout: Some(Duration::from_secs(5)),
        ..Default::default()
    });
    let err = patient.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "the answer arrived: {err}");
}

fn slow_answers(mock: &scaleway_partner_mock::MockServer, count: u32) {
    mock.inject_faults(
        serde_json::from_value(
            json!({"script": [{"fault": "slow", "count": count, "delay_ms": 1000}]}),
        )
        .unwrap(),
    );
}

// The paused clock orders the 100 ms timeouts before the 1 s answers whatever the load.
#[tokio::test(start_paused = true)]
async fn timeouts_are_retried_for_reads_and_say_how_many_attempts_they_made() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock)
        .timeout(Duration::from_millis(100))
        .retry_policy(fast_retries(2))
        .build()
        .unwrap();
    slow_answers(&mock, 3);
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), Some(3), "{err}");
    // Causality, not speed: three attempts of 100 ms each cannot take less.
    assert!(
        err.elapsed().unwrap() >= Duration::from_millis(300),
        "{err}"
    );
    assert!(
        err.to_string().contains("per attempt (3 attempts in "),
        "{err}"
    );
    slow_answers(&mock, 2);
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::NotFound,
        "the third attempt answers: {err}"
    );
}

#[tokio::test]
async fn a_cancelled_call_stops_at_once() {
    // The emulator would answer after a minute: only the cancellation can end the call.
    let mock = emulator(json!({"latency": {"base_ms": 60_000}})).await;
    let token = CancellationToken::new();
    let client = builder(&mock).build().unwrap().with_options(CallOptions {
        cancel: Some(token.clone()),
        ..Default::default()
    });
    let call = tokio::spawn(async move { client.get_organization(ID).await });
    until_stats(&mock, "the request reached the emulator", |s| {
        s["in_flight"] == 1
    })
    .await;
    token.cancel();
    let err = call.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Cancelled, "{err}");
    // How far it got, as a timeout says it (a binding's timer-driven cancel is one).
    assert_eq!(err.attempts(), Some(1), "{err}");
    assert!(err.elapsed().is_some_and(|d| !d.is_zero()), "{err}");
    // The client stopped waiting and dropped the request: the emulator sees it go.
    until_stats(&mock, "the request was abandoned", |s| s["in_flight"] == 0).await;
}

#[tokio::test]
async fn dropping_the_future_cancels_the_request() {
    let mock = emulator(json!({"latency": {"base_ms": 60_000}})).await;
    let client = builder(&mock).build().unwrap();
    let call = tokio::spawn(async move { client.get_organization(ID).await });
    until_stats(&mock, "the request reached the emulator", |s| {
        s["in_flight"] == 1
    })
    .await;
    call.abort();
    assert!(call.await.unwrap_err().is_cancelled());
    until_stats(&mock, "the request was abandoned", |s| s["in_flight"] == 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_that_times_out_but_lands_later_is_not_repeated() {
    let mock = emulator(json!({})).await;
    // The service applies the create 1.5 s after receiving it; the client gives up after 0.3 s.
    mock.inject_faults(
        serde_json::from_value(json!({"script": [{"fault": "slow", "count": 1, "delay_ms": 1500, "operation": "create_organization"}]}))
            .unwrap(),
    );
    let client = builder(&mock)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let org = client
        .create_organization(common::new_org(1, "slow-create"))
        .await
        .expect("the lost create is found");
    // Whatever the client did, let the slow request land before counting.
    until_stats(&mock, "the slow create landed", |s| s["in_flight"] == 0).await;
    let all = client
        .list_organizations(
            scaleway_partner::ListOrganizationsRequest::new().customer_id("slow-create"),
        )
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all.len(), 1, "exactly one organization");
    assert_eq!(all[0].id, org.id);
}

#[tokio::test]
async fn a_refused_connection_is_named_as_the_system_names_it() {
    // Bound then released: nothing listens on the port.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = common::builder_for(&format!("http://127.0.0.1:{port}"))
        .retry_policy(fast_retries(0))
        .build()
        .unwrap();
    let err = client
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert_eq!(err.system_code(), Some("ECONNREFUSED"), "{err}");
}
