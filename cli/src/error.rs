//! Errors of the command line, each with a stable code printed on failure.

use std::path::PathBuf;

use lintas_engine::settings::SettingsError;
use lintas_face::FaceError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The face engine refused an input or failed.
    #[error("{path}: {source}")]
    Face {
        /// The image or model concerned.
        path: String,
        /// The engine's error.
        source: FaceError,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The pairs file is malformed.
    #[error("{path}, line {line}: {message}")]
    Pairs {
        /// The pairs file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The settings file could not be used.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The request cannot be answered with the data given.
    #[error("{0}")]
    Invalid(String),
}

impl CliError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Face { source, .. } => source.code(),
            Self::Io { .. } => "io_error",
            Self::Pairs { .. } => "invalid_pairs_file",
            Self::Settings(_) => "invalid_settings",
            Self::Invalid(_) => "invalid_input",
        }
    }

    /// Wraps an engine error with the path it concerns.
    pub fn face(path: impl std::fmt::Display) -> impl FnOnce(FaceError) -> Self {
        move |source| Self::Face {
            path: path.to_string(),
            source,
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Io {
            path: path.into(),
            source,
        }
    }
}
