//! Adapters behind the ports: the embedded local store and the AWS services.

pub mod local;

#[cfg(feature = "aws")]
pub mod dynamodb;

#[cfg(feature = "aws")]
pub mod s3;
