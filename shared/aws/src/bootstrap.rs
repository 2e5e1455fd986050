//! Wiring of the application on AWS: DynamoDB and S3 from the environment, and the token
//! secret from the environment or SSM Parameter Store. Functions that need the face engine
//! add it with [`App::with_face_engine`], from `lintas-engine`.

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;

use super::dynamodb::DynamoStore;
use super::s3::S3PhotoStore;
use lintas_core::app::{App, AppConfig, ConfigError, Ports};
use lintas_core::ports::SystemClock;

/// Why a function could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A setting is missing or unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The token secret could not be read from SSM.
    #[error("reading the token secret from SSM parameter {name}: {reason}")]
    Secret {
        /// The parameter.
        name: String,
        /// Why.
        reason: String,
    },
}

/// The application on the DynamoDB table `LINTAS_TABLE` and the bucket `LINTAS_BUCKET`,
/// with settings from the environment (see [`AppConfig::from_vars`]). The token secret is
/// `LINTAS_JWT_SECRET`, or the SecureString parameter named by
/// `LINTAS_JWT_SECRET_PARAMETER`.
pub async fn app_from_env() -> Result<App, StartupError> {
    app_from_vars(|name| std::env::var(name).ok()).await
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
pub async fn app_from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<App, StartupError> {
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
    let ports = Ports {
        store,
        photos: photos.clone(),
        snapshots: photos,
        clock: Arc::new(SystemClock),
    };
    Ok(App::new(ports, config))
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
