//! Logs and printed values never show the secret key or the admin-role password, and each
//! call is traced with its operation and request ID.

mod common;

use common::{capture_traces, client, emulator, new_org};
use scaleway_partner::RequestAdminRoleRequest;
use serde_json::json;

#[tokio::test]
async fn secrets_never_reach_logs_or_debug_output() {
    let traces = capture_traces();

    let mock = emulator(json!({})).await;
    let client = client(&mock);
    let password = "hunter2-correct-horse";
    let org = client
        .create_organization(new_org(1, "observed"))
        .await
        .unwrap();
    client
        .request_admin_role(
            org.id.as_str(),
            RequestAdminRoleRequest::new()
                .username("partner.admin")
                .email("admin@partner.test")
                .password(password),
        )
        .await
        .unwrap();
    let _ = client
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await;

    let logs = traces.text();
    assert!(logs.contains("create_organization"), "{logs}");
    assert!(logs.contains("request_admin_role"), "{logs}");
    assert!(logs.contains("request_id"), "{logs}");
    assert!(
        !logs.contains(mock.secret_key()),
        "the secret key leaked into the logs"
    );
    assert!(
        !logs.contains(password),
        "the password leaked into the logs"
    );
    let printed = format!(
        "{client:?} {:?} {}",
        client.config(),
        client.config().secret_key()
    );
    assert!(!printed.contains(mock.secret_key()), "{printed}");
}
