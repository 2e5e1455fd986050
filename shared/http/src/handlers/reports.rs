//! `/v1/reports/attendance` and `/v1/reports/board`: the monthly recap (JSON, CSV or
//! XLSX) and the daily board of an office.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::extract::{Caller, Query};
use crate::problem::ApiError;
use crate::xlsx::recap_workbook;
use lintas_core::app::{App, AppError, DailyBoard};

/// The recap's month, format, table (for CSV) and optional employee.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecapQuery {
    month: String,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    table: Option<String>,
    #[serde(default)]
    employee_id: Option<String>,
}

/// How the recap is sent.
enum Format {
    Json,
    /// CSV of the recap (one row per employee) or of the days (one row per day).
    Csv {
        days: bool,
    },
    Xlsx,
}

impl RecapQuery {
    fn format(&self) -> Result<Format, AppError> {
        let days = match self.table.as_deref() {
            None | Some("recap") => false,
            Some("days") => true,
            Some(other) => {
                return Err(AppError::invalid(
                    "invalid_query",
                    format!("unknown table {other:?}; use recap or days"),
                ));
            }
        };
        match self.format.as_deref() {
            None | Some("json") => Ok(Format::Json),
            Some("csv") => Ok(Format::Csv { days }),
            Some("xlsx") => Ok(Format::Xlsx),
            Some(other) => Err(AppError::invalid(
                "invalid_query",
                format!("unknown format {other:?}; use json, csv or xlsx"),
            )),
        }
    }
}

/// `GET /v1/reports/attendance?month=YYYY-MM&format=json|csv|xlsx&table=recap|days`
pub(crate) async fn recap(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Query(query): Query<RecapQuery>,
) -> Result<Response, ApiError> {
    let format = query.format()?;
    let recap = app
        .monthly_recap(&caller, &query.month, query.employee_id.as_deref())
        .await?;
    Ok(match format {
        Format::Json => axum::Json(recap).into_response(),
        Format::Csv { days } => {
            let (csv, name) = if days {
                (recap.daily_csv(), "days")
            } else {
                (recap.recap_csv(), "recap")
            };
            attachment(
                csv.into_response(),
                "text/csv; charset=utf-8",
                &format!("attendance-{name}-{}.csv", recap.month),
            )
        }
        Format::Xlsx => attachment(
            recap_workbook(&recap)?.into_response(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("attendance-{}.xlsx", recap.month),
        ),
    })
}

/// The optional `office_id` (default: the caller's own) and `day` of the board.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BoardQuery {
    #[serde(default)]
    office_id: Option<String>,
    #[serde(default)]
    day: Option<NaiveDate>,
}

/// `GET /v1/reports/board?office_id=…&day=YYYY-MM-DD`
pub(crate) async fn board(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
    Query(query): Query<BoardQuery>,
) -> Result<axum::Json<DailyBoard>, ApiError> {
    Ok(axum::Json(
        app.daily_board(&caller, query.office_id.as_deref(), query.day)
            .await?,
    ))
}

/// `response` as a download named `file` of `content_type`.
fn attachment(mut response: Response, content_type: &'static str, file: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
