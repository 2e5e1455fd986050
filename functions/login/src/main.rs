//! The `login` Lambda function: Login, token refresh and logout, health and the API document.
//! It never looks at a face, so it does not link the face engine.

use std::sync::Arc;

use lintas_aws::app_from_env;
use lintas_aws::lambda::{Error, serve};
use lintas_http::{Function, router};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let app = app_from_env().await?;
    serve(router(Arc::new(app), &[Function::Login])).await
}
