//! Adapters behind the ports: the embedded local store, the AWS services, and the Lambda
//! runtime.

pub mod local;
pub mod s3_event;

#[cfg(feature = "aws")]
pub mod aws;

#[cfg(feature = "aws")]
pub mod dynamodb;

#[cfg(feature = "aws")]
pub mod s3;

#[cfg(feature = "lambda")]
pub mod lambda;
