//! Running on AWS Lambda: HTTP routers behind API Gateway, and the S3-event handler.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use lambda_runtime::{LambdaEvent, service_fn};
use serde::Serialize;

use super::s3_event::created_keys;
use lintas_core::app::{App, UploadHandled};
use lintas_core::domain::EnrollmentStatus;
use lintas_http::SourceAddress;

/// Errors the Lambda runtime reports.
pub type Error = lambda_runtime::Error;

/// Serves `router` as an API Gateway (HTTP API, payload v2) function, with the client
/// address API Gateway saw made available to the handlers.
pub async fn serve(router: Router) -> Result<(), Error> {
    lintas_http::init_logging();
    let router = router.layer(axum::middleware::from_fn(source_address));
    lambda_http::run(router).await
}

async fn source_address(mut request: Request, next: Next) -> Response {
    if let Some(RequestContext::ApiGatewayV2(context)) = request.request_context_ref()
        && let Some(ip) = context.http.source_ip.clone()
    {
        request.extensions_mut().insert(SourceAddress(ip));
    }
    next.run(request).await
}

/// What the enrollment function did with one event.
#[derive(Debug, Serialize)]
pub struct EnrollmentSummary {
    /// Uploads enrolled.
    pub accepted: usize,
    /// Uploads refused (their reasons are in the enrollment jobs).
    pub rejected: usize,
}

/// Handles S3 `ObjectCreated` events for enrollment uploads. A backend failure fails the
/// invocation so Lambda delivers the event again; processing is idempotent per key.
pub async fn serve_enrollment(app: Arc<App>) -> Result<(), Error> {
    lintas_http::init_logging();
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let app = Arc::clone(&app);
        async move { enroll_event(&app, &event.payload).await }
    }))
    .await
}

/// Processes every created key of one S3 event.
pub async fn enroll_event(
    app: &App,
    event: &serde_json::Value,
) -> Result<EnrollmentSummary, Error> {
    let bytes = serde_json::to_vec(event)?;
    let mut summary = EnrollmentSummary {
        accepted: 0,
        rejected: 0,
    };
    for key in created_keys(&bytes)? {
        // Any failure but a key that can never be enrolled fails the invocation, so Lambda
        // delivers the event again (processing is idempotent per key).
        let job = match app.handle_upload(&key).await? {
            UploadHandled::Processed(job) => job,
            UploadHandled::Dropped => {
                summary.rejected += 1;
                continue;
            }
        };
        match job.status {
            EnrollmentStatus::Accepted => summary.accepted += 1,
            _ => summary.rejected += 1,
        }
        tracing::info!(
            key,
            status = job.status.as_str(),
            reason = job.reason.as_deref(),
            "enrollment upload"
        );
    }
    Ok(summary)
}
