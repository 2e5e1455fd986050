//! An HTTP proxy in front of a local S3 or DynamoDB server that passes requests through
//! unchanged (signatures stay valid) until told to fail the ones a rule picks, answering
//! them as the real service does when it is overloaded, or when the caller's role is denied
//! access (a misconfigured bucket policy or IAM role).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Which requests to fail.
pub type Rule = Arc<dyn Fn(&Method, &HeaderMap) -> bool + Send + Sync>;

/// The service behind the proxy, which decides how an injected failure looks.
#[derive(Clone, Copy, Debug)]
pub enum Service {
    /// DynamoDB: `500 InternalServerError` in its JSON protocol.
    DynamoDb,
    /// S3: `503 SlowDown` in its XML protocol.
    S3,
}

/// How an injected failure looks.
#[derive(Clone, Copy, Debug)]
enum Failure {
    /// Overloaded or down: retrying may help.
    Overloaded,
    /// Access denied: only an operator can help.
    Denied,
}

#[derive(Clone)]
struct Shared {
    upstream: String,
    service: Service,
    client: reqwest::Client,
    rule: Arc<Mutex<Option<(Rule, Failure)>>>,
    injected: Arc<AtomicUsize>,
}

/// A running proxy.
pub struct FaultProxy {
    url: String,
    shared: Shared,
}

impl FaultProxy {
    /// Starts a proxy on loopback in front of `upstream` (a base URL).
    pub async fn start(upstream: &str, service: Service) -> Self {
        let shared = Shared {
            upstream: upstream.trim_end_matches('/').to_owned(),
            service,
            client: reqwest::Client::builder()
                .no_proxy()
                .build()
                .expect("an HTTP client"),
            rule: Arc::new(Mutex::new(None)),
            injected: Arc::new(AtomicUsize::new(0)),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the proxy");
        let address: SocketAddr = listener.local_addr().expect("an address");
        let router = Router::new().fallback(forward).with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://{address}"),
            shared,
        }
    }

    /// The proxy's base URL, to use as the service endpoint.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Fails every request `rule` picks from now on.
    pub fn fail(&self, rule: impl Fn(&Method, &HeaderMap) -> bool + Send + Sync + 'static) {
        *self.shared.rule.lock().expect("the rule lock") =
            Some((Arc::new(rule), Failure::Overloaded));
    }

    /// Answers every request `rule` picks from now on with the service's access-denied
    /// error, as for a role without permission on the bucket or table.
    pub fn deny(&self, rule: impl Fn(&Method, &HeaderMap) -> bool + Send + Sync + 'static) {
        *self.shared.rule.lock().expect("the rule lock") = Some((Arc::new(rule), Failure::Denied));
    }

    /// Fails every request from now on, as a server that is down.
    pub fn fail_all(&self) {
        self.fail(|_, _| true);
    }

    /// Passes every request through again.
    pub fn heal(&self) {
        *self.shared.rule.lock().expect("the rule lock") = None;
    }

    /// Requests failed so far (retries included).
    pub fn injected(&self) -> usize {
        self.shared.injected.load(Ordering::SeqCst)
    }
}

/// A rule picking DynamoDB calls of one operation, e.g. `TransactWriteItems`.
pub fn dynamodb_operation(operation: &'static str) -> impl Fn(&Method, &HeaderMap) -> bool {
    move |_, headers| {
        headers
            .get("x-amz-target")
            .and_then(|target| target.to_str().ok())
            .is_some_and(|target| target.ends_with(&format!(".{operation}")))
    }
}

/// A rule picking S3 calls of one HTTP method, e.g. `PUT` for uploads.
pub fn s3_method(method: Method) -> impl Fn(&Method, &HeaderMap) -> bool {
    move |actual, _| *actual == method
}

/// Hop-by-hop headers (bodies are forwarded whole, with their length).
const NOT_FORWARDED: [HeaderName; 2] = [header::CONNECTION, header::TRANSFER_ENCODING];

async fn forward(State(shared): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let rule = shared.rule.lock().expect("the rule lock").clone();
    if let Some((rule, failure)) = rule
        && rule(&parts.method, &parts.headers)
    {
        shared.injected.fetch_add(1, Ordering::SeqCst);
        return injected_failure(shared.service, failure);
    }
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut upstream = shared
        .client
        .request(parts.method.clone(), format!("{}{path}", shared.upstream))
        .body(body);
    for (name, value) in &parts.headers {
        if !NOT_FORWARDED.contains(name) {
            upstream = upstream.header(name, value);
        }
    }
    match upstream.send().await {
        Ok(answer) => {
            let status = answer.status();
            let headers = answer.headers().clone();
            let body = answer.bytes().await.unwrap_or_default();
            let mut response = Response::new(Body::from(body));
            *response.status_mut() = status;
            for (name, value) in &headers {
                if !NOT_FORWARDED.contains(name) {
                    response.headers_mut().append(name, value.clone());
                }
            }
            response
        }
        Err(_) => StatusCode::BAD_GATEWAY.into_response(),
    }
}

fn injected_failure(service: Service, failure: Failure) -> Response {
    let (status, content_type, body) = match (service, failure) {
        (Service::DynamoDb, Failure::Denied) => (
            StatusCode::BAD_REQUEST,
            "application/x-amz-json-1.0",
            Bytes::from_static(
                br#"{"__type":"com.amazon.coral.service#AccessDeniedException","message":"User: arn:aws:sts::123456789012:assumed-role/lintas-predict is not authorized to perform: dynamodb:GetItem on resource: table/lintas-prod"}"#,
            ),
        ),
        (Service::S3, Failure::Denied) => (
            StatusCode::FORBIDDEN,
            "application/xml",
            Bytes::from_static(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied to bucket lintas-prod-photos</Message></Error>",
            ),
        ),
        (Service::DynamoDb, Failure::Overloaded) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "application/x-amz-json-1.0",
            Bytes::from_static(
                br#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected fault"}"#,
            ),
        ),
        (Service::S3, Failure::Overloaded) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "application/xml",
            Bytes::from_static(
                b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>injected fault</Message></Error>",
            ),
        ),
    };
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}
