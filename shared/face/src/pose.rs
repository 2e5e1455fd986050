//! Head pose from the five landmarks, by a measure a flat picture cannot fake.
//!
//! The nose is written in the affine frame of the two eyes and the mouth centre:
//! `nose - eye_mid = turn * (right_eye - left_eye) + drop * (mouth_mid - eye_mid)`.
//! Both coordinates are unchanged by any affine motion of the image (moving, turning,
//! scaling or shearing a print), so a photo held at an angle keeps the pose of the face on
//! it; only a real head turn, which moves the nose out of the plane of the eyes and mouth,
//! changes `turn`. A perspective view of a print moves it a little (at most about 0.11 for
//! a print tilted by 40 degrees), real head turns move it by 0.2 to 0.7.

use serde::{Deserialize, Serialize};

use crate::geometry::Point;

/// Affine-invariant pose coordinates of one face.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoseMeasure {
    /// Sideways offset of the nose from the eye-to-mouth line, in eye-distance units;
    /// positive towards the image's right (the subject turned to their own left, in an
    /// unmirrored camera image).
    pub turn: f32,
    /// Position of the nose between the eye line (0) and the mouth (1).
    pub drop: f32,
}

impl PoseMeasure {
    /// The measure of `landmarks` (eye on the image's left, eye on the image's right,
    /// nose, mouth corner left, mouth corner right); `None` when the points are degenerate
    /// (eyes and mouth on one line).
    pub fn of(landmarks: &[Point; 5]) -> Option<Self> {
        let [left_eye, right_eye, nose, mouth_left, mouth_right] = *landmarks;
        let eye_mid = left_eye.midpoint(right_eye);
        let mouth_mid = mouth_left.midpoint(mouth_right);
        let across = (right_eye.x - left_eye.x, right_eye.y - left_eye.y);
        let down = (mouth_mid.x - eye_mid.x, mouth_mid.y - eye_mid.y);
        let offset = (nose.x - eye_mid.x, nose.y - eye_mid.y);
        let determinant = across.0 * down.1 - across.1 * down.0;
        let size = (across.0.hypot(across.1) * down.0.hypot(down.1)).max(f32::MIN_POSITIVE);
        if !determinant.is_finite() || determinant.abs() < 1e-3 * size {
            return None;
        }
        let turn = (offset.0 * down.1 - offset.1 * down.0) / determinant;
        let drop = (across.0 * offset.1 - across.1 * offset.0) / determinant;
        Some(Self { turn, drop })
    }
}

/// A head pose a liveness challenge asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pose {
    /// Looking at the camera.
    Frontal,
    /// Head turned to the subject's own left.
    Left,
    /// Head turned to the subject's own right.
    Right,
}

/// When a measured pose counts as the one asked for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PoseRule {
    /// Largest |turn| of a frontal frame.
    pub max_frontal_turn: f32,
    /// Least change of `turn` between the frontal frame and a turned one; above what a
    /// flat picture moves under perspective.
    pub min_turn_change: f32,
    /// Least cosine between the frontal frame and each turned frame of one challenge: all
    /// frames show the same person.
    pub min_frame_similarity: f32,
}

impl Default for PoseRule {
    fn default() -> Self {
        Self {
            max_frontal_turn: 0.12,
            min_turn_change: 0.22,
            min_frame_similarity: 0.5,
        }
    }
}

impl PoseRule {
    /// True when `measure` shows `pose`, given the `frontal` measure of the same sequence
    /// (a turned pose is judged by how far it moved from the frontal one).
    pub fn shows(&self, pose: Pose, measure: PoseMeasure, frontal: PoseMeasure) -> bool {
        let change = measure.turn - frontal.turn;
        match pose {
            Pose::Frontal => measure.turn.abs() <= self.max_frontal_turn,
            Pose::Left => change >= self.min_turn_change,
            Pose::Right => change <= -self.min_turn_change,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frontal face in image coordinates.
    fn frontal() -> [Point; 5] {
        [
            Point::new(40.0, 50.0),
            Point::new(80.0, 50.0),
            Point::new(60.0, 72.0),
            Point::new(45.0, 92.0),
            Point::new(75.0, 92.0),
        ]
    }

    fn affine(points: [Point; 5], m: [f32; 6]) -> [Point; 5] {
        points.map(|p| {
            Point::new(
                m[0] * p.x + m[1] * p.y + m[2],
                m[3] * p.x + m[4] * p.y + m[5],
            )
        })
    }

    #[test]
    fn a_frontal_face_has_no_turn() {
        let pose = PoseMeasure::of(&frontal()).unwrap();
        assert!(pose.turn.abs() < 1e-5, "{pose:?}");
        assert!((pose.drop - 22.0 / 42.0).abs() < 1e-5, "{pose:?}");
    }

    #[test]
    fn moving_or_shearing_a_flat_picture_never_changes_the_measure() {
        let mut turned = frontal();
        turned[2].x += 10.0;
        let reference = PoseMeasure::of(&turned).unwrap();
        for m in [
            [0.5, 0.0, 300.0, 0.0, 0.5, -20.0],
            [0.8, -0.6, 10.0, 0.6, 0.8, 5.0],
            [1.0, 0.7, 0.0, 0.0, 1.0, 0.0],
            [1.3, 0.2, -40.0, -0.1, 0.6, 12.0],
        ] {
            let moved = PoseMeasure::of(&affine(turned, m)).unwrap();
            assert!(
                (moved.turn - reference.turn).abs() < 1e-4,
                "{m:?}: {moved:?}"
            );
            assert!(
                (moved.drop - reference.drop).abs() < 1e-4,
                "{m:?}: {moved:?}"
            );
        }
    }

    #[test]
    fn turns_are_judged_against_the_frontal_frame() {
        let rule = PoseRule::default();
        let front = PoseMeasure::of(&frontal()).unwrap();
        let mut left = frontal();
        left[2].x += 10.0; // a quarter of the eye distance towards the image's right
        let left = PoseMeasure::of(&left).unwrap();
        assert!(rule.shows(Pose::Frontal, front, front));
        assert!(rule.shows(Pose::Left, left, front));
        assert!(!rule.shows(Pose::Right, left, front));
        assert!(!rule.shows(Pose::Frontal, left, front));
        assert!(!rule.shows(Pose::Left, front, front));
    }

    #[test]
    fn degenerate_landmarks_have_no_measure() {
        let line = [Point::new(0.0, 0.0); 5];
        assert_eq!(PoseMeasure::of(&line), None);
    }
}
