//! `lintas serve`'s HTTP server: HTTP/1.1 over TCP with every connection bounded, so slow
//! or idle clients cannot hold the server. A connection must send its request headers within
//! `header_timeout` (also the most an idle keep-alive connection waits for its next request),
//! a request body must arrive within `body_timeout`, a whole request is answered within
//! `request_timeout`, and at most `max_connections` connections are open at once (more wait
//! in the listen queue).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use lintas_core::app::ConfigError;
use lintas_core::app::config::number;
use lintas_http::SourceAddress;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceBuilder;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// The bounds of every connection and request.
#[derive(Clone, Debug)]
pub struct ServerLimits {
    /// Open connections at most.
    pub max_connections: usize,
    /// Time to send the request headers, and the longest a kept-alive connection idles.
    pub header_timeout: Duration,
    /// Time to send a request body.
    pub body_timeout: Duration,
    /// Time to answer a whole request.
    pub request_timeout: Duration,
    /// Reverse proxies in front of the server whose `X-Forwarded-For` entries are trusted
    /// (0: the TCP peer is the client).
    pub trusted_proxies: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_connections: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            request_timeout: Duration::from_secs(60),
            trusted_proxies: 0,
        }
    }
}

impl ServerLimits {
    /// The defaults with overrides read through `var`: `LINTAS_MAX_CONNECTIONS`,
    /// `LINTAS_HEADER_TIMEOUT_SECONDS`, `LINTAS_BODY_TIMEOUT_SECONDS`,
    /// `LINTAS_REQUEST_TIMEOUT_SECONDS`, `LINTAS_TRUSTED_PROXIES`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut limits = Self::default();
        if let Some(value) = number(&var, "LINTAS_MAX_CONNECTIONS", 1..=65_536)? {
            limits.max_connections = value as usize;
        }
        if let Some(value) = number(&var, "LINTAS_HEADER_TIMEOUT_SECONDS", 1..=300)? {
            limits.header_timeout = Duration::from_secs(value);
        }
        if let Some(value) = number(&var, "LINTAS_BODY_TIMEOUT_SECONDS", 1..=600)? {
            limits.body_timeout = Duration::from_secs(value);
        }
        if let Some(value) = number(&var, "LINTAS_REQUEST_TIMEOUT_SECONDS", 1..=900)? {
            limits.request_timeout = Duration::from_secs(value);
        }
        if let Some(value) = number(&var, "LINTAS_TRUSTED_PROXIES", 0..=8)? {
            limits.trusted_proxies = value as usize;
        }
        Ok(limits)
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let trusted = limits.trusted_proxies;
    let router = router
        .layer(axum::middleware::from_fn(move |request, next| {
            client_address(trusted, request, next)
        }))
        .layer(RequestBodyTimeoutLayer::new(limits.body_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ));
    let connections = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            () = &mut shutdown => return Ok(()),
            permit = Arc::clone(&connections).acquire_owned() => permit,
        };
        let Ok(permit) = permit else {
            return Ok(());
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A connection that failed while queued, or the descriptor limit: go on.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let service = ServiceBuilder::new()
            .layer(axum::Extension(PeerAddress(peer)))
            .service(router.clone());
        let header_timeout = limits.header_timeout;
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            if let Err(error) = connection.await {
                tracing::debug!(%error, %peer, "connection ended");
            }
            drop(permit);
        });
    }
}

/// The TCP peer of a connection.
#[derive(Clone, Copy, Debug)]
struct PeerAddress(SocketAddr);

/// Tells the handlers the client's address: the TCP peer, or behind `trusted` reverse
/// proxies the entry they added to `X-Forwarded-For` (counted from the right, so entries a
/// client wrote itself are never believed).
async fn client_address(trusted: usize, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<PeerAddress>()
        .map(|PeerAddress(peer)| peer.ip().to_string());
    let forwarded = (trusted > 0)
        .then(|| {
            request
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .filter(|entry| !entry.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .and_then(|entries| entries.iter().rev().nth(trusted - 1).cloned());
    if let Some(address) = forwarded.or(peer) {
        request.extensions_mut().insert(SourceAddress(address));
    }
    next.run(request).await
}
