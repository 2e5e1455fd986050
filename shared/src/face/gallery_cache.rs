//! The process's 1:N gallery, loaded once and reloaded only when the store's gallery version
//! changes (checked at most once per interval).
//!
//! A load reads the gallery snapshot first and uses it when it carries the store's current
//! version; otherwise it reads every template from the store and publishes a fresh snapshot
//! for the next cold start. A snapshot is never trusted beyond its version: one written while
//! the gallery changed is deleted again by its writer, and a stale one is simply replaced.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::embedding::ModelId;
use super::gallery::Gallery;
use super::gallery_snapshot::{self, Snapshot};
use crate::domain::FaceTemplate;
use crate::ports::{GallerySnapshots, PageRequest, StoreError, TemplateStore};

/// A gallery shared by every request of a process.
pub struct GalleryCache {
    model: ModelId,
    snapshots: Arc<dyn GallerySnapshots>,
    check_interval: Duration,
    loaded: RwLock<Loaded>,
    last_check: Mutex<Instant>,
}

/// A loaded gallery and the store version it reflects.
#[derive(Clone)]
struct Loaded {
    version: u64,
    gallery: Arc<Gallery>,
    skipped: usize,
}

impl GalleryCache {
    /// Loads every template of `model`, from the snapshot in `snapshots` when it is current,
    /// else from `store`.
    pub async fn load(
        store: &dyn TemplateStore,
        snapshots: Arc<dyn GallerySnapshots>,
        model: ModelId,
        check_interval: Duration,
    ) -> Result<Self, StoreError> {
        let loaded = load(store, snapshots.as_ref(), &model).await?;
        Ok(Self {
            model,
            snapshots,
            check_interval,
            loaded: RwLock::new(loaded),
            last_check: Mutex::new(Instant::now()),
        })
    }

    /// The gallery, reloaded first if the interval has passed and the store changed.
    pub async fn current(&self, store: &dyn TemplateStore) -> Result<Arc<Gallery>, StoreError> {
        let due = {
            let mut last = self.last_check.lock().map_err(|_| poisoned())?;
            let due = last.elapsed() >= self.check_interval;
            if due {
                *last = Instant::now();
            }
            due
        };
        if due {
            self.refresh(store).await?;
        }
        Ok(self.read()?.gallery)
    }

    /// Reloads now if the store's version differs from the loaded one.
    pub async fn refresh(&self, store: &dyn TemplateStore) -> Result<(), StoreError> {
        let version = store.gallery_version().await?;
        if version != self.read()?.version {
            let loaded = load(store, self.snapshots.as_ref(), &self.model).await?;
            *self.loaded.write().map_err(|_| poisoned())? = loaded;
        }
        Ok(())
    }

    /// Adds a template this process has just stored, without reading the store. Storing it
    /// moved the store's version by exactly one, so the loaded version moves by one too: it
    /// still equals the store's unless another process changed the gallery meanwhile, and
    /// then the next check reloads as usual.
    pub fn add(&self, template: &FaceTemplate) -> Result<(), StoreError> {
        let mut loaded = self.loaded.write().map_err(|_| poisoned())?;
        if template.embedding.model() == &self.model {
            Arc::make_mut(&mut loaded.gallery)
                .insert(
                    template.id.to_string(),
                    template.employee_id.as_str(),
                    &template.embedding,
                )
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        } else {
            loaded.skipped += 1;
        }
        loaded.version += 1;
        Ok(())
    }

    /// Templates of other models left out of the gallery at the last load.
    pub fn skipped_templates(&self) -> Result<usize, StoreError> {
        Ok(self.read()?.skipped)
    }

    fn read(&self) -> Result<Loaded, StoreError> {
        self.loaded
            .read()
            .map(|l| l.clone())
            .map_err(|_| poisoned())
    }
}

fn poisoned() -> StoreError {
    StoreError::Unavailable("the gallery lock is poisoned".into())
}

