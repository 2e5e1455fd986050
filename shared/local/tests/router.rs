//! The HTTP router over the local store: routing by function, CORS, security headers and
//! the OpenAPI document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request as HttpRequest};
use tower::ServiceExt;

use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use lintas_core::app::App;
use lintas_core::app::AppConfig;
use lintas_http::{Access, Function, ROUTES, openapi, router};

fn app(name: &str) -> (Arc<App>, std::path::PathBuf) {
    app_with(name, AppConfig::with_secret(vec![1; 32]).unwrap())
}

fn app_with(name: &str, config: AppConfig) -> (Arc<App>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("lintas-api-{name}-{}", std::process::id()));
    let local = lintas_local::bootstrap::open(&dir, "http://x", config).unwrap();
    (Arc::new(local.app), dir)
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

/// Creates an account `id` with `role` and the password `tiga kata acak`.
async fn create_account(app: &App, id: &str, role: lintas_core::domain::Role) {
    let new = lintas_core::app::NewEmployee {
        id: id.into(),
        name: id.into(),
        email: None,
        staff_number: None,
        role,
        office_id: None,
        on_roll: None,
        password: Some("tiga kata acak".into()),
        supervisor_id: None,
        admin_offices: None,
    };
    let setup = lintas_core::domain::Id::parse("setup").unwrap();
    app.create_employee(&setup, new).await.unwrap();
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

/// `(method, path, token)` answered with the status the route table implies: 401 without
/// a token on every non-public route, 403 for every role the route does not list, and never
/// 401 or 403 for a role it lists.
#[tokio::test]
async fn every_route_admits_exactly_the_roles_of_the_table() {
    use lintas_core::domain::Role;

    let mut config = AppConfig::with_secret(vec![1; 32]).unwrap();
    config.login.bcrypt_cost = 4;
    let (app, dir) = app_with("roles", config);
    let mut callers = Vec::new();
    for (id, role) in [
        ("boss", Role::Admin),
        ("ann", Role::Employee),
        ("lobby", Role::Kiosk),
    ] {
        create_account(&app, id, role).await;
        let pair = app.login(id, "tiga kata acak", None).await.unwrap();
        callers.push((role, pair.access_token));
    }
    let router = router(app, &Function::ALL);
    let mut checked = 0;
    for route in ROUTES {
        // A record no route can change, so every caller's own account stays as it was.
        let path = route
            .path
            .replace("{id}", "zoe")
            .replace("{template_id}", "t1");
        let (status, body) = call_as(&router, route.method, &path, None).await;
        if route.access == Access::Public {
            assert_ne!(status, StatusCode::UNAUTHORIZED, "{} {path}", route.method);
            continue;
        }
        assert_eq!(
            (status, body["code"].as_str()),
            (StatusCode::UNAUTHORIZED, Some("missing_token")),
            "{} {path} without a token",
            route.method
        );
        for (role, token) in &callers {
            let (status, body) = call_as(&router, route.method, &path, Some(token)).await;
            let listed = route.access.roles().contains(role);
            if listed {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{} {path} as {role:?}: {status} {body}",
                    route.method
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{} {path} as {role:?}: {body}",
                    route.method
                );
            }
            checked += 1;
        }
    }
    let protected = ROUTES.iter().filter(|r| r.access != Access::Public).count();
    assert_eq!(checked, 3 * protected, "every protected route, every role");
    assert!(
        protected >= 15,
        "the table has its protected routes: {protected}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

async fn call_as(
    router: &Router,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let mut request = HttpRequest::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = router
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

/// `method path` with `headers` and a JSON `body`; the status, headers and body.
async fn send(
    router: &Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = HttpRequest::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = router
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    (status, headers, bytes.to_vec())
}

#[tokio::test]
async fn the_console_is_served_from_the_binary_with_its_own_policy() {
    let (app, dir) = app("console");
    let router = router(app, &[Function::Login]);
    let (status, headers, _) = send(&router, "GET", "/console", &[], None).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        headers["location"], "console/index.html",
        "relative to the stage"
    );
    for (page, kind) in [
        ("index.html", "text/html; charset=utf-8"),
        ("kiosk.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
    ] {
        let (status, headers, body) =
            send(&router, "GET", &format!("/console/{page}"), &[], None).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert_eq!(headers["content-type"], kind, "{page}");
        assert_eq!(
            headers["content-security-policy"],
            lintas_console::CONTENT_SECURITY_POLICY,
            "{page}"
        );
        assert_eq!(headers["x-frame-options"], "DENY");
        assert!(!body.is_empty());
    }
    for missing in [
        "/console/nothing.js",
        "/console/..%2FCargo.toml",
        "/console/a/b",
    ] {
        let (status, headers, _) = send(&router, "GET", missing, &[], None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{missing}");
        assert_eq!(
            headers["content-security-policy"], "default-src 'none'; frame-ancestors 'none'",
            "{missing}"
        );
    }
    let (_, headers, _) = send(&router, "GET", "/v1/health", &[], None).await;
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn browsers_keep_the_refresh_token_in_an_http_only_cookie() {
    use serde_json::json;

    let mut config = AppConfig::with_secret(vec![1; 32]).unwrap();
    config.login.bcrypt_cost = 4;
    let (app, dir) = app_with("cookie", config);
    create_account(&app, "hr", lintas_core::domain::Role::Admin).await;
    let router = router(app, &[Function::Login]);
    let cookie_mode = ("x-lintas-session", "cookie");
    let credentials = json!({"login": "hr", "password": "tiga kata acak"});
    let cookie_of = |headers: &axum::http::HeaderMap| -> String {
        let set = headers["set-cookie"].to_str().unwrap().to_owned();
        for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Max-Age=2592000"] {
            assert!(set.contains(attribute), "{set}");
        }
        assert!(
            !set.contains("Path="),
            "scoped to the auth routes' folder: {set}"
        );
        set.split(';').next().unwrap().to_owned()
    };

    let (status, headers, body) = send(
        &router,
        "POST",
        "/v1/auth/login",
        &[cookie_mode],
        Some(credentials.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(answer["access_token"].is_string());
    assert!(
        answer.get("refresh_token").is_none(),
        "scripts never see it"
    );
    let cookie = cookie_of(&headers);

    // Without the header the cookie is not read: another site's form cannot use it.
    let (status, _, body) = send(
        &router,
        "POST",
        "/v1/auth/refresh",
        &[("cookie", &cookie)],
        Some(json!({})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "{}",
        String::from_utf8_lossy(&body)
    );

    let (status, headers, body) = send(
        &router,
        "POST",
        "/v1/auth/refresh",
        &[cookie_mode, ("cookie", &cookie)],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let rotated = cookie_of(&headers);
    assert_ne!(rotated, cookie, "the token rotates");

    // The old cookie is spent: presenting it again revokes the family.
    let (status, _, _) = send(
        &router,
        "POST",
        "/v1/auth/refresh",
        &[cookie_mode, ("cookie", &cookie)],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (_, headers, _) = send(
        &router,
        "POST",
        "/v1/auth/login",
        &[cookie_mode],
        Some(credentials.clone()),
    )
    .await;
    let fresh = cookie_of(&headers);
    let (status, headers, _) = send(
        &router,
        "POST",
        "/v1/auth/logout",
        &[cookie_mode, ("cookie", &fresh)],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (status, _, body) = send(
        &router,
        "POST",
        "/v1/auth/refresh",
        &[cookie_mode],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["code"], "invalid_refresh_token");

    // Signing out with a cookie the server does not know (deleted, expired) still clears it.
    let (status, headers, _) = send(
        &router,
        "POST",
        "/v1/auth/logout",
        &[cookie_mode, ("cookie", "lintas_refresh=gone")],
        Some(json!({})),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );

    // Apps keep sending the token in the body, as before.
    let (_, _, body) = send(&router, "POST", "/v1/auth/login", &[], Some(credentials)).await;
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let token = answer["refresh_token"].as_str().unwrap();
    let (status, headers, _) = send(
        &router,
        "POST",
        "/v1/auth/refresh",
        &[],
        Some(json!({"refresh_token": token})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key("set-cookie"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// An admin signed in on a tablet turns it into a kiosk: the kiosk's refresh token replaces
/// the admin's in the cookie and the admin's session there ends; unpairing ends the kiosk's.
#[tokio::test]
async fn an_admin_pairs_a_tablet_with_a_kiosk_account_and_unpairs_it() {
    use lintas_core::domain::Role;
    use serde_json::json;

    let mut config = AppConfig::with_secret(vec![1; 32]).unwrap();
    config.login.bcrypt_cost = 4;
    let (app, dir) = app_with("pairing", config);
    create_account(&app, "hr", Role::Admin).await;
    create_account(&app, "lobi", Role::Kiosk).await;
    let router = router(app, &Function::ALL);
    let cookie_mode = ("x-lintas-session", "cookie");
    let cookie_of = |headers: &axum::http::HeaderMap| -> String {
        let set = headers["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    };
    let credentials = json!({"login": "hr", "password": "tiga kata acak"});
    let (_, headers, body) = send(
        &router,
        "POST",
        "/v1/auth/login",
        &[cookie_mode],
        Some(credentials),
    )
    .await;
    let admins_cookie = cookie_of(&headers);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let bearer = format!("Bearer {}", answer["access_token"].as_str().unwrap());

    let (status, headers, body) = send(
        &router,
        "POST",
        "/v1/auth/kiosk-session",
        &[
            cookie_mode,
            ("authorization", &bearer),
            ("cookie", &admins_cookie),
        ],
        Some(json!({"kiosk_id": "lobi"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["employee_id"], "lobi");
    assert_eq!(answer["role"], "kiosk");
    assert!(answer.get("refresh_token").is_none(), "{answer}");
    let kiosks_cookie = cookie_of(&headers);
    assert_ne!(kiosks_cookie, admins_cookie);

    // The admin's session on the tablet is over; the kiosk's renews itself.
    let refresh = |cookie: String| {
        let router = &router;
        async move {
            let headers = [cookie_mode, ("cookie", cookie.as_str())];
            send(
                router,
                "POST",
                "/v1/auth/refresh",
                &headers,
                Some(json!({})),
            )
            .await
        }
    };
    let (status, _, _) = refresh(admins_cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, headers, _) = refresh(kiosks_cookie).await;
    assert_eq!(status, StatusCode::OK);
    let kiosks_cookie = cookie_of(&headers);

    // A new admin session unpairs the tablet.
    let credentials = json!({"login": "hr", "password": "tiga kata acak"});
    let (_, _, body) = send(&router, "POST", "/v1/auth/login", &[], Some(credentials)).await;
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let bearer = format!("Bearer {}", answer["access_token"].as_str().unwrap());
    let (status, _, _) = send(
        &router,
        "DELETE",
        "/v1/employees/lobi/sessions",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, _) = refresh(kiosks_cookie).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A suspended kiosk gets no session. The answer to an edit is the record as stored, so its
    // version guards the next edit, though ending the sessions changed the record again.
    let (status, _, body) = send(
        &router,
        "PATCH",
        "/v1/employees/lobi",
        &[("authorization", &bearer)],
        Some(json!({"status": "suspended"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let suspended: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let (status, _, body) = send(
        &router,
        "GET",
        "/v1/employees/lobi",
        &[("authorization", &bearer)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let stored: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        suspended["version"], stored["version"],
        "{suspended} {stored}"
    );
    let (status, _, body) = send(
        &router,
        "POST",
        "/v1/auth/kiosk-session",
        &[("authorization", &bearer)],
        Some(json!({"kiosk_id": "lobi"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(answer["code"], "account_suspended");
    std::fs::remove_dir_all(dir).unwrap();
}
