//! The `predict` function binary under a Lambda Runtime API, with API Gateway HTTP API
//! events, against the local DynamoDB and S3 servers.

use std::sync::Arc;

use lintas_core::ports::PhotoStore;
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud, add_employee};
use lintas_tests::lambda_runtime::{
    LambdaFunction, binary_http_event, http_event, multipart_photo,
};
use lintas_tests::{first_punch_kinds, fixture_bytes};

#[tokio::test]
async fn kiosks_identify_enrolled_faces_through_api_gateway_events() {
    let cloud = Cloud::new("fn-predict").await;
    let app = Arc::new(cloud.app().await);
    for person in ["amy", "howard"] {
        add_employee(
            &app,
            person,
            None,
            &[&format!("faces/{person}/{person}1.png")],
        )
        .await;
    }
    let token = app
        .login("admin", ADMIN_PASSWORD, None)
        .await
        .unwrap()
        .access_token;
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lintas-predict"));
    let mut function = LambdaFunction::start(binary, &cloud.env()).await;

    let (content_type, body) = multipart_photo(&fixture_bytes("faces/howard/howard2.png"));
    let since = chrono::Utc::now();
    let (status, punch) = function
        .http(binary_http_event(
            "POST",
            "/v1/predict",
            Some(&token),
            &content_type,
            &body,
        ))
        .await;
    assert_eq!(status, 200, "{punch}");
    assert_eq!(punch["employee_id"], "howard");
    let kind = punch["kind"].as_str().unwrap_or_default();
    assert!(first_punch_kinds(since).contains(&kind), "{punch}");
    let photo_key = punch["record"]["photo_key"].as_str().unwrap();
    assert!(
        cloud.photos.photo(photo_key).await.unwrap().is_some(),
        "the selfie is kept as evidence in S3"
    );

    let (content_type, body) = multipart_photo(&fixture_bytes("faces/penny/penny1.png"));
    let (status, problem) = function
        .http(binary_http_event(
            "POST",
            "/v1/predict",
            Some(&token),
            &content_type,
            &body,
        ))
        .await;
    assert_eq!((status, problem["code"].as_str()), (422, Some("no_match")));

    let (status, list) = function
        .http(http_event(
            "GET",
            "/v1/attendance?employee_id=howard",
            Some(&token),
            None,
        ))
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let month = &list["items"][0]["local_day"].as_str().unwrap()[..7];
    let (status, report) = function
        .http(http_event(
            "GET",
            &format!("/v1/reports/attendance?month={month}"),
            Some(&token),
            None,
        ))
        .await;
    assert_eq!(status, 200, "{report}");
    assert!(
        report["employees"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["employee_id"] == "howard" && !r["days"].as_array().unwrap().is_empty()),
        "{report}"
    );
    let (status, _) = function
        .http(http_event("POST", "/v1/predict", None, None))
        .await;
    assert_eq!(status, 401);
}