/// Reads the version first, then the snapshot if it is current, else every template.
async fn load(
    store: &dyn TemplateStore,
    snapshots: &dyn GallerySnapshots,
    model: &ModelId,
) -> Result<Loaded, StoreError> {
    let version = store.gallery_version().await?;
    if let Some(snapshot) = current_snapshot(snapshots, model, version).await {
        return Ok(Loaded {
            version,
            gallery: Arc::new(snapshot.gallery),
            skipped: snapshot.skipped,
        });
    }
    let (gallery, skipped) = load_templates(store, model).await?;
    let snapshot = Snapshot {
        version,
        skipped,
        gallery,
    };
    if let Err(error) = publish(store, snapshots, &snapshot).await {
        tracing::warn!(%error, "the gallery snapshot was not written");
    }
    Ok(Loaded {
        version,
        gallery: Arc::new(snapshot.gallery),
        skipped,
    })
}

/// The stored snapshot when it holds `model` at `version`; any failure only means the
/// templates are read from the store instead.
async fn current_snapshot(
    snapshots: &dyn GallerySnapshots,
    model: &ModelId,
    version: u64,
) -> Option<Snapshot> {
    let bytes = match snapshots.gallery_snapshot().await {
        Ok(bytes) => bytes?,
        Err(error) => {
            tracing::warn!(%error, "the gallery snapshot could not be read");
            return None;
        }
    };
    match gallery_snapshot::decode(&bytes) {
        Ok(snapshot) if snapshot.version == version && snapshot.gallery.model() == model => {
            Some(snapshot)
        }
        Ok(_) => None,
        Err(error) => {
            tracing::warn!(%error, "the gallery snapshot is unreadable");
            None
        }
    }
}

/// Writes `snapshot`, then deletes it again if the gallery changed meanwhile, so a snapshot
/// never outlives a deletion it does not reflect.
async fn publish(
    store: &dyn TemplateStore,
    snapshots: &dyn GallerySnapshots,
    snapshot: &Snapshot,
) -> Result<(), StoreError> {
    snapshots
        .put_gallery_snapshot(gallery_snapshot::encode(snapshot))
        .await?;
    if store.gallery_version().await? != snapshot.version {
        snapshots.delete_gallery_snapshot().await?;
    }
    Ok(())
}

/// Every template of `model` from the store, each segment read concurrently, and the number
/// of templates of other models left out.
async fn load_templates(
    store: &dyn TemplateStore,
    model: &ModelId,
) -> Result<(Gallery, usize), StoreError> {
    let segments = (0..store.gallery_segments()).map(|segment| read_segment(store, segment));
    let mut gallery = Gallery::new(model.clone());
    let mut skipped = 0;
    for templates in futures::future::try_join_all(segments).await? {
        for template in templates {
            if template.embedding.model() != model {
                skipped += 1;
                continue;
            }
            gallery
                .insert(
                    template.id.to_string(),
                    template.employee_id.as_str(),
                    &template.embedding,
                )
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        }
    }
    Ok((gallery, skipped))
}

