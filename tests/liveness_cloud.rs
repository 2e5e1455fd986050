//! The liveness defences on DynamoDB Local and the S3 server, over HTTP: a challenge answered
//! with real head turns, once even when answered at once; a replayed selfie; and a burst of
//! refused faces that checks no more than the limit, locks the employee out and is kept for
//! review with its photos in the bucket.

use std::sync::Arc;

use lintas_core::app::AppConfig;
use lintas_core::ports::{PhotoStore, SystemClock};
use lintas_tests::cloud::{Cloud, add_employee, serve};
use lintas_tests::fixture_bytes;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const PASSWORD: &str = "sate ayam madura 7";

async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

fn form(photos: Vec<Vec<u8>>, challenge: Option<&str>) -> Form {
    let mut form = Form::new();
    for (index, photo) in photos.into_iter().enumerate() {
        form = form.part(
            "photo",
            Part::bytes(photo).file_name(format!("f{index}.jpg")),
        );
    }
    if let Some(id) = challenge {
        form = form.text("challenge_id", id.to_owned());
    }
    form
}

fn frames(set: &str, poses: &Value) -> Vec<Vec<u8>> {
    poses
        .as_array()
        .unwrap()
        .iter()
        .map(|pose| fixture_bytes(&format!("poses/{set}/{}.jpg", pose.as_str().unwrap())))
        .collect()
}

/// The application over a fresh table and bucket with the liveness checks on, served over
/// HTTP, and a logged-in employee `id` enrolled with `photo`.
async fn live(name: &str, max_failures: u32, id: &str, photo: &str) -> (Cloud, String, String) {
    let cloud = Cloud::new(name).await;
    let mut config =
        AppConfig::with_secret(b"a test secret of at least 32 bytes!!".to_vec()).unwrap();
    config.attendance.repeat_window = std::time::Duration::ZERO;
    config.faces.max_employee_failures = max_failures;
    let app = Arc::new(cloud.app_with(Arc::new(SystemClock), config).await);
    add_employee(&app, id, Some(PASSWORD), &[photo]).await;
    let base = serve(app).await;
    let http = reqwest::Client::new();
    let (status, tokens) = answer(
        http.post(format!("{base}/v1/auth/login"))
            .json(&json!({ "login": id, "password": PASSWORD })),
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    (
        cloud,
        base,
        tokens["access_token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_challenge_is_answered_once_on_dynamodb() {
    let (_cloud, base, token) = live("challenge", 5, "bob", "poses/obama/left_moderate.jpg").await;
    let http = reqwest::Client::new();
    let challenge = || {
        answer(
            http.post(format!("{base}/v1/challenges"))
                .bearer_auth(&token),
        )
    };
    let (status, first) = challenge().await;
    assert_eq!(status, 201, "{first}");
    let id = first["id"].as_str().unwrap().to_owned();
    let barrier = Arc::new(tokio::sync::Barrier::new(6));
    let answers = (0..6).map(|_| {
        let (http, base, token, id, barrier) = (
            http.clone(),
            base.clone(),
            token.clone(),
            id.clone(),
            barrier.clone(),
        );
        let photos = frames("obama", &first["poses"]);
        tokio::spawn(async move {
            barrier.wait().await;
            answer(
                http.post(format!("{base}/v1/attendance"))
                    .bearer_auth(&token)
                    .multipart(form(photos, Some(&id))),
            )
            .await
        })
    });
    let results: Vec<(u16, Value)> = futures::future::join_all(answers)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let taken: Vec<_> = results
        .iter()
        .filter(|(status, _)| *status == 200)
        .collect();
    assert_eq!(taken.len(), 1, "{results:?}");
    assert_eq!(taken[0].1["record"]["challenged"], true);
    // The others find it used, or are over the attempts one account may make at once.
    assert!(
        results.iter().all(|(status, body)| *status == 200
            || body["code"] == "challenge_used"
            || body["code"] == "too_many_requests"),
        "{results:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replays_and_bursts_are_stopped_and_kept_for_review_on_dynamodb() {
    let (cloud, base, token) =
        live("lockout", 3, "kate", "faces/kate_siegel/1_aligned160.png").await;
    let http = reqwest::Client::new();
    let admin = {
        let (_, tokens) =
            answer(http.post(format!("{base}/v1/auth/login")).json(
                &json!({ "login": "admin", "password": lintas_tests::cloud::ADMIN_PASSWORD }),
            ))
            .await;
        tokens["access_token"].as_str().unwrap().to_owned()
    };
    let office = json!({
        "name": "Main office", "time_zone": "Asia/Jakarta",
        "schedule": {"start": "08:00:00", "end": "16:00:00", "weekdays": [1, 2, 3, 4, 5]},
        "challenge": {"phone": false, "kiosk": false},
    });
    let (status, body) = answer(
        http.put(format!("{base}/v1/offices/main"))
            .bearer_auth(&admin)
            .json(&office),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let punch = |photo: Vec<u8>| {
        answer(
            http.post(format!("{base}/v1/attendance"))
                .bearer_auth(&token)
                .multipart(form(vec![photo], None)),
        )
    };
    let selfie = fixture_bytes("faces/kate_siegel/1.jpg");
    let (status, body) = punch(selfie.clone()).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = punch(selfie).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("replayed_photo"))
    );

    // A burst of someone else's face: the two attempts left are looked at, no more.
    let barrier = Arc::new(tokio::sync::Barrier::new(10));
    let attempts = (0..10).map(|i| {
        let (http, base, token, barrier) =
            (http.clone(), base.clone(), token.clone(), barrier.clone());
        let mut photo = fixture_bytes("faces/shea_whigham/1.jpg");
        photo.extend_from_slice(format!("copy {i}").as_bytes());
        tokio::spawn(async move {
            barrier.wait().await;
            answer(
                http.post(format!("{base}/v1/attendance"))
                    .bearer_auth(&token)
                    .multipart(form(vec![photo], None)),
            )
            .await
        })
    });
    let codes: Vec<String> = futures::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().1["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    let looked_at = codes.iter().filter(|c| *c == "face_mismatch").count();
    assert!((1..=2).contains(&looked_at), "{codes:?}");
    assert_eq!(
        looked_at + codes.iter().filter(|c| *c == "too_many_requests").count(),
        10,
        "{codes:?}"
    );
    let (status, _) = punch(fixture_bytes("faces/kate_siegel/1_aligned160.png")).await;
    assert_eq!(status, 429, "locked out");

    let (status, body) = answer(
        http.get(format!("{base}/v1/refusals?employee_id=kate"))
            .bearer_auth(&admin),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1 + looked_at, "{body}");
    let kept = cloud.photos.list_photos("refused/").await.unwrap();
    for item in items {
        let key = item["photo_key"].as_str().unwrap();
        assert!(kept.iter().any(|k| k == key), "{key} is in the bucket");
    }
}
