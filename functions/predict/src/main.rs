//! The `predict` Lambda function: Punching (1:N at kiosks, 1:1 for employees) and attendance reports.

use std::sync::Arc;

use lintas_aws::app_from_env;
use lintas_aws::lambda::{Error, serve};
use lintas_engine::{FaceEngine, Settings};
use lintas_http::{Function, router};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let settings = Settings::of_bundle()?;
    let engine = FaceEngine::load(settings.engine)?;
    let app = app_from_env()
        .await?
        .with_face_engine(Arc::new(engine), settings.rules)
        .await?;
    serve(router(Arc::new(app), &[Function::Predict])).await
}