/// Every template of one segment, page by page.
async fn read_segment(
    store: &dyn TemplateStore,
    segment: u32,
) -> Result<Vec<FaceTemplate>, StoreError> {
    let mut templates = Vec::new();
    let mut request = PageRequest::first(PageRequest::MAX_LIMIT);
    loop {
        let page = store.gallery_segment(segment, &request).await?;
        templates.extend(page.items);
        match page.next {
            Some(cursor) => request.cursor = Some(cursor),
            None => return Ok(templates),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::local::{FolderPhotoStore, SqliteStore};
    use crate::domain::Id;
    use crate::ports::conformance::template;

    fn stores(name: &str) -> (SqliteStore, Arc<FolderPhotoStore>, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("lintas-gallery-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&dir.join("g.db")).unwrap();
        let folder = FolderPhotoStore::new(dir.join("photos"), "http://x", b"k".to_vec(), 1 << 20);
        (store, Arc::new(folder), dir)
    }

    fn model() -> ModelId {
        template("x", "x", 0).embedding.model().clone()
    }

    /// The gallery a new process loads.
    async fn cold_load(store: &SqliteStore, snapshots: &Arc<FolderPhotoStore>) -> Arc<Gallery> {
        let cache = GalleryCache::load(store, snapshots.clone(), model(), Duration::ZERO)
            .await
            .unwrap();
        cache.current(store).await.unwrap()
    }

    async fn stored_snapshot(snapshots: &FolderPhotoStore) -> Snapshot {
        let bytes = snapshots.gallery_snapshot().await.unwrap().unwrap();
        gallery_snapshot::decode(&bytes).unwrap()
    }

    #[tokio::test]
    async fn the_gallery_follows_the_store_and_skips_other_models() {
        let (store, snapshots, dir) = stores("follow");
        store.add_template(&template("t1", "ann", 1)).await.unwrap();
        let cache = GalleryCache::load(&store, snapshots.clone(), model(), Duration::ZERO)
            .await
            .unwrap();
        assert_eq!(cache.current(&store).await.unwrap().len(), 1);

        store.add_template(&template("t2", "ben", 2)).await.unwrap();
        assert_eq!(
            cache.current(&store).await.unwrap().len(),
            2,
            "a new template is seen"
        );
        store
            .delete_template(&Id::parse("ann").unwrap(), &Id::parse("t1").unwrap())
            .await
            .unwrap();
        assert_eq!(
            cache.current(&store).await.unwrap().len(),
            1,
            "a deletion is seen"
        );
        let published = stored_snapshot(&snapshots).await;
        assert_eq!(published.version, store.gallery_version().await.unwrap());
        assert!(
            published
                .gallery
                .entries()
                .all(|(_, employee, _)| employee == "ben"),
            "the published snapshot no longer holds the deleted template"
        );

        let slow = GalleryCache::load(
            &store,
            snapshots,
            ModelId::new("another-model"),
            Duration::from_secs(3600),
        )
        .await
        .unwrap();
        assert_eq!(slow.current(&store).await.unwrap().len(), 0);
        assert_eq!(slow.skipped_templates().unwrap(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_template_stored_here_is_added_without_a_reload() {
        let (store, snapshots, dir) = stores("added");
        store.add_template(&template("t1", "ann", 1)).await.unwrap();
        let cache = GalleryCache::load(&store, snapshots, model(), Duration::from_secs(3600))
            .await
            .unwrap();
        let own = template("t2", "ben", 2);
        store.add_template(&own).await.unwrap();
        cache.add(&own).unwrap();
        let gallery = cache.current(&store).await.unwrap();
        assert!(gallery.has_employee("ben"));
        cache.refresh(&store).await.unwrap();
        assert!(
            Arc::ptr_eq(&gallery, &cache.current(&store).await.unwrap()),
            "the versions agree, so nothing is reloaded"
        );

        store.add_template(&template("t3", "cal", 3)).await.unwrap();
        let own = template("t4", "dan", 4);
        store.add_template(&own).await.unwrap();
        cache.add(&own).unwrap();
        cache.refresh(&store).await.unwrap();
        let gallery = cache.current(&store).await.unwrap();
        assert!(
            gallery.has_employee("cal") && gallery.len() == 4,
            "another process's template is picked up by a reload"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_snapshot_is_used_only_at_the_current_version() {
        let (store, snapshots, dir) = stores("version");
        store.add_template(&template("t1", "ann", 1)).await.unwrap();
        let version = store.gallery_version().await.unwrap();
        let mut marked = Gallery::new(model());
        let decoy = template("decoy", "zed", 3);
        marked.insert("decoy", "zed", &decoy.embedding).unwrap();
        let at = |version| Snapshot {
            version,
            skipped: 0,
            gallery: marked.clone(),
        };

        snapshots
            .put_gallery_snapshot(gallery_snapshot::encode(&at(version)))
            .await
            .unwrap();
        let gallery = cold_load(&store, &snapshots).await;
        assert!(
            gallery.has_employee("zed") && !gallery.has_employee("ann"),
            "a current snapshot is read instead of the templates"
        );

        snapshots
            .put_gallery_snapshot(gallery_snapshot::encode(&at(version - 1)))
            .await
            .unwrap();
        let gallery = cold_load(&store, &snapshots).await;
        assert!(gallery.has_employee("ann") && !gallery.has_employee("zed"));
        assert!(
            stored_snapshot(&snapshots)
                .await
                .gallery
                .has_employee("ann"),
            "a stale snapshot is replaced"
        );

        snapshots
            .put_gallery_snapshot(b"garbage".to_vec())
            .await
            .unwrap();
        assert!(cold_load(&store, &snapshots).await.has_employee("ann"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
