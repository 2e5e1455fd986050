//! The `register` Lambda function: Admin records: employees, offices, face enrollment and upload URLs.

use std::sync::Arc;

use lintas::adapters::aws::{Engine, app_from_env};
use lintas::adapters::lambda::{Error, serve};
use lintas::api::{Function, router};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app_from_env(Engine::With).await?;
    serve(router(Arc::new(app), &[Function::Register])).await
}
