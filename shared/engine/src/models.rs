//! Where the model files live and how a loaded model is identified.
//!
//! Models ship inside the deployment bundle (a `models/` folder beside the binary) or the
//! source tree; nothing is downloaded at run time.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;

use crate::graph::{self, GraphOptions};
use lintas_face::FaceError;

/// File name of the int8 FaceNet embedder.
pub const EMBEDDER_FILE: &str = "facenet_int8.onnx";
/// File name of the YuNet face detector.
pub const DETECTOR_FILE: &str = "yunet_2023mar.onnx";
/// Environment variable that overrides the model folder.
pub const MODEL_DIR_ENV: &str = "LINTAS_MODEL_DIR";

/// Finds the model folder: `$LINTAS_MODEL_DIR`, else `models/` beside the executable,
/// else the source tree's `models/`.
pub fn default_model_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(MODEL_DIR_ENV) {
        return PathBuf::from(dir);
    }
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("models")))
        .filter(|dir| dir.join(EMBEDDER_FILE).is_file());
    beside_exe.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

/// A model file read into memory together with its identity.
pub struct ModelFile {
    /// Path the bytes came from.
    pub path: PathBuf,
    /// The raw ONNX bytes.
    pub bytes: Vec<u8>,
    /// First 12 hex digits of the file's SHA-256.
    pub digest: String,
}

impl ModelFile {
    /// Reads `path` and computes its digest.
    pub fn read(path: &Path) -> Result<Self, FaceError> {
        let bytes = std::fs::read(path).map_err(|error| FaceError::ModelLoad {
            path: path.display().to_string(),
            reason: error.to_string(),
        })?;
        let digest = Sha256::digest(&bytes)
            .iter()
            .take(6)
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            path: path.to_path_buf(),
            bytes,
            digest,
        })
    }

    /// Parses the ONNX graph with the given loader, prepares it as `options` say, fixes
    /// input 0 to `input_fact` and optimises it (piece by piece when it is split).
    pub fn optimized_plan(
        &self,
        loader: &tract_onnx::Onnx,
        input_fact: TypedFact,
        options: &GraphOptions,
    ) -> Result<Plan, FaceError> {
        let fail = |error: TractError| FaceError::ModelLoad {
            path: self.path.display().to_string(),
            reason: format!("{error:#}"),
        };
        let mut proto = loader
            .proto_model_for_read(&mut self.bytes.as_slice())
            .map_err(fail)?;
        if options.convolutions.in_float() {
            graph::convolutions_in_float(&mut proto, options.requantize);
        }
        let mut fact = input_fact;
        let mut pieces = Vec::new();
        for piece in graph::split(proto, options.piece_nodes) {
            let model = loader
                .model_for_proto_model(&piece)
                .and_then(|model| model.with_input_fact(0, fact.clone().into()))
                .and_then(|model| model.into_optimized())
                .map_err(fail)?;
            fact = model.output_fact(0).map_err(fail)?.clone();
            pieces.push(model.into_runnable().map_err(fail)?);
        }
        let last = pieces
            .pop()
            .ok_or_else(|| fail(TractError::msg("the graph has no piece")))?;
        Ok(Plan {
            before_last: pieces,
            last,
        })
    }
}

/// An optimised model ready to run: one tract plan, or pieces run in order, each one's output
/// the next one's input.
pub struct Plan {
    before_last: Vec<Arc<TypedRunnableModel>>,
    last: Arc<TypedRunnableModel>,
}

impl Plan {
    /// Runs the pieces in order on `inputs`.
    pub fn run(&self, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let values = self
            .before_last
            .iter()
            .try_fold(inputs, |values, piece| piece.run(values))?;
        self.last.run(values)
    }

    /// The last piece's model: its outputs are the plan's.
    pub fn output_model(&self) -> &TypedModel {
        self.last.model()
    }
}
