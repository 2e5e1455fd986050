//! The `enroll` Lambda function: enrolls photos admins upload under `enrollments/` in the
//! bucket, triggered by S3 `ObjectCreated` events.

use std::sync::Arc;

use lintas_aws::app_from_env;
use lintas_aws::lambda::{Error, serve_enrollment};
use lintas_engine::{FaceEngine, Settings};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let settings = Settings::of_bundle()?;
    let engine = FaceEngine::load(settings.engine)?;
    let app = app_from_env()
        .await?
        .with_face_engine(Arc::new(engine), settings.rules)
        .await?;
    serve_enrollment(Arc::new(app)).await
}
