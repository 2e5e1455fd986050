//! `lintas sweep-photos`: deletes attendance photos that no record refers to, in the local
//! data folder or in a deployed stack's bucket.

use std::path::PathBuf;

use chrono::{Days, Utc};
use clap::Args;
use lintas_aws::app_from_vars;
use lintas_core::app::{App, AppConfig};

use super::print_json;
use crate::error::CliError;

/// Where to sweep: `--data` for `lintas serve`'s folder, or `--table` and `--bucket` for a
/// deployed stack (with the operator's AWS credentials).
#[derive(Args)]
pub struct SweepPhotosArgs {
    /// The data folder of `lintas serve`.
    #[arg(long, conflicts_with_all = ["table", "bucket"])]
    data: Option<PathBuf>,
    /// The stack's DynamoDB table.
    #[arg(long, requires = "bucket")]
    table: Option<String>,
    /// The stack's photo bucket.
    #[arg(long, requires = "table")]
    bucket: Option<String>,
    /// Sweep only days at least this many days ago (a punch in flight is never touched).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..))]
    days: u64,
    /// List the orphans without deleting them.
    #[arg(long)]
    dry_run: bool,
}

/// Sweeps and prints what was found as JSON.
pub fn run(args: SweepPhotosArgs) -> Result<(), CliError> {
    let before = Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(args.days))
        .ok_or_else(|| CliError::Invalid("--days reaches before the calendar".into()))?;
    super::async_runtime()?.block_on(async {
        let app = match (&args.data, &args.table, &args.bucket) {
            (Some(data), None, None) => local_app(data)?,
            (None, Some(table), Some(bucket)) => aws_app(table, bucket).await?,
            _ => {
                return Err(CliError::Invalid(
                    "give --data DIR, or --table and --bucket".into(),
                ));
            }
        };
        let sweep = app
            .sweep_orphan_photos(before, args.dry_run)
            .await
            .map_err(|e| CliError::Invalid(e.to_string()))?;
        print_json(&sweep)
    })
}

/// The application over `lintas serve`'s folder; tokens are never issued, so the secret is
/// a throwaway one.
fn local_app(data: &std::path::Path) -> Result<App, CliError> {
    let config = AppConfig::with_secret(throwaway_secret()?)
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    lintas_local::bootstrap::open_existing(data, config)
        .map(|local| local.app)
        .map_err(|e| CliError::Invalid(e.to_string()))
}

/// The application over a deployed table and bucket.
async fn aws_app(table: &str, bucket: &str) -> Result<App, CliError> {
    let secret = hex(&throwaway_secret()?);
    app_from_vars(|name| match name {
        "LINTAS_TABLE" => Some(table.to_owned()),
        "LINTAS_BUCKET" => Some(bucket.to_owned()),
        "LINTAS_JWT_SECRET" => Some(secret.clone()),
        "LINTAS_JWT_SECRET_PARAMETER" => None,
        other => std::env::var(other).ok(),
    })
    .await
    .map_err(|e| CliError::Invalid(e.to_string()))
}

fn throwaway_secret() -> Result<Vec<u8>, CliError> {
    let mut secret = vec![0; 32];
    getrandom::fill(&mut secret).map_err(|e| CliError::Invalid(format!("random source: {e}")))?;
    Ok(secret)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
