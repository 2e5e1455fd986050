//! The face engine: every stage wired together, loaded once per process.

use std::path::PathBuf;

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::align::align;
use super::decode::{DecodeLimits, decode};
use super::detect::{DetectorConfig, FaceDetector};
use super::embed::Embedder;
use super::graph::GraphOptions;
use super::liveness::LivenessModels;
use super::models::{DETECTOR_FILE, EMBEDDER_FILE, ModelFile, default_model_dir};
use super::quality::{QualityThresholds, assess};
use lintas_face::FaceError;
use lintas_face::detection::Detection;
use lintas_face::embedding::{Embedding, ModelId};
use lintas_face::{FaceAnalysis, FaceAnalyzer, FacePolicy, Liveness};

/// Everything needed to build a [`FaceEngine`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    /// Folder holding the detector and the embedder (unset: [`default_model_dir`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_dir: Option<PathBuf>,
    /// Embedder file inside `model_dir` (or an absolute path), e.g. an fp32 model to compare.
    pub embedder_file: PathBuf,
    /// Detector settings.
    pub detector: DetectorConfig,
    /// Quality gates.
    pub quality: QualityThresholds,
    /// Decoding limits.
    pub decode: DecodeLimits,
    /// In a selfie, the largest face is taken when the next one is at most this fraction
    /// of its area; otherwise the photo is refused as showing several people.
    pub selfie_dominance: f32,
    /// Average each embedding with that of the mirrored crop (twice the embedding cost).
    pub mirror_average: bool,
    /// How the ONNX graphs are prepared before tract optimises them.
    pub graph: GraphOptions,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            model_dir: None,
            embedder_file: PathBuf::from(EMBEDDER_FILE),
            detector: DetectorConfig::default(),
            quality: QualityThresholds::default(),
            decode: DecodeLimits::default(),
            selfie_dominance: 0.4,
            mirror_average: false,
            graph: GraphOptions::default(),
        }
    }
}

impl EngineConfig {
    /// The model folder in force.
    pub fn model_dir(&self) -> PathBuf {
        self.model_dir.clone().unwrap_or_else(default_model_dir)
    }
}

/// Detector, embedder and anti-spoofing models, loaded and optimised once; share it by
/// reference across threads.
pub struct FaceEngine {
    detector: FaceDetector,
    embedder: Embedder,
    liveness: LivenessModels,
    config: EngineConfig,
}

impl FaceEngine {
    /// Loads every model from the configured model folder, the embedder (the slowest) on
    /// its own thread.
    pub fn load(config: EngineConfig) -> Result<Self, FaceError> {
        let dir = config.model_dir();
        let (detector, embedder, liveness) = std::thread::scope(|scope| {
            let graph = &config.graph;
            let embedder = scope.spawn(|| {
                Embedder::load(&ModelFile::read(&dir.join(&config.embedder_file))?, graph)
            });
            let detector = ModelFile::read(&dir.join(DETECTOR_FILE))
                .and_then(|file| FaceDetector::load(&file, config.detector.clone(), graph));
            let liveness = LivenessModels::load(&dir, graph);
            let embedder = embedder.join().unwrap_or_else(|_| {
                Err(FaceError::Inference("the embedder loader panicked".into()))
            });
            (detector, embedder, liveness)
        });
        Ok(Self {
            detector: detector?,
            embedder: embedder?,
            liveness: liveness?,
            config,
        })
    }

    /// The settings the engine runs with.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// The id of the embedding model; templates of other models are never compared.
    pub fn model_id(&self) -> &ModelId {
        self.embedder.model_id()
    }

    /// Decodes image bytes under the configured limits.
    pub fn decode(&self, bytes: &[u8]) -> Result<RgbImage, FaceError> {
        decode(bytes, &self.config.decode)
    }

