//! The S3 photo store against a real S3 server that checks SigV4 signatures
//! (run through `scripts/test-servers.sh run`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use lintas_aws::s3::S3PhotoStore;
use lintas_core::ports::{PhotoStore, PresignedRequest, conformance};

/// A store on a fresh bucket of the local S3 server.
async fn store(name: &str) -> S3PhotoStore {
    let endpoint = std::env::var("AWS_ENDPOINT_URL_S3").unwrap_or_else(|_| {
        panic!(
            "AWS_ENDPOINT_URL_S3 is not set: run the tests through `scripts/test-servers.sh run`"
        )
    });
    let shared = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let config = aws_sdk_s3::config::Builder::from(&shared)
        .endpoint_url(endpoint)
        .force_path_style(true)
        .build();
    let bucket = format!("lintas-{name}-{}", std::process::id());
    let store = S3PhotoStore::new(aws_sdk_s3::Client::from_conf(config), bucket, 1024 * 1024);
    store
        .create_bucket()
        .await
        .unwrap_or_else(|e| panic!("creating the bucket: {e}"));
    store
}

/// Sends `request` with `body` over plain HTTP and returns the status code.
fn send(request: &PresignedRequest, body: &[u8]) -> u16 {
    let rest = request
        .url
        .strip_prefix("http://")
        .expect("the local server speaks plain HTTP");
    let (host, path) = rest
        .split_once('/')
        .map(|(h, p)| (h, format!("/{p}")))
        .unwrap_or((rest, "/".into()));
    let mut stream = TcpStream::connect(host).expect("connecting to the S3 server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut head = format!(
        "{} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        request.method,
        body.len()
    );
    for (name, value) in &request.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("an HTTP status line")
}

#[tokio::test]
async fn the_s3_store_passes_the_photo_conformance_suite() {
    conformance::check_photos(&store("conformance").await).await;
}

#[tokio::test]
async fn the_s3_store_passes_the_gallery_snapshot_conformance_suite() {
    conformance::check_gallery_snapshots(&store("snapshots").await).await;
}

#[tokio::test]
async fn a_presigned_put_uploads_and_a_presigned_get_downloads() {
    let photos = store("presign").await;
    let key = "enrollments/ann/u1.jpg";
    let put = photos
        .presign_put(key, "image/jpeg", Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(send(&put, b"\xFF\xD8 uploaded"), 200);
    assert_eq!(
        photos.photo(key).await.unwrap(),
        Some(b"\xFF\xD8 uploaded".to_vec())
    );
    let get = photos
        .presign_get(key, Duration::from_secs(120))
        .await
        .unwrap();
    assert_eq!(send(&get, b""), 200);

    let mut tampered = put.clone();
    tampered.url = tampered.url.replace("u1.jpg", "u2.jpg");
    assert_eq!(
        send(&tampered, b"x"),
        403,
        "a URL signed for one key does not upload another"
    );
}

#[tokio::test]
async fn an_expired_presigned_url_is_refused() {
    let photos = store("expiry").await;
    let put = photos
        .presign_put(
            "enrollments/ann/late.jpg",
            "image/jpeg",
            Duration::from_secs(1),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(send(&put, b"too late"), 403);
    assert_eq!(
        photos.photo("enrollments/ann/late.jpg").await.unwrap(),
        None
    );
}
