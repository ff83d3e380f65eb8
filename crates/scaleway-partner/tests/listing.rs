//! collect_all against a large seeded book, and when the book changes while it is read.

mod common;

use std::collections::HashSet;

use common::{builder, client, emulator, new_org, stats};
use futures::TryStreamExt;
use scaleway_partner::{
    AuditOptions, ListOrganizationsRequest, OrderBy, OrganizationLister, Progress, ProgressFn,
};
use serde_json::json;
use std::sync::{Arc, Mutex};

/// The IDs of every organization of the listing, in order.
async fn all_ids(lister: &OrganizationLister) -> Vec<String> {
    let all = lister.collect_all().await.unwrap();
    all.into_iter().map(|o| o.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_all_with_converts_each_page_as_it_is_read_in_order() {
    let mock = emulator(json!({"seed": 4, "seed_organizations": 250})).await;
    let client = client(&mock);
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap();
    let mut pages = Vec::new();
    let collected = lister
        .collect_all_with(|page| {
            pages.push(page.len());
            page.into_iter().map(|o| o.id).collect()
        })
        .await
        .unwrap();
    // Pages overlap by two records or more (what proves each boundary: a record older than the
    // last instant of the page before): each call converts the organizations new on its page.
    assert_eq!(pages, [100, 96, 54], "one call per page, as read");
    assert_eq!(collected.items, all_ids(&lister).await);
    assert!(collected.undecodable.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_all_matches_the_lazy_stream_and_reports_progress() {
    let mock = emulator(json!({"seed": 3, "seed_organizations": 730})).await;
    let client = client(&mock);
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = seen.clone();
    let lister = client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap()
        .on_progress(ProgressFn::new(move |p| sink.lock().unwrap().push(p)));
    let before = stats(&mock)["requests"].as_u64().unwrap();
    let all = lister.collect_all().await.unwrap();
    assert_eq!(
        stats(&mock)["requests"].as_u64().unwrap() - before,
        8,
        "730 organizations in 8 pages of 100"
    );
    let streamed: Vec<_> = lister.stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 730);
    assert_eq!(all, streamed);
    let ids: HashSet<_> = all.iter().map(|o| &o.id).collect();
    assert_eq!(ids.len(), 730);
    assert!(
        all.windows(2).all(|w| w[0].created_at <= w[1].created_at),
        "oldest first"
    );
    let last = seen.lock().unwrap().last().copied();
    assert_eq!(
        last,
        Some(Progress {
            done: 730,
            total: Some(730)
        })
    );
    let desc: Vec<_> = client
        .list_organizations(ListOrganizationsRequest::new().order_by(OrderBy::CreatedAtDesc))
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    assert_eq!(desc.first().map(|o| &o.id), all.last().map(|o| &o.id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_changes_while_read_is_read_again_not_truncated() {
    let mock =
        emulator(json!({"seed": 5, "seed_organizations": 450, "latency": {"base_ms": 40}})).await;
    let reader = builder(&mock).page_concurrency(1).build().unwrap();
    let writer = client(&mock);
    let originals: HashSet<String> = all_ids(
        &reader
            .list_organizations(ListOrganizationsRequest::new())
            .unwrap(),
    )
    .await
    .into_iter()
    .collect();
    let lists_before = stats(&mock)["by_operation"]["list_organizations"]
        .as_u64()
        .unwrap();
    // Newest first: each creation shifts every page, the worst case for offset paging.
    let listing = reader
        .list_organizations(ListOrganizationsRequest::new().order_by(OrderBy::CreatedAtDesc))
        .unwrap();
    let (all, created) = tokio::join!(listing.collect_all(), async {
        let mut ids = Vec::new();
        for i in 0..3 {
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            ids.push(
                writer
                    .create_organization(new_org(i, "during-listing"))
                    .await
                    .unwrap()
                    .id,
            );
        }
        ids
    });
    let all = all.unwrap();
    let ids: HashSet<_> = all.iter().map(|o| o.id.clone()).collect();
    assert_eq!(ids.len(), all.len(), "no organization twice");
    assert!(
        originals.is_subset(&ids),
        "none of the organizations that existed throughout is missing"
    );
    assert!(all.len() >= 450 && all.len() <= 453);
    let lists = stats(&mock)["by_operation"]["list_organizations"]
        .as_u64()
        .unwrap()
        - lists_before;
    // Each creation pushes the pages already read forward: the overlap of the next page finds
    // its proof further on, without reading anything twice.
    println!("450 organizations newest first, 3 created meanwhile: {lists} pages fetched");
    assert_eq!(created.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_of_the_emulated_book_is_consistent_with_the_listing() {
    let mock = emulator(json!({"seed": 11, "seed_organizations": 1500})).await;
    let client = client(&mock);
    let report = client.audit(AuditOptions::default()).await.unwrap();
    assert_eq!(report.total, 1500);
    assert_eq!(report.by_status.values().sum::<u64>(), 1500);
    let locked = report.by_status.get("locked").copied().unwrap_or(0);
    assert!(locked > 0 && report.by_locked_by.values().sum::<u64>() >= locked);
    assert!(
        !report.shared_customer_ids.is_empty(),
        "the seed has duplicate customer IDs"
    );
    assert!(
        !report.shared_emails.is_empty(),
        "the seed has duplicate emails"
    );
    assert!(!report.missing_phone_number.is_empty());
    assert!(
        report.created_per_month.len() > 12,
        "the seed spreads creations over years"
    );
    assert_eq!(report.created_per_month.values().sum::<u64>(), 1500);
    let partner_locked = client
        .list_organizations(
            ListOrganizationsRequest::new().locked_by(scaleway_partner::LockedBy::Partner),
        )
        .unwrap()
        .page(1)
        .await
        .unwrap()
        .total_count
        .unwrap();
    assert_eq!(report.locked_by_partner.len() as u64, partner_locked);
}
