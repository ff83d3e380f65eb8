//! The API URL is parsed once: the check that keeps plain http:// on this machine reads the
//! URL the requests go to. Userinfo (`user:password@host`) made the two disagree: the check saw
//! `localhost`, the transport sent the key, and a Basic header, to the host after the '@'.

mod common;

use std::sync::atomic::Ordering;

use common::{hostile, http_json, org_json};
use scaleway_partner::{Client, ErrorKind};

const ORG: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn userinfo_in_the_api_url_is_refused_before_anything_is_sent() {
    let server = hostile("127.0.0.1", |_| http_json(200, &org_json(ORG).to_string())).await;
    let port = server.url.rsplit(':').next().unwrap().to_owned();
    // The check read the host as `localhost`; the request went to the host after the '@'.
    let disguised = format!("http://localhost:x@127.0.0.1:{port}");
    let built = common::builder_for(&disguised).build();
    if let Ok(client) = &built {
        let _ = client.get_organization(ORG).await;
    }
    let heads = server.requests.lock().unwrap().clone();
    assert!(
        heads.is_empty(),
        "the key was sent to the host after the '@': {heads:?}"
    );
    let err = built.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(
        err.to_string()
            .contains("api_url must not contain user information"),
        "{err}"
    );
    assert_eq!(server.connections.load(Ordering::SeqCst), 0);
}

#[test]
fn a_host_after_the_at_sign_is_never_taken_for_this_machine() {
    for url in [
        "http://localhost:x@example.com",
        "http://localhost@example.com",
        "http://127.0.0.1@example.com",
        "http://[::1]:80@example.com",
    ] {
        let err = Client::builder()
            .api_url(url)
            .secret_key("11111111-1111-4111-8111-111111111111")
            .environment([("HOME", "/nonexistent")])
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration, "{url}");
        // Even with cleartext allowed: credentials in the URL are never sent.
        let allowed = Client::builder()
            .api_url(url)
            .allow_insecure_http(true)
            .secret_key("11111111-1111-4111-8111-111111111111")
            .environment([("HOME", "/nonexistent")])
            .build();
        assert!(allowed.is_err(), "{url}");
    }
}
