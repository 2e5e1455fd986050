//! The face engine and the 1:N gallery as the use cases see them: loaded once per process,
//! run on the blocking pool so inference never stalls the async workers.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::AppError;
use super::gallery_cache::GalleryCache;
use crate::domain::FaceTemplate;
use crate::ports::{GallerySnapshots, TemplateStore};
use lintas_face::decision::OperatingPoints;
use lintas_face::gallery::Gallery;
use lintas_face::rules::FaceRules;
use lintas_face::{FaceAnalysis, FaceAnalyzer, FacePolicy, Liveness};

/// How often a process checks whether the stored gallery changed.
pub(super) const GALLERY_CHECK_INTERVAL: Duration = Duration::from_secs(2);

/// The loaded engine, the gallery cache and the measured face rules.
pub(crate) struct Faces {
    engine: Arc<dyn FaceAnalyzer>,
    gallery: GalleryCache,
    rules: FaceRules,
    /// Analyses run at most this many at a time (one per core): more requests queue
    /// instead of multiplying the memory of decoded photos.
    analyses: Arc<Semaphore>,
}

impl Faces {
    /// Loads the gallery of `engine`'s model from its snapshot or from `templates`.
    pub(crate) async fn load(
        engine: Arc<dyn FaceAnalyzer>,
        rules: FaceRules,
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
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Ok(Self {
            engine,
            gallery,
            rules,
            analyses: Arc::new(Semaphore::new(cores)),
        })
    }

    /// The measured rules.
    pub(super) fn rules(&self) -> &FaceRules {
        &self.rules
    }

    /// The operating points for `gallery`'s current size.
    pub(super) fn points(&self, gallery: &Gallery) -> OperatingPoints {
        self.rules
            .decisions
            .at_gallery_size(gallery.people(), gallery.len())
    }

    /// Decodes `bytes` and embeds the face `policy` asks for (assessing its liveness when
    /// `liveness` asks), off the async workers.
    pub(super) async fn analyze(
        &self,
        bytes: Arc<Vec<u8>>,
        policy: FacePolicy,
        liveness: Liveness,
    ) -> Result<FaceAnalysis, AppError> {
        let engine = Arc::clone(&self.engine);
        let permit = Arc::clone(&self.analyses)
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(format!("analysis permits: {e}")))?;
        // The permit lives in the blocking task: a request cancelled while the analysis
        // runs does not let another one start beside it.
        tokio::task::spawn_blocking(move || {
            let analysis = engine.analyze(&bytes, policy, liveness);
            drop(permit);
            analysis
        })
        .await
        .map_err(|e| AppError::Internal(format!("face task: {e}")))?
        .map_err(AppError::from)
    }

    /// The gallery, refreshed when the store changed.
    pub(super) async fn gallery(
        &self,
        templates: &dyn TemplateStore,
    ) -> Result<Arc<Gallery>, AppError> {
        Ok(self.gallery.current(templates).await?)
    }

    /// Adds a template this process has just stored to the loaded gallery, without a reload.
    pub(super) fn added(&self, template: &FaceTemplate, version: u64) -> Result<(), AppError> {
        Ok(self.gallery.add(template, version)?)
    }

    /// Reloads the gallery now if the store changed (after this process deleted
    /// templates).
    pub(super) async fn refresh(&self, templates: &dyn TemplateStore) -> Result<(), AppError> {
        Ok(self.gallery.refresh(templates).await?)
    }
}
