//! L2-normalised face embeddings tagged with the model that produced them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::FaceError;

/// Length of a FaceNet embedding.
pub const EMBEDDING_DIM: usize = 128;

/// Identifies the exact model weights behind an embedding, e.g. `facenet-int8-3f2a9c01d4e5`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ModelId(String);

impl ModelId {
    /// Wraps a model identifier.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Bytes that are not a stored embedding (see [`Embedding::from_le_bytes`]).
#[derive(Debug, thiserror::Error)]
#[error("malformed stored embedding: {0}")]
pub struct MalformedEmbedding(pub String);

/// A unit-length face embedding and the model it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embedding {
    model: ModelId,
    vector: Vec<f32>,
}

impl Embedding {
    /// Normalises `raw` to unit length; fails on a wrong length or a zero or non-finite vector.
    pub fn from_raw(model: ModelId, mut raw: Vec<f32>) -> Result<Self, FaceError> {
        let norm = raw.iter().map(|v| v * v).sum::<f32>().sqrt();
        if raw.len() != EMBEDDING_DIM || !norm.is_finite() || norm <= f32::EPSILON {
            return Err(FaceError::Inference(format!(
                "the embedder returned an unusable vector (length {}, norm {norm})",
                raw.len()
            )));
        }
        raw.iter_mut().for_each(|v| *v /= norm);
        Ok(Self { model, vector: raw })
    }

    /// The model that produced this embedding.
    pub fn model(&self) -> &ModelId {
        &self.model
    }

    /// The unit-length vector.
    pub fn vector(&self) -> &[f32] {
        &self.vector
    }

    /// The vector as consecutive little-endian `f32`s (4 bytes per component), for storage.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        self.vector.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// Reads back [`Embedding::to_le_bytes`] exactly as written (no renormalisation); fails
    /// on a wrong length, non-finite components or a vector that is not unit length.
    pub fn from_le_bytes(model: ModelId, bytes: &[u8]) -> Result<Self, MalformedEmbedding> {
        if bytes.len() != EMBEDDING_DIM * 4 {
            return Err(MalformedEmbedding(format!(
                "{} bytes, expected {}",
                bytes.len(),
                EMBEDDING_DIM * 4
            )));
        }
        let vector: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
            .collect();
        let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
        if !norm.is_finite() || (norm - 1.0).abs() > 1e-3 {
            return Err(MalformedEmbedding(format!("norm {norm}, expected 1")));
        }
        Ok(Self { model, vector })
    }

    /// Cosine similarity in `[-1, 1]`; refuses embeddings of different models.
    pub fn cosine(&self, other: &Embedding) -> Result<f32, FaceError> {
        self.ensure_same_model(other.model())?;
        Ok(dot(&self.vector, &other.vector))
    }

    /// Fails unless this embedding was made by `model`.
    pub fn ensure_same_model(&self, model: &ModelId) -> Result<(), FaceError> {
        if &self.model == model {
            Ok(())
        } else {
            Err(FaceError::ModelMismatch {
                left: self.model.to_string(),
                right: model.to_string(),
            })
        }
    }

    /// The normalised mean of `self` and `other` (same model), e.g. an image and its mirror.
    pub fn averaged_with(&self, other: &Embedding) -> Result<Embedding, FaceError> {
        self.ensure_same_model(other.model())?;
        let sum = self
            .vector
            .iter()
            .zip(&other.vector)
            .map(|(a, b)| a + b)
            .collect();
        Embedding::from_raw(self.model.clone(), sum)
    }
}

/// An embedding kept only to recognise the same capture again (a replayed selfie): each
/// component quantised to a signed byte (the largest to 127), written as 256 hex digits,
/// with its model. The cosine of two prints is within about 0.003 of the exact one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbePrint {
    /// The model of the embedding.
    pub model: ModelId,
    /// The quantised components, two hex digits each.
    pub hex: String,
}

impl ProbePrint {
    /// The print of `embedding`: components scaled so the largest is 127 (a cosine needs no
    /// scale).
    pub fn of(embedding: &Embedding) -> Self {
        let largest = embedding
            .vector
            .iter()
            .fold(f32::MIN_POSITIVE, |m, v| m.max(v.abs()));
        let hex = embedding
            .vector
            .iter()
            .map(|v| {
                let quantised = (v / largest * 127.0).round().clamp(-127.0, 127.0) as i8;
                format!("{:02x}", quantised as u8)
            })
            .collect();
        Self {
            model: embedding.model.clone(),
            hex,
        }
    }

    /// Cosine similarity to `other`; `None` for another model or a malformed print.
    pub fn similarity(&self, other: &ProbePrint) -> Option<f32> {
        if self.model != other.model {
            return None;
        }
        let (a, b) = (self.values()?, other.values()?);
        let norms = dot(&a, &a).sqrt() * dot(&b, &b).sqrt();
        (norms > 0.0).then(|| dot(&a, &b) / norms)
    }

