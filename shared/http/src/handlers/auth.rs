//! `/v1/auth/*`: login, refresh, logout.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::extract::{Caller, ClientAddress, Json};
use crate::problem::ApiError;
use lintas_core::app::{App, AppError, EmployeeView, TokenPair};
use lintas_core::domain::{Id, Role};

/// A login request.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginBody {
    /// Employee id or e-mail.
    login: String,
    /// Password.
    password: String,
}

/// A request carrying a refresh token: in the body, or in cookie mode in the session
/// cookie.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefreshBody {
    /// The refresh token.
    #[serde(default)]
    refresh_token: Option<String>,
}

/// The header by which a browser page asks for cookie mode: the refresh token travels in an
/// `HttpOnly` cookie instead of the body, so the page's scripts never see it. Only requests
/// that carry this header read the cookie, and no other site can send it (a custom header
/// needs a CORS preflight, which same-origin pages alone pass), so the cookie cannot be
/// used across sites.
const SESSION_HEADER: &str = "x-lintas-session";
/// The session cookie holding the refresh token.
const REFRESH_COOKIE: &str = "lintas_refresh";

/// Whether the request asks for cookie mode.
fn cookie_mode(headers: &HeaderMap) -> bool {
    headers
        .get(SESSION_HEADER)
        .is_some_and(|value| value.as_bytes() == b"cookie")
}

/// The refresh token of the session cookie.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == REFRESH_COOKIE)
        .map(|(_, token)| token.to_owned())
}

/// The refresh token a request presents: the body's, or in cookie mode the cookie's.
fn presented_token(headers: &HeaderMap, body: RefreshBody) -> Result<String, ApiError> {
    let token = match body.refresh_token {
        Some(token) => Some(token),
        None if cookie_mode(headers) => cookie_token(headers),
        None => {
            return Err(ApiError(AppError::invalid(
                "invalid_json",
                "the JSON body needs `refresh_token`",
            )));
        }
    };
    token.ok_or_else(|| {
        ApiError(AppError::unauthenticated(
            "invalid_refresh_token",
            "no session cookie; sign in",
        ))
    })
}

/// The session cookie carrying `token` for `seconds` (none, to clear it). Without a `Path`
/// the browser scopes it to the folder of the auth routes, wherever the API is mounted.
fn session_cookie(token: &str, seconds: u64) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&format!(
        "{REFRESH_COOKIE}={token}; Max-Age={seconds}; HttpOnly; Secure; SameSite=Strict"
    ))
    .map_err(|e| ApiError(AppError::Internal(format!("session cookie: {e}"))))
}

/// The answer to a browser in cookie mode: the pair without its refresh token, which
/// travels in the cookie only.
#[derive(Serialize)]
struct CookieSession<'a> {
    /// Bearer token for API calls.
    access_token: &'a str,
    /// Always `Bearer`.
    token_type: &'a str,
    /// Seconds the access token lives.
    expires_in: u64,
    /// Seconds the refresh token (the cookie) lives.
    refresh_expires_in: u64,
    /// Who signed in.
    employee_id: &'a Id,
    /// Their role.
    role: Role,
}

impl<'a> From<&'a TokenPair> for CookieSession<'a> {
    fn from(pair: &'a TokenPair) -> Self {
        Self {
            access_token: &pair.access_token,
            token_type: pair.token_type,
            expires_in: pair.expires_in,
            refresh_expires_in: pair.refresh_expires_in,
            employee_id: &pair.employee_id,
            role: pair.role,
        }
    }
}

/// A new pair as the caller asked for it: all in the body, or in cookie mode the refresh
/// token in the cookie only.
fn tokens_answer(headers: &HeaderMap, pair: TokenPair) -> Result<Response, ApiError> {
    if !cookie_mode(headers) {
        return Ok(axum::Json(pair).into_response());
    }
    let cookie = session_cookie(&pair.refresh_token, pair.refresh_expires_in)?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        axum::Json(CookieSession::from(&pair)),
    )
        .into_response())
}

/// `POST /v1/auth/login`
pub(crate) async fn login(
    State(app): State<Arc<App>>,
    ClientAddress(source): ClientAddress,
    headers: HeaderMap,
    Json(body): Json<LoginBody>,
) -> Result<Response, ApiError> {
    if body.login.len() > 254 || body.password.len() > 1024 {
        return Err(ApiError(AppError::invalid_credentials()));
    }
    let pair = app
        .login(&body.login, &body.password, source.as_deref())
        .await?;
    tokens_answer(&headers, pair)
}

/// `POST /v1/auth/refresh`
pub(crate) async fn refresh(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(body): Json<RefreshBody>,
) -> Result<Response, ApiError> {
    let token = presented_token(&headers, body)?;
    tokens_answer(&headers, app.refresh(&token).await?)
}

/// `GET /v1/me`: the caller's own account.
pub(crate) async fn me(
    State(app): State<Arc<App>>,
    Caller(caller): Caller,
) -> Result<axum::Json<EmployeeView>, ApiError> {
    Ok(axum::Json(app.employee(caller.id.as_str()).await?))
}

/// A kiosk session asked for by an admin.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KioskSessionBody {
    /// The kiosk account.
    kiosk_id: String,
}

/// `POST /v1/auth/kiosk-session`: an admin turns the browser they are signed in on (the
/// tablet) into the kiosk `kiosk_id`. In cookie mode the kiosk's refresh token replaces the
/// admin's in the cookie, and the admin's session it held is ended.
pub(crate) async fn kiosk_session(
    State(app): State<Arc<App>>,
    Caller(admin): Caller,
    headers: HeaderMap,
    Json(body): Json<KioskSessionBody>,
) -> Result<Response, ApiError> {
    let pair = app.kiosk_session(&admin, &body.kiosk_id).await?;
    if let Some(admins) = cookie_mode(&headers)
        .then(|| cookie_token(&headers))
        .flatten()
    {
        match app.logout(&admins).await {
            // Already ended: nothing of the admin's is left in this browser.
            Ok(()) | Err(AppError::Unauthenticated { .. }) => {}
            Err(other) => return Err(ApiError(other)),
        }
    }
    tokens_answer(&headers, pair)
}

/// `POST /v1/auth/logout`; in cookie mode the cookie is cleared too, also when the session
/// it held had already ended.
pub(crate) async fn logout(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Json(body): Json<RefreshBody>,
) -> Result<Response, ApiError> {
    let ended = match presented_token(&headers, body) {
        Ok(token) => app.logout(&token).await.map_err(ApiError),
        Err(refused) => Err(refused),
    };
    if !cookie_mode(&headers) {
        return ended.map(|()| StatusCode::NO_CONTENT.into_response());
    }
    let cleared = session_cookie("", 0)?;
    let mut answer = match ended {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(refused) => refused.into_response(),
    };
    answer.headers_mut().append(header::SET_COOKIE, cleared);
    Ok(answer)
}
