//! A `lintas serve` process for the end-to-end tests, and helpers to talk to it.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

pub const ADMIN_PASSWORD: &str = "kopi tubruk 42";

pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(relative)
}

pub fn read(relative: &str) -> Vec<u8> {
    std::fs::read(fixture(relative)).expect("fixture")
}

/// A `lintas serve` process on a free port with its own data folder.
pub struct Server {
    child: Child,
    pub base: String,
    pub data: PathBuf,
    pub client: Client,
}

impl Server {
    /// The server process id, to read its memory use.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub async fn start(name: &str) -> Self {
        Self::start_with(name, &[]).await
    }

    /// A server with `settings` (environment variables) over the defaults of the tests.
    pub async fn start_with(name: &str, settings: &[(&str, &str)]) -> Self {
        let data = std::env::temp_dir().join(format!("lintas-serve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        Self::start_on_with(data, settings).await
    }

    pub async fn start_on(data: PathBuf) -> Self {
        Self::start_on_with(data, &[]).await
    }

    pub async fn start_on_with(data: PathBuf, settings: &[(&str, &str)]) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_lintas"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(&data)
            .env_remove("LINTAS_MODEL_DIR")
            .env("LINTAS_JWT_SECRET", "a test secret of at least 32 bytes!!")
            .env("LINTAS_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("LINTAS_BCRYPT_COST", "4")
            .env("LINTAS_REPEAT_PUNCH_MINUTES", "0")
            // Most fixture photos are grayscale crops sent again and again, which the liveness
            // checks refuse; the liveness tests turn them on (`LINTAS_LIVENESS=on`).
            .env("LINTAS_LIVENESS", "off")
            .env("LINTAS_LOGIN_MAX_FAILURES", "3")
            .env("LINTAS_LOGIN_MAX_SOURCE_FAILURES", "8")
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("starting lintas serve");
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data,
            client: Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(response) = server.client.get(server.url("/v1/health")).send().await
                && response.status() == StatusCode::OK
            {
                return server;
            }
            assert!(Instant::now() < deadline, "lintas serve did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn stop(mut self) -> PathBuf {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::take(&mut self.data)
    }

    pub async fn login(&self, login: &str, password: &str) -> (StatusCode, Value) {
        self.send(
            None,
            "POST",
            "/v1/auth/login",
            Some(json!({"login": login, "password": password})),
        )
        .await
    }

    pub async fn token(&self, login: &str, password: &str) -> String {
        let (status, body) = self.login(login, password).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["access_token"].as_str().expect("a token").to_owned()
    }

    pub async fn send(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.expect("an answer")).await
    }

    pub async fn create_employee(&self, admin: &str, id: &str, role: &str, password: Option<&str>) {
        let body =
            json!({"id": id, "name": format!("Employee {id}"), "role": role, "password": password});
        let (status, body) = self
            .send(Some(admin), "POST", "/v1/employees", Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    pub async fn enroll(&self, admin: &str, id: &str, photos: &[&str]) -> Value {
        let mut form = Form::new();
        for photo in photos {
            form = form.part(
                "photo",
                Part::bytes(read(photo)).file_name(photo.replace('/', "_")),
            );
        }
        let response = self
            .client
            .post(self.url(&format!("/v1/employees/{id}/faces")))
            .bearer_auth(admin)
            .multipart(form)
            .send()
            .await
            .expect("an answer");
        let (status, body) = answer(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    pub async fn punch(
        &self,
        token: &str,
        path: &str,
        photo: &str,
        key: Option<&str>,
    ) -> (StatusCode, Value) {
        let form = Form::new().part("photo", Part::bytes(read(photo)).file_name("selfie"));
        let mut request = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form);
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        answer(request.send().await.expect("an answer")).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !self.data.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.data);
        }
    }
}

/// Runs `n` requests made by `make`, released together by a barrier.
pub async fn at_once<T, Fut>(n: usize, make: impl Fn(usize) -> Fut) -> Vec<T>
where
    Fut: std::future::Future<Output = T>,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    futures::future::join_all((0..n).map(|i| {
        let barrier = std::sync::Arc::clone(&barrier);
        let request = make(i);
        async move {
            barrier.wait().await;
            request.await
        }
    }))
    .await
}

/// A multipart form of `photos` (each a `photo` field, in order) and text `fields`.
pub fn photo_form(photos: &[Vec<u8>], fields: &[(&str, &str)]) -> Form {
    let mut form = Form::new();
    for (index, photo) in photos.iter().enumerate() {
        form = form.part(
            "photo",
            Part::bytes(photo.clone()).file_name(format!("frame{index}.jpg")),
        );
    }
    for (name, value) in fields {
        form = form.text(name.to_string(), value.to_string());
    }
    form
}

impl Server {
    /// Posts `form` to `path` with `token`; the status, the body and the headers.
    pub async fn post_form(
        &self,
        token: &str,
        path: &str,
        form: Form,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let response = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("an answer");
        let headers = response.headers().clone();
        let (status, body) = answer(response).await;
        (status, body, headers)
    }
}

impl Server {
    /// Posts the fixture `photo` with text `fields` to `path`.
    pub async fn post_photo(
        &self,
        token: &str,
        path: &str,
        photo: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        self.post_form(token, path, photo_form(&[read(photo)], fields))
            .await
    }
}

/// Asserts that `answer` is the problem `code` with `status`.
pub fn assert_problem(
    answer: &(StatusCode, Value, reqwest::header::HeaderMap),
    status: StatusCode,
    code: &str,
) {
    let (got, body, _) = answer;
    assert_eq!(
        (*got, body["code"].as_str()),
        (status, Some(code)),
        "{body}"
    );
}

pub async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    assert!(status.as_u16() < 500, "server error {status}");
    if !status.is_success() {
        assert!(is_json, "errors are problem+json ({status})");
    }
    let text = response.text().await.expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}
