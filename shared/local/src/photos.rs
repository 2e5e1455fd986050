//! Photos in a local folder, with HMAC-signed URLs standing in for S3 pre-signed ones.

use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::hex;
use lintas_core::ports::{
    GALLERY_SNAPSHOT_KEY, GallerySnapshots, PhotoStore, PresignedRequest, StoreError, check_object,
    check_photo_size,
};

type Result<T> = std::result::Result<T, StoreError>;

/// Photos as files below `root`; keys are relative paths of safe segments.
pub struct FolderPhotoStore {
    root: PathBuf,
    base_url: String,
    signing_key: Vec<u8>,
    max_bytes: usize,
}

impl FolderPhotoStore {
    /// A store under `root` that refuses photos larger than `max_bytes`; pre-signed URLs
    /// point at `base_url` (the local server) and are signed with `signing_key`.
    pub fn new(
        root: impl Into<PathBuf>,
        base_url: impl Into<String>,
        signing_key: Vec<u8>,
        max_bytes: usize,
    ) -> Self {
        Self {
            root: root.into(),
            base_url: base_url.into(),
            signing_key,
            max_bytes,
        }
    }

    /// The file of `key`, refusing keys that could leave the folder.
    fn path_of(&self, key: &str) -> Result<PathBuf> {
        let safe = !key.is_empty()
            && key.len() <= 512
            && key.split('/').all(|segment| {
                !segment.is_empty()
                    && segment != "."
                    && segment != ".."
                    && segment
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            });
        if safe {
            Ok(self.root.join(key))
        } else {
            Err(StoreError::Invalid(format!("unsafe photo key {key:?}")))
        }
    }

    /// The signature of a request, as hex.
    fn signature(&self, method: &str, key: &str, expires: i64) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.signing_key)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(format!("{method}\n{key}\n{expires}").as_bytes());
        hex::encode(&mac.finalize().into_bytes())
    }

    /// True when `signature` is a live signature of `method` on `key` until `expires`.
    pub fn verify(&self, method: &str, key: &str, expires: i64, signature: &str) -> bool {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.signing_key) else {
            return false;
        };
        mac.update(format!("{method}\n{key}\n{expires}").as_bytes());
        let Some(bytes) = hex::decode(signature) else {
            return false;
        };
        expires > Utc::now().timestamp() && mac.verify_slice(&bytes).is_ok()
    }

    fn presign(
        &self,
        method: &str,
        key: &str,
        expires_in: Duration,
        headers: Vec<(String, String)>,
    ) -> Result<PresignedRequest> {
        self.path_of(key)?;
        let expires_at = Utc::now()
            + chrono::Duration::from_std(expires_in)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let expires = expires_at.timestamp();
        let signature = self.signature(method, key, expires);
        Ok(PresignedRequest {
            method: method.to_owned(),
            url: format!(
                "{}/local-photos/{key}?expires={expires}&signature={signature}",
                self.base_url
            ),
            headers,
            expires_at,
        })
    }
}

fn io_error(error: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("photo folder: {error}"))
}

#[async_trait]
impl PhotoStore for FolderPhotoStore {
    async fn put_photo(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
        check_object(key, content_type, Some(bytes.len()), self.max_bytes)?;
        write_file(self.path_of(key)?, bytes).await
    }

    async fn photo(&self, key: &str) -> Result<Option<Vec<u8>>> {
        let path = self.path_of(key)?;
        if let Ok(metadata) = tokio::fs::metadata(&path).await {
            check_photo_size(metadata.len(), self.max_bytes)?;
        }
        read_file(&path).await
    }

    async fn delete_photo(&self, key: &str) -> Result<()> {
        remove_file(&self.path_of(key)?).await
    }

    async fn list_photos(&self, prefix: &str) -> Result<Vec<String>> {
        let root = self.root.clone();
        let prefix = prefix.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut keys = Vec::new();
            collect_keys(&root, &root, &mut keys).map_err(io_error)?;
            keys.retain(|key| key.starts_with(&prefix) && !key.contains(".partial-"));
            keys.sort();
            Ok(keys)
        })
        .await
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
    }

    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<PresignedRequest> {
        check_object(key, content_type, None, self.max_bytes)?;
        self.presign(
            "PUT",
            key,
            expires_in,
            vec![("content-type".into(), content_type.into())],
        )
    }

    async fn presign_get(&self, key: &str, expires_in: Duration) -> Result<PresignedRequest> {
        self.presign("GET", key, expires_in, Vec::new())
    }
}

