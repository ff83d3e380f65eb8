//! Fault injection (every kind, scripted and seeded), the rate limit in both styles, latency.

mod common;

use std::time::{Duration, Instant};

use common::{Api, ORGS, config, eventually, new_org, path_of, two_partners};
use reqwest::Method;
use scaleway_partner_mock::{
    FaultKind, FaultPlan, FaultProbabilities, Latency, MockConfig, Operation, RateLimitStyle,
    ScriptedFault,
};
use serde_json::{Value, json};

async fn organizations_in_dump(api: &Api) -> usize {
    let dump = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    dump["organizations"].as_array().unwrap().len()
}

async fn script(api: &Api, entries: Value) {
    api.control(
        Method::POST,
        "/_mock/faults",
        Some(json!({ "script": entries })),
    )
    .await
    .expect_status(204);
}

async fn try_create(api: &Api, customer: &str) -> Result<reqwest::Response, reqwest::Error> {
    api.http
        .post(format!("{}{ORGS}", api.server.url()))
        .header("X-Auth-Token", api.key())
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&new_org(&api.partner(), customer)).unwrap())
        .send()
        .await
}

#[tokio::test]
async fn reset_before_closes_the_connection_and_applies_nothing() {
    let api = Api::start(config()).await;
    script(
        &api,
        json!([{"fault": "reset_before", "operation": "create_organization"}]),
    )
    .await;
    let error = try_create(&api, "lost")
        .await
        .expect_err("no answer expected");
    assert!(!error.is_status(), "{error}");
    assert_eq!(organizations_in_dump(&api).await, 0);
    let stats = api.server.stats();
    assert_eq!(stats.faults_injected, 1);
    assert!(
        stats.by_status.is_empty(),
        "no status was answered: {stats:?}"
    );
    // The fault was used up: the next creation goes through.
    assert_eq!(try_create(&api, "next").await.unwrap().status(), 200);
    assert_eq!(organizations_in_dump(&api).await, 1);
}

#[tokio::test]
async fn reset_after_applies_the_write_then_closes_the_connection() {
    let api = Api::start(config()).await;
    api.server.inject_faults(FaultPlan {
        script: vec![ScriptedFault::new(FaultKind::ResetAfter).on(Operation::CreateOrganization)],
        ..FaultPlan::default()
    });
    try_create(&api, "applied")
        .await
        .expect_err("no answer expected");
    assert_eq!(organizations_in_dump(&api).await, 1);
    let listed = api.list(&[("customer_id", "applied")]).await.json();
    assert_eq!(listed["total_count"], 1);
}

#[tokio::test]
async fn garble_applies_the_write_and_answers_a_whole_body_that_is_not_json() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    script(
        &api,
        json!([{"fault": "garble", "operation": "lock_organization"},
               {"fault": "garble", "operation": "get_organization"}]),
    )
    .await;
    let locked = api.action(&id, "lock").await;
    assert_eq!(locked.status, 200);
    assert!(serde_json::from_slice::<Value>(&locked.body).is_err());
    assert!(!locked.body.is_empty());
    // An error answer is not garbled: only success bodies are.
    let missing = "00000000-0000-4000-8000-000000000000";
    script(
        &api,
        json!([{"fault": "garble", "operation": "unlock_organization"}]),
    )
    .await;
    api.action(missing, "unlock").await.error(404, "not_found");
    assert_eq!(api.get(&format!("{ORGS}/{id}")).await.status, 200);
    // The lock was applied, and the garbled read left nothing pending.
    assert_eq!(
        api.get(&format!("{ORGS}/{id}")).await.json()["locked_by"],
        "partner"
    );
}

#[tokio::test]
async fn truncate_announces_the_full_length_and_cuts_the_body() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    script(
        &api,
        json!([{"fault": "truncate", "operation": "get_organization"}]),
    )
    .await;
    let response = api
        .http
        .get(format!("{}{ORGS}/{id}", api.server.url()))
        .header("X-Auth-Token", api.key())
        .send()
        .await
        .expect("headers arrive");
    assert_eq!(response.status(), 200);
    let announced: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(announced > 300, "the full organization is announced");
    assert!(
        response.bytes().await.is_err(),
        "the body must be cut short"
    );
    assert_eq!(api.get(&format!("{ORGS}/{id}")).await.status, 200);
}

