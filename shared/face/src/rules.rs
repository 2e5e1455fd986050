//! Every rule that turns face measurements into decisions, as one value the use cases hold.

use serde::{Deserialize, Serialize};

use crate::decision::DecisionPolicy;
use crate::liveness::LivenessRule;
use crate::pose::PoseRule;

/// The measured rules of a deployment: the `[decisions]`, `[liveness]` and `[pose]`
/// sections of `lintas.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaceRules {
    /// Operating points of verification, identification and duplicate detection.
    pub decisions: DecisionPolicy,
    /// When a frame counts as a live capture.
    pub liveness: LivenessRule,
    /// When a frame shows the head pose a challenge asked for.
    pub pose: PoseRule,
}

impl FaceRules {
    /// Checks every rule.
    pub fn validate(&self) -> Result<(), String> {
        self.decisions.validate()?;
        let liveness = &self.liveness;
        if !(0.0..=1.0).contains(&liveness.threshold) {
            return Err(format!(
                "liveness.threshold must be within 0 and 1, not {}",
                liveness.threshold
            ));
        }
        if !(liveness.min_face_width >= 0.0 && liveness.min_chroma >= 0.0) {
            return Err("liveness.min_face_width and min_chroma must not be negative".into());
        }
        let pose = &self.pose;
        if !(pose.max_frontal_turn > 0.0 && pose.min_turn_change > pose.max_frontal_turn / 2.0) {
            return Err(
                "pose.max_frontal_turn must be positive and min_turn_change above half of it"
                    .into(),
            );
        }
        Ok(())
    }
}
