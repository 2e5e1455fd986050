//! A Lambda Runtime API on loopback, so the real function binaries run exactly as on AWS
//! Lambda: they poll `/runtime/invocation/next`, handle the event, and post the response.
//! Also builds API Gateway HTTP API (payload v2) events.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::{Mutex, mpsc, oneshot};

/// What the function answered: its response, or the error it reported.
pub type Outcome = Result<Value, Value>;

#[derive(Clone)]
struct Shared {
    events: Arc<Mutex<mpsc::Receiver<(String, Value)>>>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<Outcome>>>>,
    init_error: Arc<Mutex<Option<Value>>>,
}

/// One function process and the Runtime API it polls.
pub struct LambdaFunction {
    child: Child,
    sender: mpsc::Sender<(String, Value)>,
    shared: Shared,
    next_id: u64,
}

impl LambdaFunction {
    /// Starts the Runtime API and `binary` with `env` (plus the variables Lambda sets).
    pub async fn start(binary: &Path, env: &[(&str, String)]) -> Self {
        let (sender, receiver) = mpsc::channel(16);
        let shared = Shared {
            events: Arc::new(Mutex::new(receiver)),
            waiting: Arc::new(Mutex::new(HashMap::new())),
            init_error: Arc::new(Mutex::new(None)),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the runtime API");
        let addr: SocketAddr = listener.local_addr().expect("an address");
        let router = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(response),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/2018-06-01/runtime/init/error", post(init_error))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        let name = binary
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let child = Command::new(binary)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env("AWS_LAMBDA_RUNTIME_API", addr.to_string())
            .env("AWS_LAMBDA_FUNCTION_NAME", &name)
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        Self {
            child,
            sender,
            shared,
            next_id: 0,
        }
    }

    /// Delivers `event` and waits for the function's answer.
    pub async fn invoke(&mut self, event: Value) -> Outcome {
        self.next_id += 1;
        let id = format!("req-{}", self.next_id);
        let (tell, told) = oneshot::channel();
        self.shared.waiting.lock().await.insert(id.clone(), tell);
        self.sender
            .send((id, event))
            .await
            .expect("the runtime API is running");
        match tokio::time::timeout(Duration::from_secs(120), told).await {
            Ok(Ok(outcome)) => outcome,
            _ => panic!(
                "no answer from the function (init error: {:?})",
                self.shared.init_error.lock().await
            ),
        }
    }

    /// Invokes with an API Gateway HTTP API event and returns the status and JSON body.
    pub async fn http(&mut self, event: Value) -> (u16, Value) {
        let response = self.invoke(event).await.expect("an HTTP response");
        let status = response["statusCode"].as_u64().expect("a status") as u16;
        let body = response["body"].as_str().unwrap_or_default();
        (
            status,
            serde_json::from_str(body).unwrap_or(Value::String(body.into())),
        )
    }
}

impl Drop for LambdaFunction {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn next(State(shared): State<Shared>) -> impl IntoResponse {
    let Some((id, event)) = shared.events.lock().await.recv().await else {
        return (StatusCode::GONE, HeaderMap::new(), Bytes::new());
    };
    let mut headers = HeaderMap::new();
    let deadline = chrono::Utc::now().timestamp_millis() + 120_000;
    let pairs = [
        ("lambda-runtime-aws-request-id", id),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        (
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:ap-southeast-3:123456789012:function:lintas".into(),
        ),
        (
            "lambda-runtime-trace-id",
            "Root=1-00000000-000000000000000000000000".into(),
        ),
        ("content-type", "application/json".into()),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    let body = serde_json::to_vec(&event).unwrap_or_default();
    (StatusCode::OK, headers, Bytes::from(body))
}

async fn finish(shared: &Shared, id: &str, outcome: Outcome) -> StatusCode {
    if let Some(waiter) = shared.waiting.lock().await.remove(id) {
        let _ = waiter.send(outcome);
    }
    StatusCode::ACCEPTED
}

async fn response(
    State(shared): State<Shared>,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> StatusCode {
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    finish(&shared, &id, Ok(value)).await
}

async fn error(
    State(shared): State<Shared>,
    UrlPath(id): UrlPath<String>,
    body: Bytes,
) -> StatusCode {
    let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    finish(&shared, &id, Err(value)).await
}

async fn init_error(State(shared): State<Shared>, body: Bytes) -> StatusCode {
    *shared.init_error.lock().await = Some(serde_json::from_slice(&body).unwrap_or(Value::Null));
    StatusCode::ACCEPTED
}

/// An API Gateway HTTP API (payload 2.0) event, as API Gateway sends it.
pub fn http_event(
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Value {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let mut headers = json!({
        "host": "abc123.execute-api.ap-southeast-3.amazonaws.com",
        "user-agent": "lintas-test",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-proto": "https"
    });
    if let Some(token) = token {
        headers["authorization"] = json!(format!("Bearer {token}"));
    }
    if body.is_some() {
        headers["content-type"] = json!("application/json");
    }
    let mut query_parameters = serde_json::Map::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        query_parameters.insert(k.to_owned(), json!(v));
    }
    let route_key = format!("{method} {path}");
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "queryStringParameters": query_parameters,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.ap-southeast-3.amazonaws.com",
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "lintas-test"
            },
            "requestId": "JKJaXmPLvHcESHA=",
            "routeKey": route_key,
            "stage": "$default",
            "time": "28/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1795860000000u64
        },
        "body": body.map(|b| b.to_string()),
        "isBase64Encoded": false
    })
}

/// An S3 `ObjectCreated:Put` notification for `key` in `bucket`, as S3 sends it (the key
/// form-encoded).
pub fn s3_created_event(bucket: &str, key: &str, size: usize) -> Value {
    let encoded: String = key
        .bytes()
        .map(|b| match b {
            b' ' => "+".to_owned(),
            b if b.is_ascii_alphanumeric() || b"-_./".contains(&b) => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    json!({
        "Records": [{
            "eventVersion": "2.1",
            "eventSource": "aws:s3",
            "awsRegion": "ap-southeast-3",
            "eventTime": "2026-11-28T10:00:00.000Z",
            "eventName": "ObjectCreated:Put",
            "userIdentity": { "principalId": "AWS:AIDAEXAMPLE" },
            "requestParameters": { "sourceIPAddress": "203.0.113.7" },
            "responseElements": { "x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8" },
            "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "enroll",
                "bucket": { "name": bucket, "ownerIdentity": { "principalId": "A3NL1KOZZKExample" }, "arn": format!("arn:aws:s3:::{bucket}") },
                "object": { "key": encoded, "size": size, "eTag": "d41d8cd98f00b204e9800998ecf8427e", "sequencer": "0055AED6DCD90281E5" }
            }
        }]
    })
}

/// An API Gateway HTTP API event with a binary body, base64-encoded as API Gateway
/// delivers binary media.
pub fn binary_http_event(
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Value {
    use base64::Engine as _;
    let mut event = http_event(method, path, token, None);
    event["headers"]["content-type"] = json!(content_type);
    event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
    event["isBase64Encoded"] = json!(true);
    event
}

/// A `multipart/form-data` body with one file field `photo`, and its content type.
pub fn multipart_photo(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "lintas-boundary-7d3f9a";
    let mut body = format!(
        "--{boundary}\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"selfie.png\"\r\ncontent-type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
