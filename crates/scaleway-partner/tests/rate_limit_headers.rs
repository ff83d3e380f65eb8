//! Rate-limit headers are advice, bounded like `Retry-After`: hostile servers (real sockets)
//! whose `X-Ratelimit-*` headers would stall every client of the key, or slow it to a crawl.
//! Nothing here asserts on the clock: a stall shows as a call that times out or a budget that
//! collapsed; the seconds it cost are printed for the record.

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{hostile, org_json};
use scaleway_partner::{Client, ErrorKind};

const ORG: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";
/// A key of its own per test: the pacing state is shared by every client of a key and URL.
const KEY: &str = "51111111-1111-4111-8111-111111111111";

/// A server answering every request 200 with an organization and these extra headers.
async fn answering_with(headers: &'static str) -> common::Hostile {
    hostile("127.0.0.1", move |_| {
        let body = org_json(ORG).to_string();
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             {headers}connection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    })
    .await
}

/// A paced client (as by default) whose calls each have `total` in all.
fn client(url: &str, total: Duration) -> Client {
    common::builder_for(url)
        .secret_key(KEY)
        .rate_limit(50.0)
        .max_retries(0)
        .total_timeout(total)
        .build()
        .unwrap()
}

async fn get_twice(client: &Client) -> scaleway_partner::Result<()> {
    client.get_organization(ORG).await?;
    let start = std::time::Instant::now();
    let second = client.get_organization(ORG).await;
    println!("the call after the header waited {:?}", start.elapsed());
    second.map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_epoch_reset_stalls_no_client_of_the_key() {
    // Some gateways send the reset as a Unix time; this one is in the past.
    let server =
        answering_with("x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 1700000000\r\n").await;
    let first = client(&server.url, Duration::from_secs(3));
    get_twice(&first).await.unwrap();
    // Another client of the same key, sharing the pacing state.
    let other = client(&server.url, Duration::from_secs(3));
    other.get_organization(ORG).await.unwrap();
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_of_a_day_does_not_slow_every_call() {
    let server = answering_with("x-ratelimit-limit: 1, 1;w=86400\r\n").await;
    let client = client(&server.url, Duration::from_secs(3));
    for _ in 0..3 {
        get_twice(&client).await.unwrap();
    }
    assert_eq!(
        client.rate_budget(),
        50.0,
        "the budget is still the configured one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_beyond_the_cap_is_not_sat_through() {
    // An hour: longer than any Retry-After the client accepts (60 s by default).
    let server = answering_with("x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 3600\r\n").await;
    let client = client(&server.url, Duration::from_secs(10));
    get_twice(&client).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_past_the_deadline_fails_at_once_having_sent_nothing() {
    // A plausible pause (30 s, within the cap), but the call has 3 s in all.
    let server = answering_with("x-ratelimit-remaining: 0\r\nx-ratelimit-reset: 30\r\n").await;
    let client = client(&server.url, Duration::from_secs(3));
    let err = get_twice(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert_eq!(err.attempts(), Some(0), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("rate limit") && text.contains("not sent"),
        "{text}"
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
}
