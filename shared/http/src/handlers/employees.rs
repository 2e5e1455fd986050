//! `/v1/employees`, `/v1/offices` and `/v1/audit`: the admin's records.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::extract::{Caller, Json, Query};
use crate::handlers::Listing;
use crate::problem::ApiError;
use lintas_core::app::{
    App, EmployeeChanges, EmployeeView, NewEmployee, check_changes, check_new_employee, may_manage,
    parse_id,
};
use lintas_core::domain::{AuditEvent, ChallengePolicy, Geofence, Office, WorkSchedule};
use lintas_core::ports::PageRequest;

/// `limit` and `cursor` of a list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageQuery {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    cursor: Option<String>,
}

impl PageQuery {
    /// The page request.
    pub(crate) fn request(self) -> PageRequest {
        PageRequest {
            limit: self.limit.unwrap_or(0),
            cursor: self.cursor,
        }
    }
}

/// `POST /v1/employees`
pub(crate) async fn create(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Json(new): Json<NewEmployee>,
) -> Result<(StatusCode, axum::Json<EmployeeView>), ApiError> {
    check_new_employee(&admin, &new)?;
    let employee = app.create_employee(&admin.id, new).await?;
    Ok((StatusCode::CREATED, axum::Json(employee)))
}

/// `GET /v1/employees`
/// (An office-scoped admin's pages hold only the employees they manage, so a page may be
/// shorter than `limit` before the last.)
pub(crate) async fn list(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Query(page): Query<PageQuery>,
) -> Result<axum::Json<Listing<EmployeeView>>, ApiError> {
    let mut page = app.list_employees(&page.request()).await?;
    page.items
        .retain(|e| may_manage(&admin, &e.id, &e.office_id, e.role));
    Ok(axum::Json(page.into()))
}

/// `GET /v1/employees/{id}`
pub(crate) async fn read(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<axum::Json<EmployeeView>, ApiError> {
    Ok(axum::Json(app.employee(&id).await?))
}

/// `PATCH /v1/employees/{id}`
pub(crate) async fn update(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
    Json(changes): Json<EmployeeChanges>,
) -> Result<axum::Json<EmployeeView>, ApiError> {
    check_changes(&admin, &changes)?;
    Ok(axum::Json(
        app.update_employee(&admin.id, &id, changes).await?,
    ))
}

/// `DELETE /v1/employees/{id}`: answers once everything of the employee is erased.
pub(crate) async fn delete(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.delete_employee(&admin.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /v1/employees/{id}/sessions`: signs the account out everywhere.
pub(crate) async fn end_sessions(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.end_every_session(&admin, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An office as sent by an admin (the id comes from the path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OfficeBody {
    name: String,
    time_zone: String,
    schedule: WorkSchedule,
    /// The office's own calendar, followed on top of the default one.
    #[serde(default)]
    calendar: Option<String>,
    #[serde(default)]
    geofence: Option<Geofence>,
    /// Which punches must answer a liveness challenge (default: phone punches).
    #[serde(default)]
    challenge: ChallengePolicy,
}

/// `PUT /v1/offices/{id}`
pub(crate) async fn put_office(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    Path(id): Path<String>,
    Json(body): Json<OfficeBody>,
) -> Result<axum::Json<Office>, ApiError> {
    let office = Office {
        id: parse_id(&id, "office id")?,
        name: body.name,
        time_zone: body.time_zone,
        schedule: body.schedule,
        calendar: body
            .calendar
            .map(|calendar| parse_id(&calendar, "calendar"))
            .transpose()?,
        geofence: body.geofence,
        challenge: body.challenge,
    };
    Ok(axum::Json(app.put_office(&admin.id, office).await?))
}

/// `GET /v1/offices/{id}`
pub(crate) async fn read_office(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<axum::Json<Office>, ApiError> {
    Ok(axum::Json(app.office(&id).await?))
}

/// `GET /v1/audit`
pub(crate) async fn audit(
    State(app): State<Arc<App>>,
    Query(page): Query<PageQuery>,
) -> Result<axum::Json<Listing<AuditEvent>>, ApiError> {
    Ok(axum::Json(app.audit_events(&page.request()).await?.into()))
}
