//! Logs and printed values never show the secret key or the admin-role password, and each
//! call is traced with its operation and request ID.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{client, emulator, new_org};
use scaleway_partner::RequestAdminRoleRequest;
use serde_json::json;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_logs_or_debug_output() {
    let buffer = Buffer::default();
    let sink = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

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

    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
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
