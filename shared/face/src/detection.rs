//! A face found by a detector, in original image coordinates.

use serde::{Deserialize, Serialize};

use crate::geometry::{BoundingBox, Point};

/// One detected face in original image coordinates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// The face box.
    pub bbox: BoundingBox,
    /// Eye on the image's left, eye on the image's right, nose tip, mouth corner on the
    /// image's left, mouth corner on the image's right.
    pub landmarks: [Point; 5],
    /// Confidence in `[0, 1]`.
    pub score: f32,
}

impl Detection {
    /// Multiplies every coordinate by `factor`.
    pub fn rescale(&mut self, factor: f32) {
        self.bbox.x *= factor;
        self.bbox.y *= factor;
        self.bbox.width *= factor;
        self.bbox.height *= factor;
        for point in &mut self.landmarks {
            point.x *= factor;
            point.y *= factor;
        }
    }
}
