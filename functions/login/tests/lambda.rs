//! The `login` function binary under a Lambda Runtime API, with API Gateway HTTP API
//! events, against the local DynamoDB and S3 servers.

use lintas_core::ports::LoginFailureStore;
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud};
use lintas_tests::lambda_runtime::{LambdaFunction, http_event};
use serde_json::json;

#[tokio::test]
async fn login_refresh_and_health_answer_api_gateway_events() {
    let cloud = Cloud::new("fn-login").await;
    cloud.app().await;
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lintas-login"));
    let mut function = LambdaFunction::start(binary, &cloud.env()).await;

    let (status, body) = function
        .http(http_event("GET", "/v1/health", None, None))
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("ok")),
        "{body}"
    );

    let login = json!({"login": "admin", "password": ADMIN_PASSWORD});
    let (status, pair) = function
        .http(http_event("POST", "/v1/auth/login", None, Some(&login)))
        .await;
    assert_eq!(status, 200, "{pair}");
    assert_eq!(pair["role"], "admin");
    let refresh = json!({"refresh_token": pair["refresh_token"]});
    let (status, rotated) = function
        .http(http_event("POST", "/v1/auth/refresh", None, Some(&refresh)))
        .await;
    assert_eq!(status, 200, "{rotated}");
    assert_ne!(rotated["refresh_token"], pair["refresh_token"]);

    let wrong = json!({"login": "admin", "password": "not the password"});
    let (status, body) = function
        .http(http_event("POST", "/v1/auth/login", None, Some(&wrong)))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("invalid_credentials"))
    );
    let counted = cloud
        .store
        .login_failures("source:203.0.113.7", chrono::Utc::now())
        .await
        .expect("the store answers");
    assert_eq!(
        counted.map(|f| f.count),
        Some(1),
        "failures are counted per source address API Gateway saw"
    );

    let token = pair["access_token"].as_str().unwrap();
    let (status, body) = function
        .http(http_event("GET", "/v1/employees", Some(token), None))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (404, Some("route_not_found")),
        "routes of other functions are not served here"
    );
    let mut broken = http_event("POST", "/v1/auth/login", None, None);
    broken["headers"]["content-type"] = json!("application/json");
    broken["body"] = json!("{\"login\":");
    let (status, body) = function.http(broken).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("invalid_json")));
}

#[tokio::test]
async fn an_unreachable_table_is_a_503_with_retry_after() {
    let cloud = Cloud::new("fn-login-down").await;
    let mut env = cloud.env();
    env.push(("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1".into()));
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lintas-login"));
    let mut function = LambdaFunction::start(binary, &env).await;
    let response = function
        .invoke(http_event("GET", "/v1/health", None, None))
        .await
        .expect("an HTTP response");
    assert_eq!(response["statusCode"], 503, "{response}");
    assert_eq!(response["headers"]["retry-after"], "5");
    let body: serde_json::Value = serde_json::from_str(response["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["code"], "service_unavailable");
    assert!(
        !body["detail"].as_str().unwrap().contains("127.0.0.1"),
        "backend details stay in the logs"
    );
}
