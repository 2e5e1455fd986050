//! Typed failures of the face pipeline, each with a stable machine-readable code.

/// Why an image could not be turned into a face embedding, or two embeddings compared.
#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    /// The image has no bytes.
    #[error("the image is empty")]
    EmptyImage,
    /// The encoded image is larger than the configured byte limit.
    #[error("the image is {size} bytes; at most {limit} bytes are accepted")]
    ImageTooLarge {
        /// Bytes received.
        size: usize,
        /// Bytes allowed.
        limit: usize,
    },
    /// The image header declares more pixels than may be decoded.
    #[error("the image is {width}x{height} pixels; at most {limit} pixels are accepted")]
    TooManyPixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// Pixels allowed.
        limit: u64,
    },
    /// The image is too small to hold a usable face.
    #[error("the image is {width}x{height} pixels; each side must be at least {min} pixels")]
    ImageTooSmall {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Smallest side accepted.
        min: u32,
    },
    /// The bytes are not a JPEG, PNG or WebP image.
    #[error("{0} images are not supported; send JPEG, PNG or WebP")]
    UnsupportedFormat(String),
    /// The bytes look like a supported image but cannot be decoded.
    #[error("the image could not be decoded: {0}")]
    CorruptImage(String),
    /// The detector found no face.
    #[error("no face was found in the image")]
    NoFace,
    /// More than one face where one is required, or no face clearly dominates.
    #[error("{count} faces were found; the photo must show exactly one person")]
    MultipleFaces {
        /// Faces found.
        count: usize,
    },
    /// The face is smaller than the configured minimum.
    #[error("the face is {size:.0} pixels wide; at least {min:.0} are needed")]
    FaceTooSmall {
        /// Face width in pixels of the original image.
        size: f32,
        /// Smallest width accepted.
        min: f32,
    },
    /// The face is too blurred to recognise reliably.
    #[error("the face is too blurred (sharpness {sharpness:.0}; at least {min:.0} needed)")]
    FaceBlurred {
        /// Measured sharpness.
        sharpness: f32,
        /// Least sharpness accepted.
        min: f32,
    },
    /// The face is too dark.
    #[error("the face is too dark (brightness {brightness:.0}; at least {min:.0} needed)")]
    FaceTooDark {
        /// Mean luma of the face, 0-255.
        brightness: f32,
        /// Least brightness accepted.
        min: f32,
    },
    /// The face is overexposed.
    #[error("the face is overexposed (brightness {brightness:.0}; at most {max:.0} allowed)")]
    FaceOverexposed {
        /// Mean luma of the face, 0-255.
        brightness: f32,
        /// Most brightness accepted.
        max: f32,
    },
    /// The head is turned or tilted too far from frontal.
    #[error("the face is not frontal enough ({0}); look straight at the camera")]
    PoseNotFrontal(String),
    /// Two embeddings from different models were compared.
    #[error("templates of model {left} cannot be compared with templates of model {right}")]
    ModelMismatch {
        /// Model of the first embedding.
        left: String,
        /// Model of the second embedding.
        right: String,
    },
    /// A model file is missing or unusable.
    #[error("model {path}: {reason}")]
    ModelLoad {
        /// File that failed to load.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The inference runtime failed on a valid input.
    #[error("inference failed: {0}")]
    Inference(String),
}

impl FaceError {
    /// Stable machine-readable code for clients and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyImage => "empty_image",
            Self::ImageTooLarge { .. } => "image_too_large",
            Self::TooManyPixels { .. } => "too_many_pixels",
            Self::ImageTooSmall { .. } => "image_too_small",
            Self::UnsupportedFormat(_) => "unsupported_image_format",
            Self::CorruptImage(_) => "corrupt_image",
            Self::NoFace => "no_face",
            Self::MultipleFaces { .. } => "multiple_faces",
            Self::FaceTooSmall { .. } => "face_too_small",
            Self::FaceBlurred { .. } => "face_blurred",
            Self::FaceTooDark { .. } => "face_too_dark",
            Self::FaceOverexposed { .. } => "face_overexposed",
            Self::PoseNotFrontal(_) => "pose_not_frontal",
            Self::ModelMismatch { .. } => "model_mismatch",
            Self::ModelLoad { .. } => "model_unavailable",
            Self::Inference(_) => "inference_failed",
        }
    }

    /// True when the caller sent something unusable; false for faults of the service itself.
    pub fn is_client_error(&self) -> bool {
        !matches!(
            self,
            Self::ModelLoad { .. } | Self::Inference(_) | Self::ModelMismatch { .. }
        )
    }
}
