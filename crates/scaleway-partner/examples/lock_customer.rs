//! Locks every organization of one customer, then prints the audit summary.
//!
//! Against the real API (credentials from SCW_* or the scw config.yaml):
//!     cargo run -p scaleway-partner --example lock_customer -- customer-42
//! Against an emulator started in-process, with a seeded book:
//!     cargo run -p scaleway-partner --example lock_customer -- --demo

use scaleway_partner::{AuditOptions, BulkAction, Client, ListOrganizationsRequest, ProgressFn};
use scaleway_partner_mock::{MockConfig, MockServer};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            std::env::var("RUST_LOG").unwrap_or_else(|_| "scaleway_partner=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let demo = args.iter().any(|a| a == "--demo");
    // Keeps the emulator alive until the end of main in demo mode.
    let mut _emulator = None;
    let client = if demo {
        let config: MockConfig = serde_json::from_value(serde_json::json!({
            "seed": 42, "seed_organizations": 300
        }))?;
        let mock = MockServer::start(config).await?;
        let client = Client::builder()
            .api_url(mock.url())
            .secret_key(mock.secret_key())
            .default_organization_id(mock.organization_id())
            .build()?;
        _emulator = Some(mock);
        client
    } else {
        Client::from_env()?
    };

    let customer_id = match args.iter().find(|a| !a.starts_with("--")) {
        Some(c) => c.clone(),
        // In demo mode, pick a customer that has several organizations.
        None if demo => client
            .audit(AuditOptions::default())
            .await?
            .shared_customer_ids
            .first()
            .map(|s| s.value.clone())
            .ok_or("the demo book has no shared customer ID")?,
        None => return Err("usage: lock_customer CUSTOMER_ID | --demo".into()),
    };

    let orgs = client
        .list_organizations(ListOrganizationsRequest::new().customer_id(customer_id.clone()))?
        .collect_all()
        .await?;
    println!(
        "{} organization(s) with customer ID {customer_id}",
        orgs.len()
    );
    let ids: Vec<String> = orgs.iter().map(|o| o.id.clone()).collect();
    let results = client
        .bulk()
        .on_progress(ProgressFn::new(|p| {
            eprintln!("  locked {}/{}", p.done, p.total.unwrap_or(0))
        }))
        .run(BulkAction::Lock, ids.clone())
        .await?;
    for (id, result) in ids.iter().zip(results) {
        match result {
            Ok(org) => println!(
                "  {id} {:<30} {} by {}",
                org.name, org.status, org.locked_by
            ),
            Err(e) => println!("  {id} failed: {e}"),
        }
    }

    let report = client.audit(AuditOptions::default()).await?;
    println!(
        "book: {} organizations; by status {:?}; {} locked by the partner",
        report.total,
        report.by_status,
        report.locked_by_partner.len()
    );
    Ok(())
}
