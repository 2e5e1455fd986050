//! Passive liveness: what the anti-spoofing models measured on a frame, and the rule that
//! turns it into a verdict.

use serde::{Deserialize, Serialize};

/// What the passive anti-spoofing models measured on one face of one frame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LivenessReport {
    /// Fused probability that the face is a live capture (the mean of the models' scores).
    pub score: f32,
    /// Each model's probability of a live capture, in the engine's model order.
    pub model_scores: Vec<f32>,
    /// Mean difference between the colour channels over the face region (0 for a
    /// grayscale picture); the models call every grayscale picture a spoof.
    pub chroma: f32,
    /// Face box width in pixels of the frame the models saw.
    pub face_width: f32,
}

/// What a deployment decides from a [`LivenessReport`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LivenessRule {
    /// Least fused score of a live capture.
    pub threshold: f32,
    /// Least face width in pixels for a score to mean anything (the quality gates' floor:
    /// the models' crops, 2.7 and 4 times the face, still hold more pixels than their 80x80
    /// input); a smaller face is unverifiable, not a spoof.
    pub min_face_width: f32,
    /// Least chroma of a colour frame; below it the frame is grayscale and unverifiable.
    pub min_chroma: f32,
    /// Two photos whose embeddings are at least this similar are one capture (the same
    /// file, re-encoded or resized), never two live captures: a selfie this close to one
    /// of the employee's recent punches is a replay, and challenge frames this close to
    /// each other are not distinct.
    pub replay_cosine: f32,
}

impl Default for LivenessRule {
    fn default() -> Self {
        Self {
            threshold: 0.5,
            min_face_width: 40.0,
            min_chroma: 2.0,
            replay_cosine: 0.97,
        }
    }
}

/// The verdict on one frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LivenessVerdict {
    /// A live capture, as far as the models can tell.
    Live,
    /// A presentation attack is suspected (print, screen).
    Attack,
    /// The frame is grayscale: the models cannot judge it.
    Grayscale,
    /// The face is too small for the models' input.
    TooSmall,
}

impl LivenessRule {
    /// The verdict on `report`.
    pub fn judge(&self, report: &LivenessReport) -> LivenessVerdict {
        if report.chroma < self.min_chroma {
            LivenessVerdict::Grayscale
        } else if report.face_width < self.min_face_width {
            LivenessVerdict::TooSmall
        } else if report.score >= self.threshold {
            LivenessVerdict::Live
        } else {
            LivenessVerdict::Attack
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(score: f32, chroma: f32, face_width: f32) -> LivenessReport {
        LivenessReport {
            score,
            model_scores: vec![score, score],
            chroma,
            face_width,
        }
    }

    #[test]
    fn grayscale_and_small_faces_are_unverifiable_before_the_score_counts() {
        let rule = LivenessRule::default();
        assert_eq!(rule.judge(&report(0.9, 10.0, 120.0)), LivenessVerdict::Live);
        assert_eq!(rule.judge(&report(0.5, 10.0, 120.0)), LivenessVerdict::Live);
        assert_eq!(
            rule.judge(&report(0.1, 10.0, 120.0)),
            LivenessVerdict::Attack
        );
        assert_eq!(
            rule.judge(&report(0.9, 0.5, 120.0)),
            LivenessVerdict::Grayscale
        );
        assert_eq!(
            rule.judge(&report(0.9, 10.0, 30.0)),
            LivenessVerdict::TooSmall
        );
    }
}
