//! Hostile servers and transport security, end to end: a listing with records that cannot be
//! decoded loses none of the others; TLS is verified by default, trusted through an explicit
//! authority or `insecure`, and redirects stay refused over it; a thousand calls at once stay
//! within the client's connection bound.

mod common;

use std::sync::Arc;

use common::{
    builder, emulator, every_organization, first_page, hostile, http_json, org_json, page_of, stats,
};
use futures::TryStreamExt;
use futures::future::join_all;
use scaleway_partner::{Client, Error, ErrorKind, ListOrganizationsRequest};
use serde_json::json;

/// Seven records (in pages of 3, the one at page 2, position 1 has an invalid timestamp).
async fn listing_with_a_bad_record() -> common::Hostile {
    hostile("127.0.0.1", |head| {
        let ids: Vec<String> = (0..7)
            .map(|i| format!("00000000-0000-4000-8000-00000000000{i}"))
            .collect();
        let page = page_of(head) as usize;
        let size = head
            .split_whitespace()
            .nth(1)
            .and_then(|target| target.split_once('?'))
            .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("page_size=")))
            .and_then(|s| s.parse().ok())
            .unwrap_or(3);
        let records: Vec<_> = ids
            .iter()
            .enumerate()
            .skip((page - 1) * size)
            .take(size)
            .map(|(i, id)| {
                let mut o = org_json(id);
                if i == 4 {
                    o["created_at"] = json!("the 31st of February");
                }
                o
            })
            .collect();
        http_json(
            200,
            &json!({"organizations": records, "total_count": 7}).to_string(),
        )
    })
    .await
}

fn client_for(url: &str) -> Client {
    common::builder_for(url).max_retries(0).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_with_an_undecodable_record_yields_every_other_one_then_names_it() {
    let server = listing_with_a_bad_record().await;
    let client = client_for(&server.url);
    let lister = client
        .list_organizations(ListOrganizationsRequest::new().page_size(3))
        .unwrap();
    let bad_id = "00000000-0000-4000-8000-000000000004";

    let page = lister.page(2).await.unwrap();
    assert_eq!(page.organizations.len(), 2);
    assert_eq!(page.records(), 3);
    assert_eq!(page.undecodable.len(), 1);
    assert_eq!(page.undecodable[0].index, 1);
    assert_eq!(page.undecodable[0].id.as_deref(), Some(bad_id));

    // The stream yields the six good ones, then the error naming the bad one.
    let mut stream = std::pin::pin!(lister.stream());
    let mut yielded = Vec::new();
    let err = loop {
        match stream.try_next().await {
            Ok(Some(org)) => yielded.push(org.id),
            Ok(None) => panic!("the bad record was not reported"),
            Err(e) => break e,
        }
    };
    assert_eq!(yielded.len(), 6, "{yielded:?}");
    assert_eq!(err.kind(), ErrorKind::UndecodableOrganizations);
    let records = err.undecodable().unwrap();
    // Named where the cursor read it (its pages overlap, so not necessarily page 2 of 3).
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].id.as_deref(), Some(bad_id));
    assert!(err.to_string().contains(bad_id), "{err}");
    assert!(err.to_string().contains("invalid timestamp"), "{err}");

    // collect_all: the same error, carrying the six.
    let err = lister.collect_all().await.unwrap_err();
    let Error::UndecodableOrganizations {
        records,
        organizations,
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!((records.len(), organizations.len()), (1, 6));
    println!("undecodable record: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_200_with_html_is_an_unexpected_response() {
    let server = hostile("127.0.0.1", |_| {
        b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 26\r\nconnection: close\r\n\r\n<html>captive portal</html".to_vec()
    })
    .await;
    let client = client_for(&server.url);
    for err in [
        every_organization(&client).await.unwrap_err(),
        client
            .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::UnexpectedResponse, "{err}");
        assert_eq!(err.status_code(), Some(200));
    }
}

/// The emulator behind TLS, with a certificate signed by an authority generated at start.
async fn tls_emulator() -> scaleway_partner_mock::MockServer {
    emulator(json!({"tls": true, "seed_organizations": 3})).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_is_verified_by_default_and_trusted_through_an_explicit_authority() {
    let mock = tls_emulator().await;
    assert!(
        mock.url().starts_with("https://127.0.0.1:"),
        "{}",
        mock.url()
    );
    let ca = mock.ca_certificate_pem().unwrap().to_owned();

    // Default: the certificate is checked, and this one's authority is unknown.
    let err = builder(&mock)
        .max_retries(0)
        .build()
        .unwrap()
        .get_organization("6f4049e3-5910-4283-bb02-382ef15aa460")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    let text = err.to_string();
    assert!(text.contains("certificate is not trusted"), "{text}");
    assert!(text.contains("ca_certificate_pem"), "{text}");
    assert_eq!(stats(&mock)["requests"], 0, "nothing was sent: {text}");
    println!("TLS, self-signed authority, default: refused: {text}");

    // An explicit authority: verified and accepted.
    let trusted = builder(&mock).ca_certificate_pem(&ca).build().unwrap();
    let all = every_organization(&trusted).await.unwrap();
    assert_eq!(all.len(), 3);
    println!(
        "TLS, explicit authority: accepted ({} organizations)",
        all.len()
    );

    // insecure: accepted without verification.
    let insecure = builder(&mock).insecure(true).build().unwrap();
    assert_eq!(every_organization(&insecure).await.unwrap().len(), 3);
    println!("TLS, insecure: accepted");

    // A PEM text with no certificate is refused when building.
    let err = builder(&mock)
        .ca_certificate_pem("not a certificate")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Configuration);
    assert!(err.to_string().contains("no PEM certificate"), "{err}");

    // Another authority does not vouch for this server.
    let other = tls_emulator().await;
    let distrusting = builder(&mock)
        .ca_certificate_pem(other.ca_certificate_pem().unwrap())
        .max_retries(0)
        .build()
        .unwrap();
    let err = first_page(&distrusting).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_stay_refused_over_tls() {
    let mock = tls_emulator().await;
    mock.inject_faults(
        serde_json::from_value(
            json!({"script": [{"fault": "redirect", "operation": "list_organizations"}]}),
        )
        .unwrap(),
    );
    let client = builder(&mock)
        .ca_certificate_pem(mock.ca_certificate_pem().unwrap())
        .build()
        .unwrap();
    let err = first_page(&client).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Redirect, "{err}");
    assert_eq!(
        stats(&mock)["by_operation"]["list_organizations"],
        1,
        "not followed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_at_once_stay_within_the_connection_bound() {
    let mock = emulator(json!({"seed_organizations": 5, "latency": {"base_ms": 2}})).await;
    let client = Arc::new(builder(&mock).max_connections(16).build().unwrap());
    let id = first_page(&client).await.unwrap().organizations[0]
        .id
        .clone();
    let results = join_all((0..1000).map(|_| client.get_organization(id.as_str()))).await;
    let failed = results.iter().filter(|r| r.is_err()).count();
    let s = stats(&mock);
    println!(
        "1000 concurrent calls, max_connections 16: {failed} failed, {} connections opened, \
         {} open at most, {} requests in flight at most",
        s["connections"], s["max_open_connections"], s["max_in_flight"]
    );
    assert_eq!(failed, 0);
    // A connection finishing its answer goes back to the pool a moment after its request
    // slot is free: a few more may open then, never one per call.
    assert!(s["max_open_connections"].as_u64().unwrap() <= 32, "{s}");
    assert!(s["max_in_flight"].as_u64().unwrap() <= 16, "{s}");
}
