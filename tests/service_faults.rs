//! Backend faults end to end: the HTTP API over DynamoDB Local and the S3 server, each
//! reached through a fault-injecting proxy. While a backend fails, clients get a 503 with
//! `Retry-After` and nothing half-written is left; once it recovers, client retries with the
//! same idempotency key record exactly one punch, and a redelivered enrollment event enrolls
//! exactly one template.

use std::sync::Arc;

use axum::http::Method;
use chrono::{Duration, Utc};
use lintas_core::app::{App, UploadHandled};
use lintas_core::domain::{EnrollmentStatus, Id};
use lintas_core::ports::{AttendanceStore, PageRequest, PhotoStore, TemplateStore};
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud, add_employee, serve};
use lintas_tests::fault_proxy::{FaultProxy, Service, dynamodb_operation, s3_method};
use lintas_tests::fixture_bytes;
use serde_json::{Value, json};

fn endpoint(variable: &str) -> String {
    std::env::var(variable).unwrap_or_else(|_| {
        panic!("{variable} is not set: run through `scripts/test-servers.sh run`")
    })
}

/// The cloud behind two proxies, with `howard` enrolled and an admin token.
struct Setup {
    dynamodb: FaultProxy,
    s3: FaultProxy,
    cloud: Cloud,
    app: Arc<App>,
    base_url: String,
    token: String,
}

async fn setup(name: &str) -> Setup {
    let dynamodb =
        FaultProxy::start(&endpoint("AWS_ENDPOINT_URL_DYNAMODB"), Service::DynamoDb).await;
    let s3 = FaultProxy::start(&endpoint("AWS_ENDPOINT_URL_S3"), Service::S3).await;
    let cloud = Cloud::through(name, dynamodb.url(), s3.url()).await;
    let app = Arc::new(cloud.app().await);
    add_employee(&app, "howard", None, &["faces/howard/howard1.png"]).await;
    add_employee(&app, "amy", None, &[]).await;
    let token = app
        .login("admin", ADMIN_PASSWORD, None)
        .await
        .unwrap()
        .access_token;
    let base_url = serve(Arc::clone(&app)).await;
    Setup {
        dynamodb,
        s3,
        cloud,
        app,
        base_url,
        token,
    }
}

impl Setup {
    /// `POST /v1/predict` with howard's second photo and `key` as the idempotency key.
    async fn punch(&self, key: &str) -> (u16, Option<String>, Value) {
        use base64::Engine as _;
        let photo = base64::engine::general_purpose::STANDARD
            .encode(fixture_bytes("faces/howard/howard2.png"));
        let response = reqwest::Client::new()
            .post(format!("{}/v1/predict", self.base_url))
            .bearer_auth(&self.token)
            .header("idempotency-key", key)
            .json(&json!({ "photo": photo }))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, retry_after, response.json().await.unwrap())
    }

    async fn howards_records(&self) -> Vec<lintas_core::domain::AttendanceRecord> {
        let today = Utc::now().date_naive();
        self.cloud
            .store
            .attendance_of(
                &Id::parse("howard").unwrap(),
                today - Duration::days(1),
                today + Duration::days(1),
                &PageRequest::first(100),
            )
            .await
            .unwrap()
            .items
    }

    async fn attendance_photos(&self) -> Vec<String> {
        self.cloud.photos.list_photos("attendance/").await.unwrap()
    }
}

fn assert_unavailable((status, retry_after, problem): &(u16, Option<String>, Value), what: &str) {
    assert_eq!(*status, 503, "{what}: {problem}");
    assert_eq!(problem["code"], "service_unavailable", "{what}");
    assert!(retry_after.is_some(), "{what}: a 503 says when to retry");
    let text = problem.to_string();
    for leak in ["injected", "InternalServerError", "SlowDown", "127.0.0.1"] {
        assert!(
            !text.contains(leak),
            "{what}: the answer names the backend: {text}"
        );
    }
}

