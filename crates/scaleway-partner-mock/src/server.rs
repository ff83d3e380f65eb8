//! The accept loop: hyper serves each connection, so that a fault can close one without an
//! answer (which axum::serve cannot do). Connections are bounded (`max_connections`), each
//! gets `header_read_timeout_ms` to send its request headers (slow or idle clients are cut),
//! and HTTPS is served with a certificate generated at start when `tls` is set.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use crate::emulator::Emulator;
use crate::errors::MockError;
use crate::stats::Counters;

/// Marks a response that must not be sent: the connection is closed instead.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AbortConnection;

/// What the service returns to hyper to make it drop the connection.
#[derive(Debug, thiserror::Error)]
#[error("connection closed by fault injection")]
pub(crate) struct ConnectionAborted;

/// The local address of the connection a request came on (for a `redirect` fault).
#[derive(Clone, Copy, Debug)]
pub(crate) struct LocalAddr(pub SocketAddr);

/// Open connections get this long to finish their request on shutdown.
const DRAIN: Duration = Duration::from_secs(5);

/// A certificate authority and a server certificate signed by it, generated at start.
pub(crate) struct Tls {
    /// The authority's certificate, PEM (what a client trusts).
    pub ca_pem: String,
    pub acceptor: tokio_rustls::TlsAcceptor,
}

/// A test authority and, signed by it, a certificate for `localhost`, `127.0.0.1` and `::1`.
pub(crate) struct Issued {
    pub ca_pem: String,
    pub ca_der: rustls::pki_types::CertificateDer<'static>,
    pub cert_pem: String,
    pub cert_der: rustls::pki_types::CertificateDer<'static>,
    pub key: rcgen::KeyPair,
}

impl Issued {
    pub(crate) fn generate() -> Result<Issued, MockError> {
        let failed =
            |e: &dyn std::fmt::Display| MockError::Config(format!("cannot set up TLS: {e}"));
        let ca_key = rcgen::KeyPair::generate().map_err(|e| failed(&e))?;
        let mut ca_params =
            rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| failed(&e))?;
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params.distinguished_name.push(
            rcgen::DnType::CommonName,
            "scaleway-partner-mock test authority",
        );
        let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).map_err(|e| failed(&e))?;
        let key = rcgen::KeyPair::generate().map_err(|e| failed(&e))?;
        let names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        let params = rcgen::CertificateParams::new(names).map_err(|e| failed(&e))?;
        let cert = params.signed_by(&key, &ca).map_err(|e| failed(&e))?;
        Ok(Issued {
            ca_pem: ca.pem(),
            ca_der: ca.der().clone(),
            cert_pem: cert.pem(),
            cert_der: cert.der().clone(),
            key,
        })
    }
}

impl Tls {
    pub(crate) fn generate() -> Result<Tls, MockError> {
        let failed =
            |e: &dyn std::fmt::Display| MockError::Config(format!("cannot set up TLS: {e}"));
        let issued = Issued::generate()?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| failed(&e))?
            .with_no_client_auth()
            .with_single_cert(
                vec![issued.cert_der, issued.ca_der],
                rustls::pki_types::PrivateKeyDer::Pkcs8(issued.key.serialize_der().into()),
            )
            .map_err(|e| failed(&e))?;
        Ok(Tls {
            ca_pem: issued.ca_pem,
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        })
    }
}

pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    emulator: Arc<Emulator>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    mut stop: watch::Receiver<bool>,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(emulator.config.max_connections));
    let header_timeout = Duration::from_millis(emulator.config.header_read_timeout_ms);
    loop {
        // At the limit, new connections wait in the listen backlog until one closes.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            _ = stop.changed() => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let open = Counters::connection(&emulator);
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().ok().map(LocalAddr);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let router = router.clone();
            async move {
                let mut request = request.map(Body::new);
                if let Some(local) = local {
                    request.extensions_mut().insert(local);
                }
                let response = router
                    .oneshot(request)
                    .await
                    .unwrap_or_else(|never: Infallible| match never {});
                if response.extensions().get::<AbortConnection>().is_some() {
                    Err(ConnectionAborted)
                } else {
                    Ok(response)
                }
            }
        });
        let watcher = graceful.watcher();
        let tls = tls.clone();
        let emulator = emulator.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let _open = open;
            let result = match tls {
                None => serve_io(stream, service, header_timeout, watcher).await,
                Some(acceptor) => {
                    // The handshake gets the same time as the headers would.
                    match tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => serve_io(stream, service, header_timeout, watcher).await,
                        Ok(Err(e)) => {
                            emulator.stats.connection_refused();
                            tracing::debug!(%peer, error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            emulator.stats.connection_refused();
                            tracing::debug!(%peer, "TLS handshake timed out");
                            return;
                        }
                    }
                }
            };
            if let Err(e) = result {
                if e.is_timeout() {
                    emulator.stats.connection_refused();
                }
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    drop(slots);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {DRAIN:?}, leaving them");
    }
}

/// Serves one connection (plain or TLS) with HTTP/1.1, headers bounded in time.
async fn serve_io<I, S>(
    io: I,
    service: S,
    header_timeout: Duration,
    watcher: hyper_util::server::graceful::Watcher,
) -> Result<(), hyper::Error>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: hyper::service::Service<hyper::Request<Incoming>, Response = axum::response::Response>
        + Send
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(io), service);
    watcher.watch(connection).await
}
