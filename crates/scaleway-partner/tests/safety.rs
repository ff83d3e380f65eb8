//! The promises that matter most, each against the adversary that would break it: a gateway
//! that fails while the write still lands, a listing that shifts while it is acted on, and
//! servers that redirect, lie about totals, ignore `page` or send endless bodies.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{
    builder, emulator, every_organization, hostile, http_json, new_org, org_json, page_of, stats,
};
use futures::TryStreamExt;
use futures::future::join_all;
use scaleway_partner::{
    Client, Error, ErrorKind, ListOrganizationsRequest, LockedBy, OrganizationStatus,
};
use scaleway_partner_mock::MockServer;
use serde_json::json;

fn inject(mock: &MockServer, plan: serde_json::Value) {
    mock.inject_faults(serde_json::from_value(plan).expect("fault plan"));
}

async fn count(client: &Client, request: ListOrganizationsRequest) -> usize {
    client
        .list_organizations(request)
        .unwrap()
        .collect_all()
        .await
        .unwrap()
        .len()
}

/// Waits (bounded) until the emulator has applied `n` late writes.
async fn late_writes_applied(mock: &MockServer, n: u64) {
    let until = Instant::now() + Duration::from_secs(30);
    while stats(mock)["late_applied"].as_u64().unwrap_or(0) < n {
        assert!(Instant::now() < until, "late writes never landed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_through_a_gateway_that_times_out_while_the_write_lands_never_duplicate() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock).build().unwrap();
    inject(
        &mock,
        json!({"script": [{"fault": "apply_late", "operation": "create_organization", "count": 10, "delay_ms": 2500, "status": 504}]}),
    );
    let start = Instant::now();
    let created =
        join_all((0..10).map(|i| client.create_organization(new_org(i, &format!("late-{i}")))))
            .await;
    let elapsed = start.elapsed();
    for (i, r) in created.iter().enumerate() {
        let org = r.as_ref().expect("each create returns its organization");
        assert_eq!(org.customer_id, format!("late-{i}"));
    }
    let requests = stats(&mock)["requests"].as_u64().unwrap();
    assert_eq!(
        count(&client, ListOrganizationsRequest::new()).await,
        10,
        "10 creations, 10 organizations"
    );
    println!(
        "late by 2.5 s: 10 creates -> 10 organizations, 0 duplicates, {requests} requests \
         (10 posts + {} lookups), {elapsed:.1?}",
        requests - 10
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_that_lands_after_the_settle_window_is_unconfirmed_then_ensured() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock)
        .create_settle_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    inject(
        &mock,
        json!({"script": [{"fault": "apply_late", "operation": "create_organization", "count": 10, "delay_ms": 4000, "status": 504}]}),
    );
    let created =
        join_all((0..10).map(|i| client.create_organization(new_org(i, &format!("slow-{i}")))))
            .await;
    for (i, r) in created.iter().enumerate() {
        let err = r.as_ref().expect_err("not confirmed within 1 s");
        assert_eq!(err.kind(), ErrorKind::CreateUnconfirmed, "{err}");
        assert_eq!(err.customer_id(), Some(format!("slow-{i}").as_str()));
        assert_eq!(err.status_code(), Some(504));
        assert_eq!(err.cause().map(Error::kind), Some(ErrorKind::ServerError));
        assert!(err.to_string().contains("ensure_organization"), "{err}");
    }
    assert_eq!(
        count(&client, ListOrganizationsRequest::new()).await,
        0,
        "nothing posted twice"
    );
    late_writes_applied(&mock, 10).await;
    let ensured = client
        .ensure_organizations((0..10).map(|i| new_org(i, &format!("slow-{i}"))))
        .await
        .unwrap();
    for r in &ensured {
        assert!(!r.as_ref().unwrap().created, "found, not created again");
    }
    assert_eq!(count(&client, ListOrganizationsRequest::new()).await, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opting_in_posts_again_after_the_window() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock)
        .create_settle_timeout(Duration::from_millis(200))
        .retry_unconfirmed_creates(true)
        .build()
        .unwrap();
    inject(
        &mock,
        json!({"script": [{"fault": "server_error", "operation": "create_organization"}]}),
    );
    let org = client
        .create_organization(new_org(1, "opt-in"))
        .await
        .unwrap();
    assert_eq!(org.customer_id, "opt-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unlocking_while_iterating_the_locked_listing_leaves_none_locked() {
    let mock = emulator(json!({"seed": 3, "seed_organizations": 400})).await;
    let client = builder(&mock).build().unwrap();
    let not_closed: Vec<String> = every_organization(&client)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.status != OrganizationStatus::Closed)
        .map(|o| o.id)
        .collect();
    for r in client.lock_organizations(not_closed).await.unwrap() {
        r.unwrap();
    }
    let partner = || ListOrganizationsRequest::new().locked_by(LockedBy::Partner);
    let locked = count(&client, partner()).await;
    assert!(locked >= 161, "{locked}");
    let before = stats(&mock)["requests"].as_u64().unwrap();
    let lister = client.list_organizations(partner()).unwrap();
    let mut stream = std::pin::pin!(lister.stream());
    let mut unlocked = 0;
    while let Some(org) = stream.try_next().await.unwrap() {
        client.unlock_organization(&org.id).await.unwrap();
        unlocked += 1;
    }
    let pages = stats(&mock)["requests"].as_u64().unwrap() - before - unlocked as u64;
    assert_eq!(unlocked, locked, "each one yielded once");
    assert_eq!(count(&client, partner()).await, 0, "none left locked");
    println!("{locked} partner-locked, unlocked while iterating: 0 left; {pages} page requests");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_host_never_carries_the_key() {
    let collector = hostile("127.0.0.2", |_| http_json(200, "{}")).await;
    let target = collector.url.clone();
    let api = hostile("127.0.0.1", move |_| {
        format!("HTTP/1.1 307 Temporary Redirect\r\nlocation: {target}/partner/v1/organizations\r\ncontent-length: 0\r\n\r\n").into_bytes()
    })
    .await;
    let client = Client::builder()
        .api_url(&api.url)
        .secret_key("11111111-1111-4111-8111-111111111111")
        .environment([("HOME", "/nonexistent")])
        .build()
        .unwrap();
    let err = client
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect);
    assert_eq!(err.location_host(), Some("127.0.0.2"));
    assert_eq!(err.status_code(), Some(307));
    assert_eq!(
        api.connections.load(Ordering::SeqCst),
        1,
        "not retried either"
    );
    assert_eq!(
        collector.connections.load(Ordering::SeqCst),
        0,
        "the key never left"
    );
}

#[tokio::test]
async fn cleartext_to_another_host_is_refused_before_any_connection() {
    let err = Client::builder()
        .api_url("http://api.scaleway.com")
        .secret_key("11111111-1111-4111-8111-111111111111")
        .environment([("HOME", "/nonexistent")])
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
}

fn lister_against(url: &str) -> Client {
    Client::builder()
        .api_url(url)
        .secret_key("11111111-1111-4111-8111-111111111111")
        .environment([("HOME", "/nonexistent")])
        .max_retries(0)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bogus_huge_total_neither_panics_nor_spins() {
    let server = hostile("127.0.0.1", |head| {
        // Created one after the other: pages of 10 (what it serves) can overlap by the two
        // records that prove the next one.
        let orgs: Vec<_> = if page_of(head) == 1 {
            (0..10)
                .map(|i| {
                    let mut org = org_json(&format!("00000000-0000-4000-8000-00000000000{i}"));
                    org["created_at"] = json!(format!("2026-09-11T14:56:{i:02}Z"));
                    org
                })
                .collect()
        } else {
            vec![]
        };
        http_json(
            200,
            &json!({"organizations": orgs, "total_count": u64::MAX}).to_string(),
        )
    })
    .await;
    let client = lister_against(&server.url);
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap();
    // An empty page within its total contradicts the total: a typed error, not a short list.
    let err = lister.collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    let err = lister.stream().try_collect::<Vec<_>>().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(server.connections.load(Ordering::SeqCst) < 20, "bounded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_ignores_the_page_is_an_error_not_a_loop() {
    let server = hostile("127.0.0.1", |_| {
        let orgs: Vec<_> = (0..100)
            .map(|i| org_json(&format!("00000000-0000-4000-8000-{i:012}")))
            .collect();
        http_json(
            200,
            &json!({"organizations": orgs, "total_count": 250}).to_string(),
        )
    })
    .await;
    let client = lister_against(&server.url);
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap();
    // The same 100 records whatever is asked: the overlapping second page asks 99, so the
    // answer holds more records than asked, a contradiction refused before anything repeats.
    for err in [
        lister.stream().try_collect::<Vec<_>>().await.unwrap_err(),
        lister.collect_all().await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert!(
            err.to_string().contains("the page size is ignored"),
            "{err}"
        );
    }
    assert!(server.connections.load(Ordering::SeqCst) < 20, "bounded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_body_is_refused_not_buffered() {
    let announced = hostile("127.0.0.1", |_| {
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 999999999\r\n\r\n{"
            .to_vec()
    })
    .await;
    let err = lister_against(&announced.url)
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
    assert!(err.to_string().contains("16 MiB"), "{err}");
    // Without a length: the body is cut at the cap as it streams.
    let streamed = hostile("127.0.0.1", |_| {
        let mut r =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
                .to_vec();
        r.resize(r.len() + 17 * 1024 * 1024, b' ');
        r
    })
    .await;
    let err = lister_against(&streamed.url)
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_never_carry_query_values() {
    // Answers nothing: the connection closes after the request was read.
    let server = hostile("127.0.0.1", |_| Vec::new()).await;
    let err = lister_against(&server.url)
        .list_organizations(ListOrganizationsRequest::new().email("secret.owner@example.test"))
        .unwrap()
        .page(1)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    assert!(
        !format!("{err} {err:?}").contains("secret.owner"),
        "{err:?}"
    );
    assert!(
        server.requests.lock().unwrap()[0].contains("secret.owner"),
        "it was sent, though"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_total_timeout_bounds_the_whole_call() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock)
        .total_timeout(Duration::from_millis(500))
        .max_retries(50)
        .build()
        .unwrap();
    inject(
        &mock,
        json!({"script": [{"fault": "server_error", "count": 1000}]}),
    );
    let start = Instant::now();
    let err = client
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    println!("total timeout 500 ms: ended after {:?}", start.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_past_the_cap_is_an_error_not_a_tight_retry() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock).max_retries(5).build().unwrap();
    inject(
        &mock,
        json!({"script": [{"fault": "error", "status": 429, "count": 5,
            "body": {"type": "too_many_requests", "message": "quota", "reset_seconds": 3600}}]}),
    );
    let err = client
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooManyRequests, "{err}");
    assert_eq!(
        err.api().and_then(|e| e.retry_after),
        Some(Duration::from_secs(3600))
    );
    assert_eq!(stats(&mock)["requests"], 1, "no retry into a wall");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absurdly_long_timeouts_are_accepted_without_panicking() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock)
        .total_timeout(Duration::MAX)
        .create_settle_timeout(Duration::MAX)
        .build()
        .unwrap();
    client
        .create_organization(new_org(1, "long"))
        .await
        .unwrap();
    let ensured = client
        .ensure_organization(new_org(1, "long"))
        .await
        .unwrap();
    assert!(!ensured.created);
}
