//! Quality gates: face size, sharpness, exposure and pose, each with its own reason code.

use image::RgbImage;
use serde::{Deserialize, Serialize};

use super::align::{Similarity, template};
use lintas_face::FaceError;
use lintas_face::detection::Detection;
use lintas_face::quality::QualityReport;

/// Limits a face must meet to be enrolled or matched.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityThresholds {
    /// Least face width in pixels.
    pub min_face_width: f32,
    /// Least Laplacian variance.
    pub min_sharpness: f32,
    /// Least mean luma.
    pub min_brightness: f32,
    /// Most mean luma.
    pub max_brightness: f32,
    /// Largest absolute yaw offset.
    pub max_yaw: f32,
    /// Largest absolute pitch offset.
    pub max_pitch: f32,
    /// Largest absolute roll in degrees.
    pub max_roll: f32,
}

impl Default for QualityThresholds {
    fn default() -> Self {
        Self {
            min_face_width: 40.0,
            min_sharpness: 20.0,
            min_brightness: 40.0,
            max_brightness: 215.0,
            max_yaw: 0.35,
            max_pitch: 0.35,
            max_roll: 30.0,
        }
    }
}

impl QualityThresholds {
    /// As [`QualityThresholds::check`], but any head pose passes (a challenge frame turned
    /// as asked).
    pub fn check_ignoring_pose(&self, report: &QualityReport) -> Result<(), FaceError> {
        let any_pose = Self {
            max_yaw: f32::INFINITY,
            max_pitch: f32::INFINITY,
            max_roll: f32::INFINITY,
            ..self.clone()
        };
        any_pose.check(report)
    }

    /// Fails with the first gate `report` does not pass.
    pub fn check(&self, report: &QualityReport) -> Result<(), FaceError> {
        if report.face_width < self.min_face_width {
            return Err(FaceError::FaceTooSmall {
                size: report.face_width,
                min: self.min_face_width,
            });
        }
        if report.brightness < self.min_brightness {
            return Err(FaceError::FaceTooDark {
                brightness: report.brightness,
                min: self.min_brightness,
            });
        }
        if report.brightness > self.max_brightness {
            return Err(FaceError::FaceOverexposed {
                brightness: report.brightness,
                max: self.max_brightness,
            });
        }
        if report.yaw.abs() > self.max_yaw {
            return Err(FaceError::PoseNotFrontal(format!(
                "turned sideways by {:.2}",
                report.yaw
            )));
        }
        if report.pitch.abs() > self.max_pitch {
            return Err(FaceError::PoseNotFrontal(format!(
                "tilted up or down by {:.2}",
                report.pitch
            )));
        }
        if report.roll.abs() > self.max_roll {
            return Err(FaceError::PoseNotFrontal(format!(
                "head tilted by {:.0} degrees",
                report.roll
            )));
        }
        if report.sharpness < self.min_sharpness {
            return Err(FaceError::FaceBlurred {
                sharpness: report.sharpness,
                min: self.min_sharpness,
            });
        }
        Ok(())
    }
}

/// Measures the detected face and its aligned crop.
pub fn assess(detection: &Detection, aligned: &RgbImage) -> QualityReport {
    let [left_eye, right_eye, ..] = detection.landmarks;
    let roll = (right_eye.y - left_eye.y)
        .atan2(right_eye.x - left_eye.x)
        .to_degrees();
    let (yaw, pitch) = pose_offsets(detection);
    let luma = central_luma(aligned);
    QualityReport {
        score: detection.score,
        face_width: detection.bbox.width,
        sharpness: laplacian_variance(&luma),
        brightness: luma.values.iter().sum::<f32>() / luma.values.len().max(1) as f32,
        yaw,
        pitch,
        roll,
    }
}

