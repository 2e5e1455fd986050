//! Face detection with YuNet: letterboxed input, per-stride prior decoding, NMS.

use image::RgbImage;
use serde::{Deserialize, Serialize};
use tract_onnx::prelude::*;

use super::graph::GraphOptions;
use super::models::{ModelFile, Plan};
use lintas_face::FaceError;
use lintas_face::detection::Detection;
use lintas_face::geometry::{BoundingBox, Point};

/// The strides of YuNet's three output heads.
const STRIDES: [usize; 3] = [8, 16, 32];

/// Detector settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetectorConfig {
    /// Side of the square network input; a multiple of 32.
    pub input_size: u32,
    /// Least face score kept.
    pub score_threshold: f32,
    /// Boxes overlapping a better one by more than this IoU are dropped.
    pub nms_threshold: f32,
    /// Most faces reported per image.
    pub max_faces: usize,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        Self {
            input_size: 320,
            score_threshold: 0.7,
            nms_threshold: 0.3,
            max_faces: 50,
        }
    }
}

/// YuNet loaded and optimised once for a fixed square input.
pub struct FaceDetector {
    plan: Plan,
    heads: Heads,
    config: DetectorConfig,
}

/// Output indices of each head, per stride.
struct Heads {
    cls: [usize; 3],
    obj: [usize; 3],
    bbox: [usize; 3],
    kps: [usize; 3],
}

impl FaceDetector {
    /// Loads and optimises the detector at `config.input_size`.
    pub fn load(
        model: &ModelFile,
        config: DetectorConfig,
        options: &GraphOptions,
    ) -> Result<Self, FaceError> {
        let size = config.input_size as usize;
        if size == 0 || !size.is_multiple_of(32) {
            return Err(FaceError::ModelLoad {
                path: model.path.display().to_string(),
                reason: format!("detector input size {size} is not a positive multiple of 32"),
            });
        }
        let loader = tract_onnx::onnx()
            .with_ignore_output_shapes(true)
            .with_ignore_value_info(true);
        let plan = model.optimized_plan(&loader, f32::fact([1, 3, size, size]), options)?;
        let heads = Heads::find(plan.output_model()).map_err(|reason| FaceError::ModelLoad {
            path: model.path.display().to_string(),
            reason,
        })?;
        Ok(Self {
            plan,
            heads,
            config,
        })
    }

    /// The settings this detector runs with.
    pub fn config(&self) -> &DetectorConfig {
        &self.config
    }

