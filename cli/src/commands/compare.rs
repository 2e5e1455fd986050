//! `lintas compare A B`.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{embed_file, print_json};
use crate::error::CliError;
use crate::options::{FaceOptions, engine_from};

/// Arguments of `lintas compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// First photo.
    first: PathBuf,
    /// Second photo.
    second: PathBuf,
    #[command(flatten)]
    face: FaceOptions,
}

/// Prints the cosine score, the threshold in force and whether it is the same person.
pub fn run(args: CompareArgs) -> Result<(), CliError> {
    let settings = args.face.engine.settings()?;
    // One comparison: the 1:1 verification threshold.
    let threshold = settings
        .rules
        .decisions
        .at_gallery_size(1, 1)
        .verify_threshold;
    let engine = engine_from(&settings)?;
    let first = embed_file(
        &engine,
        &args.first,
        args.face.aligned,
        args.face.policy.into(),
    )?;
    let second = embed_file(
        &engine,
        &args.second,
        args.face.aligned,
        args.face.policy.into(),
    )?;
    let score = first
        .cosine(&second)
        .map_err(CliError::face(args.second.display()))?;
    print_json(&json!({
        "model": engine.model_id(),
        "score": score,
        "threshold": threshold,
        "same_person": score >= threshold,
    }))
}
