//! What a caller can see and shape of the HTTP traffic: the hook's events, the metadata of a
//! success, default headers, and which proxy (if any) a request goes through.

mod common;

use std::sync::{Arc, Mutex};

use common::{builder, emulator, fast_retries, hostile, http_json, new_org};
use scaleway_partner::{ErrorKind, Hook, HookEvent, ResponseCapture};
use serde_json::{Value, json};

const ID: &str = "6f4049e3-5910-4283-bb02-382ef15aa460";

fn recorder() -> (Hook, Arc<Mutex<Vec<Value>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let hook = Hook::new(move |e: &HookEvent| {
        sink.lock().unwrap().push(serde_json::to_value(e).unwrap());
    });
    (hook, events)
}

#[tokio::test]
async fn the_hook_sees_each_attempt_and_retry_but_never_the_key() {
    let mock = emulator(json!({})).await;
    mock.inject_faults(
        serde_json::from_value(
            json!({"script": [{"fault": "error", "status": 503, "count": 1,
            "body": {"message": "try later"}}]}),
        )
        .unwrap(),
    );
    let (hook, events) = recorder();
    let client = builder(&mock)
        .retry_policy(fast_retries(2))
        .hook(hook)
        .build()
        .unwrap();
    let err = client.get_organization(ID).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let events = events.lock().unwrap().clone();
    let path = format!("/partner/v1/organizations/{ID}");
    let seen: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap(),
                e["attempt"].as_u64().unwrap(),
                e["status"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("request", 1, Value::Null),
            ("response", 1, json!(503)),
            ("retry", 1, json!(503)),
            ("request", 2, Value::Null),
            ("response", 2, json!(404)),
        ]
    );
    for e in &events {
        assert_eq!(e["operation"], "get_organization");
        assert_eq!(e["method"], "GET");
        assert_eq!(e["path"], path.as_str());
    }
    assert_eq!(events[2]["error"], "server_error");
    assert_eq!(events[4]["error"], "not_found");
    assert!(events[4]["request_id"].is_string(), "{}", events[4]);
    assert!(events[4]["duration"].as_f64().unwrap() >= 0.0);
    let text = serde_json::to_string(&events).unwrap();
    assert!(!text.contains(mock.secret_key()), "the key leaked: {text}");
}

#[tokio::test]
async fn a_success_gives_its_status_request_id_and_headers_to_the_capturing_view_only() {
    let mock = emulator(json!({})).await;
    let client = builder(&mock).build().unwrap();
    let capture = ResponseCapture::new();
    let org = client
        .with_response_capture(capture.clone())
        .create_organization(new_org(1, "captured"))
        .await
        .unwrap();
    let meta = capture.last().expect("the success was captured");
    assert_eq!(meta.status, 200);
    let request_id = meta.request_id.clone().expect("the emulator sends one");
    assert!(
        meta.headers
            .iter()
            .any(|(k, v)| k == "x-request-id" && *v == request_id),
        "{meta:?}"
    );
    // The plain client records nothing in it.
    client.get_organization(org.id.as_str()).await.unwrap();
    assert_eq!(capture.last(), Some(meta));
}

#[tokio::test]
async fn default_headers_go_with_every_request_and_cannot_replace_the_clients_own() {
    let server = hostile("127.0.0.1", |_| http_json(404, "{}")).await;
    let client = common::builder_for(&server.url)
        .max_retries(0)
        .default_headers([("X-Trace-Id", "trace-42"), ("x-tenant", "blue")])
        .build()
        .unwrap();
    let _ = client.get_organization(ID).await;
    let head = server.requests.lock().unwrap()[0].to_ascii_lowercase();
    assert!(head.contains("\r\nx-trace-id: trace-42\r\n"), "{head}");
    assert!(head.contains("\r\nx-tenant: blue\r\n"), "{head}");
    for (name, value) in [
        ("X-Auth-Token", "11111111-1111-4111-8111-111111111111"),
        ("User-Agent", "mine"),
        ("bad name", "x"),
        ("X-Evil", "a\r\nInjected: 1"),
    ] {
        let err = common::builder_for(&server.url)
            .default_headers([(name, value)])
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Configuration);
        assert!(err.to_string().contains("default_headers"), "{err}");
    }
}

#[tokio::test]
async fn proxies_from_the_environment_skip_this_machine_an_explicit_one_does_not() {
    let mock = emulator(json!({})).await;
    let proxy = hostile("127.0.0.1", |_| {
        http_json(404, r#"{"type": "not_found", "message": "from the proxy"}"#)
    })
    .await;
    let env = |extra: &[(&str, &str)]| {
        let mut vars = vec![("HOME".to_owned(), "/nonexistent".to_owned())];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        vars
    };
    let via_env = builder(&mock)
        .environment(env(&[
            ("HTTP_PROXY", &proxy.url),
            ("ALL_PROXY", &proxy.url),
        ]))
        .build()
        .unwrap();
    via_env.get_organization(ID).await.unwrap_err();
    assert_eq!(
        proxy.requests.lock().unwrap().len(),
        0,
        "loopback went direct"
    );

    let explicit = builder(&mock)
        .max_retries(0)
        .proxy(proxy.url.as_str())
        .build()
        .unwrap();
    let err = explicit.get_organization(ID).await.unwrap_err();
    assert!(err.to_string().contains("from the proxy"), "{err}");
    let head = proxy.requests.lock().unwrap()[0].clone();
    let target = format!("GET {}/partner/v1/organizations/{ID} HTTP/1.1", mock.url());
    assert!(head.starts_with(&target), "{head}");

    let excluded = builder(&mock)
        .environment(env(&[("NO_PROXY", "127.0.0.1,localhost")]))
        .proxy(proxy.url.as_str())
        .build()
        .unwrap();
    let err = excluded.get_organization(ID).await.unwrap_err();
    assert!(!err.to_string().contains("from the proxy"), "{err}");
    assert_eq!(
        proxy.requests.lock().unwrap().len(),
        1,
        "NO_PROXY went direct"
    );

    let err = builder(&mock)
        .proxy("not a url :user:secret@")
        .build()
        .unwrap_err()
        .to_string();
    assert!(err.contains("proxy must be a proxy URL"), "{err}");
    assert!(
        !err.contains("secret"),
        "a proxy URL may hold credentials: {err}"
    );
}
