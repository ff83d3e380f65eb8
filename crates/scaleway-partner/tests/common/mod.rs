//! Helpers shared by the integration tests: an emulator started in-process, and clients bound
//! to it that ignore the machine's own Scaleway configuration.

#![allow(dead_code)] // each test binary uses a different subset

pub mod children;

use std::time::Duration;

use scaleway_partner::{
    Client, ClientBuilder, CreateOrganizationRequest, ListOrganizationsRequest, Organization,
    OrganizationPage, RetryPolicy,
};
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

/// A builder for a server that is not the emulator (a hand-written one, a proxy's target),
/// with a fixed key and no pacing.
pub fn builder_for(url: &str) -> ClientBuilder {
    Client::builder()
        .api_url(url)
        .secret_key("11111111-1111-4111-8111-111111111111")
        .environment([("HOME", "/nonexistent")])
        .rate_limit(0.0)
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

/// The first page of an unfiltered listing.
pub async fn first_page(client: &Client) -> scaleway_partner::Result<OrganizationPage> {
    let lister = client.list_organizations(ListOrganizationsRequest::new())?;
    lister.page(1).await
}

/// Every organization of an unfiltered listing.
pub async fn every_organization(client: &Client) -> scaleway_partner::Result<Vec<Organization>> {
    let lister = client.list_organizations(ListOrganizationsRequest::new())?;
    lister.collect_all().await
}

/// The fault soak's mix (5xx, resets before and after the request, truncations, 429s), drawn
/// with `seed`: what the soak and the apply-under-faults test inject.
pub fn inject_soak_faults(mock: &MockServer, seed: u64) {
    mock.inject_faults(
        serde_json::from_value(json!({
            "seed": seed,
            "probabilities": {
                "server_error": 0.08, "reset_before": 0.05, "reset_after": 0.05,
                "truncate": 0.03, "rate_limit": 0.05
            }
        }))
        .unwrap(),
    );
}

pub fn stats(mock: &MockServer) -> Value {
    serde_json::to_value(mock.stats()).expect("stats serialize")
}

/// Waits until the emulator's statistics satisfy `holds` (polled; fails after 30 s, a bound
/// for a hung test, not a speed claim).
pub async fn until_stats(mock: &MockServer, what: &str, holds: impl Fn(&Value) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !holds(&stats(mock)) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "never happened: {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub fn new_org(n: usize, customer_id: &str) -> CreateOrganizationRequest {
    CreateOrganizationRequest::new()
        .email(format!("owner{n}@{customer_id}.test"))
        .organization_name(format!("Customer {n}"))
        .owner_firstname("Jane")
        .owner_lastname("Doe")
        .customer_id(customer_id)
}

/// A hand-written HTTP server for answers no emulator should give: each connection gets
/// `respond(request head)` and is closed. Counts the connections it accepted.
pub struct Hostile {
    pub url: String,
    pub connections: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// Every request head received.
    pub requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

pub async fn hostile(
    ip: &str,
    respond: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static,
) -> Hostile {
    use std::sync::atomic::Ordering;
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (count, log) = (connections.clone(), requests.clone());
    let respond = std::sync::Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let (respond, log) = (respond.clone(), log.clone());
            tokio::spawn(async move {
                let Some(head) = read_head(&mut sock).await else {
                    return;
                };
                log.lock().unwrap().push(head.clone());
                let _ = sock.write_all(&respond(&head)).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    Hostile {
        url,
        connections,
        requests,
    }
}

/// An HTTP/1.1 answer with a JSON body.
pub fn http_json(status: u16, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// An organization as the API sends it, with this ID.
pub fn org_json(id: &str) -> Value {
    json!({
        "id": id, "name": "Acme", "email": "owner@example.test", "customer_id": "c",
        "owner_firstname": "Jane", "owner_lastname": "Doe", "status": "opened",
        "locked_by": "unknown_locked_by", "lock_reason_message": "", "comment": "",
        "created_at": "2026-09-11T14:56:46.665888Z", "locked_at": null,
        "phone_number": null, "picture_link": null, "siren_number": null
    })
}

/// A query parameter of a request head.
pub fn query_param(head: &str, key: &str) -> Option<usize> {
    let target = head.split_whitespace().nth(1)?;
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .and_then(|v| v.parse().ok())
}

/// The page and page size a request head asks for (1 and 50 when absent, as the API).
pub fn window(head: &str) -> (usize, usize) {
    let page = query_param(head, "page").unwrap_or(1);
    let size = query_param(head, "page_size").unwrap_or(50);
    (page.max(1), size.max(1))
}

/// The `page` query parameter of a request head (1 when absent).
pub fn page_of(head: &str) -> u32 {
    query_param(head, "page").map_or(1, |p| p as u32)
}

/// The head of the next request on `sock` (up to its blank line); `None` once it closes.
pub async fn read_head(sock: &mut tokio::net::TcpStream) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match sock.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// Everything traced, at every level and by every crate, while it is alive (for the tests that
/// read the logs).
pub struct TraceCapture {
    buffer: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl TraceCapture {
    /// The text logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

#[derive(Clone)]
struct SharedWriter(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for SharedWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures traces at `trace` level on this thread until the result is dropped.
pub fn capture_traces() -> TraceCapture {
    let buffer = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = SharedWriter(buffer.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .with_ansi(false)
        .finish();
    TraceCapture {
        buffer,
        _guard: tracing::subscriber::set_default(subscriber),
    }
}
