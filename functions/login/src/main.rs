//! The `login` Lambda function: Login, token refresh and logout, health and the API document.

use std::sync::Arc;

use lintas::adapters::aws::{Engine, app_from_env};
use lintas::adapters::lambda::{Error, serve};
use lintas::api::{Function, router};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app_from_env(Engine::Without).await?;
    serve(router(Arc::new(app), &[Function::Login])).await
}
