//! The one place where an [`App`] is wired on one machine: the SQLite file and the photo
//! folder in a data folder, and every route of the API with the local photo routes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use lintas_core::app::{App, AppConfig, Ports};
use lintas_core::ports::{Clock, StoreError, SystemClock};
use lintas_http::Function;

use crate::{FolderPhotoStore, SqliteStore, photo_routes};

/// The database file inside a data folder.
pub const DATABASE_FILE: &str = "lintas.db";
/// The key that signs local photo URLs, inside a data folder.
const SIGNING_KEY_FILE: &str = "photo-url.key";

/// Why the local application could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    /// The data folder or one of its files could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The folder holds no database where one must exist.
    #[error("{0} is not a lintas serve data folder")]
    NotADataFolder(PathBuf),
    /// The database could not be opened or migrated.
    #[error("opening the database: {0}")]
    Store(#[from] StoreError),
    /// The system random source failed.
    #[error("random source: {0}")]
    Random(String),
}

/// The application and its photo folder (the local photo routes need the folder itself).
pub struct LocalApp {
    /// The application, without a face engine yet.
    pub app: App,
    /// The photo folder, also the app's photo store and gallery snapshot store.
    pub folder: Arc<FolderPhotoStore>,
}

/// Opens (creating if missing) the data folder `data`; pre-signed photo URLs point at
/// `public_url`.
pub fn open(data: &Path, public_url: &str, config: AppConfig) -> Result<LocalApp, LocalError> {
    open_at(data, public_url, config, Arc::new(SystemClock))
}

/// As [`open`], telling time by `clock` (tests set the time of each request).
pub fn open_at(
    data: &Path,
    public_url: &str,
    config: AppConfig,
    clock: Arc<dyn Clock>,
) -> Result<LocalApp, LocalError> {
    std::fs::create_dir_all(data).map_err(|source| LocalError::Io {
        path: data.to_path_buf(),
        source,
    })?;
    let store = Arc::new(SqliteStore::open(&data.join(DATABASE_FILE))?);
    let folder = Arc::new(FolderPhotoStore::new(
        data.join("photos"),
        public_url,
        signing_key(data)?,
        config.uploads.max_photo_bytes,
    ));
    let ports = Ports {
        store,
        photos: folder.clone(),
        snapshots: folder.clone(),
        clock,
    };
    Ok(LocalApp {
        app: App::new(ports, config),
        folder,
    })
}

/// Opens the data folder of an existing `lintas serve` installation, for maintenance
/// commands; refuses a folder without a database.
pub fn open_existing(data: &Path, config: AppConfig) -> Result<LocalApp, LocalError> {
    if !data.join(DATABASE_FILE).is_file() {
        return Err(LocalError::NotADataFolder(data.to_path_buf()));
    }
    open(data, "http://127.0.0.1", config)
}

/// Every route of the API and the local photo routes of `folder` (the app's photo store),
/// with the common layers.
pub fn router(app: Arc<App>, folder: Arc<FolderPhotoStore>) -> Router {
    let cors = app.config().cors_origins.clone();
    let routes = lintas_http::routes(Arc::clone(&app), &Function::ALL)
        .merge(photo_routes::router(app, folder));
    lintas_http::with_layers(routes, &cors)
}

/// The key that signs local photo URLs, created on first start and kept in the data folder.
fn signing_key(data: &Path) -> Result<Vec<u8>, LocalError> {
    let path = data.join(SIGNING_KEY_FILE);
    match std::fs::read(&path) {
        Ok(key) if key.len() >= 32 => Ok(key),
        _ => {
            let mut key = vec![0u8; 32];
            getrandom::fill(&mut key).map_err(|e| LocalError::Random(e.to_string()))?;
            std::fs::write(&path, &key).map_err(|source| LocalError::Io { path, source })?;
            Ok(key)
        }
    }
}
