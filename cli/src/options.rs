//! Options shared by the commands that load the face engine.

use std::path::PathBuf;

use clap::Args;
use lintas_engine::FaceEngine;
use lintas_engine::settings::Settings;
use lintas_face::FacePolicy;

use crate::error::CliError;

/// Where the models and settings come from.
#[derive(Args, Clone, Debug)]
pub struct EngineOptions {
    /// Settings file (missing: built-in defaults).
    #[arg(long, default_value = "lintas.toml")]
    pub config: PathBuf,
    /// Model folder (default: $LINTAS_MODEL_DIR, models/ beside the binary, or the source tree's).
    #[arg(long)]
    pub models: Option<PathBuf>,
    /// Embedder file in the model folder, e.g. facenet_fp32.onnx to compare with int8.
    #[arg(long)]
    pub embedder: Option<PathBuf>,
    /// Detector input side (a multiple of 32).
    #[arg(long)]
    pub detector_size: Option<u32>,
    /// Average each embedding with that of the mirrored crop.
    #[arg(long)]
    pub mirror: bool,
}

impl EngineOptions {
    /// The settings file with these overrides applied.
    pub fn settings(&self) -> Result<Settings, CliError> {
        let mut settings = Settings::load(&self.config)?;
        let engine = &mut settings.engine;
        if let Some(dir) = &self.models {
            engine.model_dir = Some(dir.clone());
        }
        if let Some(file) = &self.embedder {
            engine.embedder_file = file.clone();
        }
        if let Some(size) = self.detector_size {
            engine.detector.input_size = size;
        }
        engine.mirror_average |= self.mirror;
        Ok(settings)
    }

    /// Loads the engine these options describe.
    pub fn load_engine(&self) -> Result<FaceEngine, CliError> {
        engine_from(&self.settings()?)
    }
}

/// Loads the engine `settings` describe.
pub fn engine_from(settings: &Settings) -> Result<FaceEngine, CliError> {
    let config = settings.engine.clone();
    let dir = config.model_dir().display().to_string();
    FaceEngine::load(config).map_err(CliError::face(dir))
}

/// How the face of each photo is found, for commands that take one face per photo.
#[derive(Args, Clone, Debug)]
pub struct FaceOptions {
    /// The photos are already aligned face crops: skip detection.
    #[arg(long)]
    pub aligned: bool,
    /// Which face to take from each photo.
    #[arg(long, value_enum, default_value_t)]
    pub policy: PolicyArg,
    #[command(flatten)]
    pub engine: EngineOptions,
}

/// Reads an image file and returns its bytes.
pub fn read_image(path: &std::path::Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(CliError::io(path))
}

/// How a photo's face is chosen by the commands that take one face per image.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default)]
pub enum PolicyArg {
    /// The largest face, if it clearly dominates.
    #[default]
    Selfie,
    /// Exactly one face of usable size.
    Enrollment,
    /// The largest face, without quality gates.
    Largest,
}

impl From<PolicyArg> for FacePolicy {
    fn from(policy: PolicyArg) -> Self {
        match policy {
            PolicyArg::Selfie => FacePolicy::Selfie,
            PolicyArg::Enrollment => FacePolicy::Enrollment,
            PolicyArg::Largest => FacePolicy::Largest,
        }
    }
}
