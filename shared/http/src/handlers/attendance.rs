//! `/v1/predict`, `/v1/predict/confirm`, `/v1/challenges` and `/v1/attendance`: punching
//! and reading punches.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
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
