//! `/v1/requests`: leave and correction requests, filed by employees (or admins for them)
//! and decided by supervisors and admins.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::extract::{Caller, Json, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{App, AttachmentLink, NewRequest, SignedUpload};
use lintas_core::domain::AttendanceRequest;

/// `employee_id` of a listing: whose requests (default: the caller's).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestsQuery {
    #[serde(default)]
    employee_id: Option<String>,
}

/// The reason of a rejection.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rejection {
    reason: String,
}

/// The content type of a document to upload.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadBody {
    content_type: String,
}

/// The key an uploaded document was put under.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AttachBody {
    upload_key: String,
}

/// `POST /v1/requests`
pub(crate) async fn file(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Json(new): Json<NewRequest>,
) -> Result<(StatusCode, axum::Json<AttendanceRequest>), ApiError> {
    let request = app.file_request(&caller, new).await?;
    Ok((StatusCode::CREATED, axum::Json(request)))
}

/// `GET /v1/requests`
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Query(query): Query<RequestsQuery>,
) -> Result<axum::Json<Listing<AttendanceRequest>>, ApiError> {
    let items = match query.employee_id {
        Some(employee) => app.requests_of(&caller, &employee).await?,
        None => app.my_requests(&caller).await?,
    };
    Ok(axum::Json(Listing { items, next: None }))
}

/// `GET /v1/requests/waiting`
pub(crate) async fn waiting(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
) -> Result<axum::Json<Listing<AttendanceRequest>>, ApiError> {
    let items = app.waiting_requests(&caller).await?;
    Ok(axum::Json(Listing { items, next: None }))
}

/// `GET /v1/requests/{id}`
pub(crate) async fn get_one(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<AttendanceRequest>, ApiError> {
    Ok(axum::Json(app.attendance_request(&caller, &id).await?))
}

/// `POST /v1/requests/{id}/approve`
pub(crate) async fn approve(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<AttendanceRequest>, ApiError> {
    Ok(axum::Json(app.approve_request(&caller, &id).await?))
}

/// `POST /v1/requests/{id}/reject`
pub(crate) async fn reject(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Json(body): Json<Rejection>,
) -> Result<axum::Json<AttendanceRequest>, ApiError> {
    Ok(axum::Json(
        app.reject_request(&caller, &id, &body.reason).await?,
    ))
}

/// `POST /v1/requests/{id}/cancel`
pub(crate) async fn cancel(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<AttendanceRequest>, ApiError> {
    Ok(axum::Json(app.cancel_request(&caller, &id).await?))
}

/// `POST /v1/requests/{id}/attachment-upload`
pub(crate) async fn attachment_upload(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Json(body): Json<UploadBody>,
) -> Result<(StatusCode, axum::Json<SignedUpload>), ApiError> {
    let upload = app
        .attachment_upload(&caller, &id, &body.content_type)
        .await?;
    Ok((StatusCode::CREATED, axum::Json(upload)))
}

/// `PUT /v1/requests/{id}/attachment`
pub(crate) async fn attach(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    Json(body): Json<AttachBody>,
) -> Result<axum::Json<AttendanceRequest>, ApiError> {
    Ok(axum::Json(
        app.attach_document(&caller, &id, &body.upload_key).await?,
    ))
}

/// `GET /v1/requests/{id}/attachment`
pub(crate) async fn attachment(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<axum::Json<AttachmentLink>, ApiError> {
    Ok(axum::Json(app.attachment_link(&caller, &id).await?))
}
