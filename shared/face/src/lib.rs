//! The face model of LINTAS without an inference runtime: embeddings, detections and quality
//! reports, the 1:N gallery and its snapshot codec, and the [`FaceAnalyzer`] trait the use
//! cases call. No I/O and no async runtime here.

mod analyzer;
pub mod decision;
pub mod detection;
pub mod embedding;
mod error;
pub mod gallery;
pub mod gallery_snapshot;
pub mod geometry;
pub mod liveness;
pub mod pose;
pub mod quality;
pub mod rules;

pub use analyzer::{FaceAnalysis, FaceAnalyzer, FacePolicy, Liveness};
pub use error::FaceError;