#[tokio::test]
async fn server_errors_are_gateway_html_pages() {
    let api = Api::start(config()).await;
    script(&api, json!([{"fault": "server_error", "count": 2}])).await;
    for _ in 0..2 {
        let reply = api.list(&[]).await;
        assert!([502, 503].contains(&reply.status), "{}", reply.status);
        assert_eq!(reply.header("content-type"), Some("text/html"));
        assert!(reply.header("x-request-id").is_some());
        let page = String::from_utf8(reply.body.clone()).unwrap();
        assert!(
            page.starts_with("<html>") && page.contains(&reply.status.to_string()),
            "{page}"
        );
    }
    assert_eq!(api.list(&[]).await.status, 200);
    assert_eq!(api.server.stats().faults_injected, 2);
}

#[tokio::test]
async fn slow_answers_come_late_but_complete() {
    let api = Api::start(config()).await;
    script(&api, json!([{"fault": "slow", "delay_ms": 300}])).await;
    let started = Instant::now();
    let reply = api.list(&[]).await;
    assert_eq!(reply.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_write_whose_client_gave_up_still_lands() {
    // A real backend keeps processing after the client disconnects; clients must reconcile.
    let api = Api::start(config()).await;
    script(
        &api,
        json!([{"fault": "slow", "delay_ms": 300, "operation": "create_organization"}]),
    )
    .await;
    let gave_up = tokio::time::timeout(Duration::from_millis(50), try_create(&api, "late")).await;
    assert!(gave_up.is_err(), "the client gave up before the answer");
    assert_eq!(organizations_in_dump(&api).await, 0);
    eventually("the write landed anyway", || async {
        organizations_in_dump(&api).await == 1
    })
    .await;
}

#[tokio::test]
async fn scripted_errors_answer_the_given_status_and_body() {
    let api = Api::start(config()).await;
    let body = json!({"type": "transient_state", "message": "resource is in a transient state",
                      "resource": "organization", "resource_id": "x", "current_state": "locking"});
    script(
        &api,
        json!([{"fault": "error", "status": 409, "body": body, "operation": "lock_organization"},
               {"fault": "rate_limit", "operation": "get_organization"}]),
    )
    .await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    let reply = api.action(&id, "lock").await;
    assert_eq!(reply.status, 409);
    assert_eq!(reply.json(), body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("x-request-id").is_some());
    // The error was answered instead of handling: still Scaleway's lock.
    let got = api.get(&format!("{ORGS}/{id}")).await;
    assert_eq!(
        got.status, 429,
        "the scripted rate_limit applies to the get"
    );
    assert_eq!(got.header("x-envoy-ratelimited"), Some("true"));
    let got = api.get(&format!("{ORGS}/{id}")).await.json();
    assert_eq!(got["locked_by"], "scaleway");
    let stats = api.server.stats();
    assert_eq!((stats.faults_injected, stats.rate_limited), (2, 1));
}

#[tokio::test]
async fn fault_plans_are_checked_and_can_be_cleared() {
    let api = Api::start(config()).await;
    for bad in [
        json!({"script": [{"fault": "explode"}]}),
        json!({"script": [{"fault": "error"}]}),
        json!({"script": [{"fault": "error", "status": 200}]}),
        json!({"script": [{"fault": "slow", "operation": "delete_organization"}]}),
        json!({"probabilities": {"server_error": 2.0}}),
        json!({"probabilities": {"server_error": 0.6, "truncate": 0.6}}),
    ] {
        let reply = api
            .control(Method::POST, "/_mock/faults", Some(bad.clone()))
            .await;
        assert_eq!(reply.status, 400, "{bad}");
        reply.error(400, "invalid_arguments");
    }
    script(&api, json!([{"fault": "server_error", "count": 5}])).await;
    let reply = api.control(Method::DELETE, "/_mock/faults", None).await;
    assert_eq!(reply.status, 204);
    assert_eq!(api.list(&[]).await.status, 200);
}

async fn statuses(api: &Api, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(api.list(&[]).await.status);
    }
    out
}

/// Two emulators with the same fault probabilities and seed, and the statuses of `n` listings
/// on the first, checked to be the second's too.
async fn seeded_twins(faults: FaultProbabilities, seed: u64, n: usize) -> (Api, Api, Vec<u16>) {
    let faulty = || MockConfig {
        faults,
        seed: Some(seed),
        ..config()
    };
    let a = Api::start(faulty()).await;
    let b = Api::start(faulty()).await;
    let first = statuses(&a, n).await;
    assert_eq!(first, statuses(&b, n).await, "same seed, same faults");
    (a, b, first)
}

#[tokio::test]
async fn probabilistic_faults_are_reproducible_with_a_seed() {
    let faults = FaultProbabilities {
        server_error: 0.4,
        ..FaultProbabilities::default()
    };
    let (a, b, first) = seeded_twins(faults, 99, 40).await;
    assert!(
        first.contains(&200) && first.iter().any(|s| *s >= 502),
        "{first:?}"
    );

    // Reseeding through the control endpoint replays the same sequence.
    let plan = json!({"probabilities": {"server_error": 0.5}, "seed": 7});
    for api in [&a, &b] {
        api.control(Method::POST, "/_mock/faults", Some(plan.clone()))
            .await;
    }
    assert_eq!(statuses(&a, 30).await, statuses(&b, 30).await);
    a.server.clear_faults();
    assert!(statuses(&a, 10).await.iter().all(|s| *s == 200));
}

#[tokio::test]
async fn the_gateway_rate_limit_answers_a_bare_429() {
    let api = Api::start(MockConfig {
        rate_limit: 5,
        ..two_partners()
    })
    .await;
    let mut remaining = Vec::new();
    let mut refused = None;
    for _ in 0..6 {
        let reply = api.list(&[]).await;
        if reply.status == 429 {
            refused = Some(reply);
            break;
        }
        assert_eq!(reply.header("x-ratelimit-limit"), Some("5, 5;w=1"));
        assert_eq!(reply.header("x-ratelimit-reset"), Some("1"));
        remaining.push(reply.header("x-ratelimit-remaining").unwrap().to_owned());
    }
    // A window could roll over mid-loop on a very slow machine; then the sequence restarts.
    let refused = refused.expect("the sixth request within a second is refused");
    assert_eq!(remaining, ["4", "3", "2", "1", "0"]);
    assert!(refused.body.is_empty());
    assert_eq!(refused.header("x-envoy-ratelimited"), Some("true"));
    assert_eq!(refused.header("content-type"), Some("application/json"));
    assert!(refused.header("x-request-id").is_some());
    assert!(refused.header("x-ratelimit-limit").is_none());
    assert!(refused.header("retry-after").is_none());
    assert!(api.server.stats().rate_limited >= 1);

    // Per key: the other partner still has its budget.
    let other = api.server.partners()[1].secret_key.clone();
    assert_eq!(
        api.call_as(&other, Method::GET, ORGS, None).await.status,
        200
    );
    tokio::time::sleep(Duration::from_millis(1050)).await;
    assert_eq!(api.list(&[]).await.status, 200, "a new window opens");
}

#[tokio::test]
async fn the_json_rate_limit_answers_too_many_requests() {
    let api = Api::start(MockConfig {
        rate_limit: 2,
        rate_limit_style: RateLimitStyle::Json,
        ..config()
    })
    .await;
    let mut last = None;
    for _ in 0..3 {
        last = Some(api.list(&[]).await);
    }
    let reply = last.unwrap();
    let body = reply.error(429, "too_many_requests");
    assert_eq!(body["limit"], json!({"quota": 2, "window_seconds": 1}));
    assert!(body["reset_seconds"].as_u64().unwrap() >= 1);
    assert!(chrono::DateTime::parse_from_rfc3339(body["reset_at"].as_str().unwrap()).is_ok());
    assert!(body["help_message"].is_string());
    assert_eq!(reply.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(reply.header("x-ratelimit-limit"), Some("2, 2;w=1"));
}

#[tokio::test]
async fn without_a_rate_limit_there_are_no_rate_limit_headers() {
    let api = Api::start(config()).await;
    let statuses = statuses(&api, 80).await;
    assert!(statuses.iter().all(|s| *s == 200));
    assert!(api.list(&[]).await.header("x-ratelimit-limit").is_none());
}

#[tokio::test]
async fn latency_is_applied_and_creations_are_slower() {
    let api = Api::start(MockConfig {
        latency: Latency {
            base_ms: 60,
            jitter_ms: 10,
            create_ms: 250,
        },
        ..config()
    })
    .await;
    // Lower bounds only: an answer cannot come before the emulator's wait is over.
    let started = Instant::now();
    api.create("c").await;
    assert!(started.elapsed() >= Duration::from_millis(250));
    let started = Instant::now();
    api.list(&[]).await;
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(60), "{took:?}");
    // Control endpoints are not slowed down: one answers while a held API request waits (for
    // a minute: only a stalled machine could let it answer first).
    script(&api, json!([{"fault": "slow", "delay_ms": 60_000}])).await;
    let held = api.list(&[]);
    tokio::pin!(held);
    tokio::select! {
        biased;
        reply = api.control(Method::GET, "/_mock/health", None) => assert_eq!(reply.status, 200),
        _ = &mut held => panic!("the held API request answered before the control endpoint"),
    }
}

fn assert_gateway_page(status: u16, content_type: Option<&str>, body: &[u8]) {
    assert_eq!(content_type, Some("text/html"));
    let page = String::from_utf8_lossy(body);
    assert!(
        page.starts_with("<html>") && page.contains(&status.to_string()),
        "{page}"
    );
}

#[tokio::test]
async fn apply_late_answers_a_gateway_timeout_at_once_and_creates_later() {
    let api = Api::start(config()).await;
    script(
        &api,
        json!([{"fault": "apply_late", "operation": "create_organization", "count": 1,
                "delay_ms": 1500, "status": 504}]),
    )
    .await;
    let response = try_create(&api, "late").await.expect("an answer");
    let answered = chrono::Utc::now();
    assert_eq!(response.status(), 504);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_gateway_page(504, Some(&content_type), &response.bytes().await.unwrap());
    assert_eq!(
        api.list(&[("customer_id", "late")]).await.json()["total_count"],
        0,
        "not applied yet"
    );
    eventually("the late creation is listed", || async {
        api.list(&[("customer_id", "late")]).await.json()["total_count"] == 1
    })
    .await;
    eventually("the late creation is counted", || async {
        api.server.stats().late_applied == 1
    })
    .await;
    let listed = api.list(&[("customer_id", "late")]).await.json();
    let org = &listed["organizations"][0];
    let created_at: chrono::DateTime<chrono::Utc> =
        org["created_at"].as_str().unwrap().parse().unwrap();
    assert!(
        created_at > answered,
        "created at {created_at}, answered at {answered}"
    );
    let got = api.get(&path_of(org)).await;
    assert_eq!(got.status, 200);
    assert_eq!(organizations_in_dump(&api).await, 1, "applied exactly once");
    let stats = api.server.stats();
    assert_eq!(stats.faults_injected, 1);
    assert_eq!(stats.by_status["504"], 1);
    assert_eq!(stats.by_operation["create_organization"], 1);
}

#[tokio::test]
async fn apply_late_with_reset_closes_the_connection_and_the_write_still_lands() {
    let api = Api::start(config()).await;
    api.server.inject_faults(FaultPlan {
        script: vec![
            ScriptedFault::new(FaultKind::ApplyLate)
                .on(Operation::CreateOrganization)
                .with_reset()
                .with_delay_ms(200),
        ],
        ..FaultPlan::default()
    });
    let error = try_create(&api, "reset")
        .await
        .expect_err("no answer expected");
    assert!(!error.is_status(), "{error}");
    eventually("the write lands", || async {
        organizations_in_dump(&api).await == 1
    })
    .await;
    eventually("the late write is counted", || async {
        api.server.stats().late_applied == 1
    })
    .await;
    assert_eq!(
        api.list(&[("customer_id", "reset")]).await.json()["total_count"],
        1
    );
    // The reset answered no status; the only one counted is the listing's.
    let by_status = api.server.stats().by_status;
    assert_eq!(
        by_status.into_iter().collect::<Vec<_>>(),
        [("200".to_owned(), 1)]
    );
}

#[tokio::test]
async fn apply_late_on_a_lock_locks_by_partner_only_later() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    script(
        &api,
        json!([{"fault": "apply_late", "operation": "lock_organization", "status": 502,
                "delay_ms": 800}]),
    )
    .await;
    let reply = api.action(&id, "lock").await;
    assert_eq!(reply.status, 502);
    assert_gateway_page(502, reply.header("content-type"), &reply.body);
    let path = format!("{ORGS}/{id}");
    assert_eq!(api.get(&path).await.json()["locked_by"], "scaleway");
    eventually("the partner lock lands", || async {
        api.get(&path).await.json()["locked_by"] == "partner"
    })
    .await;
    eventually("the late lock is counted", || async {
        api.server.stats().late_applied == 1
    })
    .await;
}

