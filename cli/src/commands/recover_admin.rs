//! `lintas recover-admin`: gives a `lintas serve` installation an active admin again when
//! none can log in (every admin suspended, demoted or locked out of its password).

use std::path::PathBuf;

use clap::Args;
use lintas_core::app::AppConfig;

use crate::error::CliError;

/// Options of `lintas recover-admin`.
#[derive(Args)]
pub struct RecoverAdminArgs {
    /// The data folder of `lintas serve`.
    #[arg(long, default_value = "lintas-data")]
    data: PathBuf,
    /// The account to make an active admin (created if missing).
    #[arg(long, default_value = "admin")]
    id: String,
}

/// Makes `--id` an active admin with the password in `LINTAS_ADMIN_PASSWORD`, ending every
/// session it had.
pub fn run(args: RecoverAdminArgs) -> Result<(), CliError> {
    let password = std::env::var("LINTAS_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            CliError::Invalid("set LINTAS_ADMIN_PASSWORD to the admin's new password".into())
        })?;
    let mut secret = vec![0; 32];
    getrandom::fill(&mut secret).map_err(|e| CliError::Invalid(format!("random source: {e}")))?;
    // Tokens are never issued here, so the secret is a throwaway one.
    let config = AppConfig::with_secret(secret).map_err(|e| CliError::Invalid(e.to_string()))?;
    super::async_runtime()?.block_on(async {
        let local = lintas_local::bootstrap::open_existing(&args.data, config)
            .map_err(|e| CliError::Invalid(e.to_string()))?;
        local
            .app
            .recover_admin(&args.id, &password)
            .await
            .map_err(|e| CliError::Invalid(format!("{}: {e}", e.code())))?;
        eprintln!(
            "lintas: '{}' is an active admin with the new password",
            args.id
        );
        Ok(())
    })
}
