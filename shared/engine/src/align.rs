//! Alignment: a 5-point similarity transform onto a canonical 160x160 face template.

use image::RgbImage;

use super::sampling::{Sampler, sample_offsets};
use lintas_face::geometry::Point;

/// Side of the aligned face crop fed to the embedder.
pub const ALIGNED_SIZE: u32 = 160;

/// Landmark positions of the canonical 112x112 face crop used by LFW-style aligned sets
/// (eyes, nose tip, mouth corners); scaled to [`ALIGNED_SIZE`] by [`template`].
const TEMPLATE_112: [(f32, f32); 5] = [
    (38.2946, 51.6963),
    (73.5318, 51.5014),
    (56.0252, 71.7366),
    (41.5493, 92.3655),
    (70.7299, 92.2041),
];

/// The canonical landmark positions in the aligned crop.
pub fn template() -> [Point; 5] {
    let scale = ALIGNED_SIZE as f32 / 112.0;
    TEMPLATE_112.map(|(x, y)| Point::new(x * scale, y * scale))
}

/// A rotation, uniform scale and translation: `p' = [a -b; b a] p + t`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Similarity {
    a: f32,
    b: f32,
    tx: f32,
    ty: f32,
}

impl Similarity {
    /// The least-squares similarity mapping `from` onto `to` (no reflection).
    pub fn estimate(from: &[Point; 5], to: &[Point; 5]) -> Self {
        let mean = |points: &[Point; 5]| {
            let (sx, sy) = points
                .iter()
                .fold((0.0, 0.0), |(sx, sy), p| (sx + p.x, sy + p.y));
            Point::new(sx / 5.0, sy / 5.0)
        };
        let (from_mean, to_mean) = (mean(from), mean(to));
        let (mut dot, mut cross, mut norm) = (0.0f32, 0.0f32, 0.0f32);
        for (p, q) in from.iter().zip(to) {
            let (px, py) = (p.x - from_mean.x, p.y - from_mean.y);
            let (qx, qy) = (q.x - to_mean.x, q.y - to_mean.y);
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
            norm += px * px + py * py;
        }
        let (a, b) = if norm > f32::EPSILON {
            (dot / norm, cross / norm)
        } else {
            (1.0, 0.0)
        };
        let tx = to_mean.x - (a * from_mean.x - b * from_mean.y);
        let ty = to_mean.y - (b * from_mean.x + a * from_mean.y);
        Self { a, b, tx, ty }
    }

    /// Maps `p` through the transform.
    pub fn apply(&self, p: Point) -> Point {
        Point::new(
            self.a * p.x - self.b * p.y + self.tx,
            self.b * p.x + self.a * p.y + self.ty,
        )
    }

    /// The transform that undoes this one.
    pub fn inverse(&self) -> Self {
        let det = (self.a * self.a + self.b * self.b).max(f32::EPSILON);
        let (a, b) = (self.a / det, -self.b / det);
        Self {
            a,
            b,
            tx: -(a * self.tx - b * self.ty),
            ty: -(b * self.tx + a * self.ty),
        }
    }

    /// How much the transform enlarges lengths.
    pub fn scale(&self) -> f32 {
        self.a.hypot(self.b)
    }
}

/// Warps the face with `landmarks` onto the canonical template, as a 160x160 RGB crop.
///
/// When the face is larger than the crop, each output pixel averages a grid of bilinear
/// samples so that downscaling does not alias.
pub fn align(image: &RgbImage, landmarks: &[Point; 5]) -> RgbImage {
    let to_crop = Similarity::estimate(landmarks, &template());
    let to_image = to_crop.inverse();
    let offsets = sample_offsets(to_crop.scale());
    let weight = 1.0 / (offsets.len() * offsets.len()) as f32;
    let source = Sampler::new(image);
    let side = ALIGNED_SIZE as usize;
    let mut out = vec![0u8; side * side * 3];
    for (index, pixel) in out.chunks_exact_mut(3).enumerate() {
        let (u, v) = ((index % side) as f32, (index / side) as f32);
        let mut sum = [0.0f32; 3];
        for dy in &offsets {
            for dx in &offsets {
                source.add_bilinear(to_image.apply(Point::new(u + dx, v + dy)), &mut sum);
            }
        }
        for (channel, total) in pixel.iter_mut().zip(sum) {
            *channel = (total * weight).round().clamp(0.0, 255.0) as u8;
        }
    }
    RgbImage::from_raw(ALIGNED_SIZE, ALIGNED_SIZE, out)
        .unwrap_or_else(|| unreachable!("the buffer has exactly 160x160x3 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_recovers_a_known_similarity() {
        let truth = Similarity {
            a: 0.8,
            b: 0.3,
            tx: 12.0,
            ty: -4.0,
        };
        let from = template();
        let to = from.map(|p| truth.apply(p));
        let found = Similarity::estimate(&from, &to);
        for (p, q) in from.iter().zip(&to) {
            assert!(found.apply(*p).distance(*q) < 1e-3);
        }
    }

    #[test]
    fn inverse_undoes_the_transform() {
        let t = Similarity {
            a: 1.5,
            b: -0.4,
            tx: 3.0,
            ty: 7.0,
        };
        let p = Point::new(10.0, 20.0);
        assert!(t.inverse().apply(t.apply(p)).distance(p) < 1e-3);
    }

    #[test]
    fn aligning_the_template_itself_is_the_identity() {
        let image = RgbImage::from_fn(ALIGNED_SIZE, ALIGNED_SIZE, |x, y| {
            image::Rgb([x as u8, y as u8, 7])
        });
        let aligned = align(&image, &template());
        assert_eq!(aligned.get_pixel(40, 90), image.get_pixel(40, 90));
        assert_eq!(aligned.get_pixel(150, 3), image.get_pixel(150, 3));
    }
}
