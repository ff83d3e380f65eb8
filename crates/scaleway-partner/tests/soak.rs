//! Creates and lock/unlock cycles under injected 429s, 5xx, resets before and after the write,
//! and truncated answers: no duplicate organization, each one in its intended lock state, and
//! no error surfaced to the caller within the retry budget.

mod common;

use std::collections::HashMap;

use common::{builder, emulator, fast_retries, new_org, stats};
use futures::future::join_all;
use scaleway_partner::{ListOrganizationsRequest, LockedBy};
use serde_json::json;

const ORGS: usize = 24;
const CYCLES: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_under_faults() {
    let mock = emulator(json!({"rate_limit": 50, "seed": 7})).await;
    mock.inject_faults(
        serde_json::from_value(json!({
            "seed": 7,
            "probabilities": {
                "server_error": 0.08, "reset_before": 0.05, "reset_after": 0.05,
                "truncate": 0.03, "rate_limit": 0.05
            }
        }))
        .unwrap(),
    );
    let client = builder(&mock)
        .rate_limit(50.0)
        .retry_policy(fast_retries(10))
        .build()
        .unwrap();

    let created =
        join_all((0..ORGS).map(|i| client.create_organization(new_org(i, &format!("soak-{i}")))))
            .await;
    let orgs: Vec<_> = created
        .into_iter()
        .map(|r| r.expect("no error surfaces within the retry budget"))
        .collect();

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
        "faults injected: {}, requests: {}",
        s["faults_injected"], s["requests"]
    );
    assert!(
        s["faults_injected"].as_u64().unwrap() > 20,
        "the soak must actually meet faults: {s}"
    );

    mock.clear_faults();
    let all = client
        .list_organizations(ListOrganizationsRequest::new())
        .collect_all()
        .await
        .unwrap();
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
