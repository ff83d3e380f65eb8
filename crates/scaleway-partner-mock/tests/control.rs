//! Control endpoints under /_mock and their library equivalents.

mod common;

use std::time::Duration;

use common::{Api, ORGS, config, two_partners};
use reqwest::Method;
use scaleway_partner_mock::{Latency, MockConfig, RawPatch, Stats};
use serde_json::{Value, json};

#[tokio::test]
async fn health_answers_without_authentication() {
    let api = Api::start(two_partners()).await;
    let reply = api.control(Method::GET, "/_mock/health", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("x-request-id").is_some());
    assert_eq!(reply.json()["status"], "ok");
    assert_eq!(reply.json()["partners"], 2);
}

#[tokio::test]
async fn stats_count_requests_operations_statuses_and_concurrency() {
    let api = Api::start(MockConfig {
        latency: Latency {
            base_ms: 150,
            ..Latency::default()
        },
        ..config()
    })
    .await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    api.get(&format!("{ORGS}/{id}")).await;
    api.get(&format!("{ORGS}/{}", uuid::Uuid::new_v4())).await;
    // Five at once, each held 150 ms: they overlap.
    let lists: Vec<_> = (0..5).map(|_| api.list(&[])).collect();
    futures::future::join_all(lists).await;

    let stats: Stats =
        serde_json::from_slice(&api.control(Method::GET, "/_mock/stats", None).await.body).unwrap();
    assert_eq!(stats, api.server.stats());
    assert_eq!(stats.requests, 8);
    assert_eq!(stats.in_flight, 0);
    assert!(stats.max_in_flight >= 3, "{stats:?}");
    assert_eq!(stats.by_operation["create_organization"], 1);
    assert_eq!(stats.by_operation["get_organization"], 2);
    assert_eq!(stats.by_operation["list_organizations"], 5);
    assert_eq!(stats.by_operation["lock_organization"], 0);
    assert_eq!(stats.by_status["200"], 7);
    assert_eq!(stats.by_status["404"], 1);
    assert_eq!((stats.rate_limited, stats.faults_injected), (0, 0));
    assert!(
        stats.connections >= 1 && stats.max_open_connections >= 1,
        "{stats:?}"
    );

    let raw = api.control(Method::GET, "/_mock/stats", None).await.json();
    let keys: Vec<&str> = raw
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "by_operation",
            "by_status",
            "connections",
            "connections_refused",
            "faults_injected",
            "in_flight",
            "late_applied",
            "max_in_flight",
            "max_open_connections",
            "open_connections",
            "rate_limited",
            "requests"
        ]
    );
    assert_eq!(
        api.control(Method::POST, "/_mock/stats/reset", None)
            .await
            .status,
        204
    );
    let after = api.server.stats();
    assert_eq!((after.requests, after.max_in_flight), (0, 0));
    assert!(after.by_status.is_empty());
    api.list(&[]).await;
    api.server.reset_stats();
    assert_eq!(api.server.stats().requests, 0);
}

#[tokio::test]
async fn raw_patches_override_the_rendered_json_everywhere() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    let reply = api
        .control(
            Method::PATCH,
            &format!("/_mock/organizations/{id}"),
            Some(json!({"set": {"status": "suspended", "phone_number": "", "extra": {"x": 1}}, "remove": ["siren_number"]})),
        )
        .await;
    assert_eq!(reply.status, 200);
    let patched = api.get(&format!("{ORGS}/{id}")).await.json();
    assert_eq!(reply.json(), patched);
    assert_eq!(patched["status"], "suspended");
    assert_eq!(patched["phone_number"], "");
    assert_eq!(patched["extra"], json!({"x": 1}));
    assert!(patched.get("siren_number").is_none());
    let listed = api.list(&[]).await.json();
    assert_eq!(listed["organizations"][0]["status"], "suspended");
    // Overrides change the rendering, not the model: the real status still filters.
    assert_eq!(
        api.list(&[("status", "locked")]).await.json()["total_count"],
        1
    );
    // Later actions keep the overrides on top.
    let locked = api.action(&id, "lock").await.json();
    assert_eq!(
        (locked["status"].clone(), locked["locked_by"].clone()),
        (json!("suspended"), json!("partner"))
    );

    assert!(
        api.server.patch_raw(
            &id,
            RawPatch {
                set: [("siren_number".to_owned(), Value::Null)]
                    .into_iter()
                    .collect(),
                remove: vec!["status".into()],
            }
        )
    );
    let again = api.get(&format!("{ORGS}/{id}")).await.json();
    assert_eq!(again["siren_number"], Value::Null);
    assert!(again.get("status").is_none());
    assert!(
        !api.server
            .patch_raw(&uuid::Uuid::new_v4().to_string(), RawPatch::default())
    );
    api.control(
        Method::PATCH,
        &format!("/_mock/organizations/{}", uuid::Uuid::new_v4()),
        Some(json!({"set": {}})),
    )
    .await
    .error(404, "not_found");
    api.control(
        Method::PATCH,
        &format!("/_mock/organizations/{id}"),
        Some(json!({"set": 3})),
    )
    .await
    .error(400, "invalid_arguments");
}

