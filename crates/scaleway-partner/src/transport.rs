//! One HTTP attempt: take a pacing slot, send, read the whole answer (up to a size cap) within
//! the timeout. Redirects are never followed: the key would go with them.

use std::error::Error as _;
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::pacer::{Pacer, Patience};
use crate::response::RawResponse;
use crate::setting::{ConfigError, Message, Origin, Setting};

/// The largest answer read. A page of 100 organizations is about 60 KB; anything near this is
/// not the Partner API, and is not buffered.
pub(crate) const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// A request to the Partner API, ready to send as many times as needed.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// Operation name, for logs and spans (`get_organization`...).
    pub operation: &'static str,
    pub method: Method,
    /// Path under the API URL, starting with `/`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    /// JSON body. Never logged: it may hold a password.
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request {
            operation,
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub fn json(mut self, body: &impl serde::Serialize) -> Self {
        self.body = Some(serde_json::to_vec(body).expect("request bodies are plain JSON"));
        self
    }

    pub fn query(mut self, query: Vec<(&'static str, String)>) -> Self {
        self.query = query;
        self
    }
}

#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The configuration's parsed URL: the one its checks looked at.
    base_url: reqwest::Url,
    pub pacer: Pacer,
    /// The longest wait a server may impose (the retry policy's `max_server_wait`): the
    /// rate-limit headers are believed up to it.
    max_server_wait: Duration,
    /// One permit per request on the wire: bounds the connections the pool opens (an HTTP/1.1
    /// connection carries one request at a time), however many calls are made at once.
    connections: tokio::sync::Semaphore,
}

/// `scaleway-partner-rs/<version> (<os>; <arch>)`, plus what the bindings and `SCW_USER_AGENT` add.
pub(crate) fn user_agent(extra: &[&str]) -> String {
    let mut ua = format!(
        "scaleway-partner-rs/{} ({}; {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    for e in extra.iter().filter(|e| !e.is_empty()) {
        ua.push(' ');
        ua.push_str(e);
    }
    ua
}

/// How the HTTP client is set up, beside the [`Config`].
pub(crate) struct HttpSettings<'a> {
    pub connect_timeout: Duration,
    pub user_agent: &'a str,
    pub rate: f64,
    pub ca_certificates: &'a [Vec<u8>],
    pub max_connections: usize,
    /// The retry policy's `max_server_wait`.
    pub max_server_wait: Duration,
    /// The rate budget shared beyond this process, if any.
    pub backend: Option<std::sync::Arc<dyn crate::coordination::Backend>>,
    /// The caller's headers, checked by [`default_headers`].
    pub headers: HeaderMap,
    pub proxy: Option<reqwest::Proxy>,
}

/// Headers the client sets itself: a default header may not replace them.
const OWN_HEADERS: [&str; 5] = [
    "x-auth-token",
    "user-agent",
    "host",
    "content-type",
    "content-length",
];

/// The caller's default headers, checked: each must be a header, and none of the client's own.
pub(crate) fn default_headers(pairs: &[(String, String)]) -> Result<HeaderMap> {
    let refuse = |what: String| {
        Error::Config(ConfigError::new(
            Some(Setting::DefaultHeaders),
            Message::default()
                .option(Setting::DefaultHeaders)
                .text(": ")
                .text(what),
        ))
    };
    let mut headers = HeaderMap::new();
    for (name, value) in pairs {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| refuse(format!("{name:?} is not a valid header name")))?;
        if OWN_HEADERS.contains(&header.as_str()) {
            return Err(refuse(format!(
                "{name} is set by the client itself and cannot be replaced"
            )));
        }
        // The value is not quoted: it may be a token.
        let value = HeaderValue::from_str(value).map_err(|_| {
            refuse(format!(
                "the value of {name} is not a valid header value (control characters?)"
            ))
        })?;
        headers.append(header, value);
    }
    Ok(headers)
}