#[tokio::test]
async fn apply_late_on_a_read_only_answers_the_gateway_failure() {
    let api = Api::start(config()).await;
    let id = api.create("c").await["id"].as_str().unwrap().to_owned();
    let before = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    script(
        &api,
        json!([{"fault": "apply_late", "operation": "get_organization", "status": 503,
                "delay_ms": 20},
               {"fault": "apply_late", "operation": "list_organizations", "delay_ms": 20}]),
    )
    .await;
    let got = api.get(&format!("{ORGS}/{id}")).await;
    assert_eq!(got.status, 503);
    assert_gateway_page(503, got.header("content-type"), &got.body);
    let listed = api.list(&[]).await;
    assert_eq!(listed.status, 504);
    assert_gateway_page(504, listed.header("content-type"), &listed.body);
    // Nothing is pending: well past the delay, nothing was handled nor changed.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let stats = api.server.stats();
    assert_eq!((stats.late_applied, stats.faults_injected), (0, 2));
    assert_eq!(stats.by_operation["get_organization"], 1);
    assert_eq!(
        api.control(Method::GET, "/_mock/organizations", None)
            .await
            .json(),
        before
    );
}

#[tokio::test]
async fn a_late_write_the_emulator_would_refuse_changes_nothing() {
    let api = Api::start(config()).await;
    script(
        &api,
        json!([{"fault": "apply_late", "operation": "create_organization", "count": 2,
                "delay_ms": 20}]),
    )
    .await;
    let mut bad = new_org(&api.partner(), "bad");
    bad["email"] = json!("not an email");
    let reply = api.call(Method::POST, ORGS, Some(bad)).await;
    assert_eq!(
        reply.status, 504,
        "the gateway answers before any validation"
    );
    let wrong_key = uuid::Uuid::new_v4().to_string();
    let reply = api
        .call_as(
            &wrong_key,
            Method::POST,
            ORGS,
            Some(new_org(&api.partner(), "x")),
        )
        .await;
    assert_eq!(reply.status, 504);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(organizations_in_dump(&api).await, 0);
    assert_eq!(api.server.stats().late_applied, 0);
}