#[tokio::test]
async fn the_dump_shows_every_partner_and_the_lock_stacks() {
    let api = Api::start(two_partners()).await;
    let other = api.server.partners()[1].clone();
    let mine = api.create("mine").await["id"].as_str().unwrap().to_owned();
    api.action(&mine, "lock").await;
    api.call_as(
        &other.secret_key,
        Method::POST,
        ORGS,
        Some(common::new_org(&other.organization_id, "theirs")),
    )
    .await;
    let dump = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    let orgs = dump["organizations"].as_array().unwrap();
    assert_eq!(orgs.len(), 2);
    let first = orgs.iter().find(|o| o["id"] == mine.as_str()).unwrap();
    assert_eq!(first["partner_id"], api.partner().as_str());
    let stack: Vec<&str> = first["locks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["by"].as_str().unwrap())
        .collect();
    assert_eq!(stack, ["scaleway", "partner"]);
    assert!(
        orgs.iter()
            .any(|o| o["partner_id"] == other.organization_id.as_str())
    );
}

#[tokio::test]
async fn reset_goes_back_to_the_seeded_book() {
    let api = Api::start(MockConfig {
        seed_organizations: 12,
        ..config()
    })
    .await;
    let before = api.list(&[("page_size", "100")]).await.json();
    assert_eq!(before["total_count"], 12);
    let seeded_id = before["organizations"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    api.create("new").await;
    api.call(
        Method::PATCH,
        &format!("{ORGS}/{seeded_id}"),
        Some(json!({"comment": "changed"})),
    )
    .await;
    api.server.inject_faults(
        serde_json::from_value(json!({"script": [{"fault": "server_error", "count": 9}]})).unwrap(),
    );
    assert_eq!(
        api.control(Method::POST, "/_mock/reset", None).await.status,
        204
    );
    let after = api.list(&[("page_size", "100")]).await.json();
    assert_eq!(
        after, before,
        "same organizations, same content, no scripted faults left"
    );
    assert_eq!(api.server.stats().requests, 1);

    api.create("again").await;
    api.server.reset();
    assert_eq!(api.list(&[]).await.json()["total_count"], 12);
}

#[tokio::test]
async fn shutdown_stops_listening_and_drop_too() {
    let api = Api::start(config()).await;
    let url = api.server.url().to_owned();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with('/'));
    api.server.shutdown().await;
    let refused = common::http_client()
        .get(format!("{url}/_mock/health"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(refused.is_err(), "nothing listens after shutdown");

    let dropped = scaleway_partner_mock::MockServer::start(config())
        .await
        .unwrap();
    let url = dropped.url().to_owned();
    drop(dropped);
    // Dropping stops the server in the background: it stops listening soon after.
    common::eventually("nothing listens after drop", || async {
        common::http_client()
            .get(format!("{url}/_mock/health"))
            .send()
            .await
            .is_err()
    })
    .await;
}

#[test]
fn starts_inside_a_current_thread_runtime_and_keeps_keys_out_of_debug() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let api = Api::start(config()).await;
        let key = api.key();
        assert_eq!(api.list(&[]).await.status, 200);
        let debug = format!(
            "{:?} {:?} {:?}",
            api.server,
            api.server.partners(),
            config()
        );
        assert!(!debug.contains(&key), "{debug}");
        assert!(debug.contains("redacted"));
        api.server.shutdown().await;
    });
}

#[tokio::test]
async fn bad_configurations_are_refused() {
    use scaleway_partner_mock::{MockError, MockServer, Partner};
    let bad_key = MockConfig {
        partners: vec![Partner {
            secret_key: "not-a-uuid".into(),
            organization_id: uuid::Uuid::new_v4().to_string(),
        }],
        ..config()
    };
    let err = MockServer::start(bad_key).await.unwrap_err();
    assert!(matches!(err, MockError::Config(_)), "{err}");
    assert!(
        !err.to_string().contains("not-a-uuid"),
        "keys stay out of messages: {err}"
    );
    let p = Partner::generate();
    let twice = MockConfig {
        partners: vec![p.clone(), p],
        ..config()
    };
    assert!(MockServer::start(twice).await.is_err());
    let taken = MockServer::start(config()).await.unwrap();
    let clash = MockConfig {
        listen: taken.address(),
        ..config()
    };
    assert!(matches!(
        MockServer::start(clash).await.unwrap_err(),
        MockError::Bind { .. }
    ));
}
