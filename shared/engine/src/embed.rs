//! FaceNet embedding of an aligned 160x160 crop.

use image::RgbImage;
use tract_onnx::prelude::*;

use super::align::ALIGNED_SIZE;
use super::graph::GraphOptions;
use super::models::{ModelFile, Plan};
use lintas_face::FaceError;
use lintas_face::embedding::{Embedding, ModelId};

/// FaceNet loaded and optimised once; safe to share between threads.
pub struct Embedder {
    plan: Plan,
    model_id: ModelId,
}

impl Embedder {
    /// Loads and optimises `model`; its id is `facenet-<precision>-<digest>`, where the
    /// precision is read from the file name (`int8` or `fp32`).
    pub fn load(model: &ModelFile, options: &GraphOptions) -> Result<Self, FaceError> {
        let side = ALIGNED_SIZE as usize;
        let plan =
            model.optimized_plan(&tract_onnx::onnx(), f32::fact([1, side, side, 3]), options)?;
        let name = model
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let precision = if name.contains("int8") {
            "int8"
        } else {
            "fp32"
        };
        let model_id = ModelId::new(format!("facenet-{precision}-{}", model.digest));
        Ok(Self { plan, model_id })
    }

    /// The id stamped on every embedding this model makes.
    pub fn model_id(&self) -> &ModelId {
        &self.model_id
    }

    /// Embeds an aligned crop (resized to 160x160 first if it is another size).
    pub fn embed(&self, crop: &RgbImage) -> Result<Embedding, FaceError> {
        let resized;
        let crop = if crop.dimensions() == (ALIGNED_SIZE, ALIGNED_SIZE) {
            crop
        } else {
            resized = image::imageops::resize(
                crop,
                ALIGNED_SIZE,
                ALIGNED_SIZE,
                image::imageops::FilterType::Triangle,
            );
            &resized
        };
        let side = ALIGNED_SIZE as usize;
        let input = Tensor::from_shape(&[1, side, side, 3], &standardize(crop.as_raw()))
            .map_err(crate::inference)?;
        let outputs = self
            .plan
            .run(tvec!(input.into()))
            .map_err(crate::inference)?;
        let raw = outputs[0]
            .try_as_plain_ram()
            .and_then(|tensor| tensor.as_slice::<f32>())
            .map_err(crate::inference)?
            .to_vec();
        Embedding::from_raw(self.model_id.clone(), raw)
    }
}

/// FaceNet's per-image standardisation: `(x - mean) / max(std, 1 / sqrt(n))`.
fn standardize(pixels: &[u8]) -> Vec<f32> {
    let n = pixels.len().max(1) as f32;
    let mean = pixels.iter().map(|&p| f32::from(p)).sum::<f32>() / n;
    let variance = pixels
        .iter()
        .map(|&p| (f32::from(p) - mean).powi(2))
        .sum::<f32>()
        / n;
    let scale = variance.sqrt().max(1.0 / n.sqrt());
    pixels
        .iter()
        .map(|&p| (f32::from(p) - mean) / scale)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardized_pixels_have_zero_mean_and_unit_variance() {
        let pixels: Vec<u8> = (0..=255).collect();
        let values = standardize(&pixels);
        let mean = values.iter().sum::<f32>() / values.len() as f32;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / values.len() as f32;
        assert!(mean.abs() < 1e-4);
        assert!((variance - 1.0).abs() < 1e-3);
    }

    #[test]
    fn a_flat_image_does_not_divide_by_zero() {
        assert!(standardize(&[9; 300]).iter().all(|v| *v == 0.0));
    }
}
