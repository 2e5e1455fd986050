//! The embedded local store: one SQLite file for records and a folder for photos.

mod cursor;
mod hex;
mod photos;
mod schema;
mod sqlite;

pub use photos::FolderPhotoStore;
pub use sqlite::SqliteStore;
