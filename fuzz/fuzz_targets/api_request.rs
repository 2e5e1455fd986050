//! Any bytes as the body of the API's requests, through the real router with its layers:
//! the first byte picks the route and content type, the rest is the body. Every answer is
//! below 500: malformed JSON, multipart and base64 are the client's fault, and a valid
//! photo gets a real identification.

#![no_main]

use std::sync::{Arc, LazyLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use libfuzzer_sys::fuzz_target;
use lintas_http::{self as api, Function};
use lintas_core::app::AppConfig;
use lintas_face::rules::FaceRules;
use lintas_engine::{EngineConfig, FaceEngine};
use tower::ServiceExt;

const PASSWORD: &str = "fuzzing kopi tubruk 1";

/// (method, path, content type) of each route, picked by the first byte. The multipart
/// boundary is fixed; the seeds use it.
const ROUTES: [(&str, &str, &str); 8] = [
    ("POST", "/v1/auth/login", "application/json"),
    ("POST", "/v1/auth/refresh", "application/json"),
    ("POST", "/v1/predict", "application/json"),
    (
        "POST",
        "/v1/predict",
        "multipart/form-data; boundary=fuzz-boundary",
    ),
    ("POST", "/v1/employees", "application/json"),
    ("PATCH", "/v1/employees/admin", "application/json"),
    (
        "POST",
        "/v1/employees/admin/faces",
        "multipart/form-data; boundary=fuzz-boundary",
    ),
    ("PUT", "/v1/offices/main", "application/json"),
];

struct Harness {
    runtime: tokio::runtime::Runtime,
    router: Router,
    token: String,
}

static HARNESS: LazyLock<Harness> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("a runtime: {e}"));
    let dir = std::env::temp_dir().join(format!("lintas-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let (router, token) = runtime.block_on(async {
        let mut config = AppConfig::with_secret(vec![9; 32]).expect("the settings");
        config.login.bcrypt_cost = 4;
        let engine = FaceEngine::load(EngineConfig::default()).expect("the models");
        let local = lintas_local::bootstrap::open(&dir, "http://127.0.0.1", config)
            .expect("the local store");
        let app = local
            .app
            .with_face_engine(Arc::new(engine), FaceRules::default())
            .await
            .expect("the gallery");
        app.bootstrap(PASSWORD).await.expect("the admin");
        let token = app
            .login("admin", PASSWORD, None)
            .await
            .expect("a token")
            .access_token;
        (api::router(Arc::new(app), &Function::ALL), token)
    });
    Harness {
        runtime,
        router,
        token,
    }
});

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, body)) = bytes.split_first() else {
        return;
    };
    let (method, path, content_type) = ROUTES[usize::from(selector) % ROUTES.len()];
    let harness = &*HARNESS;
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::AUTHORIZATION, format!("Bearer {}", harness.token))
        .body(Body::from(body.to_vec()))
        .expect("a request");
    let response = harness
        .runtime
        .block_on(harness.router.clone().oneshot(request))
        .expect("the router is infallible");
    assert!(
        !response.status().is_server_error(),
        "{method} {path} ({content_type}) answered {}",
        response.status()
    );
});