    /// Finds faces, best score first.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, FaceError> {
        let (input, scale) = self.letterbox(image)?;
        let outputs = self
            .plan
            .run(tvec!(input.into()))
            .map_err(crate::inference)?;
        let mut candidates = Vec::new();
        for (level, stride) in STRIDES.iter().enumerate() {
            let head = |index: usize| outputs[index].try_as_plain_ram()?.as_slice::<f32>();
            self.decode_level(
                *stride,
                [
                    head(self.heads.cls[level]).map_err(crate::inference)?,
                    head(self.heads.obj[level]).map_err(crate::inference)?,
                    head(self.heads.bbox[level]).map_err(crate::inference)?,
                    head(self.heads.kps[level]).map_err(crate::inference)?,
                ],
                &mut candidates,
            );
        }
        let mut faces = non_max_suppression(candidates, self.config.nms_threshold);
        faces.truncate(self.config.max_faces);
        for face in &mut faces {
            face.rescale(1.0 / scale);
        }
        Ok(faces)
    }

    /// Shrinks the image (never enlarges it, area-averaging) into the top-left of a square
    /// BGR canvas.
    fn letterbox(&self, image: &RgbImage) -> Result<(Tensor, f32), FaceError> {
        let side = self.config.input_size as usize;
        let (width, height) = image.dimensions();
        let scale = (side as f32 / width.max(height) as f32).min(1.0);
        let resized;
        let source = if scale < 1.0 {
            let shrink =
                |length: u32| ((length as f32 * scale).round() as u32).clamp(1, side as u32);
            resized = image::imageops::thumbnail(image, shrink(width), shrink(height));
            &resized
        } else {
            image
        };
        let plane = side * side;
        let mut data = vec![0f32; 3 * plane];
        for (x, y, pixel) in source.enumerate_pixels() {
            let at = y as usize * side + x as usize;
            let [r, g, b] = pixel.0.map(f32::from);
            (data[at], data[plane + at], data[2 * plane + at]) = (b, g, r);
        }
        let actual_scale = source.width() as f32 / width as f32;
        Ok((
            Tensor::from_shape(&[1, 3, side, side], &data).map_err(crate::inference)?,
            actual_scale,
        ))
    }

    /// Decodes every grid cell of one stride whose score passes the threshold.
    fn decode_level(
        &self,
        stride: usize,
        [cls, obj, bbox, kps]: [&[f32]; 4],
        out: &mut Vec<Detection>,
    ) {
        let cols = self.config.input_size as usize / stride;
        let cells = cls
            .len()
            .min(obj.len())
            .min(bbox.len() / 4)
            .min(kps.len() / 10);
        let step = stride as f32;
        for cell in 0..cells {
            let score = (cls[cell].clamp(0.0, 1.0) * obj[cell].clamp(0.0, 1.0)).sqrt();
            if score < self.config.score_threshold {
                continue;
            }
            let (row, col) = ((cell / cols) as f32, (cell % cols) as f32);
            let b = &bbox[cell * 4..cell * 4 + 4];
            let (cx, cy) = ((col + b[0]) * step, (row + b[1]) * step);
            let (w, h) = (b[2].exp() * step, b[3].exp() * step);
            let k = &kps[cell * 10..cell * 10 + 10];
            let landmarks = std::array::from_fn(|i| {
                Point::new((k[2 * i] + col) * step, (k[2 * i + 1] + row) * step)
            });
            out.push(Detection {
                bbox: BoundingBox {
                    x: cx - w / 2.0,
                    y: cy - h / 2.0,
                    width: w,
                    height: h,
                },
                landmarks,
                score,
            });
        }
    }
}

impl Heads {
    /// Maps YuNet's named outputs (`cls_8`, `obj_16`, `bbox_32`, `kps_8`, ...) to indices.
    fn find(model: &TypedModel) -> Result<Self, String> {
        let names: Vec<String> = model
            .output_outlets()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|outlet| {
                model
                    .outlet_label(*outlet)
                    .map(str::to_owned)
                    .unwrap_or_else(|| model.node(outlet.node).name.clone())
            })
            .collect();
        let index_of = |prefix: &str, stride: usize| {
            let wanted = format!("{prefix}_{stride}");
            names
                .iter()
                .position(|name| *name == wanted)
                .ok_or_else(|| {
                    format!(
                        "the detector has no output {wanted} (outputs: {})",
                        names.join(", ")
                    )
                })
        };
        let per_stride = |prefix: &str| -> Result<[usize; 3], String> {
            Ok([
                index_of(prefix, 8)?,
                index_of(prefix, 16)?,
                index_of(prefix, 32)?,
            ])
        };
        Ok(Self {
            cls: per_stride("cls")?,
            obj: per_stride("obj")?,
            bbox: per_stride("bbox")?,
            kps: per_stride("kps")?,
        })
    }
}

/// Keeps the best-scoring boxes, dropping any that overlap a kept one by more than `iou`.
fn non_max_suppression(mut candidates: Vec<Detection>, iou: f32) -> Vec<Detection> {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for candidate in candidates {
        if kept.iter().all(|k| k.bbox.iou(&candidate.bbox) <= iou) {
            kept.push(candidate);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detection(x: f32, score: f32) -> Detection {
        Detection {
            bbox: BoundingBox {
                x,
                y: 0.0,
                width: 10.0,
                height: 10.0,
            },
            landmarks: [Point::default(); 5],
            score,
        }
    }

    #[test]
    fn nms_keeps_the_best_of_overlapping_boxes_and_all_disjoint_ones() {
        let kept = non_max_suppression(
            vec![
                detection(0.0, 0.8),
                detection(1.0, 0.9),
                detection(50.0, 0.75),
            ],
            0.3,
        );
        let scores: Vec<f32> = kept.iter().map(|d| d.score).collect();
        assert_eq!(scores, vec![0.9, 0.75]);
    }
}
