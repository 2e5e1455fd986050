//! The gallery snapshot port: one compact object holding the whole 1:N gallery, so a cold
//! process reads one object instead of every template.

use async_trait::async_trait;

use super::StoreError;

/// Where the snapshot lives, in the photo bucket's layout: its own prefix, never a photo key.
pub const GALLERY_SNAPSHOT_KEY: &str = "gallery/snapshot.bin";

/// Where the gallery snapshot is kept: an S3 object in the cloud, a file locally.
#[async_trait]
pub trait GallerySnapshots: Send + Sync {
    /// The stored snapshot, if any.
    async fn gallery_snapshot(&self) -> Result<Option<Vec<u8>>, StoreError>;
    /// Replaces the snapshot.
    async fn put_gallery_snapshot(&self, bytes: Vec<u8>) -> Result<(), StoreError>;
    /// Deletes the snapshot; deleting a missing one is not an error.
    async fn delete_gallery_snapshot(&self) -> Result<(), StoreError>;
}
