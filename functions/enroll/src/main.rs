//! The `enroll` Lambda function: enrolls photos admins upload under `enrollments/` in the
//! bucket, triggered by S3 `ObjectCreated` events.

use std::sync::Arc;

use lintas::adapters::aws::{Engine, app_from_env};
use lintas::adapters::lambda::{Error, serve_enrollment};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app_from_env(Engine::With).await?;
    serve_enrollment(Arc::new(app)).await
}
