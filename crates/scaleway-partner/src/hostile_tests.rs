//! Hostile responses, property-based: whatever the bytes, the decoders of organizations, listing
//! pages and errors return a value or a typed error, never panic; and a page with bad records
//! still yields every good one. Seeds are the bodies recorded from the real API
//! (tests/recorded). Figures (cases run, panics) are printed; run with `--nocapture` to see them.

use std::panic::{AssertUnwindSafe, catch_unwind};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::models::Organization;
use crate::response::RawResponse;

const CASES: u32 = 2_000;

#[path = "../tests/common/recorded.rs"]
mod recorded;

/// Every non-empty response body recorded from the real API.
pub(crate) fn recorded_bodies() -> Vec<String> {
    let bodies: Vec<String> = recorded::recorded_interactions()
        .into_iter()
        .map(|(_, body)| body)
        .filter(|b| !b.is_empty())
        .collect();
    assert!(bodies.len() >= 8, "recorded bodies: {}", bodies.len());
    bodies
}

/// Recorded organizations (from single answers and listings), as JSON objects.
pub(crate) fn recorded_organizations(bodies: &[String]) -> Vec<Value> {
    let mut orgs = Vec::new();
    for b in bodies {
        let Ok(v) = serde_json::from_str::<Value>(b) else {
            continue;
        };
        if v.get("id").is_some() && v.get("status").is_some() {
            orgs.push(v.clone());
        }
        if let Some(list) = v.get("organizations").and_then(Value::as_array) {
            orgs.extend(list.iter().cloned());
        }
    }
    assert!(!orgs.is_empty());
    orgs
}

fn raw(status: u16, content_type: &str, body: Vec<u8>) -> RawResponse {
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert("content-type", v);
    }
    h.insert("x-request-id", HeaderValue::from_static("req-hostile"));
    RawResponse::new(status, h, bytes::Bytes::from(body))
}

/// Every decoder on these bytes; what a page decoded, when it did.
fn decode_everything(status: u16, body: &[u8]) -> Option<(usize, usize)> {
    let r = raw(status, "application/json", body.to_vec());
    let _ = r.json::<Organization>();
    let _ = r.json::<crate::models::ListOrganizationsResponse>();
    let page = r
        .organization_page(1)
        .ok()
        .map(|(good, bad, _)| (good.len(), bad.len()));
    let e = raw(status.max(400), "application/json", body.to_vec()).into_api_error();
    let _ = (e.kind(), e.to_string());
    page
}

/// Runs `cases` of `strategy` through `check`, counting panics instead of stopping at one.
fn run<S: Strategy>(name: &str, cases: u32, strategy: S, check: impl Fn(S::Value) -> bool) -> u64
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let ran = std::sync::atomic::AtomicU64::new(0);
    let panics = std::sync::atomic::AtomicU64::new(0);
    let outcome = runner.run(&strategy, |input| {
        ran.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match catch_unwind(AssertUnwindSafe(|| check(input))) {
            Ok(true) => Ok(()),
            Ok(false) => Err(TestCaseError::fail("the property does not hold")),
            Err(_) => {
                panics.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Err(TestCaseError::fail("a decoder panicked"))
            }
        }
    });
    let (ran, panics) = (ran.into_inner(), panics.into_inner());
    println!("hostile responses / {name}: {ran} cases run, {panics} panics");
    if let Err(e) = outcome {
        panic!("{name}: {e}");
    }
    assert_eq!(panics, 0, "{name}");
    ran
}

