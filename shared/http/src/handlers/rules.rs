//! `/v1/calendars`, `/v1/shifts`, `/v1/employees/{id}/roster` and `/v1/attendance-rules`:
//! the rules the monthly recap is computed by (admins).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use serde::Deserialize;

use crate::extract::{Caller, CsvBody, Json, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{App, AppError, NewAssignment, parse_id};
use lintas_core::domain::{
    AttendanceRules, Holiday, HolidayKind, Shift, ShiftAssignment, SpecialPeriod, WorkSchedule,
};

/// `year` of a holiday listing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct YearQuery {
    year: i32,
}

/// `GET /v1/calendars/{calendar}/holidays?year=YYYY`
pub(crate) async fn holidays(
    State(app): State<Arc<App>>,
    Path(calendar): Path<String>,
    Query(query): Query<YearQuery>,
) -> Result<axum::Json<Listing<Holiday>>, ApiError> {
    Ok(axum::Json(listing(
        app.holidays(&calendar, query.year).await?,
    )))
}

/// A holiday as sent by an admin (calendar and date come from the path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HolidayBody {
    name: String,
    kind: HolidayKind,
}

/// `PUT /v1/calendars/{calendar}/holidays/{date}`
pub(crate) async fn put_holiday(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((calendar, date)): Path<(String, String)>,
    Json(body): Json<HolidayBody>,
) -> Result<axum::Json<Holiday>, ApiError> {
    let holiday = Holiday {
        calendar: parse_id(&calendar, "calendar")?,
        date: path_date(&date)?,
        name: body.name,
        kind: body.kind,
    };
    Ok(axum::Json(app.put_holiday(&admin.id, holiday).await?))
}

/// `DELETE /v1/calendars/{calendar}/holidays/{date}`
pub(crate) async fn delete_holiday(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((calendar, date)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    app.delete_holiday(&admin.id, &calendar, path_date(&date)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/calendars/{calendar}/holidays/import` with `date,name,kind` lines.
pub(crate) async fn import_holidays(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(calendar): Path<String>,
    CsvBody(csv): CsvBody,
) -> Result<axum::Json<Listing<Holiday>>, ApiError> {
    Ok(axum::Json(listing(
        app.import_holidays(&admin.id, &calendar, &csv).await?,
    )))
}

/// `GET /v1/calendars/{calendar}/special-periods`
pub(crate) async fn special_periods(
    State(app): State<Arc<App>>,
    Path(calendar): Path<String>,
) -> Result<axum::Json<Listing<SpecialPeriod>>, ApiError> {
    Ok(axum::Json(listing(app.special_periods(&calendar).await?)))
}

/// A special period as sent by an admin (calendar and id come from the path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PeriodBody {
    name: String,
    from: NaiveDate,
    to: NaiveDate,
    schedule: WorkSchedule,
}

/// `PUT /v1/calendars/{calendar}/special-periods/{id}`
pub(crate) async fn put_special_period(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((calendar, id)): Path<(String, String)>,
    Json(body): Json<PeriodBody>,
) -> Result<axum::Json<SpecialPeriod>, ApiError> {
    let period = SpecialPeriod {
        calendar: parse_id(&calendar, "calendar")?,
        id: parse_id(&id, "period id")?,
        name: body.name,
        from: body.from,
        to: body.to,
        schedule: body.schedule,
    };
    Ok(axum::Json(app.put_special_period(&admin.id, period).await?))
}

/// `DELETE /v1/calendars/{calendar}/special-periods/{id}`
pub(crate) async fn delete_special_period(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((calendar, id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    app.delete_special_period(&admin.id, &calendar, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/shifts`
pub(crate) async fn shifts(
    State(app): State<Arc<App>>,
) -> Result<axum::Json<Listing<Shift>>, ApiError> {
    Ok(axum::Json(listing(app.shifts().await?)))
}

/// A shift as sent by an admin (the id comes from the path); the windows default.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ShiftBody {
    name: String,
    start: NaiveTime,
    end: NaiveTime,
    #[serde(default)]
    grace_minutes: u32,
    #[serde(default)]
    earliest_check_in_minutes: Option<u32>,
    #[serde(default)]
    latest_check_out_minutes: Option<u32>,
}

/// `PUT /v1/shifts/{id}`
pub(crate) async fn put_shift(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
    Json(body): Json<ShiftBody>,
) -> Result<axum::Json<Shift>, ApiError> {
    let mut shift = Shift::new(parse_id(&id, "shift id")?, body.name, body.start, body.end);
    shift.grace_minutes = body.grace_minutes;
    if let Some(minutes) = body.earliest_check_in_minutes {
        shift.earliest_check_in_minutes = minutes;
    }
    if let Some(minutes) = body.latest_check_out_minutes {
        shift.latest_check_out_minutes = minutes;
    }
    Ok(axum::Json(app.put_shift(&admin.id, shift).await?))
}

/// `DELETE /v1/shifts/{id}`
pub(crate) async fn delete_shift(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.delete_shift(&admin.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/employees/{id}/roster`
pub(crate) async fn roster(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<axum::Json<Listing<ShiftAssignment>>, ApiError> {
    Ok(axum::Json(listing(app.roster(&id).await?)))
}

/// `POST /v1/employees/{id}/roster`
pub(crate) async fn assign(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
    Json(new): Json<NewAssignment>,
) -> Result<(StatusCode, axum::Json<ShiftAssignment>), ApiError> {
    let entry = app.assign_shift(&admin.id, &id, new).await?;
    Ok((StatusCode::CREATED, axum::Json(entry)))
}

/// `DELETE /v1/employees/{id}/roster/{entry_id}`
pub(crate) async fn unassign(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path((id, entry)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    app.delete_assignment(&admin.id, &id, &entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/attendance-rules`
pub(crate) async fn rules(
    State(app): State<Arc<App>>,
) -> Result<axum::Json<AttendanceRules>, ApiError> {
    Ok(axum::Json(app.attendance_rules().await?))
}

/// `PUT /v1/attendance-rules`: fields left out take their defaults; unknown ones (a typo
/// that would silently keep a default) are refused.
pub(crate) async fn put_rules(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Json(body): Json<serde_json::Map<String, serde_json::Value>>,
) -> Result<axum::Json<AttendanceRules>, ApiError> {
    let known = serde_json::to_value(AttendanceRules::default())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(unknown) = body.keys().find(|key| known.get(key.as_str()).is_none()) {
        return Err(ApiError(AppError::invalid(
            "invalid_json",
            format!("unknown field {unknown:?}"),
        )));
    }
    let rules: AttendanceRules = serde_json::from_value(serde_json::Value::Object(body))
        .map_err(|e| AppError::invalid("invalid_json", format!("the rules are not valid: {e}")))?;
    Ok(axum::Json(
        app.put_attendance_rules(&admin.id, rules).await?,
    ))
}

/// A whole list as one page.
fn listing<T>(items: Vec<T>) -> Listing<T> {
    Listing { items, next: None }
}

/// A `YYYY-MM-DD` path segment.
fn path_date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::invalid("invalid_calendar", "the date is not YYYY-MM-DD"))
}
