//! The HTTP API: handlers written once as axum routers. Each Lambda function mounts the
//! routes it serves; `lintas serve` mounts them all.

pub mod codes;
pub mod extract;
mod handlers;
pub mod openapi;
pub mod problem;
pub mod routes;
pub mod xlsx;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use extract::SourceAddress;
pub use routes::{Access, Function, ROUTES, Reach, Route};

use axum::RequestExt as _;
use axum::extract::RawPathParams;
use lintas_core::app::{App, Principal, office_in_reach, parse_id, require_global_admin};
use lintas_core::domain::Role;

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
        let handler = match route.access {
            Access::Public => (route.handler)(),
            Access::Roles(_) => (route.handler)().route_layer(
                axum::middleware::from_fn_with_state((Arc::clone(&app), route), authorize),
            ),
        };
        router = router.route(route.path, handler);
    }
    router.with_state(app)
}

/// The one authorization layer: authenticates the bearer token once, refuses a role the
/// route table does not list, keeps an office-scoped admin to what the route's [`Reach`]
/// allows, and hands the principal to the handler (see [`extract::Caller`]).
async fn authorize(
    State((app, route)): State<(Arc<App>, &'static Route)>,
    mut request: Request,
    next: axum::middleware::Next,
) -> Response {
    let principal = match extract::principal_of(&app, request.headers(), route.access.roles()).await
    {
        Ok(principal) => principal,
        Err(error) => return error.into_response(),
    };
    if principal.role == Role::Admin && !principal.is_global_admin() {
        let id = match request.extract_parts::<RawPathParams>().await {
            Ok(params) => params
                .iter()
                .find(|(name, _)| *name == "id")
                .map(|(_, value)| value.to_owned()),
            Err(error) => return error.into_response(),
        };
        if let Err(error) = reach(&app, &principal, route.reach, id.as_deref()).await {
            return error.into_response();
        }
    }
    request.extensions_mut().insert(principal);
    next.run(request).await
}

/// Refuses an office-scoped admin what is outside their offices: a path's employee or
/// office (404) or a setting every office shares (403).
async fn reach(
    app: &App,
    admin: &Principal,
    reach: Reach,
    id: Option<&str>,
) -> Result<(), problem::ApiError> {
    match (reach, id) {
        (Reach::Employee, Some(id)) => {
            app.employee_in_reach(admin, id).await?;
        }
        (Reach::Office, Some(id)) => office_in_reach(admin, &parse_id(id, "office id")?)?,
        (Reach::Global, _) => require_global_admin(admin)?,
        _ => {}
    }
    Ok(())
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
    // Answers of the API load nothing; the console's pages set their own, stricter than
    // any browser default but allowing their own scripts and styles.
    router = router.layer(SetResponseHeaderLayer::if_not_present(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
    ));
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
