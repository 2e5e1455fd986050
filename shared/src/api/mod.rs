//! The HTTP API: handlers written once as axum routers. Each Lambda function mounts the
//! routes it serves; `lintas serve` mounts them all.

pub mod extract;
mod handlers;
pub mod local_photos;
pub mod openapi;
pub mod problem;
pub mod routes;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use extract::SourceAddress;
pub use routes::{Access, Function, ROUTES, Route};

use crate::app::App;

/// Largest request body, the synchronous Lambda payload limit.
pub const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// The routes of `functions`, with the common layers: body limit, request id, JSON access
/// log, security headers, panic guard and problem answers for unknown routes.
pub fn router(app: Arc<App>, functions: &[Function]) -> Router {
    let cors = app.config().cors_origins.clone();
    with_layers(routes(app, functions), &cors)
}

/// The routes of `functions` without the layers, to merge with others first.
pub fn routes(app: Arc<App>, functions: &[Function]) -> Router {
    let mut router = Router::new();
    for route in ROUTES.iter().filter(|r| functions.contains(&r.function)) {
        router = router.route(route.path, (route.handler)());
    }
    router.with_state(app)
}

/// Wraps any router in the common layers; browsers may call it from `cors_origins` only.
pub fn with_layers(router: Router, cors_origins: &[String]) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let security_headers = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ),
    ];
    let mut router = router
        .fallback(|| async {
            problem::plain(StatusCode::NOT_FOUND, "route_not_found", "no such route")
        })
        .method_not_allowed_fallback(|| async {
            problem::plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this route does not accept that method",
            )
        })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(refuse_announced_oversize))
        .layer(CatchPanicLayer::custom(|_| {
            problem::plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                "an internal error occurred; it has been logged",
            )
        }));
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::overriding(
            name,
            HeaderValue::from_static(value),
        ));
    }
    let origins: Vec<HeaderValue> = cors_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    if !origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                ])
                .allow_headers([
                    header::AUTHORIZATION,
                    header::CONTENT_TYPE,
                    HeaderName::from_static("idempotency-key"),
                ])
                .max_age(Duration::from_secs(600)),
        );
    }
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let path = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("unmatched", MatchedPath::as_str);
                    let id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!("request", method = %request.method(), path, request_id = id)
                })
                .on_response(|response: &Response, latency: Duration, _: &tracing::Span| {
                    tracing::info!(
                        status = response.status().as_u16(),
                        latency_ms = latency.as_secs_f64() * 1e3,
                        "answered"
                    );
                }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Refuses a body whose announced length is over the limit before reading any of it.
async fn refuse_announced_oversize(request: Request, next: axum::middleware::Next) -> Response {
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return problem::plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is larger than 6 MB",
        );
    }
    next.run(request).await
}

