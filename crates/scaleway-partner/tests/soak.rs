//! Creates and lock/unlock cycles under injected 429s, 5xx, resets before and after the write,
//! and truncated answers: no duplicate organization, each one in its intended lock state, and
//! no error surfaced to the caller within the retry budget but the one a caller must act on
//! (a create whose fate stayed unknown), which `ensure_organization` then settles.

mod common;

use std::collections::HashMap;

use common::{
    builder, emulator, every_organization, fast_retries, inject_soak_faults, new_org, stats,
};
use futures::future::join_all;
use scaleway_partner::{Client, CreateOrganizationRequest, Error, LockedBy};
use serde_json::json;
use std::time::Duration;

const ORGS: usize = 24;
const CYCLES: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_under_faults() {
    let mock = emulator(json!({"rate_limit": 50, "seed": 7})).await;
    inject_soak_faults(&mock, 7);
    let client = builder(&mock)
        .rate_limit(50.0)
        .retry_policy(fast_retries(10))
        .create_settle_timeout(Duration::from_millis(300))
        .build()
        .unwrap();

    let created =
        join_all((0..ORGS).map(|i| create_or_ensure(&client, new_org(i, &format!("soak-{i}")))))
            .await;
    let unconfirmed: u32 = created.iter().map(|(_, n)| n).sum();
    let orgs: Vec<_> = created.into_iter().map(|(org, _)| org).collect();

    // Each organization goes through lock/unlock cycles; even ones end locked by the partner.
    let cycles = orgs.iter().enumerate().map(|(i, org)| {
        let client = client.clone();
        let id = org.id.clone();
        async move {
            for _ in 0..CYCLES {
                client.lock_organization(id.as_str()).await?;
                client.unlock_organization(id.as_str()).await?;
            }
            if i % 2 == 0 {
                client.lock_organization(id.as_str()).await?;
            }
            Ok::<_, scaleway_partner::Error>(())
        }
    });
    for r in join_all(cycles).await {
        r.expect("no error surfaces within the retry budget");
    }
    let s = stats(&mock);
    println!(
        "faults injected: {}, requests: {}, unconfirmed creates settled by ensure: {unconfirmed}",
        s["faults_injected"], s["requests"]
    );
    assert!(
        s["faults_injected"].as_u64().unwrap() > 20,
        "the soak must actually meet faults: {s}"
    );

    mock.clear_faults();
    let all = every_organization(&client).await.unwrap();
    let mut per_customer: HashMap<&str, usize> = HashMap::new();
    for o in &all {
        *per_customer.entry(o.customer_id.as_str()).or_default() += 1;
    }
    assert_eq!(
        all.len(),
        ORGS,
        "no duplicate and none missing: {per_customer:?}"
    );
    assert!(per_customer.values().all(|&n| n == 1), "{per_customer:?}");
    for (i, org) in orgs.iter().enumerate() {
        let now = all
            .iter()
            .find(|o| o.id == org.id)
            .expect("created organization listed");
        let expected = if i % 2 == 0 {
            LockedBy::Partner
        } else {
            LockedBy::Scaleway
        };
        assert_eq!(
            now.locked_by, expected,
            "{} ends in its intended lock state",
            org.id
        );
        if i % 2 == 1 {
            assert_eq!(
                now.locked_at, org.locked_at,
                "the validate_email lock keeps its date"
            );
        }
    }
}

/// What a provisioning script does: create, and after an unconfirmed create, ensure (as often
/// as it stays unconfirmed). The organization, and how many unconfirmed answers it took.
async fn create_or_ensure(
    client: &Client,
    request: CreateOrganizationRequest,
) -> (scaleway_partner::Organization, u32) {
    let mut unconfirmed = 0;
    let mut result = client.create_organization(request.clone()).await;
    loop {
        match result {
            Ok(org) => return (org, unconfirmed),
            Err(Error::CreateUnconfirmed { .. }) if unconfirmed < 5 => {
                unconfirmed += 1;
                result = client
                    .ensure_organization(request.clone())
                    .await
                    .map(|e| e.organization);
            }
            Err(e) => panic!("no other error surfaces within the retry budget: {e}"),
        }
    }
}
