//! Listing: filters, order, pagination edges and total_count, on created and seeded books.

mod common;

use std::collections::HashSet;

use common::{Api, ORGS, config, pairs};
use reqwest::Method;
use scaleway_partner_mock::MockConfig;
use serde_json::{Value, json};

fn ids(page: &Value) -> Vec<String> {
    page["organizations"]
        .as_array()
        .expect("organizations")
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn created(api: &Api, customers: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for c in customers {
        ids.push(api.create(c).await["id"].as_str().unwrap().to_owned());
    }
    ids
}

#[tokio::test]
async fn an_empty_book_lists_nothing() {
    let api = Api::start(config()).await;
    let reply = api.list(&[]).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"organizations": [], "total_count": 0}));
}

#[tokio::test]
async fn pages_cover_every_match_once_in_both_orders() {
    let api = Api::start(config()).await;
    let all = created(&api, &["a", "b", "c", "d", "e", "f", "g"]).await;
    // Default: created_at ascending, page 1, page size 50.
    let first = api.list(&[]).await.json();
    assert_eq!(ids(&first), all);
    assert_eq!(first["total_count"], 7);

    let mut walked = Vec::new();
    for page in 1..=3 {
        let p = page.to_string();
        let reply = api.list(&[("page", &p), ("page_size", "3")]).await.json();
        assert_eq!(reply["total_count"], 7, "total is over all pages");
        walked.extend(ids(&reply));
    }
    assert_eq!(walked, all);
    let past = api.list(&[("page", "4"), ("page_size", "3")]).await.json();
    assert_eq!(past, json!({"organizations": [], "total_count": 7}));

    let exact = api.list(&[("page_size", "7")]).await.json();
    assert_eq!(ids(&exact), all);
    let after_exact = api.list(&[("page", "2"), ("page_size", "7")]).await.json();
    assert_eq!(after_exact, json!({"organizations": [], "total_count": 7}));

    let desc = api
        .list(&[("order_by", "created_at_desc"), ("page_size", "4")])
        .await
        .json();
    let mut reversed = all.clone();
    reversed.reverse();
    assert_eq!(ids(&desc), reversed[..4]);
    let desc2 = api
        .list(&[
            ("order_by", "created_at_desc"),
            ("page_size", "4"),
            ("page", "2"),
        ])
        .await
        .json();
    assert_eq!(ids(&desc2), reversed[4..]);
}

#[tokio::test]
async fn filters_combine_and_unknown_values_mean_no_filter() {
    let api = Api::start(config()).await;
    let all = created(&api, &["dup", "dup", "dup", "other"]).await;
    api.action(&all[1], "lock").await;
    api.action(&all[3], "lock").await;
    assert!(api.server.validate_email(&all[2]));

    let customer = api.list(&[("customer_id", "dup")]).await.json();
    assert_eq!(ids(&customer), all[..3]);
    let locked_by_partner = api
        .list(&[("customer_id", "dup"), ("locked_by", "partner")])
        .await
        .json();
    assert_eq!(ids(&locked_by_partner), [all[1].clone()]);
    assert_eq!(locked_by_partner["total_count"], 1);
    let opened = api.list(&[("status", "opened")]).await.json();
    assert_eq!(ids(&opened), [all[2].clone()]);
    let locked = api
        .list(&[("status", "locked"), ("locked_by", "scaleway")])
        .await
        .json();
    assert_eq!(ids(&locked), [all[0].clone()]);
    let none = api
        .list(&[("status", "opened"), ("locked_by", "partner")])
        .await
        .json();
    assert_eq!(none, json!({"organizations": [], "total_count": 0}));
    // The Go SDK's default query: the unknown_* values are no filter at all.
    let sdk_default = api
        .list(&[
            ("customer_id", "dup"),
            ("locked_by", "unknown_locked_by"),
            ("order_by", "created_at_asc"),
            ("page", "1"),
            ("status", "unknown_status"),
        ])
        .await
        .json();
    assert_eq!(ids(&sdk_default), all[..3]);
    // Email matches exactly, regardless of case.
    let by_email = api
        .list(&[("email", "OWNER-OTHER@Example.com")])
        .await
        .json();
    assert_eq!(ids(&by_email), [all[3].clone()]);
    let partial = api.list(&[("email", "owner-oth@example.com")]).await.json();
    assert_eq!(partial["total_count"], 0);
    // As recorded, list items show an unset phone number as "" (get shows null).
    assert_eq!(customer["organizations"][0]["phone_number"], "");
    let got = api.get(&format!("{ORGS}/{}", all[0])).await.json();
    assert_eq!(got["phone_number"], Value::Null);
}

