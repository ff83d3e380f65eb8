//! Every response body recorded from the real API (tests/recorded) decodes, with the values
//! it carries.

use chrono::SecondsFormat;
use scaleway_partner::{ListOrganizationsResponse, Organization};
use serde_json::Value;

#[path = "common/recorded.rs"]
mod recorded;

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

fn check(org: &Organization, raw: &Value, at: &str) {
    let s = |k: &str| raw[k].as_str().unwrap_or("").to_owned();
    assert_eq!(org.id, s("id"), "{at}");
    assert_eq!(org.name, s("name"), "{at}");
    assert_eq!(org.email, s("email"), "{at}");
    assert_eq!(org.customer_id, s("customer_id"), "{at}");
    assert_eq!(org.owner_firstname, s("owner_firstname"), "{at}");
    assert_eq!(org.owner_lastname, s("owner_lastname"), "{at}");
    assert_eq!(org.comment, s("comment"), "{at}");
    assert_eq!(org.status.as_str(), s("status"), "{at}");
    assert!(!org.status.is_unknown(), "{at}");
    assert_eq!(org.locked_by.as_str(), s("locked_by"), "{at}");
    assert_eq!(
        org.lock_reason_message,
        opt_str(&raw["lock_reason_message"]),
        "{at}"
    );
    assert_eq!(org.phone_number, opt_str(&raw["phone_number"]), "{at}");
    assert_eq!(org.siren_number, opt_str(&raw["siren_number"]), "{at}");
    assert_eq!(org.picture_link, opt_str(&raw["picture_link"]), "{at}");
    let ts = |t: &Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::Micros, true))
    };
    assert_eq!(ts(&org.created_at), opt_str(&raw["created_at"]), "{at}");
    assert_eq!(ts(&org.locked_at), opt_str(&raw["locked_at"]), "{at}");
}

#[test]
fn every_recorded_response_decodes_with_its_values() {
    let bodies = recorded::recorded_interactions();
    assert_eq!(bodies.len(), 38, "the recordings hold 38 interactions");
    let (mut orgs, mut lists, mut empty) = (0, 0, 0);
    for (at, body) in &bodies {
        if body.is_empty() {
            empty += 1;
            continue;
        }
        let raw: Value = serde_json::from_str(body).unwrap();
        if raw.get("organizations").is_some() {
            let list: ListOrganizationsResponse =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{at}: {e}"));
            assert_eq!(list.total_count, raw["total_count"].as_u64(), "{at}");
            let items = raw["organizations"].as_array().unwrap();
            assert_eq!(list.organizations.len(), items.len(), "{at}");
            for (org, item) in list.organizations.iter().zip(items) {
                check(org, item, at);
            }
            lists += 1;
        } else {
            let org: Organization =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{at}: {e}"));
            check(&org, &raw, at);
            orgs += 1;
        }
    }
    assert_eq!((orgs, lists, empty), (35, 2, 1));
}
