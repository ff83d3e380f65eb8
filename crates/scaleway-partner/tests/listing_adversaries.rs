//! Adversaries of "a listing is complete or fails loudly" and of "ensure_organization never
//! duplicates" (issue 24): a book that shifts under the cursor with a constant total, servers
//! (real sockets) that do not page the way the client assumes, and lookups answered with
//! bodies that contradict themselves. Each prints its figures; run with `--nocapture`.

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use common::{
    builder_for, client, emulator, every_organization, fast_retries, hostile, http_json, org_json,
    window,
};
use futures::TryStreamExt;
use scaleway_partner::{
    Client, CreateOrganizationRequest, ErrorKind, ListOrganizationsRequest, LockedBy, Organization,
};
use serde_json::{Value, json};

/// Iterates `locked_by=partner` in pages of 10 and, for each organization yielded, unlocks it
/// (it leaves the listing, before the cursor) and locks one newer organization (it joins at
/// the end): the total never changes while the pool of newer ones lasts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_book_that_shifts_with_a_constant_total_loses_no_organization() {
    let mock = emulator(json!({"seed": 24, "seed_organizations": 600})).await;
    let client = client(&mock);
    let partner = || ListOrganizationsRequest::new().locked_by(LockedBy::Partner);
    let all = every_organization(&client).await.unwrap();
    // The newer half leaves the filter: it is the pool of organizations that join at the end.
    let newer = &all[all.len() / 2..];
    let unlock: Vec<&str> = newer
        .iter()
        .filter(|o| o.is_locked_by_partner())
        .map(|o| o.id.as_str())
        .collect();
    for r in client.unlock_organizations(unlock).await.unwrap() {
        r.unwrap();
    }
    let locked: Vec<Organization> = client
        .list_organizations(partner())
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let newest_locked = locked.iter().filter_map(|o| o.created_at).max().unwrap();
    let mut pool: Vec<String> = newer
        .iter()
        .filter(|o| o.status.as_str() == "opened" && o.created_at > Some(newest_locked))
        .map(|o| o.id.clone())
        .collect();
    pool.reverse(); // popped oldest first
    assert!(
        locked.len() >= 50 && pool.len() >= 50,
        "{} {}",
        locked.len(),
        pool.len()
    );
    let requests_before = common::stats(&mock)["requests"].as_u64().unwrap();

    let lister = client.list_organizations(partner().page_size(10)).unwrap();
    let mut stream = std::pin::pin!(lister.stream());
    let mut yielded: Vec<String> = Vec::new();
    let mut outcome = Ok(());
    // Bounded: every organization yielded is unlocked, and at most the pool joins.
    while yielded.len() <= locked.len() + pool.len() {
        match stream.try_next().await {
            Ok(Some(org)) => {
                client.unlock_organization(&org.id).await.unwrap();
                if let Some(join) = pool.pop() {
                    client.lock_organization(&join).await.unwrap();
                }
                yielded.push(org.id);
            }
            Ok(None) => break,
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    let unique: HashSet<&String> = yielded.iter().collect();
    // Only yielded organizations were unlocked: the others stayed locked for the whole read.
    let missed = locked.iter().filter(|o| !unique.contains(&o.id)).count();
    let duplicates = yielded.len() - unique.len();
    let requests = common::stats(&mock)["requests"].as_u64().unwrap() - requests_before;
    println!(
        "shifting book, constant total: {} locked at the start, {} yielded, {missed} never \
         yielded (they stayed locked for the whole read), {duplicates} duplicates, outcome \
         {:?}, {requests} requests (listing and the adversary's writes)",
        locked.len(),
        yielded.len(),
        outcome.as_ref().map_err(|e| e.kind()),
    );
    assert_eq!(duplicates, 0);
    match outcome {
        Ok(()) => assert_eq!(missed, 0, "organizations missed without an error"),
        Err(e) => assert_eq!(e.kind(), ErrorKind::ListingChanged, "{e}"),
    }
}

/// The book of the hostile servers: 500 organizations, oldest first.
const BOOK: usize = 500;

fn book_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

fn book_record(i: usize) -> Value {
    let mut o = org_json(&book_id(i));
    let at = chrono::DateTime::from_timestamp(1_700_000_000 + i as i64, 0).unwrap();
    o["created_at"] = json!(at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true));
    o
}

/// A listing answer with these records of the book and a total of 500.
fn answer(indices: impl IntoIterator<Item = usize>) -> Vec<u8> {
    let records: Vec<Value> = indices.into_iter().map(book_record).collect();
    http_json(
        200,
        &json!({"organizations": records, "total_count": BOOK}).to_string(),
    )
}

/// How a hand-written server answers a request head.
type Respond = Box<dyn Fn(&str) -> Vec<u8> + Send + Sync>;

