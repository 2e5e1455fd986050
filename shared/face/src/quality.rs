//! The quality measurements of one face.

use serde::{Deserialize, Serialize};

/// Measurements of one face, kept with every template so decisions can be audited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    /// Detector confidence.
    pub score: f32,
    /// Face box width in pixels of the original image.
    pub face_width: f32,
    /// Variance of the Laplacian over the aligned face; higher is sharper.
    pub sharpness: f32,
    /// Mean luma (0-255) of the central face region.
    pub brightness: f32,
    /// Horizontal offset of the nose from the canonical position, as a fraction of the
    /// eye distance; 0 for a frontal face.
    pub yaw: f32,
    /// Vertical offset of the nose, likewise; 0 for a frontal face.
    pub pitch: f32,
    /// Tilt of the eye line in degrees.
    pub roll: f32,
}
