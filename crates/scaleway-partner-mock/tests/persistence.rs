//! The state file: acknowledged writes survive a restart; the file is never torn.

mod common;

use common::{Api, ORGS, config};
use reqwest::Method;
use scaleway_partner_mock::{MockConfig, MockError, MockServer, Partner};
use serde_json::json;

fn persistent(path: &std::path::Path, partner: &Partner) -> MockConfig {
    MockConfig {
        partners: vec![partner.clone()],
        state_file: Some(path.to_owned()),
        ..config()
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let partner = Partner::generate();

    let api = Api::start(persistent(&path, &partner)).await;
    let id = api.create("kept").await["id"].as_str().unwrap().to_owned();
    let org_path = format!("{ORGS}/{id}");
    api.call(
        Method::PATCH,
        &org_path,
        Some(json!({"comment": "persisted"})),
    )
    .await;
    api.action(&id, "lock").await;
    api.call(
        Method::POST,
        &format!("{org_path}/request-admin-role"),
        Some(json!({"username": "admin", "email": "admin@example.com"})),
    )
    .await;
    let unlocked_twice = api.create("other").await["id"].as_str().unwrap().to_owned();
    assert!(api.server.validate_email(&unlocked_twice));
    let before = api.get(&org_path).await.json();
    let dump_before = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    // Every acknowledged write is already on disk, as valid JSON, with no temp file left.
    let on_disk: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["organizations"], dump_before["organizations"]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    api.server.shutdown().await;

    let api = Api::start(persistent(&path, &partner)).await;
    assert_eq!(api.get(&org_path).await.json(), before);
    let dump_after = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    assert_eq!(dump_after, dump_before);
    let opened = api.get(&format!("{ORGS}/{unlocked_twice}")).await.json();
    assert_eq!(opened["status"], "opened");
    // Unlocking after the restart restores the lock underneath with its original date.
    let unlocked = api.action(&id, "unlock").await.json();
    assert_eq!(unlocked["locked_by"], "scaleway");
    assert_eq!(api.list(&[]).await.json()["total_count"], 2);
}

#[tokio::test]
async fn a_seeded_persistent_book_is_seeded_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.json");
    let partner = Partner::generate();
    let seeded = |seed| MockConfig {
        seed_organizations: 20,
        seed: Some(seed),
        ..persistent(&path, &partner)
    };
    let api = Api::start(seeded(1)).await;
    let first = api.list(&[("page_size", "100")]).await.json();
    api.create("added").await;
    api.server.shutdown().await;

    // Another seed at restart changes nothing: the file wins.
    let api = Api::start(seeded(2)).await;
    let again = api.list(&[("page_size", "100")]).await.json();
    assert_eq!(again["total_count"], 21);
    // The seeded organizations are older than the one added, so they come first.
    let listed = again["organizations"].as_array().unwrap();
    assert_eq!(
        &listed[..20],
        first["organizations"].as_array().unwrap().as_slice()
    );
    assert_eq!(listed[20]["customer_id"], "added");
    // Reset goes back to the state loaded at start, and saves it.
    api.create("dropped").await;
    api.server.reset();
    assert_eq!(api.list(&[]).await.json()["total_count"], 21);
    api.server.shutdown().await;
    let api = Api::start(seeded(3)).await;
    assert_eq!(api.list(&[]).await.json()["total_count"], 21);
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(&path, b"{\"format\": 1, \"organizations\": [").unwrap();
    let err = MockServer::start(persistent(&path, &Partner::generate()))
        .await
        .unwrap_err();
    assert!(matches!(err, MockError::StateParse { .. }), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"{\"format\": 1, \"organizations\": [".to_vec()
    );
}

async fn create_status(api: &Api, customer: &str) -> u16 {
    let body = json!({
        "partner_id": api.partner(), "email": "o@example.com", "organization_name": "Org",
        "owner_firstname": "John", "owner_lastname": "Doe", "customer_id": customer,
    });
    api.call(Method::POST, ORGS, Some(body)).await.status
}

#[tokio::test]
async fn a_late_write_is_persisted_when_it_lands_and_dropped_on_shutdown_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let partner = Partner::generate();
    let late = |delay_ms: u64| {
        serde_json::from_value(
            json!({"script": [{"fault": "apply_late", "delay_ms": delay_ms,
                                                  "operation": "create_organization"}]}),
        )
        .unwrap()
    };
    let api = Api::start(persistent(&path, &partner)).await;
    api.server.inject_faults(late(50));
    assert_eq!(create_status(&api, "landed").await, 504);
    common::eventually("the late write landed", || async {
        api.server.stats().late_applied > 0
    })
    .await;
    // Still pending when the server stops: dropped, so it cannot overwrite a newer state.
    api.server.inject_faults(late(300));
    assert_eq!(create_status(&api, "dropped").await, 504);
    api.server.shutdown().await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let again = Api::start(persistent(&path, &partner)).await;
    let listed = again.list(&[]).await.json();
    assert_eq!(listed["total_count"], 1, "{listed}");
    assert_eq!(listed["organizations"][0]["customer_id"], "landed");
}