#[tokio::test]
async fn bad_list_arguments_are_refused() {
    let api = Api::start(config()).await;
    for (query, expected) in [
        ("page=0", pairs(&[("page", "constraint")])),
        ("page=-1", pairs(&[("page", "constraint")])),
        ("page=abc", pairs(&[("page", "format")])),
        ("page_size=0", pairs(&[("page_size", "constraint")])),
        ("page_size=101", pairs(&[("page_size", "constraint")])),
        ("page_size=1.5", pairs(&[("page_size", "format")])),
        ("order_by=name_asc", pairs(&[("order_by", "constraint")])),
        ("status=suspended", pairs(&[("status", "constraint")])),
        ("locked_by=nobody", pairs(&[("locked_by", "constraint")])),
        ("email=nope", pairs(&[("email", "format")])),
        ("customer_id=", pairs(&[("customer_id", "constraint")])),
        (
            "page=0&page_size=500&status=x",
            pairs(&[
                ("page", "constraint"),
                ("page_size", "constraint"),
                ("status", "constraint"),
            ]),
        ),
    ] {
        let reply = api.get(&format!("{ORGS}?{query}")).await;
        assert_eq!(reply.invalid(), expected, "{query}");
    }
    for ok in ["page_size=1", "page_size=100", "page=4294967295"] {
        assert_eq!(api.get(&format!("{ORGS}?{ok}")).await.status, 200, "{ok}");
    }
}

#[tokio::test]
async fn a_seeded_book_pages_and_filters_consistently_with_its_raw_dump() {
    let api = Api::start(MockConfig {
        seed_organizations: 130,
        seed: Some(11),
        ..config()
    })
    .await;
    let dump = api
        .control(Method::GET, "/_mock/organizations", None)
        .await
        .json();
    let raw = dump["organizations"].as_array().unwrap();
    assert_eq!(raw.len(), 130);

    let mut walked: Vec<Value> = Vec::new();
    for page in 1..=3 {
        let p = page.to_string();
        let reply = api.list(&[("page", &p), ("page_size", "50")]).await.json();
        assert_eq!(reply["total_count"], 130);
        walked.extend(reply["organizations"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(walked.len(), 130);
    let unique: HashSet<_> = walked.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(unique.len(), 130);
    let created: Vec<&str> = walked
        .iter()
        .map(|o| o["created_at"].as_str().unwrap())
        .collect();
    assert!(
        created.windows(2).all(|w| w[0] <= w[1]),
        "ascending creation dates"
    );

    // Counts per status and locker, derived independently from the raw lock stacks.
    let status_of = |o: &Value| {
        if o["closed"] == true {
            "closed"
        } else if o["locks"].as_array().unwrap().is_empty() {
            "opened"
        } else {
            "locked"
        }
    };
    fn locker_of(o: &Value) -> &str {
        o["locks"]
            .as_array()
            .unwrap()
            .last()
            .map_or("unknown_locked_by", |l| l["by"].as_str().unwrap())
    }
    for status in ["opened", "locked", "closed"] {
        let expected = raw.iter().filter(|o| status_of(o) == status).count();
        assert!(expected > 0, "a seeded book has {status} organizations");
        let reply = api
            .list(&[("status", status), ("page_size", "1")])
            .await
            .json();
        assert_eq!(reply["total_count"], expected, "{status}");
    }
    for locker in ["partner", "scaleway"] {
        let expected = raw.iter().filter(|o| locker_of(o) == locker).count();
        let reply = api
            .list(&[("locked_by", locker), ("page_size", "1")])
            .await
            .json();
        assert_eq!(reply["total_count"], expected, "{locker}");
    }
    // Some customer IDs are shared, and the filter finds all their organizations.
    let mut counts = std::collections::HashMap::new();
    for o in raw {
        *counts
            .entry(o["customer_id"].as_str().unwrap())
            .or_insert(0) += 1;
    }
    // (An empty customer ID is no filter value: the API refuses it.)
    let (dup, n) = counts
        .iter()
        .filter(|(id, _)| !id.is_empty())
        .max_by_key(|(_, n)| **n)
        .unwrap();
    assert!(*n > 1, "seeded books have duplicate customer IDs");
    let reply = api.list(&[("customer_id", dup)]).await.json();
    assert_eq!(reply["total_count"], *n);
}
