//! The lazy cursor reads ahead: the pages it predicts are on their way while it waits for one
//! (and while the caller uses it), no more than the lister's concurrency less one, and no page more than
//! `collect_all` asks when nothing changes.

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use common::{builder_for, client, emulator, http_json, org_json, read_head, stats, window};
use futures::{StreamExt, TryStreamExt};
use scaleway_partner::{DEFAULT_PAGE_CONCURRENCY, ListOrganizationsRequest};
use serde_json::json;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

/// A fixed listing of `count` organizations, honest pages. The answer to the request numbered
/// `hold.0` (1-based, in arrival order) waits until request `hold.1` has arrived; the first
/// request for page number `fail` is answered 500. Returns the URL and the number of requests
/// received so far.
async fn listing(
    count: usize,
    hold: Option<(usize, usize)>,
    fail: Option<usize>,
) -> (String, watch::Receiver<usize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (arrived, received) = watch::channel(0usize);
    let arrived = Arc::new(arrived);
    let watching = received.clone();
    let failed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (arrived, mut watching) = (arrived.clone(), watching.clone());
            let failed = failed.clone();
            tokio::spawn(async move {
                let Some(head) = read_head(&mut sock).await else {
                    return;
                };
                let mut number = 0;
                arrived.send_modify(|n| {
                    *n += 1;
                    number = *n;
                });
                if let Some((_, until)) = hold.filter(|&(held, _)| held == number) {
                    let _ = watching.wait_for(|&n| n >= until).await;
                }
                let (page, size) = window(&head);
                if fail == Some(page) && !failed.swap(true, std::sync::atomic::Ordering::SeqCst) {
                    let _ = sock.write_all(&http_json(500, "{}")).await;
                    let _ = sock.shutdown().await;
                    return;
                }
                let start = ((page - 1) * size).min(count);
                let orgs: Vec<_> = (start..(start + size).min(count))
                    .map(|i| org_json(&format!("00000000-0000-4000-8000-{i:012}")))
                    .collect();
                let body = json!({"organizations": orgs, "total_count": count}).to_string();
                let _ = sock.write_all(&http_json(200, &body)).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_page_is_on_its_way_while_the_stream_waits_for_one() {
    // The second page is answered only once a third request came: a cursor that asks one
    // page at a time never gets it.
    let (url, _) = listing(1000, Some((2, 3)), None).await;
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(100))
        .unwrap();
    // A bound for a hung read, not a speed claim.
    let read = tokio::time::timeout(
        Duration::from_secs(20),
        lister.stream().map_ok(|o| o.id).try_collect::<Vec<_>>(),
    )
    .await
    .expect("the page after the one awaited was never asked")
    .unwrap();
    let unique: HashSet<_> = read.iter().collect();
    assert_eq!((read.len(), unique.len()), (1000, 1000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stream_keeps_as_many_pages_on_their_way_as_its_concurrency() {
    // The second page is answered only once the fifth request came: with a concurrency of 4,
    // pages 2 to 5 are all on their way while the stream waits for page 2 (as `collect_all`
    // has 4 at once); a read-ahead of fewer pages never gets it.
    let (url, _) = listing(1000, Some((2, 5)), None).await;
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(100))
        .unwrap()
        .concurrency(4);
    // A bound for a hung read, not a speed claim.
    let read = tokio::time::timeout(
        Duration::from_secs(20),
        lister.stream().map_ok(|o| o.id).try_collect::<Vec<_>>(),
    )
    .await
    .expect("fewer pages than the concurrency were on their way")
    .unwrap();
    assert_eq!(read.len(), 1000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_has_asked_at_most_the_read_ahead_beyond_its_pages() {
    let (url, received) = listing(5000, None, None).await;
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(100))
        .unwrap();
    let mut stream = Box::pin(lister.stream());
    // Two pages read (the first of 100, then 99 new ones), the stream dropped.
    let taken: Vec<_> = stream.by_ref().take(150).try_collect().await.unwrap();
    assert_eq!(taken.len(), 150);
    drop(stream);
    // One more request of ours after the drop: whatever the dropped cursor had sent has had
    // every chance to arrive, and it sends nothing more.
    lister.page(1).await.unwrap();
    let asked = *received.borrow() - 1;
    assert!(
        (2..DEFAULT_PAGE_CONCURRENCY + 2).contains(&asked),
        "{asked} pages asked for 2 read"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_nothing_changes_the_stream_asks_as_many_pages_as_collect_all() {
    let mock = emulator(json!({"seed": 5, "seed_organizations": 2345})).await;
    let client = client(&mock);
    let requests = || stats(&mock)["requests"].as_u64().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap();
    let before = requests();
    let all = lister.collect_all().await.unwrap();
    let collected = requests() - before;
    let before = requests();
    let streamed: Vec<_> = lister.stream().try_collect().await.unwrap();
    assert_eq!(
        requests() - before,
        collected,
        "the stream asked other pages"
    );
    let before = requests();
    let one_at_a_time: Vec<_> = lister.concurrency(1).stream().try_collect().await.unwrap();
    assert_eq!(requests() - before, collected, "without read-ahead");
    assert_eq!(streamed, all);
    assert_eq!(one_at_a_time, all);
}

/// What the cursor reads is what the stream yields, page by page, with read-ahead or without.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cursor_reads_the_same_pages_with_or_without_read_ahead() {
    let (url, _) = listing(777, None, None).await;
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(40))
        .unwrap();
    let mut pages = Vec::new();
    for concurrency in [1, 2, 8] {
        let mut cursor = lister.clone().concurrency(concurrency).cursor();
        let mut read = Vec::new();
        while let Some(page) = cursor.next_page().await.unwrap() {
            read.push((page.page, page.page_size, page.organizations.len()));
        }
        pages.push(read);
    }
    assert_eq!(pages[0], pages[1]);
    assert_eq!(pages[0], pages[2]);
    assert_eq!(pages[0].iter().map(|p| p.2).sum::<usize>(), 777);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_asked_ahead_that_failed_is_asked_again_when_its_turn_comes() {
    // Page 3 is asked ahead while page 2 is awaited (its deadline may run out while the
    // caller uses page 2): its failure is not the reading's, it is asked again.
    let (url, received) = listing(1000, None, Some(3)).await;
    let client = builder_for(&url).max_retries(0).build().unwrap();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(100))
        .unwrap();
    let read: Vec<_> = lister
        .stream()
        .map_ok(|o| o.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read.len(), 1000);
    let with_failure = *received.borrow();
    // The same read, the failure spent: one request less.
    let again: Vec<_> = lister
        .stream()
        .map_ok(|o| o.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(again, read);
    assert_eq!(*received.borrow() - with_failure + 1, with_failure);
}
