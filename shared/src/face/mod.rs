//! The face pipeline as a chain of small stages: decode, detect, align, assess, embed, match.

pub mod align;
pub mod decode;
pub mod detect;
pub mod embed;
pub mod embedding;
mod engine;
mod error;
pub mod gallery;
pub mod gallery_cache;
pub mod gallery_snapshot;
pub mod geometry;
pub mod models;
pub mod quality;
mod sampling;

pub use engine::{EngineConfig, FaceAnalysis, FaceEngine, FacePolicy};
pub use error::FaceError;
