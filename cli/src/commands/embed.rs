//! `lintas embed IMG`.

use std::path::PathBuf;

use clap::Args;
use lintas_face::Liveness;
use lintas_face::pose::PoseMeasure;
use serde_json::json;

use super::print_json;
use crate::error::CliError;
use crate::options::{FaceOptions, read_image};

/// Arguments of `lintas embed`.
#[derive(Args)]
pub struct EmbedArgs {
    /// The photo.
    image: PathBuf,
    #[command(flatten)]
    face: FaceOptions,
    /// Also score the face with the anti-spoofing models.
    #[arg(long)]
    liveness: bool,
}

/// Prints the model id, the embedding and, for detected faces, the detection, quality, pose
/// measure and (with `--liveness`) the anti-spoofing scores.
pub fn run(args: EmbedArgs) -> Result<(), CliError> {
    let engine = args.face.engine.load_engine()?;
    let wrap = || CliError::face(args.image.display());
    let image = engine.decode(&read_image(&args.image)?).map_err(wrap())?;
    if args.face.aligned {
        let embedding = engine.embed_aligned(&image).map_err(wrap())?;
        return print_json(&json!({ "model": embedding.model(), "embedding": embedding.vector() }));
    }
    let liveness = if args.liveness {
        Liveness::Assess
    } else {
        Liveness::Skip
    };
    let analysis = engine
        .analyze_image(&image, args.face.policy.into(), liveness)
        .map_err(wrap())?;
    print_json(&json!({
        "model": analysis.embedding.model(),
        "embedding": analysis.embedding.vector(),
        "detection": analysis.detection,
        "quality": analysis.quality,
        "pose": PoseMeasure::of(&analysis.detection.landmarks),
        "liveness": analysis.liveness,
    }))
}
