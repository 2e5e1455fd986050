//! Bilinear sampling with supersampling for downscaling, shared by alignment and detection.

use image::RgbImage;

use lintas_face::geometry::Point;

/// Sub-pixel offsets of an n x n sample grid for a resampling that scales lengths by
/// `scale`: one bilinear sample per two source pixels, so shrinking does not alias.
pub(crate) fn sample_offsets(scale: f32) -> Vec<f32> {
    let samples = (0.5 / scale.max(1e-3)).ceil().clamp(1.0, 8.0) as usize;
    (0..samples)
        .map(|i| (i as f32 + 0.5) / samples as f32 - 0.5)
        .collect()
}

/// Bilinear sampling of an RGB buffer, with pixel centres at integer coordinates and black
/// outside the image.
pub(crate) struct Sampler<'a> {
    pixels: &'a [u8],
    width: i64,
    height: i64,
}

impl<'a> Sampler<'a> {
    pub(crate) fn new(image: &'a RgbImage) -> Self {
        Self {
            pixels: image.as_raw(),
            width: image.width() as i64,
            height: image.height() as i64,
        }
    }

    /// Adds the interpolated colour at `p` to `sum`.
    pub(crate) fn add_bilinear(&self, p: Point, sum: &mut [f32; 3]) {
        let (x0, y0) = (p.x.floor(), p.y.floor());
        let (fx, fy) = (p.x - x0, p.y - y0);
        let (x, y) = (x0 as i64, y0 as i64);
        let corners = [
            (x, y, (1.0 - fx) * (1.0 - fy)),
            (x + 1, y, fx * (1.0 - fy)),
            (x, y + 1, (1.0 - fx) * fy),
            (x + 1, y + 1, fx * fy),
        ];
        for (cx, cy, w) in corners {
            if cx >= 0 && cy >= 0 && cx < self.width && cy < self.height {
                let at = ((cy * self.width + cx) * 3) as usize;
                let rgb = &self.pixels[at..at + 3];
                sum[0] += w * f32::from(rgb[0]);
                sum[1] += w * f32::from(rgb[1]);
                sum[2] += w * f32::from(rgb[2]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bilinear_sampling_interpolates_and_is_black_outside() {
        let image = RgbImage::from_fn(2, 1, |x, _| image::Rgb([x as u8 * 100, 0, 0]));
        let sampler = Sampler::new(&image);
        let mut sum = [0.0; 3];
        sampler.add_bilinear(Point::new(0.25, 0.0), &mut sum);
        assert!((sum[0] - 25.0).abs() < 1e-4);
        let mut outside = [0.0; 3];
        sampler.add_bilinear(Point::new(-5.0, -5.0), &mut outside);
        assert_eq!(outside, [0.0; 3]);
    }

    #[test]
    fn shrinking_takes_more_samples_than_enlarging() {
        assert_eq!(sample_offsets(2.0).len(), 1);
        assert_eq!(sample_offsets(0.2).len(), 3);
    }
}