    /// The quantised components; `None` when the text is not 128 hex bytes.
    fn values(&self) -> Option<Vec<f32>> {
        if self.hex.len() != EMBEDDING_DIM * 2 {
            return None;
        }
        (0..EMBEDDING_DIM)
            .map(|i| {
                u8::from_str_radix(self.hex.get(2 * i..2 * i + 2)?, 16)
                    .ok()
                    .map(|b| f32::from(b as i8))
            })
            .collect()
    }
}

/// Dot product of two equally long slices, in eight lanes so the compiler can vectorise it.
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut lanes = [0.0f32; 8];
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..8 {
            lanes[lane] += x[lane] * y[lane];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedding(model: &str, first: f32) -> Embedding {
        let mut raw = vec![0.0; EMBEDDING_DIM];
        raw[0] = first;
        raw[1] = 1.0;
        Embedding::from_raw(ModelId::new(model), raw).unwrap()
    }

    #[test]
    fn embeddings_are_unit_length_and_self_similar() {
        let e = embedding("m", 3.0);
        let norm: f32 = e.vector().iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        assert!((e.cosine(&e).unwrap() - 1.0).abs() < 1e-5);
    }

    #[test]
    fn embeddings_of_different_models_are_never_compared() {
        let error = embedding("a", 1.0)
            .cosine(&embedding("b", 1.0))
            .unwrap_err();
        assert_eq!(error.code(), "model_mismatch");
    }

    #[test]
    fn dot_handles_lengths_that_are_not_multiples_of_eight() {
        let a: Vec<f32> = (0..19).map(|i| i as f32).collect();
        let expected: f32 = a.iter().map(|v| v * v).sum();
        assert_eq!(dot(&a, &a), expected);
    }

    #[test]
    fn little_endian_bytes_round_trip_exactly() {
        let raw: Vec<f32> = (0..EMBEDDING_DIM)
            .map(|i| (i as f32 * 0.37).sin())
            .collect();
        let e = Embedding::from_raw(ModelId::new("m"), raw).unwrap();
        let bytes = e.to_le_bytes();
        assert_eq!(bytes.len(), EMBEDDING_DIM * 4);
        assert_eq!(&bytes[..4], &e.vector()[0].to_le_bytes());
        assert_eq!(
            Embedding::from_le_bytes(ModelId::new("m"), &bytes).unwrap(),
            e
        );
    }

    #[test]
    fn malformed_embedding_bytes_are_refused() {
        let e = embedding("m", 1.0);
        let bytes = e.to_le_bytes();
        assert!(Embedding::from_le_bytes(ModelId::new("m"), &bytes[1..]).is_err());
        let mut scaled = bytes.clone();
        scaled[4..8].copy_from_slice(&3.0f32.to_le_bytes());
        assert!(Embedding::from_le_bytes(ModelId::new("m"), &scaled).is_err());
        let mut not_finite = bytes;
        not_finite[..4].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(Embedding::from_le_bytes(ModelId::new("m"), &not_finite).is_err());
    }

    #[test]
    fn a_probe_print_keeps_the_cosine() {
        let a = Embedding::from_raw(
            ModelId::new("m"),
            (0..EMBEDDING_DIM)
                .map(|i| (i as f32 * 0.37).sin())
                .collect(),
        )
        .unwrap();
        let b = Embedding::from_raw(
            ModelId::new("m"),
            (0..EMBEDDING_DIM)
                .map(|i| (i as f32 * 0.37).sin() + (i as f32).cos() * 0.3)
                .collect(),
        )
        .unwrap();
        let print = ProbePrint::of(&a);
        assert_eq!(print.hex.len(), 2 * EMBEDDING_DIM);
        assert!((print.similarity(&print).unwrap() - 1.0).abs() < 1e-5);
        let exact = a.cosine(&b).unwrap();
        assert!((print.similarity(&ProbePrint::of(&b)).unwrap() - exact).abs() < 3e-3);
        assert_eq!(
            ProbePrint::of(&embedding("other", 1.0)).similarity(&print),
            None
        );
        let broken = ProbePrint {
            hex: "zz".repeat(EMBEDDING_DIM),
            ..print.clone()
        };
        assert_eq!(broken.similarity(&print), None);
    }

    #[test]
    fn zero_and_wrong_length_vectors_are_refused() {
        assert!(Embedding::from_raw(ModelId::new("m"), vec![0.0; EMBEDDING_DIM]).is_err());
        assert!(Embedding::from_raw(ModelId::new("m"), vec![1.0; 3]).is_err());
    }
}
