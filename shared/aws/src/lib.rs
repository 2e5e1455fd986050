//! LINTAS on AWS: the DynamoDB record store, the S3 photo store, the token secret from SSM,
//! the Lambda runtime (HTTP behind API Gateway and S3 enrollment events), and the one place
//! where an [`lintas_core::app::App`] is wired on AWS ([`app_from_env`]).

mod bootstrap;
pub mod dynamodb;
#[cfg(feature = "lambda")]
pub mod lambda;
pub mod s3;
pub mod s3_event;
mod service_error;

pub use bootstrap::{StartupError, app_from_env, app_from_vars, sdk_config};
