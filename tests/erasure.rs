//! Erasing an employee, checked from the outside: after `DELETE /v1/employees/{id}` the whole
//! bucket and the whole table are listed, and nothing of the employee is left but the audit
//! trail of who erased them.

use std::sync::Arc;

use base64::Engine as _;
use lintas_core::ports::{GallerySnapshots, PhotoStore};
use lintas_face::gallery_snapshot;
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud, add_employee, serve};
use lintas_tests::fixture_bytes;
use serde_json::{Value, json};

const PASSWORD: &str = "sate ayam madura 7";

async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Every item of the table, each as the debug text of its attributes.
async fn table_items(table: &str) -> Vec<String> {
    let shared = lintas_aws::sdk_config().await;
    let client = aws_sdk_dynamodb::Client::new(&shared);
    let mut items = Vec::new();
    let mut pages = client.scan().table_name(table).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        items.extend(page.items().iter().map(|item| format!("{item:?}")));
    }
    items
}

#[tokio::test]
async fn an_erased_employee_leaves_no_face_photo_punch_or_token() {
    let cloud = Cloud::new("erasure").await;
    let app = Arc::new(cloud.app().await);
    add_employee(
        &app,
        "howard",
        Some(PASSWORD),
        &["faces/howard/howard1.png"],
    )
    .await;
    add_employee(&app, "amy", None, &["faces/amy/amy1.png"]).await;
    let upload = "enrollments/howard/second-photo.png";
    cloud
        .photos
        .put_photo(
            upload,
            fixture_bytes("faces/howard/howard3.png"),
            "image/png",
        )
        .await
        .unwrap();
    app.process_upload(upload).await.unwrap();

    let base = serve(Arc::clone(&app)).await;
    let http = reqwest::Client::new();
    let (status, tokens) = send(
        http.post(format!("{base}/v1/auth/login"))
            .json(&json!({ "login": "howard", "password": PASSWORD })),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    let howard = tokens["access_token"].as_str().unwrap().to_owned();
    let photo =
        base64::engine::general_purpose::STANDARD.encode(fixture_bytes("faces/howard/howard2.png"));
    let (status, punch) = send(
        http.post(format!("{base}/v1/attendance"))
            .bearer_auth(&howard)
            .json(&json!({ "photo": photo })),
    )
    .await;
    assert_eq!(status, 200, "{punch}");
    // A refused attempt (someone else's face) and a challenge are his too.
    let stranger =
        base64::engine::general_purpose::STANDARD.encode(fixture_bytes("faces/penny/penny1.png"));
    let (status, refused) = send(
        http.post(format!("{base}/v1/attendance"))
            .bearer_auth(&howard)
            .json(&json!({ "photo": stranger })),
    )
    .await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("face_mismatch"))
    );
    let (status, challenge) = send(
        http.post(format!("{base}/v1/challenges"))
            .bearer_auth(&howard),
    )
    .await;
    assert_eq!(status, 201, "{challenge}");
    let admin_token = app
        .login("admin", ADMIN_PASSWORD, None)
        .await
        .unwrap()
        .access_token;
    let before = table_items(cloud.table()).await;
    assert!(
        before.iter().filter(|item| item.contains("howard")).count() >= 8,
        "the employee, templates, punch, job, refusal, challenge and token are stored before \
         erasure"
    );
    assert!(
        cloud
            .photos
            .list_photos("refused/")
            .await
            .unwrap()
            .iter()
            .any(|key| key.contains("howard")),
        "the refused photo is kept for review"
    );

    let (status, body) = send(
        http.delete(format!("{base}/v1/employees/howard"))
            .bearer_auth(&admin_token),
    )
    .await;
    assert_eq!(status, 204, "{body}");

    let keys = cloud.photos.list_photos("").await.unwrap();
    assert!(
        keys.iter().all(|key| !key.contains("howard")),
        "no photo of the erased employee is left: {keys:?}"
    );
    assert!(
        keys.iter().any(|key| key.contains("amy")),
        "other employees keep theirs: {keys:?}"
    );
    if let Some(bytes) = cloud.photos.gallery_snapshot().await.unwrap() {
        let snapshot = gallery_snapshot::decode(&bytes).unwrap();
        assert!(
            !snapshot.gallery.has_employee("howard"),
            "the gallery snapshot no longer holds the erased face"
        );
    }
    let left: Vec<_> = table_items(cloud.table())
        .await
        .into_iter()
        .filter(|item| item.contains("howard") && !item.contains("S(\"AUDIT\")"))
        .collect();
    assert!(
        left.is_empty(),
        "records of the erased employee are left: {left:#?}"
    );

    let (status, _) = send(
        http.post(format!("{base}/v1/auth/refresh"))
            .json(&json!({ "refresh_token": tokens["refresh_token"] })),
    )
    .await;
    assert_eq!(status, 401, "the erased employee's refresh token is dead");
    let (status, _) = send(
        http.post(format!("{base}/v1/auth/login"))
            .json(&json!({ "login": "howard", "password": PASSWORD })),
    )
    .await;
    assert_eq!(status, 401, "the erased employee cannot log in");
}