/// Nose offsets from the template after removing scale and roll, in eye distances.
fn pose_offsets(detection: &Detection) -> (f32, f32) {
    let canonical = template();
    let to_crop = Similarity::estimate(&detection.landmarks, &canonical);
    let eyes_and_mouth = [0, 1, 3, 4].map(|i| detection.landmarks[i]);
    let frame = [canonical[0], canonical[1], canonical[3], canonical[4]];
    let [le, re, lm, rm] = eyes_and_mouth.map(|p| to_crop.apply(p));
    let nose = to_crop.apply(detection.landmarks[2]);
    let eye_distance = le.distance(re).max(1.0);
    let centre_x = (le.x + re.x + lm.x + rm.x) / 4.0;
    let canonical_centre_x = frame.iter().map(|p| p.x).sum::<f32>() / 4.0;
    let yaw = ((nose.x - centre_x) - (canonical[2].x - canonical_centre_x)) / eye_distance;
    let eye_y = (le.y + re.y) / 2.0;
    let mouth_y = (lm.y + rm.y) / 2.0;
    let ratio = (nose.y - eye_y) / (mouth_y - eye_y).abs().max(1.0);
    let canonical_eye_y = (canonical[0].y + canonical[1].y) / 2.0;
    let canonical_mouth_y = (canonical[3].y + canonical[4].y) / 2.0;
    let canonical_ratio =
        (canonical[2].y - canonical_eye_y) / (canonical_mouth_y - canonical_eye_y);
    (yaw, ratio - canonical_ratio)
}

/// The grey levels of the central part of the aligned crop (eyes to chin).
struct Luma {
    width: usize,
    values: Vec<f32>,
}

fn central_luma(aligned: &RgbImage) -> Luma {
    let (width, height) = (aligned.width() as usize, aligned.height() as usize);
    let (x0, x1, y0, y1) = (width / 4, width * 3 / 4, height / 4, height * 7 / 8);
    let mut values = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in y0..y1 {
        for x in x0..x1 {
            let [r, g, b] = aligned.get_pixel(x as u32, y as u32).0.map(f32::from);
            values.push(0.299 * r + 0.587 * g + 0.114 * b);
        }
    }
    Luma {
        width: x1 - x0,
        values,
    }
}

/// Variance of the 4-neighbour Laplacian: low on blurred faces.
fn laplacian_variance(luma: &Luma) -> f32 {
    let width = luma.width;
    let height = luma.values.len() / width.max(1);
    if width < 3 || height < 3 {
        return 0.0;
    }
    let at = |x: usize, y: usize| luma.values[y * width + x];
    let mut responses = Vec::with_capacity((width - 2) * (height - 2));
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            responses
                .push(at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y));
        }
    }
    let mean = responses.iter().sum::<f32>() / responses.len() as f32;
    responses.iter().map(|r| (r - mean).powi(2)).sum::<f32>() / responses.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use lintas_face::geometry::BoundingBox;

    fn frontal_detection() -> Detection {
        Detection {
            bbox: BoundingBox {
                x: 0.0,
                y: 0.0,
                width: 120.0,
                height: 140.0,
            },
            landmarks: template(),
            score: 0.95,
        }
    }

    #[test]
    fn the_canonical_face_is_frontal() {
        let (yaw, pitch) = pose_offsets(&frontal_detection());
        assert!(yaw.abs() < 1e-4 && pitch.abs() < 1e-4);
    }

    #[test]
    fn a_flat_crop_is_blurred_and_a_black_one_too_dark() {
        let report = assess(&frontal_detection(), &RgbImage::new(160, 160));
        assert_eq!(report.sharpness, 0.0);
        let error = QualityThresholds::default().check(&report).unwrap_err();
        assert_eq!(error.code(), "face_too_dark");
    }

    #[test]
    fn a_nose_far_to_the_side_is_not_frontal() {
        let mut detection = frontal_detection();
        detection.landmarks[2].x += 40.0;
        let report = assess(
            &detection,
            &RgbImage::from_pixel(160, 160, image::Rgb([128, 128, 128])),
        );
        assert!(report.yaw > 0.5);
        let error = QualityThresholds::default().check(&report).unwrap_err();
        assert_eq!(error.code(), "pose_not_frontal");
    }
}
