//! What the use cases need of a face engine: one photo in, one measured face out.

use serde::{Deserialize, Serialize};

use crate::FaceError;
use crate::detection::Detection;
use crate::embedding::{Embedding, ModelId};
use crate::liveness::LivenessReport;
use crate::quality::QualityReport;

/// Which faces a photo may show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FacePolicy {
    /// A check-in selfie: the largest face, if it clearly dominates.
    Selfie,
    /// An enrollment photo: exactly one face of usable size.
    Enrollment,
    /// A frame of a liveness challenge: exactly one face of usable size, in any head pose
    /// (the pose is the challenge's to judge).
    ChallengeFrame,
    /// The largest face, with no quality gate: for accuracy evaluation and tools.
    Largest,
}

/// Whether the passive anti-spoofing models look at the face (about 20 ms on one core).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// Not assessed.
    Skip,
    /// Assessed on the original frame.
    Assess,
}

/// One face found, measured and embedded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaceAnalysis {
    /// Where the face is.
    pub detection: Detection,
    /// Its quality measurements.
    pub quality: QualityReport,
    /// Its embedding.
    pub embedding: Embedding,
    /// What the anti-spoofing models measured, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<LivenessReport>,
}

/// A loaded face engine as the use cases see it; implemented over the inference runtime
/// by `lintas-engine`, so functions that never look at a face do not link it.
pub trait FaceAnalyzer: Send + Sync {
    /// The embedder whose embeddings this engine produces.
    fn model_id(&self) -> &ModelId;

    /// Decodes `bytes` and measures and embeds the face `policy` asks for, assessing its
    /// liveness when `liveness` says so.
    fn analyze(
        &self,
        bytes: &[u8],
        policy: FacePolicy,
        liveness: Liveness,
    ) -> Result<FaceAnalysis, FaceError>;
}
