//! The process's 1:N gallery, loaded once from the template store and reloaded only when
//! the store's gallery version changes (checked at most once per interval).

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use super::embedding::ModelId;
use super::gallery::Gallery;
use crate::domain::FaceTemplate;
use crate::ports::{PageRequest, StoreError, TemplateStore};

/// A gallery shared by every request of a process.
pub struct GalleryCache {
    model: ModelId,
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
    /// Loads every template of `model` from `store`.
    pub async fn load(
        store: &dyn TemplateStore,
        model: ModelId,
        check_interval: Duration,
    ) -> Result<Self, StoreError> {
        let loaded = load(store, &model).await?;
        Ok(Self {
            model,
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
            let loaded = load(store, &self.model).await?;
            *self.loaded.write().map_err(|_| poisoned())? = loaded;
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

/// Reads the version first, then every segment concurrently, so a change during the load is
/// seen next time.
async fn load(store: &dyn TemplateStore, model: &ModelId) -> Result<Loaded, StoreError> {
    let version = store.gallery_version().await?;
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
    Ok(Loaded {
        version,
        gallery: Arc::new(gallery),
        skipped,
    })
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
    use crate::adapters::local::SqliteStore;
    use crate::domain::Id;
    use crate::ports::conformance::template;

    #[tokio::test]
    async fn the_gallery_follows_the_store_and_skips_other_models() {
        let dir = std::env::temp_dir().join(format!("lintas-gallery-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&dir.join("g.db")).unwrap();
        store.add_template(&template("t1", "ann", 1)).await.unwrap();
        let model = template("x", "x", 0).embedding.model().clone();
        let cache = GalleryCache::load(&store, model, Duration::ZERO)
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

        let slow = GalleryCache::load(
            &store,
            ModelId::new("another-model"),
            Duration::from_secs(3600),
        )
        .await
        .unwrap();
        assert_eq!(slow.current(&store).await.unwrap().len(), 0);
        assert_eq!(slow.skipped_templates().unwrap(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
