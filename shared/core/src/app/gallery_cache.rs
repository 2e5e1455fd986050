//! The process's 1:N gallery, loaded once and reloaded only when the store's gallery version
//! changes (checked at most once per interval).
//!
//! A load reads the gallery snapshot first and uses it when it carries the store's current
//! version; otherwise it reads every template from the store and publishes a fresh snapshot
//! for the next cold start. A snapshot is never trusted beyond its version: one written while
//! the gallery changed is deleted again by its writer, and a stale one is simply replaced.

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::domain::FaceTemplate;
use crate::ports::{GallerySnapshots, PageRequest, StoreError, TemplateStore};
use lintas_face::embedding::ModelId;
use lintas_face::gallery::Gallery;
use lintas_face::gallery_snapshot::{self, Snapshot};

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

    /// Adds a template this process has just stored, without reading the store; `version`
    /// is what the store returned for that write. When the loaded gallery is exactly one
    /// version behind, it now equals the store's. When a reload already holds that version
    /// (it ran between the write and this call), nothing is added twice. When other changes
    /// came in between, the template is added so this process sees it at once, but the
    /// version stays behind so the next check reloads everything.
    pub fn add(&self, template: &FaceTemplate, version: u64) -> Result<(), StoreError> {
        let mut loaded = self.loaded.write().map_err(|_| poisoned())?;
        if loaded.version >= version {
            return Ok(());
        }
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
        if loaded.version + 1 == version {
            loaded.version = version;
        }
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
