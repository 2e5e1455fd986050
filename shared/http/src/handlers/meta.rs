//! `/v1/health` and `/v1/openapi.json`.

use std::sync::Arc;

use axum::extract::State;
use serde::Serialize;

use crate::openapi;
use crate::problem::ApiError;
use lintas_core::app::App;

/// The health answer.
#[derive(Serialize)]
pub(crate) struct Health {
    /// `ok`.
    status: &'static str,
    /// Service version.
    version: &'static str,
}

/// `GET /v1/health`: ok when the store answers.
pub(crate) async fn health(State(app): State<Arc<App>>) -> Result<axum::Json<Health>, ApiError> {
    app.store().gallery_version().await?;
    Ok(axum::Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
    }))
}

/// `GET /v1/openapi.json`
pub(crate) async fn openapi() -> axum::Json<serde_json::Value> {
    axum::Json(openapi::document())
}
