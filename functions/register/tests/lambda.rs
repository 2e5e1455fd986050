//! The `register` function binary under a Lambda Runtime API, with API Gateway HTTP API
//! events, against the local DynamoDB and S3 servers.

use base64::Engine as _;
use lintas_core::ports::{PhotoStore, TemplateStore};
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud};
use lintas_tests::fixture_bytes;
use lintas_tests::lambda_runtime::{
    LambdaFunction, binary_http_event, http_event, multipart_photo,
};
use serde_json::json;

#[tokio::test]
async fn admins_create_enroll_and_erase_employees_through_api_gateway_events() {
    let cloud = Cloud::new("fn-register").await;
    let app = cloud.app().await;
    let admin = app
        .login("admin", ADMIN_PASSWORD, None)
        .await
        .unwrap()
        .access_token;
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lintas-register"));
    let mut function = LambdaFunction::start(binary, &cloud.env()).await;

    let new = json!({"id": "howard", "name": "Howard Wolowitz", "role": "employee", "email": "howard@caltech.example.id"});
    let (status, body) = function
        .http(http_event(
            "POST",
            "/v1/employees",
            Some(&admin),
            Some(&new),
        ))
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = function
        .http(http_event(
            "POST",
            "/v1/employees",
            Some(&admin),
            Some(&new),
        ))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("employee_exists"))
    );

    // JSON base64 in a text body, and multipart as API Gateway's base64 binary body.
    let photo =
        base64::engine::general_purpose::STANDARD.encode(fixture_bytes("faces/howard/howard1.png"));
    let body = json!({"photos": [photo]});
    let (status, enrolled) = function
        .http(http_event(
            "POST",
            "/v1/employees/howard/faces",
            Some(&admin),
            Some(&body),
        ))
        .await;
    assert_eq!(status, 200, "{enrolled}");
    assert_eq!(enrolled["results"][0]["status"], "accepted", "{enrolled}");
    let (content_type, multipart) = multipart_photo(&fixture_bytes("faces/howard/howard3.png"));
    let (status, enrolled) = function
        .http(binary_http_event(
            "POST",
            "/v1/employees/howard/faces",
            Some(&admin),
            &content_type,
            &multipart,
        ))
        .await;
    assert_eq!(status, 200, "{enrolled}");
    assert_eq!(enrolled["results"][0]["status"], "accepted", "{enrolled}");

    let (status, faces) = function
        .http(http_event(
            "GET",
            "/v1/employees/howard/faces",
            Some(&admin),
            None,
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(faces["items"].as_array().unwrap().len(), 2, "{faces}");

    let (status, upload) = function
        .http(http_event(
            "POST",
            "/v1/employees/howard/enrollment-uploads",
            Some(&admin),
            Some(&json!({"content_type": "image/jpeg"})),
        ))
        .await;
    assert_eq!(status, 201, "{upload}");
    let url = upload["url"].as_str().unwrap();
    assert!(
        url.contains(cloud.bucket()) && url.contains("X-Amz-Signature"),
        "{url}"
    );
    assert!(
        upload["key"]
            .as_str()
            .unwrap()
            .starts_with("enrollments/howard/")
    );
    let (status, body) = function
        .http(http_event(
            "POST",
            "/v1/employees/howard/enrollment-uploads",
            Some(&admin),
            Some(&json!({"content_type": "text/html"})),
        ))
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );

    let (status, _) = function
        .http(http_event(
            "DELETE",
            "/v1/employees/howard",
            Some(&admin),
            None,
        ))
        .await;
    assert_eq!(status, 204);
    let howard = lintas_core::domain::Id::parse("howard").unwrap();
    assert!(cloud.store.templates_of(&howard).await.unwrap().is_empty());
    for prefix in ["enrollments/howard/", "enrolled/howard/"] {
        assert!(
            cloud.photos.list_photos(prefix).await.unwrap().is_empty(),
            "{prefix}"
        );
    }
    let (status, _) = function
        .http(http_event(
            "GET",
            "/v1/employees/howard",
            Some(&admin),
            None,
        ))
        .await;
    assert_eq!(status, 404);
}