#[tokio::test]
async fn a_reset_drops_the_late_writes_still_pending() {
    let api = Api::start(config()).await;
    script(
        &api,
        json!([{"fault": "apply_late", "operation": "create_organization", "delay_ms": 200}]),
    )
    .await;
    assert_eq!(try_create(&api, "dropped").await.unwrap().status(), 504);
    assert_eq!(
        api.control(Method::POST, "/_mock/reset", None).await.status,
        204
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(organizations_in_dump(&api).await, 0);
    assert_eq!(api.server.stats().late_applied, 0);
}

#[tokio::test]
async fn probabilistic_apply_late_is_reproducible_and_checked() {
    let faults = FaultProbabilities {
        apply_late: 0.5,
        apply_late_ms: 50,
        ..FaultProbabilities::default()
    };
    let (a, _, first) = seeded_twins(faults, 5, 30).await;
    assert!(
        first.contains(&200)
            && first.contains(&504)
            && first.iter().all(|s| [200, 504].contains(s)),
        "{first:?}"
    );
    assert_eq!(a.server.stats().late_applied, 0, "reads apply nothing late");

    // Every creation lands: at once when answered 200, later when answered 504.
    let mut late = 0;
    for i in 0..12 {
        let status = try_create(&a, &format!("c{i}")).await.unwrap().status();
        late += u64::from(status == 504);
    }
    assert!(late > 0, "at p=0.5, some of 12 creations are late");
    eventually("every creation lands", || async {
        organizations_in_dump(&a).await == 12
    })
    .await;
    eventually("the late ones are counted", || async {
        a.server.stats().late_applied == late
    })
    .await;

    for bad in [
        json!({"probabilities": {"apply_late": 1.5}}),
        json!({"probabilities": {"apply_late": -0.5}}),
        json!({"probabilities": {"apply_late": 0.6, "server_error": 0.5}}),
        json!({"script": [{"fault": "apply_late", "status": 500}]}),
        json!({"script": [{"fault": "apply_late", "status": 504, "reset": true}]}),
        json!({"script": [{"fault": "slow", "reset": true}]}),
        json!({"script": [{"fault": "redirect", "status": 200}]}),
        json!({"script": [{"fault": "error", "status": 500, "location": "http://x/"}]}),
    ] {
        let reply = a
            .control(Method::POST, "/_mock/faults", Some(bad.clone()))
            .await;
        assert_eq!(reply.status, 400, "{bad}");
        reply.error(400, "invalid_arguments");
    }
    let refused = scaleway_partner_mock::MockServer::start(MockConfig {
        faults: FaultProbabilities {
            apply_late: 1.1,
            ..FaultProbabilities::default()
        },
        ..config()
    })
    .await;
    assert!(refused.is_err(), "an out-of-range probability is refused");
}

/// A client reaching `localhost` at the emulator's address, following redirects as `policy` says.
fn via_localhost(api: &Api, policy: reqwest::redirect::Policy) -> reqwest::Client {
    let _ = common::http_client();
    reqwest::Client::builder()
        .no_proxy()
        .redirect(policy)
        .resolve("localhost", api.server.address())
        .build()
        .unwrap()
}

#[tokio::test]
async fn redirects_point_where_told_or_to_the_other_host_name_and_apply_nothing() {
    let api = Api::start(config()).await;
    let port = api.server.address().port();
    assert!(api.server.url().starts_with("http://127.0.0.1:"));
    let http = via_localhost(&api, reqwest::redirect::Policy::none());
    script(
        &api,
        json!([{"fault": "redirect", "status": 302, "location": "http://example.invalid/away",
                "operation": "create_organization"},
               {"fault": "redirect", "operation": "list_organizations", "count": 2}]),
    )
    .await;
    let created = http
        .post(format!("{}{ORGS}", api.server.url()))
        .header("X-Auth-Token", api.key())
        .header("Content-Type", "application/json")
        .body(serde_json::to_vec(&new_org(&api.partner(), "redirected")).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 302);
    assert_eq!(created.headers()["location"], "http://example.invalid/away");
    assert_eq!(organizations_in_dump(&api).await, 0, "nothing applied");

    // A listing is sent to the other host name, its path and query kept.
    let path = format!("{ORGS}?page=2&customer_id=x");
    let redirected = |url: String| {
        let request = http.get(url).header("X-Auth-Token", api.key());
        async move {
            let listed = request.send().await.unwrap();
            assert_eq!(listed.status(), 307);
            listed.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    assert_eq!(
        redirected(format!("{}{path}", api.server.url())).await,
        format!("http://localhost:{port}{path}")
    );
    assert_eq!(
        redirected(format!("http://localhost:{port}{path}")).await,
        format!("http://127.0.0.1:{port}{path}")
    );
    let stats = api.server.stats();
    assert_eq!((stats.faults_injected, stats.late_applied), (3, 0));
    assert_eq!((stats.by_status["302"], stats.by_status["307"]), (1, 2));
    assert_eq!(organizations_in_dump(&api).await, 0);
}

#[tokio::test]
async fn a_client_following_the_default_redirect_reaches_the_emulator_again() {
    let api = Api::start(config()).await;
    let following = via_localhost(&api, reqwest::redirect::Policy::default());
    api.server.inject_faults(FaultPlan {
        script: vec![ScriptedFault::new(FaultKind::Redirect).with_status(308)],
        ..FaultPlan::default()
    });
    let response = following
        .get(format!("{}{ORGS}", api.server.url()))
        .header("X-Auth-Token", api.key())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.url().host_str(), Some("localhost"));
    let stats = api.server.stats();
    assert_eq!(
        stats.requests, 2,
        "the redirect was followed to the emulator"
    );
    assert_eq!((stats.by_status["308"], stats.by_status["200"]), (1, 1));
}