/// The proxy for this API URL: the explicit one (this machine included), else the
/// environment's (`HTTPS_PROXY`/`HTTP_PROXY` by scheme, then `ALL_PROXY`, upper or lower case),
/// never for an API URL on this machine; `NO_PROXY` holds in both cases.
pub(crate) fn proxy(
    api_url: &reqwest::Url,
    explicit: Option<&str>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<reqwest::Proxy>> {
    let var = |name: &str| {
        env(name)
            .or_else(|| env(&name.to_ascii_lowercase()))
            .filter(|v| !v.is_empty())
    };
    let (url, origin) = match explicit {
        Some(url) => (url.to_owned(), Origin::Option),
        None if config::is_loopback(api_url) => return Ok(None),
        None => {
            let by_scheme = if api_url.scheme() == "https" {
                "HTTPS_PROXY"
            } else {
                "HTTP_PROXY"
            };
            match [by_scheme, "ALL_PROXY"]
                .into_iter()
                .find_map(|name| Some((var(name)?, Origin::Env(name))))
            {
                Some(found) => found,
                None => return Ok(None),
            }
        }
    };
    // Credentials may be in the URL: the message names the setting, never the value.
    let proxy = reqwest::Proxy::all(url.as_str())
        .ok()
        .filter(|_| url.contains("://"))
        .ok_or_else(|| {
            Error::Config(ConfigError::new(
                Some(Setting::Proxy),
                Message::default()
                    .origin(Setting::Proxy, &origin)
                    .text(" must be a proxy URL like http://proxy.example:3128"),
            ))
        })?;
    Ok(Some(proxy.no_proxy(
        var("NO_PROXY").and_then(|list| reqwest::NoProxy::from_string(&list)),
    )))
}

impl Transport {
    pub fn new(config: &Config, settings: HttpSettings<'_>) -> Result<Self> {
        let HttpSettings {
            connect_timeout,
            user_agent,
            rate,
            ca_certificates,
            max_connections,
            max_server_wait,
            backend,
            headers: mut default_headers,
            proxy,
        } = settings;
        // reqwest is built without a default TLS provider (aws-lc-rs is slow to build); ring is
        // installed process-wide unless the host application already chose one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        if config.insecure() {
            tracing::warn!(
                api_url = config.api_url(),
                "TLS certificate checks are off (insecure / SCW_INSECURE): anyone on the path \
                 can read the secret key"
            );
        }
        let mut token = HeaderValue::from_str(config.secret_key().expose()).map_err(|_| {
            Error::Config(ConfigError::new(
                Some(Setting::SecretKey),
                Message::default()
                    .option(Setting::SecretKey)
                    .text(" contains characters not allowed in a header"),
            ))
        })?;
        token.set_sensitive(true);
        let mut headers = std::mem::take(&mut default_headers);
        headers.insert("x-auth-token", token);
        let mut roots = Vec::new();
        for pem in ca_certificates {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .ok()
                .filter(|c| !c.is_empty());
            roots.extend(certs.ok_or_else(|| {
                Error::Config(ConfigError::new(
                    Some(Setting::CaCertificates),
                    Message::default().option(Setting::CaCertificates).text(
                        " holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)",
                    ),
                ))
            })?);
        }
        // The process environment's proxies are replaced by the ones chosen in `proxy`.
        let mut http = reqwest::Client::builder().no_proxy();
        if let Some(proxy) = proxy {
            http = http.proxy(proxy);
        }
        let http = http
            .tls_certs_merge(roots)
            .default_headers(headers)
            .user_agent(user_agent)
            .connect_timeout(connect_timeout)
            .pool_idle_timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(max_connections)
            .tls_danger_accept_invalid_certs(config.insecure())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| {
                Error::Config(ConfigError::new(
                    None,
                    format!("cannot build the HTTP client: {}", chain(&e)),
                ))
            })?;
        Ok(Transport {
            http,
            base_url: config.parsed_api_url().clone(),
            pacer: Pacer::shared(
                rate,
                config.secret_key().expose(),
                config.api_url(),
                backend,
            ),
            max_server_wait,
            connections: tokio::sync::Semaphore::new(
                max_connections.min(tokio::sync::Semaphore::MAX_PERMITS),
            ),
        })
    }

    /// One attempt. `Ok` only for a 2xx answer; error statuses come back as [`Error::Api`].
    /// `sending` is called once the request has its connection and pacing slot, as it leaves.
    ///
    /// Fails at once with [`Error::RateLimitPause`], before anything is sent, when the key's
    /// rate-limit pause outlasts `patience`.
    pub async fn attempt(
        &self,
        req: &Request,
        timeout: Duration,
        patience: Patience,
        sending: impl FnOnce(),
    ) -> Result<RawResponse> {
        // Held until the answer is read whole, so that its connection is free again.
        let _connection = self
            .connections
            .acquire()
            .await
            .expect("the semaphore is never closed");
        self.pacer.acquire(patience).await?;
        sending();
        let mut url = self.base_url.clone();
        url.set_path(&format!(
            "{}{}",
            self.base_url.path().trim_end_matches('/'),
            req.path
        ));
        let mut builder = self.http.request(req.method.clone(), url);
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some(body) = &req.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        let exchange = async {
            let mut resp = builder.send().await.map_err(transport_error)?;
            let status = resp.status().as_u16();
            if resp.status().is_redirection() {
                return Err(Error::Redirect {
                    status,
                    location_host: location_host(resp.headers()),
                });
            }
            let headers = std::mem::take(resp.headers_mut());
            let body = read_capped(resp, status, &headers).await?;
            Ok::<_, Error>(RawResponse::new(status, headers, body))
        };
        let raw = tokio::time::timeout(timeout, exchange)
            .await
            .map_err(|_| Error::attempt_timeout(timeout))??;
        self.pacer
            .observe(&raw.rate_limit.plausible(self.max_server_wait));
        self.pacer.share_pause().await;
        if raw.is_success() {
            Ok(raw)
        } else {
            Err(raw.into_api_error().into())
        }
    }
}

