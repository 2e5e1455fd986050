//! `/console`: the web console and the kiosk page, served from the files embedded in
//! [`lintas_console`], with their own content security policy.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::problem;

/// `GET /console`: on to the console's entry page, relative to where the API is mounted
/// (behind API Gateway the path starts with the stage).
pub(crate) async fn entry() -> Response {
    let location = format!("console/{}", lintas_console::ENTRY);
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => not_found(),
    }
}

/// `GET /console/{file}`: one embedded file.
pub(crate) async fn file(Path(name): Path<String>) -> Response {
    let Some(asset) = lintas_console::asset(&name) else {
        return not_found();
    };
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (
                header::CONTENT_SECURITY_POLICY,
                lintas_console::CONTENT_SECURITY_POLICY,
            ),
        ],
        asset.bytes,
    )
        .into_response()
}

fn not_found() -> Response {
    problem::plain(StatusCode::NOT_FOUND, "file_not_found", "no such page")
}
