//! Every endpoint's answers and every error of the API, over raw HTTP.

mod common;

use std::collections::BTreeSet;

use common::{Api, ORGS, config, new_org, pairs, path_of, two_partners};
use reqwest::Method;
use scaleway_partner_mock::{MockConfig, SirenStyle};
use serde_json::{Value, json};

const FIELDS: [&str; 15] = [
    "comment",
    "created_at",
    "customer_id",
    "email",
    "id",
    "lock_reason_message",
    "locked_at",
    "locked_by",
    "name",
    "owner_firstname",
    "owner_lastname",
    "phone_number",
    "picture_link",
    "siren_number",
    "status",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn parse_time(s: &Value) -> chrono::DateTime<chrono::Utc> {
    let s = s.as_str().expect("timestamp string");
    // Exactly six fractional digits and a Z, as the real service writes them.
    assert_eq!(s.len(), 27, "{s}");
    assert!(s.ends_with('Z') && s.as_bytes()[19] == b'.', "{s}");
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

#[tokio::test]
async fn create_answers_an_organization_locked_for_email_validation() {
    let api = Api::start(config()).await;
    let reply = api
        .call(Method::POST, ORGS, Some(new_org(&api.partner(), "c-1")))
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let request_id = reply.header("x-request-id").expect("X-Request-Id");
    assert_eq!(
        uuid::Uuid::parse_str(request_id).unwrap().get_version_num(),
        4
    );
    assert!(
        reply
            .header("server")
            .unwrap()
            .starts_with("Scaleway API Gateway")
    );
    // Field order as recorded (alphabetical), not only the set.
    let text = String::from_utf8(reply.body.clone()).unwrap();
    let positions: Vec<usize> = FIELDS
        .iter()
        .map(|f| text.find(&format!("\"{f}\":")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    let org = reply.json();
    assert_eq!(keys(&org), FIELDS.iter().map(|s| s.to_string()).collect());
    assert_eq!(org["status"], "locked");
    assert_eq!(org["locked_by"], "scaleway");
    assert_eq!(org["lock_reason_message"], "validate_email");
    assert_eq!(org["name"], "Org c-1");
    assert_eq!(org["email"], "owner-c-1@example.com");
    assert_eq!(org["customer_id"], "c-1");
    assert_eq!(org["owner_firstname"], "John");
    assert_eq!(org["comment"], "");
    assert_eq!(org["phone_number"], Value::Null);
    assert_eq!(org["picture_link"], Value::Null);
    assert_eq!(org["siren_number"], Value::Null);
    let lag = parse_time(&org["locked_at"]) - parse_time(&org["created_at"]);
    assert!((100..=150).contains(&lag.num_milliseconds()), "{lag}");
    assert!(uuid::Uuid::parse_str(org["id"].as_str().unwrap()).is_ok());
}

#[tokio::test]
async fn optional_fields_are_kept_and_an_unset_siren_can_be_absent() {
    let api = Api::start(MockConfig {
        unset_siren_number: SirenStyle::Absent,
        ..config()
    })
    .await;
    let mut body = new_org(&api.partner(), "c-2");
    body["phone_number"] = json!("+33123456789");
    let with_phone = api.call(Method::POST, ORGS, Some(body)).await.json();
    assert_eq!(with_phone["phone_number"], "+33123456789");
    assert!(with_phone.get("siren_number").is_none(), "{with_phone}");
    let mut body = new_org(&api.partner(), "c-3");
    body["siren_number"] = json!("123456789");
    body["phone_number"] = Value::Null;
    let with_siren = api.call(Method::POST, ORGS, Some(body)).await.json();
    assert_eq!(with_siren["siren_number"], "123456789");
    assert_eq!(with_siren["phone_number"], Value::Null);
}

#[tokio::test]
async fn get_answers_what_create_answered_and_404_for_unknown_ids() {
    let api = Api::start(config()).await;
    let created = api.create("c-1").await;
    let id = created["id"].as_str().unwrap();
    let got = api.get(&format!("{ORGS}/{id}")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json(), created);

    let unknown = uuid::Uuid::new_v4().to_string();
    let body = api
        .get(&format!("{ORGS}/{unknown}"))
        .await
        .error(404, "not_found");
    assert_eq!(body["resource"], "organization");
    assert_eq!(body["resource_id"], unknown);

    for bad in ["not-a-uuid", "7fbc0d5f9d3e48e48fef6a4533c9ab2e", "123"] {
        let reply = api.get(&format!("{ORGS}/{bad}")).await;
        assert_eq!(
            reply.invalid(),
            pairs(&[("organization_id", "format")]),
            "{bad}"
        );
    }
}

/// An emulator holding one organization (customer `c-1`), that organization's JSON and path.
async fn one_organization() -> (Api, Value, String) {
    let api = Api::start(config()).await;
    let created = api.create("c-1").await;
    let path = path_of(&created);
    (api, created, path)
}

#[tokio::test]
async fn update_changes_the_given_fields_only() {
    let (api, created, path) = one_organization().await;
    let reply = api
        .patch(
            &path,
            json!({
                "email": "new@example.org", "name": "Renamed", "owner_firstname": "Jane",
                "owner_lastname": "Smith", "customer_id": "c-9", "comment": "VIP",
                "phone_number": "+33600000000"
            }),
        )
        .await;
    assert_eq!(reply.status, 200);
    let updated = reply.json();
    for (field, value) in [
        ("email", "new@example.org"),
        ("name", "Renamed"),
        ("owner_firstname", "Jane"),
        ("owner_lastname", "Smith"),
        ("customer_id", "c-9"),
        ("comment", "VIP"),
        ("phone_number", "+33600000000"),
    ] {
        assert_eq!(updated[field], value, "{field}");
    }
    for same in ["id", "created_at", "locked_at", "locked_by", "status"] {
        assert_eq!(updated[same], created[same], "{same}");
    }
    // Absent and null fields leave the organization unchanged.
    let again = api.patch(&path, json!({"comment": null})).await.json();
    assert_eq!(again, updated);
    assert_eq!(api.call(Method::PATCH, &path, None).await.json(), updated);
    assert_eq!(api.get(&path).await.json(), updated);
}

#[tokio::test]
async fn update_validates_every_field() {
    let (api, created, path) = one_organization().await;
    let reply = api
        .patch(
            &path,
            json!({
                "email": "not-an-email", "name": "x", "owner_firstname": "y".repeat(257),
                "owner_lastname": 42, "customer_id": "", "comment": ""
            }),
        )
        .await;
    assert_eq!(
        reply.invalid(),
        pairs(&[
            ("email", "format"),
            ("name", "constraint"),
            ("owner_firstname", "constraint"),
            ("owner_lastname", "format"),
            ("customer_id", "constraint"),
            ("comment", "constraint"),
        ])
    );
    let long_comment = api.patch(&path, json!({"comment": "c".repeat(1025)})).await;
    assert_eq!(long_comment.invalid(), pairs(&[("comment", "constraint")]));
    // Lengths are in characters, not bytes.
    let accented = api.patch(&path, json!({"name": "é".repeat(256)})).await;
    assert_eq!(accented.status, 200);
    // Nothing was applied by the refused updates.
    assert_eq!(api.get(&path).await.json()["email"], created["email"]);
    let unknown = format!("{ORGS}/{}", uuid::Uuid::new_v4());
    api.patch(&unknown, json!({"name": "Fine"}))
        .await
        .error(404, "not_found");
}

#[tokio::test]
async fn create_validates_every_field() {
    let api = Api::start(config()).await;
    let missing = api.call(Method::POST, ORGS, Some(json!({}))).await;
    assert_eq!(
        missing.invalid(),
        pairs(&[
            ("partner_id", "required"),
            ("email", "required"),
            ("organization_name", "required"),
            ("owner_firstname", "required"),
            ("owner_lastname", "required"),
            ("customer_id", "required"),
        ])
    );
    let broken = api
        .call(
            Method::POST,
            ORGS,
            Some(json!({
                "partner_id": "nope", "email": "a@", "organization_name": "A",
                "owner_firstname": "J".repeat(257), "owner_lastname": "Doe",
                "customer_id": "c".repeat(257), "siren_number": "12345678a",
                "phone_number": 33
            })),
        )
        .await;
    assert_eq!(
        broken.invalid(),
        pairs(&[
            ("partner_id", "format"),
            ("email", "format"),
            ("organization_name", "constraint"),
            ("owner_firstname", "constraint"),
            ("customer_id", "constraint"),
            ("phone_number", "format"),
            ("siren_number", "constraint"),
        ])
    );
    let mut short_siren = new_org(&api.partner(), "c");
    short_siren["siren_number"] = json!("12345678");
    let reply = api.call(Method::POST, ORGS, Some(short_siren)).await;
    assert_eq!(reply.invalid(), pairs(&[("siren_number", "constraint")]));
    let listed = api.list(&[]).await.json();
    assert_eq!(listed["total_count"], 0, "refused creations leave nothing");
}

#[tokio::test]
async fn malformed_and_oversized_bodies_are_invalid_arguments() {
    let api = Api::start(MockConfig {
        max_body_bytes: 1024,
        ..config()
    })
    .await;
    let key = api.key();
    for raw in [
        &b"{\"partner_id\": "[..],
        b"[1, 2]",
        b"\"text\"",
        b"\xff\xfe",
    ] {
        let reply = api
            .raw(Some(&key), Method::POST, ORGS, Some(raw.to_vec()))
            .await;
        assert_eq!(reply.invalid(), pairs(&[("body", "format")]), "{raw:?}");
    }
    let mut huge = new_org(&api.partner(), "c");
    huge["phone_number"] = json!("9".repeat(2000));
    let reply = api.call(Method::POST, ORGS, Some(huge)).await;
    assert_eq!(reply.invalid(), pairs(&[("body", "constraint")]));
    let created = api.create("c-1").await;
    let lock = format!("{ORGS}/{}/lock", created["id"].as_str().unwrap());
    let reply = api
        .raw(Some(&key), Method::POST, &lock, Some(b"{oops".to_vec()))
        .await;
    assert_eq!(reply.invalid(), pairs(&[("body", "format")]));
}

#[tokio::test]
async fn a_create_for_another_partner_is_denied() {
    let api = Api::start(two_partners()).await;
    let other = api.server.partners()[1].organization_id.clone();
    let reply = api
        .call(Method::POST, ORGS, Some(new_org(&other, "c")))
        .await;
    let body = reply.error(403, "permissions_denied");
    assert_eq!(
        body["details"],
        json!([{"resource": "organization", "action": "create"}])
    );
    let unknown = uuid::Uuid::new_v4().to_string();
    let reply = api
        .call(Method::POST, ORGS, Some(new_org(&unknown, "c")))
        .await;
    reply.error(403, "permissions_denied");
    assert_eq!(api.list(&[]).await.json()["total_count"], 0);
}

#[tokio::test]
async fn authentication_is_denied_without_a_known_key() {
    let api = Api::start(config()).await;
    let unknown = uuid::Uuid::new_v4().to_string();
    for (key, reason) in [
        (None, "invalid_argument"),
        (Some("not-a-uuid"), "invalid_argument"),
        (Some(unknown.as_str()), "not_found"),
    ] {
        for (method, path) in [
            (Method::GET, ORGS.to_owned()),
            (Method::POST, ORGS.to_owned()),
        ] {
            let reply = api.raw(key, method, &path, Some(b"{}".to_vec())).await;
            let body = reply.error(401, "denied_authentication");
            assert_eq!(body["method"], "api_key");
            assert_eq!(body["reason"], reason, "{key:?}");
            assert!(reply.header("x-request-id").is_some());
        }
    }
    // Keys are UUIDs and compare regardless of case.
    let upper = api.key().to_uppercase();
    assert_eq!(
        api.raw(Some(&upper), Method::GET, ORGS, None).await.status,
        200
    );
}

#[tokio::test]
async fn request_admin_role_answers_204_and_checks_its_arguments() {
    let api = Api::start(config()).await;
    let created = api.create("c-1").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("{ORGS}/{id}/request-admin-role");
    let reply = api
        .call(
            Method::POST,
            &path,
            Some(json!({"username": "test.user@x", "email": "admin@example.com", "password": "s3cret-pw"})),
        )
        .await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert!(reply.header("x-request-id").is_some());
    // The request is remembered, the password is not.
    let dump = api.control(Method::GET, "/_mock/organizations", None).await;
    let text = String::from_utf8(dump.body.clone()).unwrap();
    assert!(
        text.contains("admin@example.com") && !text.contains("s3cret-pw"),
        "{text}"
    );

    let reply = api
        .call(
            Method::POST,
            &path,
            Some(json!({"username": "bad user!", "password": "p".repeat(73)})),
        )
        .await;
    assert_eq!(
        reply.invalid(),
        pairs(&[
            ("username", "constraint"),
            ("email", "required"),
            ("password", "constraint")
        ])
    );
    let reply = api
        .call(
            Method::POST,
            &path,
            Some(json!({"username": "a", "email": "a@example.com"})),
        )
        .await;
    assert_eq!(reply.invalid(), pairs(&[("username", "constraint")]));
    let unknown = format!("{ORGS}/{}/request-admin-role", uuid::Uuid::new_v4());
    api.call(
        Method::POST,
        &unknown,
        Some(json!({"username": "someone", "email": "a@example.com", "password": ""})),
    )
    .await
    .error(404, "not_found");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_json() {
    let api = Api::start(config()).await;
    let body = api.get("/partner/v1/nothing").await.error(404, "not_found");
    assert_eq!(body["message"], "route not found");
    api.get("/").await.error(404, "not_found");
    let reply = api.call(Method::DELETE, ORGS, None).await;
    reply.error(405, "method_not_allowed");
    assert!(reply.header("x-request-id").is_some());
}

#[tokio::test]
async fn the_partners_own_organization_is_known_but_not_a_customer() {
    // `get_organization()` with no ID reads the partner's own organization (the client's
    // default organization ID): the emulator answers it, for each partner its own.
    let api = Api::start(two_partners()).await;
    let own = format!("{ORGS}/{}", api.partner());
    let body = api.get(&own).await.expect_status(200).json();
    assert_eq!(body["id"], api.partner());
    assert_eq!(body["status"], "opened");
    assert_eq!(keys(&body).len(), FIELDS.len());
    // Not a customer: no listing shows it, and another partner does not see it.
    let listed = api.list(&[]).await.json();
    assert_eq!(listed["total_count"], 0);
    let other = api.server.partners()[1].clone();
    let reply = api
        .call_as(&other.secret_key, Method::GET, &own, None)
        .await;
    reply.error(404, "not_found");
    let theirs = format!("{ORGS}/{}", other.organization_id);
    let reply = api
        .call_as(&other.secret_key, Method::GET, &theirs, None)
        .await;
    assert_eq!(
        reply.expect_status(200).json()["id"],
        other.organization_id.as_str()
    );
}