/// Hostile listings of 500 organizations, each announcing `total_count: 500`.
fn hostile_listings() -> Vec<(&'static str, Respond)> {
    vec![
        (
            "pages capped at 50",
            Box::new(|head: &str| {
                let (page, size) = window(head);
                let start = (page - 1) * size;
                answer(start.min(BOOK)..(start + size.min(50)).min(BOOK))
            }),
        ),
        (
            "an order that changes between requests",
            Box::new(|head: &str| {
                let (page, size) = window(head);
                let mut order: Vec<usize> = (0..BOOK).collect();
                fastrand::shuffle(&mut order);
                let start = ((page - 1) * size).min(BOOK);
                answer(order[start..(start + size).min(BOOK)].to_vec())
            }),
        ),
        (
            "50 records repeated within a page",
            Box::new(|head: &str| {
                let (page, size) = window(head);
                let start = (page - 1) * size;
                answer(
                    (0..size)
                        .map(|i| start + if i >= 50 { i - 50 } else { i })
                        .filter(|&i| i < BOOK),
                )
            }),
        ),
        (
            "consecutive pages overlapping by 10",
            Box::new(|head: &str| {
                let (page, size) = window(head);
                let start = ((page - 1) * size.saturating_sub(10)).min(BOOK);
                answer(start..(start + size).min(BOOK))
            }),
        ),
        (
            "a total and no organizations",
            Box::new(|_: &str| http_json(200, r#"{"total_count": 500}"#)),
        ),
        (
            "organizations: null",
            Box::new(|_: &str| http_json(200, r#"{"organizations": null, "total_count": 500}"#)),
        ),
    ]
}

fn hostile_client(url: &str) -> Client {
    builder_for(url)
        .retry_policy(fast_retries(1))
        .build()
        .unwrap()
}

/// What a read got: the organizations (with repeats) or the error.
fn figures(read: &scaleway_partner::Result<Vec<String>>) -> String {
    match read {
        Ok(ids) => {
            let unique: HashSet<_> = ids.iter().collect();
            format!(
                "{} of 500 yielded, {} duplicates, no error",
                unique.len(),
                ids.len() - unique.len()
            )
        }
        Err(e) => format!("{:?}: {e}", e.kind()),
    }
}

/// Complete and without repeats, or a typed refusal.
fn holds(read: &scaleway_partner::Result<Vec<String>>) -> bool {
    match read {
        Ok(ids) => {
            let unique: HashSet<_> = ids.iter().collect();
            ids.len() == BOOK && unique.len() == BOOK
        }
        Err(e) => matches!(
            e.kind(),
            ErrorKind::UnexpectedResponse | ErrorKind::ListingChanged
        ),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_that_do_not_page_as_assumed_are_read_completely_or_refused() {
    let mut broken = Vec::new();
    for (name, respond) in hostile_listings() {
        let server = hostile("127.0.0.1", respond).await;
        let client = hostile_client(&server.url);
        let lister = client
            .list_organizations(ListOrganizationsRequest::new().page_size(100))
            .unwrap();
        let collected = lister
            .collect_all()
            .await
            .map(|all| all.into_iter().map(|o| o.id).collect());
        let streamed = lister.stream().map_ok(|o| o.id).try_collect().await;
        let requests = server.requests.lock().unwrap().len();
        println!(
            "hostile server, {name}: collect_all {}; stream {}; {requests} requests",
            figures(&collected),
            figures(&streamed)
        );
        for (how, read) in [("collect_all", &collected), ("stream", &streamed)] {
            if !holds(read) {
                broken.push(format!("{name}, {how}: {}", figures(read)));
            }
        }
    }
    assert!(broken.is_empty(), "silently incomplete: {broken:#?}");
}

/// `ensure_organization` whose lookup by customer_id is answered with a body that contradicts
/// itself: it must fail, never conclude "none" and create.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ensure_never_creates_after_a_lookup_that_contradicts_itself() {
    let mut created_total = 0;
    let mut refused = 0;
    for body in [
        r#"{"total_count": 1}"#,
        r#"{}"#,
        r#"{"organizations": null, "total_count": 1}"#,
        r#"{"organizations": null}"#,
    ] {
        let posts = Arc::new(Mutex::new(0usize));
        let count = posts.clone();
        let server = hostile("127.0.0.1", move |head| {
            if head.starts_with("POST") {
                *count.lock().unwrap() += 1;
                let mut org = org_json("6f4049e3-5910-4283-bb02-382ef15aa460");
                org["customer_id"] = json!("customer-24");
                org["email"] = json!("owner@example.test");
                http_json(200, &org.to_string())
            } else {
                http_json(200, body)
            }
        })
        .await;
        let client = hostile_client(&server.url);
        let mut errors: HashMap<String, usize> = HashMap::new();
        for _ in 0..4 {
            let request = CreateOrganizationRequest::new()
                .partner_id("11111111-1111-4111-8111-111111111111")
                .email("owner@example.test")
                .organization_name("Acme")
                .owner_firstname("Jane")
                .owner_lastname("Doe")
                .customer_id("customer-24");
            let outcome = match client.ensure_organization(request).await {
                Ok(e) => format!("ok (created: {})", e.created),
                Err(e) => format!("{:?}", e.kind()),
            };
            *errors.entry(outcome).or_default() += 1;
        }
        let created = *posts.lock().unwrap();
        created_total += created;
        println!(
            "ensure, lookup answered {body}: 4 calls, {created} organizations created, {errors:?}"
        );
        refused += errors.get("UnexpectedResponse").copied().unwrap_or(0);
    }
    assert_eq!(
        created_total, 0,
        "organizations created after a contradictory lookup"
    );
    assert_eq!(refused, 16, "each call fails with UnexpectedResponse");
}

/// What proving completeness costs when nothing changes: list requests for 10,000
/// organizations in pages of 100 (printed; the bound only catches a regression to reading
/// everything twice).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cost_in_requests_when_nothing_changes() {
    let mock = emulator(json!({"seed": 7, "seed_organizations": 10_000})).await;
    let client = client(&mock);
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap();
    let lists = || {
        common::stats(&mock)["by_operation"]["list_organizations"]
            .as_u64()
            .unwrap()
    };
    let before = lists();
    let all = lister.collect_all().await.unwrap();
    let collect_requests = lists() - before;
    let before = lists();
    let streamed: Vec<Organization> = lister.stream().try_collect().await.unwrap();
    let stream_requests = lists() - before;
    println!(
        "10,000 organizations, pages of 100, nothing changing: collect_all {collect_requests} \
         requests, stream {stream_requests} requests"
    );
    assert_eq!(all.len(), 10_000);
    assert_eq!(all, streamed);
    assert!(collect_requests < 150 && stream_requests < 150);
}
