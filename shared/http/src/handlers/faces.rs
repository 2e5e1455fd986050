//! `/v1/employees/{id}/faces`, `/v1/employees/{id}/enrollment-uploads`,
//! `/v1/enrollments`, `/v1/enrollments/resolve`, `/v1/refusals` and `/v1/face-metrics`:
//! enrollment, duplicate review and the face checks as admins see them.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::extract::{Caller, Json, PhotoForm, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{
    App, AppError, EnrollmentOptions, EnrollmentOutcome, RefusalView, SignedUpload, TemplateView,
};
use lintas_core::domain::{DuplicateDecision, EnrollmentJob, EnrollmentStatus};
use lintas_core::ports::PageRequest;
use lintas_face::decision::OperatingPoints;

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
    mut form: PhotoForm,
) -> Result<axum::Json<EnrollmentResults>, ApiError> {
    let accept_printed = form.take_flag("accept_printed")?.unwrap_or(false);
    let look_alike_of = form
        .take("look_alike_of")
        .map(|list| {
            list.split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(|id| lintas_core::app::parse_id(id, "look_alike_of"))
                .collect::<Result<Vec<_>, AppError>>()
        })
        .transpose()?
        .unwrap_or_default();
    form.no_other_fields()?;
    if form.device.is_some() || form.location.is_some() {
        return Err(ApiError(AppError::invalid(
            "unknown_field",
            "enrollment takes no device or location",
        )));
    }
    let options = EnrollmentOptions {
        accept_printed,
        look_alike_of,
    };
    let results = app
        .enroll_photos(&admin.id, &id, form.photos, options)
        .await?;
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
) -> Result<(StatusCode, axum::Json<SignedUpload>), ApiError> {
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
    Caller(admin): Caller,
    Query(query): Query<EnrollmentQuery>,
) -> Result<axum::Json<Listing<EnrollmentJob>>, ApiError> {
    let status = match query.status.as_str() {
        "pending" => EnrollmentStatus::Pending,
        "accepted" => EnrollmentStatus::Accepted,
        "rejected" | "failed" => EnrollmentStatus::Rejected,
        "flagged" => EnrollmentStatus::Flagged,
        other => {
            return Err(ApiError(AppError::invalid(
                "invalid_query",
                format!("unknown status {other:?}; use pending, accepted, failed or flagged"),
            )));
        }
    };
    let page = lintas_core::ports::PageRequest {
        limit: query.limit.unwrap_or(0),
        cursor: query.cursor,
    };
    let mut jobs = app.enrollments(status, &page).await?;
    if let Some(reach) = app.employees_in_reach(&admin).await? {
        jobs.items.retain(|job| reach.contains(&job.employee_id));
    }
    Ok(axum::Json(jobs.into()))
}

/// An admin's decision about a flagged enrollment.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResolveBody {
    /// The flagged enrollment job (its `photo_key`, the outcome's `review_key`).
    review_key: String,
    /// `same_person` or `different_people`.
    decision: DuplicateDecision,
}

/// `POST /v1/enrollments/resolve`
pub(crate) async fn resolve(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Json(body): Json<ResolveBody>,
) -> Result<axum::Json<EnrollmentJob>, ApiError> {
    app.check_enrollment_in_reach(&admin, &body.review_key)
        .await?;
    Ok(axum::Json(
        app.resolve_duplicate(&admin.id, &body.review_key, body.decision)
            .await?,
    ))
}

/// Filter of the refusal list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefusalQuery {
    #[serde(default)]
    employee_id: Option<String>,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    cursor: Option<String>,
}

/// `GET /v1/refusals`
pub(crate) async fn refusals(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Query(query): Query<RefusalQuery>,
) -> Result<axum::Json<Listing<RefusalView>>, ApiError> {
    let page = PageRequest {
        limit: query.limit.unwrap_or(0),
        cursor: query.cursor,
    };
    if let Some(employee) = &query.employee_id {
        app.check_employee_in_reach(&admin, employee).await?;
    }
    let mut refusals = app.refusals(query.employee_id.as_deref(), &page).await?;
    if let Some(reach) = app.employees_in_reach(&admin).await? {
        // Faces that matched nobody belong to no office: admins of every office review them.
        refusals.items.retain(|r| {
            r.refusal
                .employee_id
                .as_ref()
                .is_some_and(|id| reach.contains(id))
        });
    }
    Ok(axum::Json(refusals.into()))
}

/// The face decisions in force and the rates to expect at the gallery's size.
#[derive(Serialize)]
pub(crate) struct FaceMetrics {
    /// `auto`, `plain`, `confirm` or `claimed`.
    kiosk_mode: &'static str,
    /// Whether punches and enrollment photos are checked for liveness.
    liveness: bool,
    /// Thresholds and expected rates at the current gallery size.
    operating_points: OperatingPoints,
}

/// `GET /v1/face-metrics`
pub(crate) async fn metrics(
    State(app): State<Arc<App>>,
) -> Result<axum::Json<FaceMetrics>, ApiError> {
    let (operating_points, mode) = app.operating_points().await?;
    Ok(axum::Json(FaceMetrics {
        kiosk_mode: mode.as_str(),
        liveness: app.config().faces.liveness,
        operating_points,
    }))
}