#[async_trait]
impl GallerySnapshots for FolderPhotoStore {
    async fn gallery_snapshot(&self) -> Result<Option<Vec<u8>>> {
        read_file(&self.root.join(GALLERY_SNAPSHOT_KEY)).await
    }

    async fn put_gallery_snapshot(&self, bytes: Vec<u8>) -> Result<()> {
        write_file(self.root.join(GALLERY_SNAPSHOT_KEY), bytes).await
    }

    async fn delete_gallery_snapshot(&self) -> Result<()> {
        remove_file(&self.root.join(GALLERY_SNAPSHOT_KEY)).await
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it, so readers never see
/// a partial file.
async fn write_file(path: PathBuf, bytes: Vec<u8>) -> Result<()> {
    tokio::task::spawn_blocking(move || {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let partial = path.with_extension(format!("partial-{}", uuid::Uuid::new_v4().simple()));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)
    })
    .await
    .map_err(|e| StoreError::Unavailable(e.to_string()))?
    .map_err(io_error)
}

/// The file's bytes, or `None` when it does not exist.
async fn read_file(path: &Path) -> Result<Option<Vec<u8>>> {
    match tokio::fs::read(path).await {
        Ok(bytes) => Ok(Some(bytes)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(io_error(error)),
    }
}

/// Removes the file; a missing file is not an error.
async fn remove_file(path: &Path) -> Result<()> {
    match tokio::fs::remove_file(path).await {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(io_error(error)),
    }
}

/// Every file below `dir`, as a key relative to `root`.
fn collect_keys(root: &Path, dir: &Path, keys: &mut Vec<String>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_keys(root, &path, keys)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            keys.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lintas_core::ports::conformance;

    fn store(name: &str) -> (FolderPhotoStore, PathBuf) {
        let dir = std::env::temp_dir().join(format!("lintas-photos-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (
            FolderPhotoStore::new(
                &dir,
                "http://127.0.0.1:8080",
                b"test-key".to_vec(),
                1024 * 1024,
            ),
            dir,
        )
    }

    #[tokio::test]
    async fn the_folder_store_passes_the_photo_conformance_suite() {
        let (photos, dir) = store("conformance");
        conformance::check_photos(&photos).await;
        conformance::check_gallery_snapshots(&photos).await;
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn keys_that_leave_the_folder_are_refused() {
        let (photos, _) = store("traversal");
        for key in ["../etc/passwd", "/abs", "a//b", "a/./b", "a\\b", ""] {
            assert!(
                matches!(
                    photos.put_photo(key, vec![1], "image/jpeg").await,
                    Err(StoreError::Invalid(_))
                ),
                "{key}"
            );
        }
    }

    #[tokio::test]
    async fn signed_urls_verify_only_unchanged_and_unexpired() {
        let (photos, _) = store("signing");
        let request = photos
            .presign_put("enrollments/a/u.jpg", "image/jpeg", Duration::from_secs(60))
            .await
            .unwrap();
        let query = request.url.split_once('?').unwrap().1;
        let field = |name: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .unwrap()
        };
        let expires: i64 = field("expires").parse().unwrap();
        let signature = field("signature");
        assert!(photos.verify("PUT", "enrollments/a/u.jpg", expires, signature));
        assert!(!photos.verify("GET", "enrollments/a/u.jpg", expires, signature));
        assert!(!photos.verify("PUT", "enrollments/b/u.jpg", expires, signature));
        assert!(!photos.verify("PUT", "enrollments/a/u.jpg", expires + 1, signature));
        let past = Utc::now().timestamp() - 1;
        assert!(!photos.verify(
            "PUT",
            "enrollments/a/u.jpg",
            past,
            &photos.signature("PUT", "enrollments/a/u.jpg", past)
        ));
    }
}