#[tokio::test]
async fn punches_survive_backend_faults_without_duplicates_or_orphans() {
    let setup = setup("faults-punch").await;

    setup.dynamodb.fail_all();
    assert_unavailable(&setup.punch("punch-retry-0001").await, "DynamoDB down");
    assert!(
        setup.dynamodb.injected() >= 3,
        "the SDK retried with backoff before giving up ({} calls failed)",
        setup.dynamodb.injected()
    );

    setup.dynamodb.fail(|method, headers| {
        dynamodb_operation("TransactWriteItems")(method, headers)
            || dynamodb_operation("PutItem")(method, headers)
    });
    let before = setup.dynamodb.injected();
    assert_unavailable(
        &setup.punch("punch-retry-0001").await,
        "DynamoDB refusing the attendance write",
    );
    assert!(
        setup.dynamodb.injected() > before,
        "the write was attempted"
    );
    setup.dynamodb.heal();
    assert_eq!(
        setup.howards_records().await,
        vec![],
        "no record was written"
    );
    assert_eq!(
        setup.attendance_photos().await,
        Vec::<String>::new(),
        "the selfie stored before the failed write was deleted again"
    );

    setup.s3.fail(s3_method(Method::PUT));
    assert_unavailable(
        &setup.punch("punch-retry-0001").await,
        "S3 refusing uploads",
    );
    assert!(setup.s3.injected() > 0, "the upload was attempted");
    setup.s3.heal();
    assert_eq!(
        setup.howards_records().await,
        vec![],
        "no record without its photo"
    );

    let (status, _, first) = setup.punch("punch-retry-0001").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["employee_id"], "howard");
    let (status, _, again) = setup.punch("punch-retry-0001").await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        again["record"]["id"], first["record"]["id"],
        "the retry returns the first record"
    );
    let records = setup.howards_records().await;
    assert_eq!(records.len(), 1, "one punch for one idempotency key");
    let kept = records[0].photo_key.clone().unwrap();
    assert_eq!(
        setup.attendance_photos().await,
        vec![kept.clone()],
        "exactly the record's photo is stored"
    );

    // The worst case: the record write fails, and so does the delete that undoes the photo.
    setup.dynamodb.fail(|method, headers| {
        dynamodb_operation("TransactWriteItems")(method, headers)
            || dynamodb_operation("PutItem")(method, headers)
    });
    setup.s3.fail(s3_method(Method::DELETE));
    assert_unavailable(
        &setup.punch("punch-retry-0002").await,
        "both backends failing",
    );
    setup.dynamodb.heal();
    setup.s3.heal();
    assert_eq!(setup.howards_records().await.len(), 1, "no second record");
    let orphan = setup.attendance_photos().await;
    assert_eq!(orphan.len(), 2, "the photo is left behind: {orphan:?}");
    let after_today = Utc::now().date_naive() + Duration::days(2);
    let dry = setup
        .app
        .sweep_orphan_photos(after_today, true)
        .await
        .unwrap();
    assert_eq!(dry.checked, 2);
    assert_eq!(dry.orphans.len(), 1);
    assert_ne!(dry.orphans[0], kept, "the record's photo is no orphan");
    assert_eq!(
        setup.attendance_photos().await.len(),
        2,
        "a dry run deletes nothing"
    );
    let swept = setup
        .app
        .sweep_orphan_photos(after_today, false)
        .await
        .unwrap();
    assert_eq!(swept, dry);
    assert_eq!(setup.attendance_photos().await, vec![kept]);
    let today = Utc::now().date_naive();
    let recent = setup
        .app
        .sweep_orphan_photos(today - Duration::days(1), false)
        .await;
    assert_eq!(recent.unwrap().checked, 0, "recent days are left alone");
}

#[tokio::test]
async fn an_enrollment_event_redelivered_after_a_failure_enrolls_once() {
    let setup = setup("faults-enroll").await;
    let amy = Id::parse("amy").unwrap();
    let key = "enrollments/amy/from-the-office-camera.png";
    setup
        .cloud
        .photos
        .put_photo(key, fixture_bytes("faces/amy/amy1.png"), "image/png")
        .await
        .unwrap();

    setup
        .dynamodb
        .fail(dynamodb_operation("TransactWriteItems"));
    let failed = setup.app.process_upload(key).await;
    assert!(
        matches!(&failed, Err(error) if error.code() == "service_unavailable"),
        "a backend failure is reported so Lambda redelivers the event: {failed:?}"
    );
    setup.dynamodb.heal();
    assert_eq!(
        setup.cloud.store.templates_of(&amy).await.unwrap(),
        vec![],
        "nothing was enrolled by the failed attempt"
    );

    let first = setup.app.process_upload(key).await.unwrap();
    let again = setup.app.process_upload(key).await.unwrap();
    assert_eq!(first.status, EnrollmentStatus::Accepted, "{first:?}");
    assert_eq!(
        again.template_id, first.template_id,
        "a redelivery is a no-op"
    );
    let templates = setup.cloud.store.templates_of(&amy).await.unwrap();
    assert_eq!(templates.len(), 1, "one template for one upload");
    assert_eq!(Some(templates[0].id.clone()), first.template_id);
}

#[tokio::test]
async fn a_denied_bucket_is_a_logged_server_fault_and_never_drops_an_upload() {
    let setup = setup("faults-denied").await;
    let amy = Id::parse("amy").unwrap();
    let key = "enrollments/amy/denied-upload.png";
    setup
        .cloud
        .photos
        .put_photo(key, fixture_bytes("faces/amy/amy1.png"), "image/png")
        .await
        .unwrap();

    setup.s3.deny(s3_method(Method::GET));
    let failed = setup.app.handle_upload(key).await;
    assert!(
        matches!(&failed, Err(error) if error.code() == "internal_error"),
        "a denied read fails the delivery, so Lambda delivers the event again: {failed:?}"
    );
    let job = setup.app.store().enrollment(key).await.unwrap();
    assert!(
        job.as_ref()
            .is_none_or(|job| job.status == EnrollmentStatus::Pending),
        "the job is not finished by a failed delivery: {job:?}"
    );

    setup.s3.deny(|_, _| true);
    let (status, _, body) = setup.punch("punch-denied-0001").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["code"], "internal_error");
    let text = body.to_string();
    assert!(
        !text.contains("AccessDenied") && !text.contains("lintas-prod"),
        "no backend text reaches the client: {text}"
    );

    setup.s3.heal();
    setup.dynamodb.deny(dynamodb_operation("GetItem"));
    let (status, _, body) = setup.punch("punch-denied-0002").await;
    assert_eq!(status, 500, "a denied table is a server fault too: {body}");
    assert!(!body.to_string().contains("lintas-prod"), "{body}");
    setup.dynamodb.heal();

    let redelivered = setup.app.handle_upload(key).await.unwrap();
    assert!(
        matches!(&redelivered, UploadHandled::Processed(job) if job.status == EnrollmentStatus::Accepted),
        "the redelivered event enrolls once access is fixed: {redelivered:?}"
    );
    assert_eq!(setup.cloud.store.templates_of(&amy).await.unwrap().len(), 1);
}
