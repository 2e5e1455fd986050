//! The one mapping from [`AppError`] to an HTTP answer: `application/problem+json`
//! (RFC 9457) with a stable `code`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use lintas_core::app::AppError;
use lintas_core::ports::StoreError;

/// Media type of error bodies.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Seconds a client should wait before retrying when a backend is unavailable.
const UNAVAILABLE_RETRY_SECS: u64 = 5;

/// The body of an error answer.
#[derive(Debug, Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    code: &'a str,
    detail: String,
}

/// The status of each kind of failure.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Invalid { .. } => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
        AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::TimedOut(_) => StatusCode::REQUEST_TIMEOUT,
        AppError::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::PreconditionRequired { .. } => StatusCode::PRECONDITION_REQUIRED,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An [`AppError`] on its way to the client: the one place it becomes an HTTP answer.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let Self(error) = self;
        error_response(error)
    }
}

/// The problem answer of `error`: its public message only; the causes of service faults
/// are logged, never sent.
fn error_response(error: AppError) -> Response {
    let status = status_of(&error);
    let detail = match &error {
        AppError::Internal(_) => {
            tracing::error!(error = %error, "internal error");
            "an internal error occurred; it has been logged".to_owned()
        }
        AppError::Unavailable(_) => {
            tracing::warn!(error = %error, "backend unavailable");
            "the service is temporarily unavailable; retry shortly".to_owned()
        }
        other => other.to_string(),
    };
    let mut response = plain(status, error.code(), &detail);
    let headers = response.headers_mut();
    let retry_after = match &error {
        AppError::Throttled { retry_after } => Some(retry_after.as_secs().max(1)),
        AppError::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECS),
        _ => None,
    };
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A problem answer with `status`, `code` and `detail`.
pub fn plain(status: StatusCode, code: &str, detail: &str) -> Response {
    let problem = Problem {
        kind: format!("https://lintas.id/problems/{code}"),
        title: status.canonical_reason().unwrap_or("Error"),
        status: status.as_u16(),
        code,
        detail: detail.to_owned(),
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn errors_become_problems_with_codes_and_hints() {
        let response = ApiError(AppError::Throttled {
            retry_after: Duration::from_secs(90),
        })
        .into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "90");
        assert_eq!(response.headers()[header::CONTENT_TYPE], PROBLEM_JSON);

        let response =
            ApiError(AppError::Internal("db password is hunter2".into())).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let response = ApiError(AppError::invalid_credentials()).into_response();
        assert_eq!(response.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }
}
