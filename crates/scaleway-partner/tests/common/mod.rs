//! Helpers shared by the integration tests: an emulator started in-process, and clients bound
//! to it that ignore the machine's own Scaleway configuration.

#![allow(dead_code)] // each test binary uses a different subset

use std::time::Duration;

use scaleway_partner::{Client, ClientBuilder, CreateOrganizationRequest, RetryPolicy};
use scaleway_partner_mock::{MockConfig, MockServer};
use serde_json::{Value, json};

/// Starts the emulator with `overrides` over: no rate limit, no latency.
pub async fn emulator(overrides: Value) -> MockServer {
    let mut config = json!({"rate_limit": 0});
    for (k, v) in overrides.as_object().expect("an object") {
        config[k] = v.clone();
    }
    let config: MockConfig = serde_json::from_value(config).expect("emulator config");
    MockServer::start(config).await.expect("emulator starts")
}

/// A builder bound to the emulator's first partner, with fast retries and no pacing.
pub fn builder(mock: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_url(mock.url())
        .secret_key(mock.secret_key())
        .default_organization_id(mock.organization_id())
        .environment([("HOME", "/nonexistent")])
        .rate_limit(0.0)
        .retry_policy(fast_retries(4))
}

pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        ..RetryPolicy::default()
    }
}

pub fn client(mock: &MockServer) -> Client {
    builder(mock).build().expect("client")
}

pub fn stats(mock: &MockServer) -> Value {
    serde_json::to_value(mock.stats()).expect("stats serialize")
}

pub fn new_org(n: usize, customer_id: &str) -> CreateOrganizationRequest {
    CreateOrganizationRequest::new()
        .email(format!("owner{n}@{customer_id}.test"))
        .organization_name(format!("Customer {n}"))
        .owner_firstname("Jane")
        .owner_lastname("Doe")
        .customer_id(customer_id)
}
