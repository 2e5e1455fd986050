//! The `enroll` function binary under a Lambda Runtime API, fed real S3 `ObjectCreated`
//! notifications, against the local DynamoDB and S3 servers.

use lintas_core::app::NewEmployee;
use lintas_core::domain::{EnrollmentStatus, Id, Role};
use lintas_core::ports::{EnrollmentJobStore, PhotoStore, TemplateStore};
use lintas_tests::cloud::Cloud;
use lintas_tests::fixture_bytes;
use lintas_tests::lambda_runtime::{LambdaFunction, s3_created_event};
use serde_json::json;

#[tokio::test]
async fn uploads_are_enrolled_once_and_refusals_are_recorded() {
    let cloud = Cloud::new("fn-enroll").await;
    let app = cloud.app().await;
    let new = NewEmployee {
        id: "bernadette".into(),
        name: "Bernadette Rostenkowski".into(),
        email: None,
        staff_number: None,
        role: Role::Employee,
        office_id: None,
        on_roll: None,
        password: None,
        supervisor_id: None,
        admin_offices: None,
    };
    app.create_employee(&Id::parse("admin").unwrap(), new)
        .await
        .unwrap();
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lintas-enroll"));
    let mut function = LambdaFunction::start(binary, &cloud.env()).await;
    let bernadette = Id::parse("bernadette").unwrap();

    let good = "enrollments/bernadette/first photo (1).png";
    let bytes = fixture_bytes("faces/bernadette/bernadette1.png");
    cloud
        .photos
        .put_photo(good, bytes.clone(), "image/png")
        .await
        .unwrap();
    let event = s3_created_event(cloud.bucket(), good, bytes.len());
    let summary = function
        .invoke(event.clone())
        .await
        .expect("the event is handled");
    assert_eq!(summary, json!({"accepted": 1, "rejected": 0}));
    let job = cloud.store.enrollment(good).await.unwrap().expect("a job");
    assert_eq!(job.status, EnrollmentStatus::Accepted);
    let templates = cloud.store.templates_of(&bernadette).await.unwrap();
    assert_eq!(templates.len(), 1);
    assert!(
        templates[0].photo_key.starts_with("enrolled/bernadette/"),
        "the accepted photo moved out of the upload prefix: {}",
        templates[0].photo_key
    );
    assert!(
        cloud
            .photos
            .photo(&templates[0].photo_key)
            .await
            .unwrap()
            .is_some(),
        "the template's photo is stored"
    );
    assert_eq!(
        cloud.photos.photo(good).await.unwrap(),
        None,
        "the upload is gone"
    );

    // S3 delivers at least once: the same event again enrolls nothing new.
    let again = function.invoke(event).await.expect("the event is handled");
    assert_eq!(again, json!({"accepted": 1, "rejected": 0}));
    assert_eq!(
        cloud.store.templates_of(&bernadette).await.unwrap().len(),
        1
    );

    for (key, fixture, reason) in [
        (
            "enrollments/bernadette/blank.png",
            "faces/_no_face/faceapi_white.png",
            "no_face",
        ),
        (
            "enrollments/nobody/x.png",
            "faces/amy/amy1.png",
            "unknown_employee",
        ),
        (
            "enrollments/bernadette/group.jpg",
            "faces/_multi_face/faceapi_bbt1.jpg",
            "multiple_faces",
        ),
    ] {
        let bytes = fixture_bytes(fixture);
        let content_type = if key.ends_with(".png") {
            "image/png"
        } else {
            "image/jpeg"
        };
        cloud
            .photos
            .put_photo(key, bytes.clone(), content_type)
            .await
            .unwrap();
        let summary = function
            .invoke(s3_created_event(cloud.bucket(), key, bytes.len()))
            .await
            .expect("the event is handled");
        assert_eq!(summary, json!({"accepted": 0, "rejected": 1}), "{key}");
        let job = cloud.store.enrollment(key).await.unwrap().expect("a job");
        assert_eq!(
            (job.status, job.reason.as_deref()),
            (EnrollmentStatus::Rejected, Some(reason)),
            "{key}"
        );
        assert!(
            cloud.photos.photo(key).await.unwrap().is_none(),
            "refused uploads are deleted"
        );
    }

    let deeper = "enrollments/bernadette/sub/x.png";
    cloud
        .photos
        .put_photo(deeper, bytes.clone(), "image/png")
        .await
        .unwrap();
    let summary = function
        .invoke(s3_created_event(cloud.bucket(), deeper, bytes.len()))
        .await
        .expect("a key that can never be enrolled is skipped, not retried");
    assert_eq!(summary, json!({"accepted": 0, "rejected": 1}));

    let failure = function.invoke(json!({"Records": "not a list"})).await;
    assert!(
        failure.is_err(),
        "a malformed event is reported as a function error"
    );
}
