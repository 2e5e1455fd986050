//! Wiring of the application on AWS: DynamoDB and S3 from the environment, the token secret
//! from the environment or SSM Parameter Store, and the face engine from the bundle.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;

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

/// The AWS SDK settings of every function: bounded timeouts, and three attempts with short
/// exponential backoff (retries only what the SDK classifies as transient), so a slow or
/// failing backend costs a request seconds and a clear 503, not the whole Lambda timeout.
pub async fn sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(1))
                .operation_attempt_timeout(Duration::from_secs(3))
                .operation_timeout(Duration::from_secs(8))
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_secs(2)),
        )
        .load()
        .await
}

/// As [`app_from_env`], with the variables read through `lookup`.
pub async fn app_from_vars(
    engine: Engine,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<App, StartupError> {
    let var = |name: &str| lookup(name).filter(|v| !v.is_empty());
    let shared = sdk_config().await;
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
    let app = App::new(
        store.clone(),
        photos.clone(),
        photos.clone(),
        Arc::new(SystemClock),
        config,
    );
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
    let faces = Faces::load(Arc::new(engine), settings.matching, store.as_ref(), photos).await?;
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
