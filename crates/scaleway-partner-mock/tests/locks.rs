//! The lock stack as seen in real traffic, and isolation between partners.

mod common;

use common::{Api, ORGS, config, new_org, two_partners};
use reqwest::Method;
use serde_json::{Value, json};

fn lock_fields(o: &Value) -> (String, String, String, Value) {
    (
        o["status"].as_str().unwrap().to_owned(),
        o["locked_by"].as_str().unwrap().to_owned(),
        o["lock_reason_message"].as_str().unwrap().to_owned(),
        o["locked_at"].clone(),
    )
}

#[tokio::test]
async fn partner_locks_stack_over_the_email_validation_lock() {
    let api = Api::start(config()).await;
    let created = api.create("c").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, _, _, validation_date) = lock_fields(&created);

    let locked = api.action(&id, "lock").await;
    assert_eq!(locked.status, 200);
    let locked = locked.json();
    let (status, by, reason, first_date) = lock_fields(&locked);
    assert_eq!(
        (status.as_str(), by.as_str(), reason.as_str()),
        ("locked", "partner", "locked_by_reseller")
    );
    assert_ne!(first_date, validation_date);
    assert_eq!(api.get(&format!("{ORGS}/{id}")).await.json(), locked);

    // Locking again succeeds with a fresh date.
    let relocked = api.action(&id, "lock").await.json();
    let (_, by, _, second_date) = lock_fields(&relocked);
    assert_eq!(by, "partner");
    assert!(second_date.as_str().unwrap() > first_date.as_str().unwrap());

    // Unlocking shows Scaleway's lock again, with its original date.
    let unlocked = api.action(&id, "unlock").await.json();
    assert_eq!(lock_fields(&unlocked), lock_fields(&created));

    // No partner lock left: 412.
    let refused = api.action(&id, "unlock").await;
    let body = refused.error(412, "precondition_failed");
    assert_eq!(body["precondition"], "organization_locked_by_partner");
    assert!(body["help_message"].is_string());

    // The owner validates the email: opened.
    let reply = api
        .control(
            Method::POST,
            &format!("/_mock/organizations/{id}/validate-email"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    let opened = api.get(&format!("{ORGS}/{id}")).await.json();
    assert_eq!(
        lock_fields(&opened),
        (
            "opened".into(),
            "unknown_locked_by".into(),
            String::new(),
            Value::Null
        )
    );
    assert_eq!(reply.json(), opened);

    let locked = api.action(&id, "lock").await.json();
    assert_eq!(locked["locked_by"], "partner");
    let unlocked = api.action(&id, "unlock").await.json();
    assert_eq!(unlocked["status"], "opened");
    assert_eq!(unlocked["locked_at"], Value::Null);
}

#[tokio::test]
async fn validating_the_email_under_a_partner_lock_keeps_the_partner_lock() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    let locked = api.action(&id, "lock").await.json();
    assert!(api.server.validate_email(&id));
    let still = api.get(&format!("{ORGS}/{id}")).await.json();
    assert_eq!(lock_fields(&still), lock_fields(&locked));
    let opened = api.action(&id, "unlock").await.json();
    assert_eq!(opened["status"], "opened");
    assert!(!api.server.validate_email(&uuid::Uuid::new_v4().to_string()));
    assert!(!api.server.validate_email("not-a-uuid"));
    api.control(
        Method::POST,
        &format!(
            "/_mock/organizations/{}/validate-email",
            uuid::Uuid::new_v4()
        ),
        None,
    )
    .await
    .error(404, "not_found");
}

#[tokio::test]
async fn lock_and_unlock_of_unknown_or_malformed_ids() {
    let api = Api::start(config()).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for action in ["lock", "unlock"] {
        api.action(&unknown, action).await.error(404, "not_found");
        let reply = api.action("bad-id", action).await;
        assert_eq!(
            reply.invalid(),
            common::pairs(&[("organization_id", "format")])
        );
    }
}

#[tokio::test]
async fn a_partner_never_sees_nor_touches_another_partners_organizations() {
    let api = Api::start(two_partners()).await;
    let other = api.server.partners()[1].clone();
    let mine = api.create("mine").await;
    let id = mine["id"].as_str().unwrap().to_owned();
    let path = format!("{ORGS}/{id}");
    let key = other.secret_key.as_str();

    for (method, path, body) in [
        (Method::GET, path.clone(), None),
        (Method::PATCH, path.clone(), Some(json!({"name": "Stolen"}))),
        (Method::POST, format!("{path}/lock"), Some(json!({}))),
        (Method::POST, format!("{path}/unlock"), Some(json!({}))),
        (
            Method::POST,
            format!("{path}/request-admin-role"),
            Some(json!({"username": "intruder", "email": "i@example.com"})),
        ),
    ] {
        let reply = api.call_as(key, method, &path, body).await;
        let body = reply.error(404, "not_found");
        assert_eq!(
            body["resource_id"],
            id.as_str(),
            "same answer as an unknown ID"
        );
    }
    let theirs = api
        .call_as(
            key,
            Method::POST,
            ORGS,
            Some(new_org(&other.organization_id, "theirs")),
        )
        .await;
    assert_eq!(theirs.status, 200);
    let their_list = api.call_as(key, Method::GET, ORGS, None).await.json();
    assert_eq!(their_list["total_count"], 1);
    assert_eq!(their_list["organizations"][0]["customer_id"], "theirs");
    let my_list = api.list(&[]).await.json();
    assert_eq!(my_list["total_count"], 1);
    // Nothing the other partner tried changed my organization.
    assert_eq!(api.get(&path).await.json(), mine);
}
