//! The settings file (`lintas.toml`) read by the service and written by `lintas calibrate`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use lintas_face::gallery::MatchPolicy;

use crate::EngineConfig;

/// Failure to read or write the settings file.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The file could not be read or written.
    #[error("settings file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid settings TOML.
    #[error("settings file {path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// Engine and matching settings; every field has a measured default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Face engine settings.
    pub engine: EngineConfig,
    /// When a probe matches an employee.
    pub matching: MatchPolicy,
}

impl Settings {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|error| SettingsError::Invalid {
                path: path.to_path_buf(),
                message: error.message().to_owned(),
            }),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(SettingsError::Io {
                path: path.to_path_buf(),
                source,
            }),
        }
    }

    /// The settings of a deployed function: the file named by `LINTAS_CONFIG`, else
    /// `lintas.toml` beside the executable; a missing file gives the defaults.
    pub fn of_bundle() -> Result<Self, SettingsError> {
        let path = std::env::var_os("LINTAS_CONFIG")
            .filter(|path| !path.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                std::env::current_exe()
                    .ok()
                    .and_then(|exe| exe.parent().map(|dir| dir.join("lintas.toml")))
                    .unwrap_or_else(|| PathBuf::from("lintas.toml"))
            });
        Self::load(&path)
    }

    /// Writes the settings to `path` as TOML.
    pub fn save(&self, path: &Path) -> Result<(), SettingsError> {
        let text = toml::to_string_pretty(self).map_err(|error| SettingsError::Invalid {
            path: path.to_path_buf(),
            message: error.to_string(),
        })?;
        std::fs::write(path, text).map_err(|source| SettingsError::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_a_round_trip_and_partial_files_fill_defaults() {
        let dir = std::env::temp_dir().join(format!("lintas-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lintas.toml");
        let mut settings = Settings::default();
        settings.matching.threshold = 0.42;
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        std::fs::write(&path, "[matching]\nmargin = 0.2\n").unwrap();
        let partial = Settings::load(&path).unwrap();
        assert_eq!(partial.matching.margin, 0.2);
        assert_eq!(partial.engine, EngineConfig::default());
        std::fs::write(&path, "[matching]\nmargin = \"wide\"\n").unwrap();
        assert!(matches!(
            Settings::load(&path),
            Err(SettingsError::Invalid { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
