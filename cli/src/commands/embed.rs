//! `lintas embed IMG`.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::print_json;
use crate::error::CliError;
use crate::options::{EngineOptions, PolicyArg, read_image};

/// Arguments of `lintas embed`.
#[derive(Args)]
pub struct EmbedArgs {
    /// The photo.
    image: PathBuf,
    /// The photo is already an aligned face crop: skip detection.
    #[arg(long)]
    aligned: bool,
    /// Which face to take.
    #[arg(long, value_enum, default_value_t)]
    policy: PolicyArg,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Prints the model id, the embedding and, for detected faces, the detection and quality.
pub fn run(args: EmbedArgs) -> Result<(), CliError> {
    let engine = args.engine.load_engine()?;
    let wrap = || CliError::face(args.image.display());
    let image = engine.decode(&read_image(&args.image)?).map_err(wrap())?;
    if args.aligned {
        let embedding = engine.embed_aligned(&image).map_err(wrap())?;
        return print_json(&json!({ "model": embedding.model(), "embedding": embedding.vector() }));
    }
    let analysis = engine
        .analyze_image(&image, args.policy.into())
        .map_err(wrap())?;
    print_json(&json!({
        "model": analysis.embedding.model(),
        "embedding": analysis.embedding.vector(),
        "detection": analysis.detection,
        "quality": analysis.quality,
    }))
}
