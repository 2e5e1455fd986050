//! Passive anti-spoofing with two MiniFASNets on the original frame.
//!
//! Each model sees an 80x80 BGR crop (0-255, no normalisation) of the face box scaled by its
//! own factor about the box centre: the context around the face (a print's edge, a screen's
//! bezel and moiré) is what they judge. The crop follows the models' own preprocessing:
//! the scale is lowered until the crop fits the frame, the crop is shifted inside the frame,
//! and it is resized bilinearly without antialiasing. YuNet's box is taller than the square
//! box the models were trained with; [`model_box`] maps one onto the other.

use image::RgbImage;
use tract_onnx::prelude::*;

use super::graph::GraphOptions;
use super::models::{ModelFile, Plan};
use lintas_face::FaceError;
use lintas_face::detection::Detection;
use lintas_face::geometry::BoundingBox;
use lintas_face::liveness::LivenessReport;

/// Side of the models' square input.
const INPUT_SIDE: usize = 80;
/// Output index of the "live" class.
const LIVE_CLASS: usize = 1;

/// File name and crop scale of each anti-spoofing model.
pub const LIVENESS_MODELS: [(&str, f32); 2] =
    [("minifasnet_v2.onnx", 2.7), ("minifasnet_v1se.onnx", 4.0)];

/// One anti-spoofing network and the scale of its crop.
struct SpoofModel {
    plan: Plan,
    scale: f32,
}

/// Both anti-spoofing networks, loaded and optimised once.
pub struct LivenessModels {
    models: Vec<SpoofModel>,
}

impl LivenessModels {
    /// Loads the models of [`LIVENESS_MODELS`] from `dir`.
    pub fn load(dir: &std::path::Path, options: &GraphOptions) -> Result<Self, FaceError> {
        let models = LIVENESS_MODELS
            .iter()
            .map(|(file, scale)| {
                let model = ModelFile::read(&dir.join(file))?;
                let side = INPUT_SIDE;
                let fact = f32::fact([1, 3, side, side]);
                let plan = model.optimized_plan(&tract_onnx::onnx(), fact, options)?;
                Ok(SpoofModel {
                    plan,
                    scale: *scale,
                })
            })
            .collect::<Result<Vec<_>, FaceError>>()?;
        Ok(Self { models })
    }

    /// Scores the detected `face` of `image` with every model.
    pub fn assess(&self, image: &RgbImage, face: &Detection) -> Result<LivenessReport, FaceError> {
        let square = model_box(&face.bbox);
        let model_scores = self
            .models
            .iter()
            .map(|model| {
                let crop = crop_for_model(image, &square, model.scale);
                live_probability(&model.plan, crop)
            })
            .collect::<Result<Vec<f32>, FaceError>>()?;
        let score = model_scores.iter().sum::<f32>() / model_scores.len().max(1) as f32;
        Ok(LivenessReport {
            score,
            model_scores,
            chroma: chroma(image, &face.bbox),
            face_width: face.bbox.width,
        })
    }
}

/// The square box the models were trained with, from YuNet's box: side 0.87 of its height,
/// centred 0.046 of its height lower (fitted over 36 faces against the models' own
/// detector).
pub fn model_box(face: &BoundingBox) -> BoundingBox {
    let side = 0.87 * face.height;
    let centre_x = face.x + face.width / 2.0;
    let centre_y = face.y + face.height / 2.0 + 0.046 * face.height;
    BoundingBox {
        x: centre_x - side / 2.0,
        y: centre_y - side / 2.0,
        width: side,
        height: side,
    }
}

/// The pixel rectangle `(left, top, right, bottom)`, inclusive, that a model with crop
/// `scale` reads around `face`: the scale is lowered until the box fits, then the box is
/// shifted inside the image.
fn crop_rectangle(width: u32, height: u32, face: &BoundingBox, scale: f32) -> (i64, i64, i64, i64) {
    let (max_x, max_y) = ((width.max(1) - 1) as f32, (height.max(1) - 1) as f32);
    let scale = scale
        .min(max_y / face.height.max(1.0))
        .min(max_x / face.width.max(1.0));
    let (new_w, new_h) = (face.width * scale, face.height * scale);
    let (cx, cy) = (face.x + face.width / 2.0, face.y + face.height / 2.0);
    let (mut left, mut top) = (cx - new_w / 2.0, cy - new_h / 2.0);
    let (mut right, mut bottom) = (cx + new_w / 2.0, cy + new_h / 2.0);
    if left < 0.0 {
        right -= left;
        left = 0.0;
    }
    if top < 0.0 {
        bottom -= top;
        top = 0.0;
    }
    if right > max_x {
        left -= right - max_x;
        right = max_x;
    }
    if bottom > max_y {
        top -= bottom - max_y;
        bottom = max_y;
    }
    let clamp_x = |v: f32| (v.max(0.0) as i64).min(max_x as i64);
    let clamp_y = |v: f32| (v.max(0.0) as i64).min(max_y as i64);
    (clamp_x(left), clamp_y(top), clamp_x(right), clamp_y(bottom))
}

