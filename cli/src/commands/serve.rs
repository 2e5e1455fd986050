//! `lintas serve`: every route of the API on one machine, over the embedded store.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use lintas_core::app::{App, AppConfig};
use lintas_local::LocalApp;
use lintas_local::server::ServerLimits;

use crate::error::CliError;
use crate::options::{EngineOptions, engine_from};

/// Options of `lintas serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Folder for the database and photos (created if missing).
    #[arg(long, default_value = "lintas-data")]
    data: PathBuf,
    /// Base URL clients reach this server at, for pre-signed photo URLs
    /// (default: http://ADDR).
    #[arg(long)]
    public_url: Option<String>,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Starts the server and runs until interrupted.
pub fn run(args: ServeArgs) -> Result<(), CliError> {
    let started = Instant::now();
    super::async_runtime()?.block_on(serve(args, started))
}

async fn serve(args: ServeArgs, started: Instant) -> Result<(), CliError> {
    lintas_http::init_logging();
    let config = AppConfig::from_vars(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .map_err(|e| CliError::Invalid(format!("configuration: {e}")))?;
    let base_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let LocalApp { app, folder } = lintas_local::bootstrap::open(&args.data, &base_url, config)
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let settings = args.engine.settings()?;
    let engine = tokio::task::spawn_blocking(move || engine_from(&settings).map(|e| (e, settings)))
        .await
        .map_err(|e| CliError::Invalid(format!("loading the engine: {e}")))??;
    let (engine, settings) = engine;
    let app = app
        .with_face_engine(Arc::new(engine), settings.rules)
        .await
        .map_err(|e| CliError::Invalid(format!("loading the gallery: {e}")))?;
    let app = Arc::new(app);
    bootstrap_admin(&app).await?;
    let limits = ServerLimits::from_vars(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .map_err(|e| CliError::Invalid(format!("configuration: {e}")))?;
    let router = lintas_local::bootstrap::router(Arc::clone(&app), folder);
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| CliError::Invalid(format!("listening on {}: {e}", args.addr)))?;
    eprintln!(
        "lintas: serving http://{} (data in {}, ready in {} ms)",
        args.addr,
        args.data.display(),
        started.elapsed().as_millis()
    );
    lintas_local::server::serve(listener, router, limits, shutdown())
        .await
        .map_err(|e| CliError::Invalid(format!("server: {e}")))
}

/// Creates the `admin` account on first start, with `LINTAS_ADMIN_PASSWORD` or a generated
/// password printed once.
async fn bootstrap_admin(app: &App) -> Result<(), CliError> {
    let given = std::env::var("LINTAS_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    let password = match &given {
        Some(password) => password.clone(),
        None => generated_password()?,
    };
    let created = app
        .bootstrap(&password)
        .await
        .map_err(|e| CliError::Invalid(format!("creating the admin account: {e}")))?;
    if created && given.is_none() {
        eprintln!("lintas: created account 'admin' with password {password} (shown once)");
    }
    Ok(())
}

fn generated_password() -> Result<String, CliError> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| CliError::Invalid(format!("random source: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn shutdown() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return std::future::pending().await,
            };
        tokio::select! {
            _ = interrupt => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}
