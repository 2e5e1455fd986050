//! The face engine and the 1:N gallery as the use cases see them: loaded once per process,
//! run on the blocking pool so inference never stalls the async workers.

use std::sync::Arc;
use std::time::Duration;

use super::AppError;
use crate::domain::FaceTemplate;
use crate::face::gallery::{Gallery, MatchPolicy};
use crate::face::gallery_cache::GalleryCache;
use crate::face::{FaceAnalysis, FaceEngine, FacePolicy};
use crate::ports::{GallerySnapshots, TemplateStore};

/// How often a process checks whether the stored gallery changed.
pub const GALLERY_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// The loaded engine, the gallery cache and the match rule.
pub struct Faces {
    engine: Arc<FaceEngine>,
    gallery: GalleryCache,
    matching: MatchPolicy,
}

impl Faces {
    /// Loads the gallery of `engine`'s model from its snapshot or from `templates`.
    pub async fn load(
        engine: Arc<FaceEngine>,
        matching: MatchPolicy,
        templates: &dyn TemplateStore,
        snapshots: Arc<dyn GallerySnapshots>,
    ) -> Result<Self, AppError> {
        let gallery = GalleryCache::load(
            templates,
            snapshots,
            engine.model_id().clone(),
            GALLERY_CHECK_INTERVAL,
        )
        .await?;
        Ok(Self {
            engine,
            gallery,
            matching,
        })
    }

    /// The match rule.
    pub fn matching(&self) -> &MatchPolicy {
        &self.matching
    }

    /// The engine.
    pub fn engine(&self) -> &FaceEngine {
        &self.engine
    }

    /// Decodes `bytes` and embeds the face `policy` asks for, off the async workers.
    pub async fn analyze(
        &self,
        bytes: Arc<Vec<u8>>,
        policy: FacePolicy,
    ) -> Result<FaceAnalysis, AppError> {
        let engine = Arc::clone(&self.engine);
        tokio::task::spawn_blocking(move || engine.analyze(&bytes, policy))
            .await
            .map_err(|e| AppError::Internal(format!("face task: {e}")))?
            .map_err(AppError::from)
    }

    /// The gallery, refreshed when the store changed.
    pub async fn gallery(&self, templates: &dyn TemplateStore) -> Result<Arc<Gallery>, AppError> {
        Ok(self.gallery.current(templates).await?)
    }

    /// Adds a template this process has just stored to the loaded gallery, without a reload.
    pub fn added(&self, template: &FaceTemplate) -> Result<(), AppError> {
        Ok(self.gallery.add(template)?)
    }

    /// Reloads the gallery now if the store changed (after this process deleted
    /// templates).
    pub async fn refresh(&self, templates: &dyn TemplateStore) -> Result<(), AppError> {
        Ok(self.gallery.refresh(templates).await?)
    }
}
