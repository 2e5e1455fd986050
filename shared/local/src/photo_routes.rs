//! The local server's stand-in for S3 pre-signed URLs: `PUT` and `GET` on
//! `/local-photos/{key}` with the signature the folder photo store issued. An upload under
//! `enrollments/` is enrolled right after it lands, as the S3 trigger does in the cloud; a
//! request's document under `attachment-uploads/` waits to be attached.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::FolderPhotoStore;
use lintas_core::app::{App, AppError, Photo};
use lintas_core::domain::{DocumentKind, EnrollmentStatus};
use lintas_core::ports::{PhotoStore, photo_keys};
use lintas_http::extract::{Query, read_body};
use lintas_http::problem::ApiError;

/// The state of the local photo routes.
#[derive(Clone)]
struct LocalPhotos {
    app: Arc<App>,
    folder: Arc<FolderPhotoStore>,
}

/// The signature query of a pre-signed URL.
#[derive(Deserialize)]
struct Signed {
    expires: i64,
    signature: String,
}

/// The routes that serve pre-signed URLs of `folder`, which must be the app's photo store.
pub(crate) fn router(app: Arc<App>, folder: Arc<FolderPhotoStore>) -> Router {
    Router::new()
        .route("/local-photos/{*key}", get(download).put(upload))
        .with_state(LocalPhotos { app, folder })
}

fn check_signature(
    folder: &FolderPhotoStore,
    method: &str,
    key: &str,
    signed: &Signed,
) -> Result<(), AppError> {
    if folder.verify(method, key, signed.expires, &signed.signature) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "invalid_signature",
            "the URL signature is invalid or expired",
        ))
    }
}

async fn upload(
    State(state): State<LocalPhotos>,
    Path(key): Path<String>,
    Query(signed): Query<Signed>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    // The signature is checked before a byte of the body is read, so an unsigned upload
    // costs nothing.
    check_signature(&state.folder, "PUT", &key, &signed)?;
    // An upload URL is used once: a second write to a key whose enrollment is finished
    // would replace the photo of a template with another face.
    if key.starts_with(photo_keys::ENROLLMENT_UPLOADS)
        && let Some(job) = state.app.store().enrollment(&key).await?
        && job.status != EnrollmentStatus::Pending
    {
        return Err(ApiError(AppError::conflict(
            "upload_used",
            "this upload URL was already used; ask for a new one",
        )));
    }
    let max = state.app.config().uploads.max_photo_bytes;
    let body = read_body(body, max).await?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let bytes = match photo_keys::parse_attachment_upload(&key) {
        // A document is checked by its bytes when it is attached, as the one uploaded to
        // S3 is; here, as there, only the signed content type must match.
        Some((.., signed)) if signed.content_type() == declared => body.to_vec(),
        Some(_) => return Err(ApiError(not_signed(declared))),
        None => {
            let photo = Photo::new(body.to_vec(), max)?;
            if declared != photo.content_type()? {
                return Err(ApiError(not_signed(declared)));
            }
            photo.bytes().to_vec()
        }
    };
    state.folder.put_photo(&key, bytes, declared).await?;
    if key.starts_with(photo_keys::ENROLLMENT_UPLOADS) {
        let app = Arc::clone(&state.app);
        tokio::spawn(async move { deliver_upload(&app, &key).await });
    }
    Ok(StatusCode::OK)
}

fn not_signed(declared: &str) -> AppError {
    AppError::UnsupportedMedia(format!(
        "the body is not of the signed content type {declared:?}"
    ))
}

/// Delivery attempts of one upload, as Lambda makes for an S3 event (one and two retries).
const UPLOAD_DELIVERIES: u32 = 3;

/// Hands an upload to the app with the redelivery policy of the S3 trigger: a failure the
/// app returns is retried with backoff; a key that can never be enrolled is dropped by the
/// app itself.
async fn deliver_upload(app: &App, key: &str) {
    let mut wait = std::time::Duration::from_secs(1);
    for attempt in 1..=UPLOAD_DELIVERIES {
        match app.handle_upload(key).await {
            Ok(_) => return,
            Err(error) if attempt < UPLOAD_DELIVERIES => {
                tracing::warn!(key, attempt, %error, "enrollment upload failed; delivering again");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            Err(error) => tracing::error!(key, %error, "enrollment upload failed; giving up"),
        }
    }
}

async fn download(
    State(state): State<LocalPhotos>,
    Path(key): Path<String>,
    Query(signed): Query<Signed>,
) -> Result<Response, ApiError> {
    check_signature(&state.folder, "GET", &key, &signed)?;
    let bytes = state
        .folder
        .photo(&key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("photo {key}")))?;
    let content_type = if photo_keys::holds_documents(&key) {
        DocumentKind::of_bytes(&bytes)
            .ok_or_else(|| AppError::UnsupportedMedia(format!("{key} is not a document")))?
            .content_type()
    } else {
        Photo::new(bytes.clone(), usize::MAX)?.content_type()?
    };
    let mut response = bytes.into_response();
    let content_type = HeaderValue::from_static(content_type);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, content_type);
    Ok(response)
}
