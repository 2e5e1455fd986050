//! `lintas create-admin`: the first admin account of a deployed stack, written straight to its
//! DynamoDB table with the operator's AWS credentials.

use clap::Args;
use lintas_aws::app_from_vars;

use crate::error::CliError;

/// Options of `lintas create-admin` (the values are the stack's outputs).
#[derive(Args)]
pub struct CreateAdminArgs {
    /// The stack's DynamoDB table.
    #[arg(long)]
    table: String,
    /// The stack's photo bucket.
    #[arg(long)]
    bucket: String,
    /// SSM parameter holding the token secret (read to check the stack is complete).
    #[arg(long, default_value = "/lintas/jwt-secret")]
    jwt_secret_parameter: String,
}

/// Creates the default office and `admin` (password from `LINTAS_ADMIN_PASSWORD`) unless
/// they exist.
pub fn run(args: CreateAdminArgs) -> Result<(), CliError> {
    let password = std::env::var("LINTAS_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            CliError::Invalid("set LINTAS_ADMIN_PASSWORD to the new admin's password".into())
        })?;
    super::async_runtime()?.block_on(async {
        let app = app_from_vars(|name| match name {
            "LINTAS_TABLE" => Some(args.table.clone()),
            "LINTAS_BUCKET" => Some(args.bucket.clone()),
            "LINTAS_JWT_SECRET_PARAMETER" => Some(args.jwt_secret_parameter.clone()),
            "LINTAS_JWT_SECRET" => None,
            other => std::env::var(other).ok(),
        })
        .await
        .map_err(|e| CliError::Invalid(e.to_string()))?;
        let created = app
            .bootstrap(&password)
            .await
            .map_err(|e| CliError::Invalid(e.to_string()))?;
        if created {
            eprintln!("lintas: created account 'admin' in table {}", args.table);
        } else {
            eprintln!(
                "lintas: account 'admin' already exists in table {}",
                args.table
            );
        }
        Ok(())
    })
}
