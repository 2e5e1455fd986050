//! The LINTAS face engine over tract: a chain of small stages (decode, detect, align, assess,
//! embed), loaded once per process, implementing [`lintas_face::FaceAnalyzer`].

pub mod align;
pub mod decode;
pub mod detect;
pub mod embed;
mod engine;
pub mod graph;
pub mod liveness;
pub mod models;
pub mod presentation;
pub mod quality;
mod sampling;
pub mod settings;

pub use engine::{EngineConfig, FaceEngine};
pub use settings::{Settings, SettingsError};

use lintas_face::FaceError;

/// An inference-runtime failure on a valid input, as a face error.
pub(crate) fn inference(error: tract_onnx::prelude::TractError) -> FaceError {
    FaceError::Inference(format!("{error:#}"))
}
