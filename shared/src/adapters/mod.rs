//! Adapters behind the ports: the embedded local store and the AWS services.

pub mod local;