    /// Finds every face, best score first.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, FaceError> {
        self.detector.detect(image)
    }

    /// Decodes, picks the face `policy` asks for, checks its quality and embeds it, and
    /// assesses its liveness on the decoded frame when `liveness` asks.
    pub fn analyze(
        &self,
        bytes: &[u8],
        policy: FacePolicy,
        liveness: Liveness,
    ) -> Result<FaceAnalysis, FaceError> {
        let image = match policy {
            FacePolicy::Selfie => decode(bytes, &self.config.decode.for_selfies())?,
            _ => self.decode(bytes)?,
        };
        self.analyze_image(&image, policy, liveness)
    }

    /// As [`FaceEngine::analyze`], on an already decoded image.
    pub fn analyze_image(
        &self,
        image: &RgbImage,
        policy: FacePolicy,
        liveness: Liveness,
    ) -> Result<FaceAnalysis, FaceError> {
        let faces = self.detect(image)?;
        let face = self.choose(faces, policy)?;
        let mut analysis = self.analyze_face(image, face)?;
        match policy {
            FacePolicy::Largest => {}
            FacePolicy::ChallengeFrame => {
                self.config.quality.check_ignoring_pose(&analysis.quality)?
            }
            FacePolicy::Selfie | FacePolicy::Enrollment => {
                self.config.quality.check(&analysis.quality)?
            }
        }
        if liveness == Liveness::Assess {
            analysis.liveness = Some(self.liveness.assess(image, &analysis.detection)?);
        }
        Ok(analysis)
    }

    /// Aligns, measures and embeds every detected face, without quality gates.
    pub fn analyze_all(&self, image: &RgbImage) -> Result<Vec<FaceAnalysis>, FaceError> {
        self.detect(image)?
            .into_iter()
            .map(|face| self.analyze_face(image, face))
            .collect()
    }

    /// The anti-spoofing models' report on a detected face of `image`.
    pub fn assess_liveness(
        &self,
        image: &RgbImage,
        face: &Detection,
    ) -> Result<lintas_face::liveness::LivenessReport, FaceError> {
        self.liveness.assess(image, face)
    }

    /// Embeds a face crop that is already aligned (resized to 160x160 if needed).
    pub fn embed_aligned(&self, crop: &RgbImage) -> Result<Embedding, FaceError> {
        let embedding = self.embedder.embed(crop)?;
        if !self.config.mirror_average {
            return Ok(embedding);
        }
        let mirrored = self
            .embedder
            .embed(&image::imageops::flip_horizontal(crop))?;
        embedding.averaged_with(&mirrored)
    }

    /// The aligned 160x160 crop of a detected face.
    pub fn align(&self, image: &RgbImage, face: &Detection) -> RgbImage {
        align(image, &face.landmarks)
    }

    fn analyze_face(
        &self,
        image: &RgbImage,
        detection: Detection,
    ) -> Result<FaceAnalysis, FaceError> {
        let crop = self.align(image, &detection);
        let quality = assess(&detection, &crop);
        let embedding = self.embed_aligned(&crop)?;
        Ok(FaceAnalysis {
            detection,
            quality,
            embedding,
            liveness: None,
        })
    }

    /// Applies the face-count rule of `policy`.
    fn choose(
        &self,
        mut faces: Vec<Detection>,
        policy: FacePolicy,
    ) -> Result<Detection, FaceError> {
        faces.sort_by(|a, b| b.bbox.area().total_cmp(&a.bbox.area()));
        let count = faces.len();
        let mut faces = faces.into_iter();
        let largest = faces.next().ok_or(FaceError::NoFace)?;
        let Some(second) = faces.next() else {
            return Ok(largest);
        };
        let clearly_dominates = match policy {
            FacePolicy::Selfie => {
                second.bbox.area() <= self.config.selfie_dominance * largest.bbox.area()
            }
            FacePolicy::Enrollment | FacePolicy::ChallengeFrame => {
                second.bbox.width < self.config.quality.min_face_width
            }
            FacePolicy::Largest => true,
        };
        if clearly_dominates {
            Ok(largest)
        } else {
            Err(FaceError::MultipleFaces { count })
        }
    }
}

impl FaceAnalyzer for FaceEngine {
    fn model_id(&self) -> &ModelId {
        FaceEngine::model_id(self)
    }

    fn analyze(
        &self,
        bytes: &[u8],
        policy: FacePolicy,
        liveness: Liveness,
    ) -> Result<FaceAnalysis, FaceError> {
        FaceEngine::analyze(self, bytes, policy, liveness)
    }
}
