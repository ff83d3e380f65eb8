//! Creates organizations through a gateway that answers 504 at once while the write lands
//! later (the emulator's `apply_late` fault), then provisions them again with
//! `ensure_organizations`, as a script re-run after `CreateUnconfirmed` would; prints what
//! happened and what it cost in requests.
//!
//!     cargo run --release -p scaleway-partner --example late_gateway -- --delay-ms 2500
//!     cargo run --release -p scaleway-partner --example late_gateway -- --delay-ms 60000
//!
//! Flags: `--count N` (10), `--delay-ms MS` (2500), `--settle-ms MS` (the client's default,
//! 30000).

use std::time::{Duration, Instant};

use futures::future::join_all;
use scaleway_partner::{Client, CreateOrganizationRequest, ErrorKind, ListOrganizationsRequest};
use scaleway_partner_mock::{MockConfig, MockServer};
use serde_json::json;

fn flag(args: &[String], name: &str) -> Option<u64> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = flag(&args, "--count").unwrap_or(10) as usize;
    let delay_ms = flag(&args, "--delay-ms").unwrap_or(2500);
    let mock = MockServer::start(serde_json::from_value::<MockConfig>(json!({}))?).await?;
    let mut builder = Client::builder()
        .api_url(mock.url())
        .secret_key(mock.secret_key())
        .default_organization_id(mock.organization_id());
    if let Some(ms) = flag(&args, "--settle-ms") {
        builder = builder.create_settle_timeout(Duration::from_millis(ms));
    }
    let client = builder.build()?;
    let requests = || {
        serde_json::to_value(mock.stats()).unwrap()["requests"]
            .as_u64()
            .unwrap_or(0)
    };
    let orgs = || async {
        client
            .list_organizations(ListOrganizationsRequest::new())?
            .collect_all()
            .await
            .map(|all| all.len())
    };
    let request = |i: usize| {
        CreateOrganizationRequest::new()
            .email(format!("owner{i}@late.test"))
            .organization_name(format!("Late {i}"))
            .owner_firstname("Jane")
            .owner_lastname("Doe")
            .customer_id(format!("late-{i}"))
    };
    mock.inject_faults(serde_json::from_value(json!({"script": [{
        "fault": "apply_late", "operation": "create_organization", "count": count,
        "delay_ms": delay_ms, "status": 504
    }]}))?);

    let start = Instant::now();
    let created = join_all((0..count).map(|i| client.create_organization(request(i)))).await;
    let returned = created.iter().filter(|r| r.is_ok()).count();
    let unconfirmed = created
        .iter()
        .filter(|r| matches!(r, Err(e) if e.kind() == ErrorKind::CreateUnconfirmed))
        .count();
    let create_requests = requests();
    println!(
        "{count} creates, writes landing {delay_ms} ms after a 504: {returned} returned, \
         {unconfirmed} CreateUnconfirmed, other errors {}, in {:.1?}; {create_requests} requests \
         ({count} posts, {} lookups); organizations now: {}",
        count - returned - unconfirmed,
        start.elapsed(),
        create_requests - count as u64,
        orgs().await?
    );

    // What a provisioning script does next: wait, then ensure (never create blindly).
    let until = Instant::now() + Duration::from_millis(delay_ms) + Duration::from_secs(30);
    while serde_json::to_value(mock.stats())?["late_applied"].as_u64() < Some(count as u64)
        && Instant::now() < until
    {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let before = requests();
    let ensured = client.ensure_organizations((0..count).map(request)).await?;
    let found = ensured
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|e| !e.created))
        .count();
    let made = ensured
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|e| e.created))
        .count();
    println!(
        "ensure_organizations after the writes landed: {found} found, {made} created, {} \
         requests; organizations now: {} (duplicates: {})",
        requests() - before,
        orgs().await?,
        orgs().await?.saturating_sub(count)
    );
    mock.shutdown().await;
    Ok(())
}
