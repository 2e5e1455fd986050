//! The API as the tests call it over HTTP: `lintas serve`'s server over a fresh data folder,
//! a clock the test sets (Jakarta local time), and a JSON client.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};
use lintas_core::app::AppConfig;
use lintas_core::ports::Clock;
use lintas_engine::{EngineConfig, FaceEngine};
use lintas_face::rules::FaceRules;
use lintas_local::server::ServerLimits;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::cloud::{ADMIN_PASSWORD, Cloud, serve};

/// The offices' zone in these tests, Asia/Jakarta (UTC+7, no daylight saving).
pub fn jakarta() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("an offset")
}

/// A Jakarta local time as the instant it names.
pub fn in_jakarta(at: NaiveDateTime) -> DateTime<Utc> {
    jakarta()
        .from_local_datetime(&at)
        .single()
        .expect("a fixed offset")
        .with_timezone(&Utc)
}

/// A clock the test sets.
pub struct SetClock(Mutex<DateTime<Utc>>);

impl SetClock {
    /// A clock showing the Jakarta local time `at`.
    pub fn at(at: NaiveDateTime) -> Arc<Self> {
        Arc::new(Self(Mutex::new(in_jakarta(at))))
    }

    /// Moves the clock to the Jakarta local time `at`.
    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().expect("the clock") = in_jakarta(at);
    }
}

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("the clock")
    }
}

/// `lintas serve`'s server over a fresh data folder named after `name`, with the admin
/// bootstrapped (and the face engine loaded when `faces`); returns the base URL.
pub async fn serve_embedded(
    name: &str,
    config: AppConfig,
    clock: Arc<dyn Clock>,
    faces: bool,
) -> String {
    let data = std::env::temp_dir().join(format!("lintas-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let base = format!("http://{}", listener.local_addr().expect("the address"));
    // Pre-signed URLs name the server's own address.
    let local =
        lintas_local::bootstrap::open_at(&data, &base, config, clock).expect("the data folder");
    let app = if faces {
        let engine = FaceEngine::load(EngineConfig::default()).expect("the face engine");
        local
            .app
            .with_face_engine(Arc::new(engine), FaceRules::default())
            .await
            .expect("the gallery")
    } else {
        local.app
    };
    app.bootstrap(ADMIN_PASSWORD).await.expect("the admin");
    let router = lintas_local::bootstrap::router(Arc::new(app), local.folder);
    tokio::spawn(lintas_local::server::serve(
        listener,
        router,
        ServerLimits::default(),
        std::future::pending(),
    ));
    base
}

/// The API on DynamoDB Local and the S3 server, in a table and bucket named after `name`,
/// with the admin bootstrapped; returns the base URL.
pub async fn serve_cloud(name: &str, config: AppConfig, clock: Arc<dyn Clock>) -> String {
    let cloud = Cloud::new(name).await;
    let app = cloud.app_with(clock, config).await;
    serve(Arc::new(app)).await
}

/// A JSON client of one running server.
pub struct ApiClient {
    /// The HTTP client, for requests other than JSON.
    pub client: reqwest::Client,
    /// The server's base URL.
    pub base: String,
}

impl ApiClient {
    /// A client of the server at `base`.
    pub fn new(base: String) -> Self {
        Self {
            client: reqwest::Client::new(),
            base,
        }
    }

    /// Sends `body` as JSON; the status and the JSON answer (`null` if it is not JSON).
    pub async fn send(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("an answer");
        let status = response.status();
        let text = response.text().await.expect("a body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Logs `id` in; their access token.
    pub async fn login(&self, id: &str, password: &str) -> String {
        let (status, body) = self
            .send(
                None,
                "POST",
                "/v1/auth/login",
                Some(json!({"login": id, "password": password})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "login {id}: {body}");
        body["access_token"].as_str().expect("a token").to_owned()
    }
}