/// Structured JSON logs on stdout, filtered by `RUST_LOG` (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::body::Body;
    use axum::http::{Method, Request as HttpRequest};
    use tower::ServiceExt;

    use super::*;
    use crate::adapters::local::{FolderPhotoStore, SqliteStore};
    use crate::app::AppConfig;
    use crate::ports::SystemClock;

    fn app(name: &str) -> (Arc<App>, std::path::PathBuf) {
        app_with(name, AppConfig::with_secret(vec![1; 32]).unwrap())
    }

    fn app_with(name: &str, config: AppConfig) -> (Arc<App>, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("lintas-api-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Arc::new(SqliteStore::open(&dir.join("db")).unwrap());
        let photos = Arc::new(FolderPhotoStore::new(
            dir.join("p"),
            "http://x",
            vec![7; 32],
            1 << 20,
        ));
        (
            Arc::new(App::new(
                store,
                photos.clone(),
                photos,
                Arc::new(SystemClock),
                config,
            )),
            dir,
        )
    }

    async fn call(router: &Router, method: &str, path: &str) -> (StatusCode, serde_json::Value) {
        let request = HttpRequest::builder()
            .method(Method::from_bytes(method.as_bytes()).unwrap())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or_default())
    }

    /// A concrete path for a route template.
    fn concrete(path: &str) -> String {
        path.replace("{id}", "ann").replace("{template_id}", "t1")
    }

    #[tokio::test]
    async fn every_route_in_the_table_is_served_by_its_function_only() {
        let (app, dir) = app("routes");
        for function in Function::ALL {
            let router = router(Arc::clone(&app), &[function]);
            for route in ROUTES {
                let (status, body) = call(&router, route.method, &concrete(route.path)).await;
                let unrouted =
                    body["code"] == "route_not_found" || body["code"] == "method_not_allowed";
                assert_eq!(
                    !unrouted,
                    route.function == function,
                    "{} {} on {}: {status} {body}",
                    route.method,
                    route.path,
                    function.name()
                );
                if route.access != Access::Public && route.function == function {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "{} {}",
                        route.method,
                        route.path
                    );
                    assert_eq!(body["code"], "missing_token");
                }
            }
        }
        let all = router(app, &Function::ALL);
        let (status, body) = call(&all, "GET", "/v1/nothing-here").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("route_not_found"))
        );
        let (status, body) = call(&all, "PUT", "/v1/health").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn browsers_may_call_only_from_configured_origins() {
        let mut config = AppConfig::with_secret(vec![1; 32]).unwrap();
        config.cors_origins = vec!["https://absen.example.go.id".into()];
        let (app, dir) = app_with("cors", config);
        let router = router(app, &[Function::Login]);
        for (origin, allowed) in [
            ("https://absen.example.go.id", true),
            ("https://evil.example", false),
        ] {
            let preflight = HttpRequest::builder()
                .method(Method::OPTIONS)
                .uri("/v1/auth/login")
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .header("access-control-request-headers", "content-type")
                .body(Body::empty())
                .unwrap();
            let response = router.clone().oneshot(preflight).await.unwrap();
            let granted = response.headers().get("access-control-allow-origin");
            assert_eq!(granted.is_some_and(|v| v == origin), allowed, "{origin}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn every_answer_carries_the_security_headers_and_no_banner() {
        let (app, dir) = app("headers");
        let router = router(app, &Function::ALL);
        for (method, path) in [
            ("GET", "/v1/health"),
            ("GET", "/v1/employees"),
            ("GET", "/v1/nothing-here"),
            ("DELETE", "/v1/health"),
        ] {
            let request = HttpRequest::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let response = router.clone().oneshot(request).await.unwrap();
            let headers = response.headers();
            for (name, value) in [
                ("x-content-type-options", "nosniff"),
                ("x-frame-options", "DENY"),
                ("cache-control", "no-store"),
                ("referrer-policy", "no-referrer"),
            ] {
                assert_eq!(
                    headers.get(name).map(|v| v.as_bytes()),
                    Some(value.as_bytes()),
                    "{method} {path}: {name}"
                );
            }
            assert!(
                headers.contains_key("strict-transport-security"),
                "{method} {path}"
            );
            assert!(headers.contains_key("x-request-id"), "{method} {path}");
            assert!(
                !headers.contains_key("server"),
                "{method} {path}: no banner"
            );
            assert!(
                !headers.contains_key("x-powered-by"),
                "{method} {path}: no banner"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn the_openapi_document_lists_exactly_the_routes() {
        let (app, dir) = app("openapi");
        let (status, document) =
            call(&router(app, &[Function::Login]), "GET", "/v1/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(document["openapi"], "3.0.3");
        let mut documented = BTreeSet::new();
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                documented.insert((method.to_uppercase(), path.clone()));
                let params: BTreeSet<&str> = operation["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                assert_eq!(params, openapi::path_parameters(path).collect(), "{path}");
            }
        }
        let table: BTreeSet<(String, String)> = ROUTES
            .iter()
            .map(|r| (r.method.to_owned(), r.path.to_owned()))
            .collect();
        assert_eq!(documented, table);
        assert_eq!(table.len(), ROUTES.len(), "no route is listed twice");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
