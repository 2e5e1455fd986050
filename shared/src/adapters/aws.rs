//! Wiring of the application on AWS: DynamoDB and S3 from the environment, the token secret
//! from the environment or SSM Parameter Store, and the face engine from the bundle.

use std::path::PathBuf;
use std::sync::Arc;

use super::dynamodb::DynamoStore;
use super::s3::S3PhotoStore;
use crate::app::{App, AppConfig, AppError, ConfigError, Faces};
use crate::face::{FaceEngine, FaceError};
use crate::ports::SystemClock;
use crate::settings::{Settings, SettingsError};

/// Why a function could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A setting is missing or unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The settings file is unusable.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The models could not be loaded.
    #[error(transparent)]
    Face(#[from] FaceError),
    /// The gallery or the first records could not be read.
    #[error(transparent)]
    App(#[from] AppError),
    /// The token secret could not be read from SSM.
    #[error("reading the token secret from SSM parameter {name}: {reason}")]
    Secret {
        /// The parameter.
        name: String,
        /// Why.
        reason: String,
    },
}

/// Whether a function needs the face engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Login and other record-only functions.
    Without,
    /// Enrollment and punching.
    With,
}

/// The application on the DynamoDB table `LINTAS_TABLE` and the bucket `LINTAS_BUCKET`,
/// with settings from the environment (see [`AppConfig::from_vars`]). The token secret is
/// `LINTAS_JWT_SECRET`, or the SecureString parameter named by
/// `LINTAS_JWT_SECRET_PARAMETER`. Engine settings come from `LINTAS_CONFIG` (default
/// `lintas.toml` beside the executable).
pub async fn app_from_env(engine: Engine) -> Result<App, StartupError> {
    app_from_vars(engine, |name| std::env::var(name).ok()).await
}

/// As [`app_from_env`], with the variables read through `lookup`.
pub async fn app_from_vars(
    engine: Engine,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<App, StartupError> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    let shared = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let secret = match var("LINTAS_JWT_SECRET_PARAMETER") {
        Some(name) => Some(read_parameter(&shared, &name).await?),
        None => None,
    };
    let config = AppConfig::from_vars(|name| match (name, &secret) {
        ("LINTAS_JWT_SECRET", Some(secret)) => Some(secret.clone()),
        _ => var(name),
    })?;
    let table = var("LINTAS_TABLE").ok_or(ConfigError::Missing("LINTAS_TABLE"))?;
    let bucket = var("LINTAS_BUCKET").ok_or(ConfigError::Missing("LINTAS_BUCKET"))?;
    let store = Arc::new(DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&shared),
        table,
    ));
    let mut s3 = aws_sdk_s3::config::Builder::from(&shared);
    if var("AWS_ENDPOINT_URL_S3").is_some() {
        s3 = s3.force_path_style(true);
    }
    let photos = Arc::new(S3PhotoStore::new(
        aws_sdk_s3::Client::from_conf(s3.build()),
        bucket,
        config.uploads.max_photo_bytes,
    ));
    let app = App::new(store.clone(), photos, Arc::new(SystemClock), config);
    if engine == Engine::Without {
        return Ok(app);
    }
    let settings_path = var("LINTAS_CONFIG").map(PathBuf::from).unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("lintas.toml")))
            .unwrap_or_else(|| PathBuf::from("lintas.toml"))
    });
    let settings = Settings::load(&settings_path)?;
    let engine = tokio::task::spawn_blocking(move || FaceEngine::load(settings.engine))
        .await
        .map_err(|e| AppError::Internal(format!("engine loader: {e}")))??;
    let faces = Faces::load(Arc::new(engine), settings.matching, store.as_ref()).await?;
    Ok(app.with_faces(faces))
}

async fn read_parameter(
    shared: &aws_config::SdkConfig,
    name: &str,
) -> Result<String, StartupError> {
    let failure = |reason: String| StartupError::Secret {
        name: name.to_owned(),
        reason,
    };
    let output = aws_sdk_ssm::Client::new(shared)
        .get_parameter()
        .name(name)
        .with_decryption(true)
        .send()
        .await
        .map_err(|e| failure(aws_sdk_ssm::error::DisplayErrorContext(e).to_string()))?;
    output
        .parameter
        .and_then(|p| p.value)
        .ok_or_else(|| failure("the parameter has no value".into()))
}
