//! The emulator as a server facing hostile or careless clients: partners stay isolated under
//! concurrent load, oversized, malformed and mistyped bodies get typed answers, and slow or
//! idle clients cannot exhaust it (bounded header read time, bounded connections). The 401s
//! without or with a wrong key are in api.rs (`authentication_is_denied_without_a_known_key`).

mod common;

use std::time::Duration;

use common::{Api, ORGS, config, new_org, pairs, two_partners};
use futures::future::join_all;
use reqwest::Method;
use scaleway_partner_mock::MockConfig;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_partners_under_concurrent_load_never_see_each_other() {
    let api = Api::start(two_partners()).await;
    let partners = api.server.partners().to_vec();
    let per_partner = 100;
    let creations = partners.iter().enumerate().flat_map(|(p, partner)| {
        let api = &api;
        (0..per_partner).map(move |i| async move {
            let customer = format!("p{p}-c{i}");
            let created = api
                .create_as(&partner.secret_key, &partner.organization_id, &customer)
                .await;
            (p, created["id"].as_str().unwrap().to_owned())
        })
    });
    let created: Vec<(usize, String)> = join_all(creations).await;
    for (p, partner) in partners.iter().enumerate() {
        let other = &partners[1 - p];
        let listed = api
            .call_as(
                &partner.secret_key,
                Method::GET,
                &format!("{ORGS}?page_size=100"),
                None,
            )
            .await
            .json();
        assert_eq!(
            listed["total_count"], per_partner,
            "partner {p} sees only its own"
        );
        let theirs: Vec<&String> = created
            .iter()
            .filter(|(q, _)| *q != p)
            .map(|(_, id)| id)
            .collect();
        // Reads and writes of the other partner's organizations, all at once, all refused.
        let paths: Vec<(Method, String)> = theirs
            .iter()
            .take(20)
            .flat_map(|id| {
                [
                    (Method::GET, format!("{ORGS}/{id}")),
                    (Method::POST, format!("{ORGS}/{id}/lock")),
                ]
            })
            .collect();
        let attempts = paths.iter().map(|(method, path)| {
            api.call_as(
                &partner.secret_key,
                method.clone(),
                path,
                Some(serde_json::json!({})),
            )
        });
        for reply in join_all(attempts).await {
            reply.expect_status(404);
        }
        // Nothing the other partner owns changed.
        let theirs_listed = api
            .call_as(
                &other.secret_key,
                Method::GET,
                &format!("{ORGS}?status=locked&locked_by=partner"),
                None,
            )
            .await
            .json();
        assert_eq!(theirs_listed["total_count"], 0);
    }
    let stats = api.server.stats();
    println!(
        "isolation: 2 partners x {per_partner} concurrent creations, 80 cross-partner calls refused; \
         {} requests, {} in flight at most",
        stats.requests, stats.max_in_flight
    );
}

#[tokio::test]
async fn bodies_that_are_too_large_malformed_or_mistyped_get_typed_answers() {
    let api = Api::start(MockConfig {
        max_body_bytes: 1024,
        ..config()
    })
    .await;
    let key = api.key();
    let url = format!("{}{ORGS}", api.server.url());
    // A body far past the limit: refused without buffering it.
    let huge = vec![b'{'; 8 * 1024 * 1024];
    let reply = api.raw(Some(&key), Method::POST, ORGS, Some(huge)).await;
    assert_eq!(reply.invalid(), pairs(&[("body", "constraint")]));
    // Wrong content types: the body is still read as JSON, as the API gateway does; what is
    // not JSON is a typed 400 naming the body.
    let valid = serde_json::to_vec(&new_org(&api.partner(), "typed")).unwrap();
    let cases: [(&str, Vec<u8>, u16); 5] = [
        ("text/plain", valid.clone(), 200),
        (
            "application/x-www-form-urlencoded",
            b"email=a%40b.c&name=x".to_vec(),
            400,
        ),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\n\r\nhello\r\n--x--".to_vec(),
            400,
        ),
        (
            "application/json",
            b"{\"email\": \"\xff\xfe\"}".to_vec(),
            400,
        ),
        (
            "application/json",
            b"{\"a\":".repeat(10_000).into_iter().take(1000).collect(),
            400,
        ),
    ];
    for (content_type, body, status) in cases {
        let r = api
            .http
            .post(&url)
            .header("x-auth-token", &key)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), status, "{content_type}");
        assert_eq!(
            r.headers()["content-type"],
            "application/json",
            "{content_type}"
        );
        let answer: Value = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
        if status == 400 {
            assert_eq!(
                answer["type"], "invalid_arguments",
                "{content_type}: {answer}"
            );
        }
    }
    // Still serving.
    assert_eq!(api.list(&[]).await.status, 200);
}

/// Opens a connection and sends part of a request head, a byte at a time, never finishing.
async fn slow_loris(address: std::net::SocketAddr) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Ok(mut socket) = tokio::net::TcpStream::connect(address).await else {
            return;
        };
        let _ = socket
            .write_all(b"GET /partner/v1/organizations HTTP/1.1\r\nHost: x\r\n")
            .await;
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            .iter()
            .cycle()
        {
            if socket.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_and_cannot_hold_every_connection() {
    let api = Api::start(MockConfig {
        max_connections: 8,
        header_read_timeout_ms: 500,
        ..config()
    })
    .await;
    let address = api.server.address();
    let attackers: Vec<_> = join_all((0..40).map(|_| slow_loris(address))).await;
    // An idle connection that sends nothing at all is cut too.
    let mut idle = tokio::net::TcpStream::connect(address).await.unwrap();
    // A real client still gets its answers (after waiting for a slot).
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    for _ in 0..5 {
        let r = client
            .get(format!("{}{ORGS}", api.server.url()))
            .header("x-auth-token", api.key())
            .send()
            .await
            .expect("served despite the slow clients");
        assert_eq!(r.status(), 200);
    }
    let mut buf = [0u8; 64];
    let closed = tokio::time::timeout(Duration::from_secs(30), idle.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(0) | Err(_))),
        "the idle connection was closed: {closed:?}"
    );
    for a in attackers {
        a.abort();
    }
    let stats = api.server.stats();
    println!(
        "slow-loris: 40 slow clients + 1 idle against max_connections 8, header timeout 500 ms: \
         {} connections accepted, {} open at most, {} cut before a request; 5 of 5 real requests served",
        stats.connections, stats.max_open_connections, stats.connections_refused
    );
    assert!(stats.max_open_connections <= 8, "{stats:?}");
    assert!(stats.connections_refused >= 1, "{stats:?}");
}

#[tokio::test]
async fn connection_limits_are_checked() {
    for bad in [
        MockConfig {
            max_connections: 0,
            ..config()
        },
        MockConfig {
            header_read_timeout_ms: 0,
            ..config()
        },
    ] {
        let err = scaleway_partner_mock::MockServer::start(bad)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("must be positive"), "{err}");
    }
}
