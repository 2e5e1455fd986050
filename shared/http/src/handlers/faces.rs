//! `/v1/employees/{id}/faces`, `/v1/employees/{id}/enrollment-uploads` and
//! `/v1/enrollments`: enrollment by the admin.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::extract::{Caller, Json, PhotoForm, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{App, AppError, EnrollmentOutcome, EnrollmentUpload, TemplateView};
use lintas_core::domain::{EnrollmentJob, EnrollmentStatus};

/// The per-photo answer of an enrollment request.
#[derive(Serialize)]
pub(crate) struct EnrollmentResults {
    /// One outcome per photo, in the order sent.
    results: Vec<EnrollmentOutcome>,
}

/// `POST /v1/employees/{id}/faces`
pub(crate) async fn enroll(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
    form: PhotoForm,
) -> Result<axum::Json<EnrollmentResults>, ApiError> {
    let results = app.enroll_photos(&admin.id, &id, form.photos).await?;
    Ok(axum::Json(EnrollmentResults { results }))
}

/// `GET /v1/employees/{id}/faces`
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<axum::Json<Listing<TemplateView>>, ApiError> {
    let items = app.templates(&id).await?;
    Ok(axum::Json(Listing { items, next: None }))
}

/// `DELETE /v1/employees/{id}/faces/{template_id}`
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((id, template)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    app.delete_template(&admin.id, &id, &template).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The body of an upload-URL request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UploadBody {
    /// `image/jpeg`, `image/png` or `image/webp`.
    content_type: String,
}

/// `POST /v1/employees/{id}/enrollment-uploads`
pub(crate) async fn upload_url(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Json(body): Json<UploadBody>,
) -> Result<(StatusCode, axum::Json<EnrollmentUpload>), ApiError> {
    let upload = app.enrollment_upload(&id, &body.content_type).await?;
    Ok((StatusCode::CREATED, axum::Json(upload)))
}

/// Filter of the enrollment list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EnrollmentQuery {
    /// `pending`, `accepted`, `rejected` (or `failed`, the same as rejected).
    status: String,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    cursor: Option<String>,
}

/// `GET /v1/enrollments?status=`
pub(crate) async fn enrollments(
    State(app): State<Arc<App>>,
    Query(query): Query<EnrollmentQuery>,
) -> Result<axum::Json<Listing<EnrollmentJob>>, ApiError> {
    let status = match query.status.as_str() {
        "pending" => EnrollmentStatus::Pending,
        "accepted" => EnrollmentStatus::Accepted,
        "rejected" | "failed" => EnrollmentStatus::Rejected,
        other => {
            return Err(ApiError(AppError::invalid(
                "invalid_query",
                format!("unknown status {other:?}; use pending, accepted or failed"),
            )));
        }
    };
    let page = lintas_core::ports::PageRequest {
        limit: query.limit.unwrap_or(0),
        cursor: query.cursor,
    };
    Ok(axum::Json(app.enrollments(status, &page).await?.into()))
}
