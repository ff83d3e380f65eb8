//! The accept loop: hyper serves each connection, so that a fault can close one without an
//! answer (which axum::serve cannot do).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

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

pub(crate) async fn serve(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    let graceful = GracefulShutdown::new();
    loop {
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
        let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(DRAIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after {DRAIN:?}, leaving them");
    }
}
