//! Storage faults: a server that is down or never answers gives a typed, retryable error
//! after bounded retries, never a panic or a hang.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use lintas_aws::dynamodb::DynamoStore;
use lintas_aws::s3::S3PhotoStore;
use lintas_core::ports::conformance::{employee, template};
use lintas_core::ports::{EmployeeStore, PhotoStore, StoreError, TemplateStore};

/// An address where nothing listens.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let address = listener.local_addr().expect("the bound address");
    drop(listener);
    format!("http://{address}")
}

/// An address that accepts connections and never answers.
fn black_hole() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let address = listener.local_addr().expect("the bound address");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for connection in listener.incoming().flatten() {
            held.push(connection);
        }
    });
    format!("http://{address}")
}

/// SDK settings with short timeouts and two attempts, as the functions use on AWS.
async fn config(endpoint: &str) -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(300))
                .operation_attempt_timeout(Duration::from_millis(500))
                .operation_timeout(Duration::from_secs(2))
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .load()
        .await
}

fn assert_retryable<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    match result {
        Err(error) => assert!(error.is_retryable(), "{what}: {error} is not retryable"),
        Ok(value) => panic!("{what}: succeeded with {value:?} against a dead server"),
    }
}

#[tokio::test]
async fn dynamodb_down_or_silent_is_retryable() {
    for endpoint in [closed_port(), black_hole()] {
        let client = aws_sdk_dynamodb::Client::new(&config(&endpoint).await);
        let store = DynamoStore::new(client, "lintas-faults");
        let started = Instant::now();
        assert_retryable(
            store.create_employee(&employee("ann", None)).await,
            "create employee",
        );
        assert_retryable(
            store.add_template(&template("t1", "ann", 1)).await,
            "add template",
        );
        assert_retryable(store.gallery_version().await, "gallery version");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "gave up in bounded time"
        );
    }
}

#[tokio::test]
async fn s3_down_or_silent_is_retryable() {
    for endpoint in [closed_port(), black_hole()] {
        let shared = config(&endpoint).await;
        let s3 = aws_sdk_s3::config::Builder::from(&shared)
            .force_path_style(true)
            .build();
        let photos = S3PhotoStore::new(aws_sdk_s3::Client::from_conf(s3), "lintas-faults", 1024);
        let started = Instant::now();
        assert_retryable(
            photos
                .put_photo("enrolled/a/t.jpg", vec![1], "image/jpeg")
                .await,
            "put photo",
        );
        assert_retryable(photos.photo("enrolled/a/t.jpg").await, "get photo");
        assert_retryable(photos.list_photos("enrolled/").await, "list photos");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "gave up in bounded time"
        );
    }
}

#[tokio::test]
async fn a_failed_write_leaves_nothing_behind() {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_DYNAMODB").unwrap_or_else(|_| {
        panic!("run through `scripts/test-servers.sh run`: AWS_ENDPOINT_URL_DYNAMODB is not set")
    });
    let live = DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&config(&endpoint).await),
        format!("lintas-faults-{}", std::process::id()),
    );
    live.create_table().await.expect("creating the table");
    live.create_employee(&employee("ann", Some("ann@example.go.id")))
        .await
        .expect("first write");
    let before = live.gallery_version().await.expect("version");
    // The same template twice: the second transaction fails as a whole, so neither the
    // template nor the version counter changes.
    live.add_template(&template("t1", "ann", 1))
        .await
        .expect("add");
    let after_add = live.gallery_version().await.expect("version");
    assert!(matches!(
        live.add_template(&template("t1", "ann", 2)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(live.gallery_version().await.expect("version"), after_add);
    assert_ne!(before, after_add);
    let templates = live
        .templates_of(&template("t1", "ann", 1).employee_id)
        .await
        .expect("read");
    assert_eq!(
        templates,
        vec![template("t1", "ann", 1)],
        "the first template is intact"
    );
}
