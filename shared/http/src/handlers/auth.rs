//! `/v1/auth/*`: login, refresh, logout.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::extract::{ClientAddress, Json};
use crate::problem::ApiError;
use lintas_core::app::{App, AppError, TokenPair};

/// A login request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBody {
    /// Employee id or e-mail.
    login: String,
    /// Password.
    password: String,
}

/// A request carrying a refresh token.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefreshBody {
    /// The refresh token.
    refresh_token: String,
}

/// `POST /v1/auth/login`
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ClientAddress(source): ClientAddress,
    Json(body): Json<LoginBody>,
) -> Result<axum::Json<TokenPair>, ApiError> {
    if body.login.len() > 254 || body.password.len() > 1024 {
        return Err(ApiError(AppError::invalid_credentials()));
    }
    let pair = app
        .login(&body.login, &body.password, source.as_deref())
        .await?;
    Ok(axum::Json(pair))
}

/// `POST /v1/auth/refresh`
pub(crate) async fn refresh(
    State(app): State<Arc<App>>,
    Json(body): Json<RefreshBody>,
) -> Result<axum::Json<TokenPair>, ApiError> {
    Ok(axum::Json(app.refresh(&body.refresh_token).await?))
}

/// `POST /v1/auth/logout`
pub(crate) async fn logout(
    State(app): State<Arc<App>>,
    Json(body): Json<RefreshBody>,
) -> Result<StatusCode, ApiError> {
    app.logout(&body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}
