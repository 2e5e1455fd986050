//! `/v1/predict`, `/v1/predict/confirm`, `/v1/challenges`, `/v1/attendance` and
//! `/v1/reports/attendance`: punching and reading it.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::extract::{Caller, PhotoForm, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{
    App, AppError, AttendanceQuery, AttendanceView, ChallengeView, KioskOutcome, Punch, PunchInput,
};
use lintas_core::ports::PageRequest;

/// `POST /v1/predict`: a kiosk punch; 200 with the punch, or 202 with a candidate the
/// person confirms.
pub(crate) async fn predict(
    State(app): State<Arc<App>>,
    Caller(kiosk): Caller,
    headers: HeaderMap,
    mut form: PhotoForm,
) -> Result<Response, ApiError> {
    let claim = form.take("claim");
    let mut input = punch_input(&headers, form)?;
    input.claim = claim;
    Ok(match app.kiosk_punch(&kiosk, input).await? {
        KioskOutcome::Recorded(punch) => axum::Json(punch).into_response(),
        KioskOutcome::Confirm(confirmation) => {
            (StatusCode::ACCEPTED, axum::Json(confirmation)).into_response()
        }
    })
}

/// `POST /v1/predict/confirm`: the person confirmed the kiosk's candidate.
pub(crate) async fn confirm(
    State(app): State<Arc<App>>,
    Caller(kiosk): Caller,
    headers: HeaderMap,
    mut form: PhotoForm,
) -> Result<axum::Json<Punch>, ApiError> {
    let confirmation = form.take("confirmation").ok_or_else(|| {
        AppError::invalid(
            "invalid_confirmation",
            "send the confirmation the kiosk received",
        )
    })?;
    let input = punch_input(&headers, form)?;
    Ok(axum::Json(
        app.confirm_kiosk_punch(&kiosk, &confirmation, input)
            .await?,
    ))
}

/// `POST /v1/attendance`: employee mode, 1:1 against the caller's own face.
pub(crate) async fn punch(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    headers: HeaderMap,
    form: PhotoForm,
) -> Result<axum::Json<Punch>, ApiError> {
    let input = punch_input(&headers, form)?;
    Ok(axum::Json(app.verify_and_punch(&caller, input).await?))
}

/// `POST /v1/challenges`: a liveness challenge for the caller's next punch.
pub(crate) async fn challenge(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
) -> Result<(StatusCode, axum::Json<ChallengeView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        axum::Json(app.issue_challenge(&caller).await?),
    ))
}

/// The photos (one, or one per pose of the challenge named by `challenge_id`), plus the
/// `Idempotency-Key` header.
fn punch_input(headers: &HeaderMap, mut form: PhotoForm) -> Result<PunchInput, AppError> {
    let challenge_id = form.take("challenge_id");
    form.no_other_fields()?;
    let photos = form
        .photos
        .into_iter()
        .collect::<Result<Vec<_>, AppError>>()?;
    if photos.is_empty() || photos.len() > MAX_FRAMES {
        return Err(AppError::invalid(
            "invalid_photo_count",
            format!("send one photo, or one per pose of a challenge (at most {MAX_FRAMES})"),
        ));
    }
    let idempotency_key = headers
        .get("idempotency-key")
        .map(|v| {
            v.to_str().map(str::to_owned).map_err(|_| {
                AppError::invalid(
                    "invalid_idempotency_key",
                    "the idempotency key is not ASCII",
                )
            })
        })
        .transpose()?;
    Ok(PunchInput {
        photos,
        challenge_id,
        claim: None,
        device: form.device,
        location: form.location,
        idempotency_key,
    })
}

/// Most photos one punch may send (the frames of a challenge).
const MAX_FRAMES: usize = 4;

/// Filters of the attendance list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    #[serde(default)]
    employee_id: Option<String>,
    #[serde(default)]
    from: Option<NaiveDate>,
    #[serde(default)]
    to: Option<NaiveDate>,
    #[serde(default)]
    day: Option<NaiveDate>,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    cursor: Option<String>,
}

/// `GET /v1/attendance`
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Query(query): Query<ListQuery>,
) -> Result<axum::Json<Listing<AttendanceView>>, ApiError> {
    let query = AttendanceQuery {
        employee_id: query.employee_id,
        from: query.from,
        to: query.to,
        day: query.day,
        page: PageRequest {
            limit: query.limit.unwrap_or(0),
            cursor: query.cursor,
        },
    };
    Ok(axum::Json(app.attendance(&caller, query).await?.into()))
}

/// The report's month, format and optional employee.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportQuery {
    month: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    employee_id: Option<String>,
}

/// `GET /v1/reports/attendance?month=YYYY-MM&format=csv|json`
pub(crate) async fn report(
    State(app): State<Arc<App>>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ApiError> {
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError(AppError::invalid(
                "invalid_query",
                format!("unknown format {other:?}; use csv or json"),
            )));
        }
    };
    let report = app
        .monthly_report(&query.month, query.employee_id.as_deref())
        .await?;
    if !csv {
        return Ok(axum::Json(report).into_response());
    }
    let disposition = format!("attachment; filename=\"attendance-{}.csv\"", report.month);
    let mut response = report.to_csv().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
