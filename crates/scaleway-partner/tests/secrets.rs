//! The secret key and the admin-role password at the most verbose level (issue 14, item 4):
//! tracing at `trace` for every crate (the HTTP stack included), every operation including
//! `request_admin_role`, and every error path the emulator can produce (gateway and JSON 429s,
//! HTML 5xx, resets, truncated and late answers, redirects, a wrong key, local validation, bad
//! configuration). Neither appears in the logs, in `Debug` or `Display` of any value or error
//! (and their sources), nor in the audit's JSON.

mod common;

use std::error::Error as _;
use std::time::Duration;

use common::{builder, capture_traces, emulator, new_org};
use scaleway_partner::{
    AuditOptions, Client, Error, ListOrganizationsRequest, RequestAdminRoleRequest,
    UpdateOrganizationRequest,
};
use scaleway_partner_mock::MockServer;
use serde_json::json;

const KEY: &str = "5ec2e7a1-4b1d-4c3e-9f00-0123456789ab";
const ORG: &str = "7fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e";
const PASSWORD: &str = "Tr0ub4dor-and-correct-horse";

/// Everything shown of an error: Display, Debug, and the same for each source.
fn shown(e: &Error) -> String {
    let mut out = format!("{e} {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    out
}

fn faults(mock: &MockServer, plan: serde_json::Value) {
    mock.inject_faults(serde_json::from_value(plan).unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_stay_out_of_everything_at_trace_level() {
    let traces = capture_traces();
    let mut printed = Vec::<String>::new();

    let mock = emulator(json!({"partners": [
        {"secret_key": KEY, "organization_id": ORG},
        {"secret_key": "22222222-2222-4222-8222-222222222222", "organization_id": "3fbc0d5f-9d3e-48e4-8fef-6a4533c9ab2e"},
    ]}))
    .await;
    let client = builder(&mock)
        .create_settle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let builder_shown = format!("{:?}", builder(&mock));
    printed.push(builder_shown);
    printed.push(format!(
        "{client:?} {:?} {} {:?}",
        client.config(),
        client.config().secret_key(),
        client.config().secret_key()
    ));

    // Every operation, succeeding.
    let org = client
        .create_organization(new_org(1, "secrets"))
        .await
        .unwrap();
    let id = org.id.as_str();
    let admin = RequestAdminRoleRequest::new()
        .username("partner.admin")
        .email("admin@partner.test")
        .password(PASSWORD);
    printed.push(format!("{admin:?}"));
    client.request_admin_role(id, admin.clone()).await.unwrap();
    client.get_organization(id).await.unwrap();
    client
        .update_organization(id, UpdateOrganizationRequest::new().comment("observed"))
        .await
        .unwrap();
    client.lock_organization(id).await.unwrap();
    client.unlock_organization(id).await.unwrap();
    client
        .list_organizations(ListOrganizationsRequest::new())
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    client
        .lock_organizations(vec![org.id.clone()])
        .await
        .unwrap();
    client
        .get_organizations(vec![org.id.clone()])
        .await
        .unwrap();
    client
        .ensure_organization(new_org(1, "secrets"))
        .await
        .unwrap();
    let report = client.audit(AuditOptions::default()).await.unwrap();
    printed.push(serde_json::to_string(&report).unwrap());
    printed.push(format!("{report:?}"));

    // Every error path.
    let mut errors: Vec<Error> = Vec::new();
    for (fault, operation) in [
        (json!({"fault": "server_error"}), "request_admin_role"),
        (json!({"fault": "reset_after"}), "request_admin_role"),
        (json!({"fault": "truncate"}), "request_admin_role"),
        (
            json!({"fault": "slow", "delay_ms": 400}),
            "request_admin_role",
        ),
        (
            json!({"fault": "rate_limit", "count": 10}),
            "request_admin_role",
        ),
        (
            json!({"fault": "error", "status": 429, "count": 10, "body": {"type": "too_many_requests", "message": "quota"}}),
            "request_admin_role",
        ),
        (json!({"fault": "redirect"}), "request_admin_role"),
        (
            json!({"fault": "apply_late", "delay_ms": 50}),
            "request_admin_role",
        ),
        (
            json!({"fault": "error", "status": 400, "body": {"type": "invalid_arguments", "message": "bad", "details": [{"argument_name": "password", "reason": "constraint"}]}}),
            "request_admin_role",
        ),
        (
            json!({"fault": "apply_late", "reset": true, "delay_ms": 50}),
            "create_organization",
        ),
        (
            json!({"fault": "server_error", "count": 10}),
            "lock_organization",
        ),
        (json!({"fault": "redirect"}), "get_organization"),
    ] {
        let mut step = fault.clone();
        step["operation"] = json!(operation);
        faults(&mock, json!({"script": [step]}));
        let quick = client.with_options(scaleway_partner::CallOptions {
            timeout: Some(Duration::from_millis(200)),
            max_retries: Some(1),
            // A 429 is retried until the deadline: 900 ms is shorter than the 1 s it asks.
            total_timeout: Some(Duration::from_millis(900)),
            ..Default::default()
        });
        let result = match operation {
            "request_admin_role" => quick.request_admin_role(id, admin.clone()).await.err(),
            "create_organization" => quick
                .create_organization(new_org(2, "secrets-late"))
                .await
                .err(),
            "lock_organization" => quick.lock_organization(id).await.err(),
            _ => quick.get_organization(id).await.err(),
        };
        errors.extend(result);
        mock.clear_faults();
    }
    for bad in [
        admin
            .clone()
            .password(format!("{PASSWORD}{}", "x".repeat(72))),
        admin.clone().password(format!("{PASSWORD}\0")),
        admin.clone().username(PASSWORD.replace('-', " ")),
    ] {
        errors.push(client.request_admin_role(id, bad).await.unwrap_err());
    }
    let wrong_key = Client::builder()
        .api_url(mock.url())
        .secret_key("99999999-9999-4999-8999-999999999999")
        .environment([("HOME", "/nonexistent")])
        .build()
        .unwrap();
    errors.push(wrong_key.get_organization(id).await.unwrap_err());
    for bad_key in [
        format!("{KEY}\r\nX-Evil: 1"),
        format!("{KEY}0"),
        KEY.to_uppercase().replace('-', ""),
    ] {
        let e = Client::builder()
            .api_url(mock.url())
            .secret_key(bad_key)
            .environment([("HOME", "/nonexistent")])
            .build()
            .unwrap_err();
        errors.push(e);
    }
    let e = Client::builder()
        .api_url("http://example.test")
        .secret_key(KEY)
        .environment([("HOME", "/nonexistent")])
        .build()
        .unwrap_err();
    errors.push(e);
    assert!(errors.len() >= 15, "{} errors", errors.len());
    printed.extend(errors.iter().map(shown));
    mock.shutdown().await;

    let logs = traces.text();
    assert!(logs.contains("request_admin_role"), "the calls were traced");
    assert!(logs.contains("TRACE"), "trace-level records were written");
    let everything = format!("{logs}\n{}", printed.join("\n"));
    for (what, secret) in [("secret key", KEY), ("password", PASSWORD)] {
        for form in [
            secret.to_owned(),
            secret.to_uppercase(),
            secret.replace('-', ""),
        ] {
            assert!(
                !everything.contains(&form),
                "the {what} leaked: {}",
                everything
                    .lines()
                    .find(|l| l.contains(&form))
                    .unwrap_or_default()
            );
        }
    }
    println!(
        "secrets at trace level: {} log lines, {} printed values and errors, 0 leaks",
        logs.lines().count(),
        printed.len()
    );
}

/// The new options carry secrets of their own: a proxy's credentials in its URL, a gateway key
/// in a default header. Neither may show in `Debug` of the builder or of the client.
#[tokio::test]
async fn proxy_credentials_and_default_header_values_stay_out_of_debug() {
    let mock = emulator(json!({})).await;
    let configured = || {
        builder(&mock)
            .proxy("http://proxy-user:proxy-pass-9f3c@127.0.0.1:9")
            .default_headers([("x-gateway-key", "gateway-secret-7d1e")])
    };
    let client = configured().build().unwrap();
    let shown = format!("{:?} {client:?}", configured());
    for secret in ["proxy-pass-9f3c", "gateway-secret-7d1e", KEY] {
        assert!(!shown.contains(secret), "{secret} shown in {shown}");
    }
}