/// The model input: the crop resized bilinearly (pixel centres aligned, edges replicated,
/// no antialiasing) to 80x80, as planar BGR floats.
fn crop_for_model(image: &RgbImage, face: &BoundingBox, scale: f32) -> Vec<f32> {
    let (left, top, right, bottom) = crop_rectangle(image.width(), image.height(), face, scale);
    let (crop_w, crop_h) = ((right - left + 1) as f32, (bottom - top + 1) as f32);
    let (step_x, step_y) = (crop_w / INPUT_SIDE as f32, crop_h / INPUT_SIDE as f32);
    let pixels = image.as_raw();
    let stride = image.width() as i64 * 3;
    let at = |x: i64, y: i64, channel: usize| -> f32 {
        let x = x.clamp(left, right);
        let y = y.clamp(top, bottom);
        f32::from(pixels[(y * stride + x * 3) as usize + channel])
    };
    let plane = INPUT_SIDE * INPUT_SIDE;
    let mut input = vec![0.0f32; 3 * plane];
    for v in 0..INPUT_SIDE {
        let sy = ((v as f32 + 0.5) * step_y - 0.5).max(0.0);
        let (y0, fy) = (sy.floor() as i64 + top, sy - sy.floor());
        for u in 0..INPUT_SIDE {
            let sx = ((u as f32 + 0.5) * step_x - 0.5).max(0.0);
            let (x0, fx) = (sx.floor() as i64 + left, sx - sx.floor());
            for (plane_index, channel) in [2usize, 1, 0].into_iter().enumerate() {
                let top_row = at(x0, y0, channel) * (1.0 - fx) + at(x0 + 1, y0, channel) * fx;
                let bottom_row =
                    at(x0, y0 + 1, channel) * (1.0 - fx) + at(x0 + 1, y0 + 1, channel) * fx;
                input[plane_index * plane + v * INPUT_SIDE + u] =
                    top_row * (1.0 - fy) + bottom_row * fy;
            }
        }
    }
    input
}

/// The model's probability of the live class for one input.
fn live_probability(plan: &Plan, input: Vec<f32>) -> Result<f32, FaceError> {
    let tensor =
        Tensor::from_shape(&[1, 3, INPUT_SIDE, INPUT_SIDE], &input).map_err(crate::inference)?;
    let outputs = plan.run(tvec!(tensor.into())).map_err(crate::inference)?;
    let probabilities = outputs[0]
        .try_as_plain_ram()
        .and_then(|tensor| tensor.as_slice::<f32>())
        .map_err(crate::inference)?;
    probabilities
        .get(LIVE_CLASS)
        .copied()
        .ok_or_else(|| FaceError::Inference("the liveness model gave too few classes".into()))
}

/// Mean absolute difference between the colour channels inside `face`: near 0 for a
/// grayscale picture, several units for any colour camera frame.
fn chroma(image: &RgbImage, face: &BoundingBox) -> f32 {
    let (width, height) = image.dimensions();
    let x0 = (face.x.max(0.0) as u32).min(width.saturating_sub(1));
    let y0 = (face.y.max(0.0) as u32).min(height.saturating_sub(1));
    let x1 = ((face.x + face.width).max(0.0) as u32).clamp(x0 + 1, width);
    let y1 = ((face.y + face.height).max(0.0) as u32).clamp(y0 + 1, height);
    let (mut total, mut count) = (0u64, 0u64);
    for y in y0..y1 {
        for x in x0..x1 {
            let [r, g, b] = image.get_pixel(x, y).0.map(i32::from);
            total += ((r - g).abs() + (g - b).abs() + (b - r).abs()) as u64;
            count += 3;
        }
    }
    total as f32 / count.max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crop_shrinks_to_fit_and_stays_inside_the_frame() {
        let face = BoundingBox {
            x: 10.0,
            y: 20.0,
            width: 150.0,
            height: 150.0,
        };
        let (l, t, r, b) = crop_rectangle(640, 480, &face, 4.0);
        assert!(l >= 0 && t >= 0 && r <= 639 && b <= 479, "{l} {t} {r} {b}");
        // 4.0 does not fit 480 rows: the scale becomes 479 / 150 and the crop spans them.
        assert!(b - t >= 478, "{t} {b}");
        // 2.7 fits, but the box is shifted right to stay inside.
        let (l, _, r, _) = crop_rectangle(640, 480, &face, 2.7);
        assert_eq!((l, r - l), (0, 405));
    }

    #[test]
    fn grayscale_pictures_have_no_chroma() {
        let face = BoundingBox {
            x: 0.0,
            y: 0.0,
            width: 8.0,
            height: 8.0,
        };
        let gray = RgbImage::from_fn(8, 8, |x, _| image::Rgb([x as u8 * 9; 3]));
        assert_eq!(chroma(&gray, &face), 0.0);
        let colour = RgbImage::from_fn(8, 8, |_, _| image::Rgb([200, 150, 120]));
        assert!(chroma(&colour, &face) > 50.0);
    }

    #[test]
    fn a_constant_frame_gives_a_constant_bgr_input() {
        let image = RgbImage::from_pixel(200, 200, image::Rgb([10, 20, 30]));
        let face = BoundingBox {
            x: 50.0,
            y: 50.0,
            width: 60.0,
            height: 60.0,
        };
        let input = crop_for_model(&image, &face, 2.7);
        let plane = INPUT_SIDE * INPUT_SIDE;
        assert_eq!(input.len(), 3 * plane);
        assert!(input[..plane].iter().all(|v| (*v - 30.0).abs() < 1e-4));
        assert!(input[2 * plane..].iter().all(|v| (*v - 10.0).abs() < 1e-4));
    }
}
