//! `/v1/employees`, `/v1/offices` and `/v1/audit`: the admin's records.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::extract::{Admin, Json, Query};
use crate::api::handlers::Listing;
use crate::app::{App, AppError, EmployeeChanges, EmployeeView, NewEmployee, parse_id};
use crate::domain::{AuditEvent, Geofence, Office, WorkSchedule};
use crate::ports::PageRequest;

/// `limit` and `cursor` of a list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    cursor: Option<String>,
}

impl PageQuery {
    /// The page request.
    pub fn request(self) -> PageRequest {
        PageRequest {
            limit: self.limit.unwrap_or(0),
            cursor: self.cursor,
        }
    }
}

/// `POST /v1/employees`
pub async fn create(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Json(new): Json<NewEmployee>,
) -> Result<(StatusCode, axum::Json<EmployeeView>), AppError> {
    let employee = app.create_employee(&admin.id, new).await?;
    Ok((StatusCode::CREATED, axum::Json(employee)))
}

/// `GET /v1/employees`
pub async fn list(
    State(app): State<Arc<App>>,
    Admin(_): Admin,
    Query(page): Query<PageQuery>,
) -> Result<axum::Json<Listing<EmployeeView>>, AppError> {
    Ok(axum::Json(
        app.list_employees(&page.request()).await?.into(),
    ))
}

/// `GET /v1/employees/{id}`
pub async fn read(
    State(app): State<Arc<App>>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> Result<axum::Json<EmployeeView>, AppError> {
    Ok(axum::Json(app.employee(&id).await?))
}

/// `PATCH /v1/employees/{id}`
pub async fn update(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(changes): Json<EmployeeChanges>,
) -> Result<axum::Json<EmployeeView>, AppError> {
    Ok(axum::Json(
        app.update_employee(&admin.id, &id, changes).await?,
    ))
}

/// `DELETE /v1/employees/{id}`: answers once everything of the employee is erased.
pub async fn delete(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    app.delete_employee(&admin.id, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An office as sent by an admin (the id comes from the path).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeBody {
    name: String,
    time_zone: String,
    schedule: WorkSchedule,
    #[serde(default)]
    geofence: Option<Geofence>,
}

/// `PUT /v1/offices/{id}`
pub async fn put_office(
    State(app): State<Arc<App>>,
    Admin(admin): Admin,
    Path(id): Path<String>,
    Json(body): Json<OfficeBody>,
) -> Result<axum::Json<Office>, AppError> {
    let office = Office {
        id: parse_id(&id, "office id")?,
        name: body.name,
        time_zone: body.time_zone,
        schedule: body.schedule,
        geofence: body.geofence,
    };
    Ok(axum::Json(app.put_office(&admin.id, office).await?))
}

/// `GET /v1/offices/{id}`
pub async fn read_office(
    State(app): State<Arc<App>>,
    Admin(_): Admin,
    Path(id): Path<String>,
) -> Result<axum::Json<Office>, AppError> {
    Ok(axum::Json(app.office(&id).await?))
}

/// `GET /v1/audit`
pub async fn audit(
    State(app): State<Arc<App>>,
    Admin(_): Admin,
    Query(page): Query<PageQuery>,
) -> Result<axum::Json<Listing<AuditEvent>>, AppError> {
    Ok(axum::Json(app.audit_events(&page.request()).await?.into()))
}
