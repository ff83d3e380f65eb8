//! Shared helpers: a running emulator and a raw HTTP client (reqwest, never the project's).
#![allow(dead_code)] // Each test binary uses its own subset.

use reqwest::Method;
use reqwest::header::HeaderMap;
use scaleway_partner_mock::{MockConfig, MockServer, Partner};
use serde_json::{Value, json};

pub const ORGS: &str = "/partner/v1/organizations";

/// A raw answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts this status (the body shown when it is another), and returns the reply.
    pub fn expect_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// Asserts a Scaleway error of this status and type, and returns the body.
    pub fn error(&self, status: u16, kind: &str) -> Value {
        self.expect_status(status);
        assert_eq!(self.header("content-type"), Some("application/json"));
        let body = self.json();
        assert_eq!(body["type"], kind, "{body}");
        assert!(body["message"].is_string(), "{body}");
        body
    }

    /// The `(argument_name, reason)` pairs of an `invalid_arguments` answer.
    pub fn invalid(&self) -> Vec<(String, String)> {
        let body = self.error(400, "invalid_arguments");
        body["details"]
            .as_array()
            .expect("details")
            .iter()
            .map(|d| {
                assert!(
                    d["help_message"].as_str().is_some_and(|h| !h.is_empty()),
                    "{d}"
                );
                (
                    d["argument_name"].as_str().unwrap().to_owned(),
                    d["reason"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }
}

pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

pub struct Api {
    pub server: MockServer,
    pub http: reqwest::Client,
}

pub fn http_client() -> reqwest::Client {
    // reqwest is built without a TLS provider and insists on one even for plain http.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("reqwest client")
}

/// Test configuration: no rate limit unless asked, no latency.
pub fn config() -> MockConfig {
    MockConfig {
        rate_limit: 0,
        seed: Some(1),
        ..MockConfig::default()
    }
}

pub fn two_partners() -> MockConfig {
    MockConfig {
        partners: vec![Partner::generate(), Partner::generate()],
        ..config()
    }
}

/// The API path of an organization, from its JSON.
pub fn path_of(org: &Value) -> String {
    format!("{ORGS}/{}", org["id"].as_str().expect("an organization ID"))
}

/// A valid creation body for this partner.
pub fn new_org(partner_id: &str, customer_id: &str) -> Value {
    json!({
        "partner_id": partner_id,
        "email": format!("owner-{customer_id}@example.com"),
        "organization_name": format!("Org {customer_id}"),
        "owner_firstname": "John",
        "owner_lastname": "Doe",
        "customer_id": customer_id,
    })
}

impl Api {
    pub async fn start(config: MockConfig) -> Api {
        Api {
            server: MockServer::start(config).await.expect("emulator starts"),
            http: http_client(),
        }
    }

    pub fn key(&self) -> String {
        self.server.secret_key().to_owned()
    }

    pub fn partner(&self) -> String {
        self.server.organization_id().to_owned()
    }

    /// A request with the given key (none: no X-Auth-Token) and raw body.
    pub async fn raw(
        &self,
        key: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = self
            .http
            .request(method, format!("{}{}", self.server.url(), path));
        if let Some(key) = key {
            request = request.header("X-Auth-Token", key);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("request sent");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.bytes().await.expect("body read").to_vec(),
        }
    }

    /// A request as the first partner.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let key = self.key();
        self.call_as(&key, method, path, body).await
    }

    pub async fn call_as(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Reply {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap());
        self.raw(Some(key), method, path, body).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(Method::GET, path, None).await
    }

    /// An update (`PATCH`) of the organization at `path`, as the first partner.
    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn list(&self, query: &[(&str, &str)]) -> Reply {
        let query: String = query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        self.get(&format!("{ORGS}?{query}")).await
    }

    /// Creates an organization for the first partner and returns its JSON.
    pub async fn create(&self, customer_id: &str) -> Value {
        self.create_as(&self.key(), &self.partner(), customer_id)
            .await
    }

    /// Creates an organization as the partner of `key` (whose ID is `partner_id`) and returns
    /// its JSON.
    pub async fn create_as(&self, key: &str, partner_id: &str, customer_id: &str) -> Value {
        let body = new_org(partner_id, customer_id);
        let reply = self.call_as(key, Method::POST, ORGS, Some(body)).await;
        reply.expect_status(200).json()
    }

    pub async fn action(&self, id: &str, action: &str) -> Reply {
        self.call(
            Method::POST,
            &format!("{ORGS}/{id}/{action}"),
            Some(json!({})),
        )
        .await
    }

    /// A control endpoint (no authentication).
    pub async fn control(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap());
        self.raw(None, method, path, body).await
    }
}

/// Polls `check` until it holds (fails after 15 s: a bound for a hung test, not a speed claim).
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}
