//! The settings file (`lintas.toml`) read by the service and written by `lintas calibrate`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use lintas_face::rules::FaceRules;

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

/// Engine settings and the face decision rules; every field has a measured default.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Face engine settings.
    pub engine: EngineConfig,
    /// Operating points, liveness and pose rules (`[decisions]`, `[liveness]`, `[pose]`).
    #[serde(flatten)]
    pub rules: FaceRules,
}

impl Settings {
    /// Reads `path`; a missing file gives the defaults. Rules that make no sense (a rate
    /// outside 0..1, a broken calibration curve) are refused.
    pub fn load(path: &Path) -> Result<Self, SettingsError> {
        let invalid = |message: String| SettingsError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let table: toml::Table =
                    toml::from_str(&text).map_err(|error| invalid(error.message().to_owned()))?;
                if table.contains_key("matching") {
                    return Err(invalid(
                        "the [matching] section was replaced by [decisions]: one operating \
                         point per decision from a calibration curve; run lintas calibrate \
                         or delete the section to use the shipped calibration"
                            .into(),
                    ));
                }
                let settings: Self =
                    toml::from_str(&text).map_err(|error| invalid(error.message().to_owned()))?;
                settings.rules.validate().map_err(invalid)?;
                Ok(settings)
            }
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
        settings.rules.decisions.identify_fpir = 0.02;
        settings.rules.liveness.threshold = 0.42;
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path).unwrap(), settings);
        std::fs::write(&path, "[decisions]\nidentify_margin = 0.2\n").unwrap();
        let partial = Settings::load(&path).unwrap();
        assert_eq!(partial.rules.decisions.identify_margin, 0.2);
        assert_eq!(partial.engine, EngineConfig::default());
        assert_eq!(partial.rules.liveness, FaceRules::default().liveness);
        for bad in [
            "[decisions]\nidentify_margin = \"wide\"\n",
            "[decisions]\nidentify_fpir = 1.5\n",
            "[liveness]\nthreshold = -1.0\n",
            "[matching]\nthreshold = 0.5\n",
        ] {
            std::fs::write(&path, bad).unwrap();
            assert!(
                matches!(Settings::load(&path), Err(SettingsError::Invalid { .. })),
                "{bad}"
            );
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
