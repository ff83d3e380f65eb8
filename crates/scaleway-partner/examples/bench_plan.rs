//! Planning the customer book (issue 28) against a refresh that reads each organization with
//! its own GET, as Terraform's provider does, in one run: an emulator with N organizations
//! (10,000 by default) at the API's rate limit of 50 requests/s, N records drawn from that book
//! (500 of them drifted: renamed, suspended or paid up, both, or replaced by a new customer),
//! `Client::plan` (one paced listing), then a GET
//! for every organization at the same budget. Prints one JSON line with both times, the
//! listing's rate bound, the CPU the plan itself took, and the ratio; and, between the two,
//! the apply of that plan against the rate bound of the requests it sent.
//!
//!     cargo run --release -p scaleway-partner --example bench_plan -- [N]

use std::time::{Duration, Instant};

use scaleway_partner::{
    ApplyOptions, CallOptions, Client, Desired, DesiredRecord, DesiredState, LockedBy,
    Organization, OrganizationStatus, Plan, PlanOptions,
};

/// Actions of the plan applied: a mix of creates, updates, locks and unlocks.
const APPLY_ACTIONS: usize = 500;
use scaleway_partner_mock::{MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map_or(Ok(10_000), |a| a.parse())?;
    let config: MockConfig = serde_json::from_value(serde_json::json!({
        "seed": 28, "seed_organizations": n, "rate_limit": 50,
    }))?;
    let mock = MockServer::start(config).await?;
    let client = Client::builder()
        .api_url(mock.url())
        .secret_key(mock.secret_key())
        .default_organization_id(mock.organization_id())
        .environment([("HOME", "/nonexistent")])
        .build()?;

    // The records, from the book as it is (read once, before anything is timed).
    let book = client
        .list_organizations(Default::default())?
        .collect_all()
        .await?;
    let mut shared = std::collections::HashMap::<&str, usize>::new();
    for o in &book {
        *shared.entry(o.customer_id.as_str()).or_default() += 1;
    }
    let mut seen = std::collections::HashSet::new();
    let claimed: Vec<&Organization> = book
        .iter()
        .filter(|o| !o.customer_id.is_empty() && seen.insert(o.customer_id.clone()))
        .collect();
    // APPLY_ACTIONS customers drift, in turn: renamed, suspended or paid up, both, or replaced
    // by a new customer (a create; the old organization is left unclaimed). Only customers
    // with one organization (a shared customer ID is a conflict, which plans no action), no
    // Scaleway lock (which the partner cannot lift) and not closed (which cannot be locked):
    // each drift is one action.
    let step = (claimed.len() / APPLY_ACTIONS).max(1);
    let (mut drifted, mut next) = (0, 0);
    let mut records = Vec::new();
    for o in &claimed {
        let locked = o.is_locked_by_partner();
        let mut record = DesiredRecord {
            customer_id: o.customer_id.clone(),
            email: o.email.clone(),
            organization_name: o.name.clone(),
            owner_firstname: o.owner_firstname.clone(),
            owner_lastname: o.owner_lastname.clone(),
            state: if locked {
                DesiredState::Suspended
            } else {
                DesiredState::Active
            },
            ..DesiredRecord::default()
        };
        let toggled = if locked {
            DesiredState::Active
        } else {
            DesiredState::Suspended
        };
        let k = records.len();
        let drifts = shared[o.customer_id.as_str()] == 1
            && o.locked_by != LockedBy::Scaleway
            && o.status != OrganizationStatus::Closed;
        if k >= next && drifted < APPLY_ACTIONS && drifts {
            (drifted, next) = (drifted + 1, k + step);
            match drifted % 4 {
                0 => record.organization_name = format!("{} SAS", o.name),
                1 => record.state = toggled,
                2 => {
                    record.organization_name = format!("{} SAS", o.name);
                    record.state = toggled;
                }
                _ => {
                    record.customer_id = format!("NEW-{k}");
                    record.email = format!("owner{k}@new-customer.example");
                }
            }
        }
        records.push(record);
    }
    let desired = Desired::new(records)?;

    let started = Instant::now();
    let plan = client.plan(&desired, PlanOptions::default()).await?;
    let plan_s = started.elapsed().as_secs_f64();
    // The plan's own CPU: building it again from the same book, alone.
    let cpu_started = Instant::now();
    let rebuilt = Plan::build(&desired, &book, &PlanOptions::default());
    let build_cpu_s = cpu_started.elapsed().as_secs_f64();
    assert_eq!(rebuilt.actions.len(), plan.actions.len());

    // Applying the plan: its requests (the stats' delta) against their own rate bound.
    let before = mock.stats();
    let started = Instant::now();
    let outcome = client.apply(&plan, ApplyOptions::default()).await?;
    let apply_s = started.elapsed().as_secs_f64();
    let after = mock.stats();
    let apply_requests = after.requests - before.requests;
    let apply_429 = after.rate_limited - before.rate_limited;
    assert!(outcome.is_complete(), "{outcome}");

    let ids: Vec<String> = book.iter().map(|o| o.id.clone()).collect();
    let started = Instant::now();
    // 10,000 GETs at 50/s take longer than the default total timeout of a (bulk) call.
    let refresh = client.with_options(CallOptions {
        total_timeout: Some(Duration::from_secs(3600)),
        ..CallOptions::default()
    });
    let refreshed = refresh
        .get_organizations(ids)
        .await
        .map_err(|e| e.to_string())?;
    let refresh_s = started.elapsed().as_secs_f64();
    let failed = refreshed.iter().filter(|r| r.is_err()).count();

    let pages = n.div_ceil(100);
    let figures = serde_json::json!({
        "organizations": n,
        "records": desired.records().len(),
        "actions": plan.actions.len(),
        "conflicts": plan.conflicts.len(),
        "plan_s": plan_s,
        "listing_rate_bound_s": pages as f64 / 50.0,
        "plan_build_cpu_s": build_cpu_s,
        "per_org_get_refresh_s": refresh_s,
        "refresh_failed": failed,
        "ratio": refresh_s / plan_s,
        "apply_actions": outcome.results.len(),
        "apply_actions_by_kind": plan.actions.iter().fold(
            std::collections::BTreeMap::<&str, usize>::new(),
            |mut n, a| {
                *n.entry(a.kind.as_str()).or_default() += 1;
                n
            },
        ),
        "apply_s": apply_s,
        "apply_requests": apply_requests,
        "apply_rate_bound_s": apply_requests as f64 / 50.0,
        "apply_429": apply_429,
        "rate_limited": mock.stats().rate_limited,
    });
    println!("{figures}");
    mock.shutdown().await;
    Ok(())
}