/// A JSON value of any shape: wrong types, huge and negative numbers, odd strings, nesting.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        Just(json!("2026-13-45T99:99:99Z")),
        Just(json!("yesterday")),
        Just(json!("")),
        Just(json!("9999999999-01-01T00:00:00Z")),
        Just(json!("\u{0}\u{ffff}")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(".{0,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The documented fields and one the API might add.
fn fields() -> Vec<&'static str> {
    let mut fields = crate::Organization::FIELDS.to_vec();
    fields.push("a_future_field");
    fields
}

#[test]
fn arbitrary_bytes_never_panic_any_decoder() {
    let statuses = prop::sample::select(vec![200u16, 201, 204, 400, 401, 404, 409, 429, 500, 503]);
    run(
        "arbitrary bytes",
        CASES,
        (statuses, prop::collection::vec(any::<u8>(), 0..512)),
        |(status, body)| {
            decode_everything(status, &body);
            true
        },
    );
}

#[test]
fn mutated_recorded_bodies_never_panic() {
    let bodies = recorded_bodies();
    let seeds = prop::sample::select(bodies);
    // Byte-level damage to real answers: cut, flipped, inserted.
    let mutation = (seeds, any::<prop::sample::Index>(), any::<u8>(), 0u8..3);
    run(
        "mutated recorded bodies",
        CASES,
        mutation,
        |(body, at, byte, how)| {
            let mut bytes = body.into_bytes();
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            match how {
                0 => bytes.truncate(i),
                1 if i < bytes.len() => bytes[i] = byte,
                _ => bytes.insert(i, byte),
            }
            decode_everything(200, &bytes);
            true
        },
    );
}

#[test]
fn wrong_values_in_known_fields_lose_only_their_record() {
    let orgs = recorded_organizations(&recorded_bodies());
    let page = (
        prop::collection::vec(prop::sample::select(orgs), 1..8),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                prop::sample::select(fields()),
                any_json(),
            ),
            0..4,
        ),
        prop_oneof![
            Just(json!(null)),
            Just(json!(3)),
            Just(json!(-1)),
            Just(json!(1e300)),
            Just(json!("12")),
            any::<u64>().prop_map(Value::from),
        ],
    );
    run(
        "wrong values in known fields",
        CASES,
        page,
        |(mut records, damage, total)| {
            for (at, field, value) in damage {
                let i = at.index(records.len());
                records[i][field] = value;
            }
            let n = records.len();
            let body = json!({"organizations": records, "total_count": total}).to_string();
            let r = raw(200, "application/json", body.clone().into_bytes());
            decode_everything(200, body.as_bytes());
            match r.organization_page(3) {
                // Every record is accounted for, decoded or reported.
                Ok((good, bad, _)) => {
                    good.len() + bad.len() == n
                        && bad
                            .iter()
                            .all(|b| b.page == 3 && b.index < n && !b.message.is_empty())
                }
                // Only a total_count that is not a count fails the whole page.
                Err(e) => e.kind() == crate::ErrorKind::UnexpectedResponse,
            }
        },
    );
}

#[test]
fn deep_nesting_huge_numbers_and_html_are_typed_errors() {
    let shapes = prop_oneof![
        (1usize..20_000).prop_map(|d| format!("{}{}", "[".repeat(d), "]".repeat(d))),
        (1usize..20_000).prop_map(|d| format!(
            "{{\"organizations\":[{{\"id\":\"x\",\"name\":{}1{}}}],\"total_count\":1}}",
            "[".repeat(d),
            "]".repeat(d)
        )),
        (1usize..5_000).prop_map(|d| "{\"a\":".repeat(d)),
        "[0-9]{1,400}".prop_map(|n| format!("{{\"organizations\":[],\"total_count\":{n}}}")),
        "[0-9]{1,400}".prop_map(|n| format!(
            "{{\"type\":\"too_many_requests\",\"reset_seconds\":{n},\"limit\":{{\"quota\":{n}}}}}"
        )),
        "-?[0-9]{1,3}e[0-9]{1,4}"
            .prop_map(|n| format!("{{\"organizations\":null,\"total_count\":{n}}}")),
        ".{0,200}".prop_map(|t| format!("<html><body><h1>200 OK</h1>{t}</body></html>")),
        ".{0,60}".prop_map(|t| format!("{{\"type\":\"too_many_requests\",\"reset_at\":\"{t}\"}}")),
    ];
    run("nesting, numbers, HTML", CASES / 2, shapes, |body| {
        decode_everything(200, body.as_bytes());
        let r = raw(200, "text/html", body.into_bytes());
        // A 200 that is not a listing is an UnexpectedResponse naming the status.
        match r.organization_page(1) {
            Ok(_) => true,
            Err(e) => {
                e.kind() == crate::ErrorKind::UnexpectedResponse && e.status_code() == Some(200)
            }
        }
    });
}

#[test]
fn one_bad_record_is_reported_with_its_place_and_id() {
    let body = json!({
        "organizations": [
            {"id": "a", "name": "A", "created_at": "2026-09-11T14:56:46.665888Z"},
            {"id": "b", "name": "B", "created_at": "not a time"},
            {"id": 7, "name": ["wrong"]},
            "not an object",
            {"id": "e", "name": "E"}
        ],
        "total_count": 5
    });
    let r = raw(200, "application/json", body.to_string().into_bytes());
    let (good, bad, total) = r.organization_page(2).unwrap();
    assert_eq!(
        good.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
        ["a", "e"]
    );
    assert_eq!(total, Some(5));
    let places: Vec<_> = bad
        .iter()
        .map(|b| (b.page, b.index, b.id.clone()))
        .collect();
    assert_eq!(
        places,
        [(2, 1, Some("b".to_owned())), (2, 2, None), (2, 3, None)]
    );
    assert!(
        bad[0].message.contains("invalid timestamp"),
        "{}",
        bad[0].message
    );
    let shown = bad[0].to_string();
    assert!(shown.contains("page 2 item 1 (id b)"), "{shown}");
}
