//! The `predict` Lambda function: Punching (1:N at kiosks, 1:1 for employees) and attendance reports.

use std::sync::Arc;

use lintas::adapters::aws::{Engine, app_from_env};
use lintas::adapters::lambda::{Error, serve};
use lintas::api::{Function, router};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app_from_env(Engine::With).await?;
    serve(router(Arc::new(app), &[Function::Predict])).await
}