/// The host a redirect points to (only the host: a URL may carry more than should be logged).
fn location_host(headers: &HeaderMap) -> String {
    let Some(location) = headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return String::new();
    };
    match reqwest::Url::parse(location) {
        Ok(url) => url.host_str().unwrap_or_default().to_owned(),
        // A relative Location stays on the API's host.
        Err(_) => "(the same host)".to_owned(),
    }
}

/// Reads the body, refusing one larger than [`MAX_BODY_BYTES`] without buffering it.
async fn read_capped(
    mut resp: reqwest::Response,
    status: u16,
    headers: &HeaderMap,
) -> Result<bytes::Bytes> {
    let too_large = || Error::UnexpectedResponse {
        status,
        request_id: headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        message: format!(
            "the answer is larger than {} MiB, which no Partner API answer is; not read",
            MAX_BODY_BYTES / (1024 * 1024)
        ),
        body: String::new(),
    };
    let announced = resp.content_length().unwrap_or(0);
    if announced > MAX_BODY_BYTES as u64 {
        return Err(too_large());
    }
    // Sized from the announced length (already bounded), so a page is not regrown chunk by chunk.
    let mut body = bytes::BytesMut::with_capacity(announced as usize);
    while let Some(chunk) = resp.chunk().await.map_err(transport_error)? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn transport_error(e: reqwest::Error) -> Error {
    let not_sent = e.is_connect();
    let e = e.without_url(); // its query may hold an email address
    let mut message = chain(&e);
    if message.contains("invalid peer certificate") {
        message.push_str(
            " (the server's TLS certificate is not trusted: it is self-signed or signed by an \
             authority this machine does not know; give that authority with ca_certificate_pem \
             (ca_cert in Python, caCert in Node) \
             rather than turning verification off)",
        );
    }
    Error::Transport {
        // A connect failure (refused, DNS, TLS handshake) means the request never left.
        not_sent,
        system_code: system_code(&e, &message),
        message,
    }
}

/// The failure as the system names it (Node's `code`: `ECONNREFUSED`...), from the I/O error
/// under the HTTP stack's, or its resolver's and timers' own words.
fn system_code(e: &reqwest::Error, message: &str) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            let code = match io.kind() {
                K::ConnectionRefused => Some("ECONNREFUSED"),
                K::ConnectionReset => Some("ECONNRESET"),
                K::ConnectionAborted => Some("ECONNABORTED"),
                K::TimedOut => Some("ETIMEDOUT"),
                K::BrokenPipe => Some("EPIPE"),
                K::AddrNotAvailable => Some("EADDRNOTAVAIL"),
                K::HostUnreachable => Some("EHOSTUNREACH"),
                K::NetworkUnreachable => Some("ENETUNREACH"),
                _ => None,
            };
            if code.is_some() {
                return code;
            }
        }
        source = s.source();
    }
    if message.contains("dns error") {
        Some("ENOTFOUND")
    } else if e.is_timeout() {
        Some("ETIMEDOUT")
    } else {
        None
    }
}

/// The error and its causes on one line; reqwest's own message alone is too vague.
fn chain(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_names_the_client_the_platform_and_the_bindings() {
        let ua = user_agent(&["scaleway_partner-py/0.1.0", "", "python/3.11"]);
        let expected = format!(
            "scaleway-partner-rs/{} ({}; {}) scaleway_partner-py/0.1.0 python/3.11",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        assert_eq!(ua, expected);
    }
}
