//! LINTAS on one machine: one SQLite file for records, a folder for photos with signed URLs
//! standing in for S3's, and the local composition root ([`bootstrap`]).

pub mod bootstrap;
mod cursor;
#[cfg(test)]
mod golden;
mod hex;
mod photo_routes;
mod photos;
mod schema;
pub mod server;
mod sqlite;

pub use bootstrap::{LocalApp, LocalError};
pub use photos::FolderPhotoStore;
pub use sqlite::SqliteStore;
