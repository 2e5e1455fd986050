//! `lintas compare A B`.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{embed_file, print_json};
use crate::error::CliError;
use crate::options::{EngineOptions, PolicyArg};

/// Arguments of `lintas compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// First photo.
    first: PathBuf,
    /// Second photo.
    second: PathBuf,
    /// The photos are already aligned face crops: skip detection.
    #[arg(long)]
    aligned: bool,
    /// Which face to take from each photo.
    #[arg(long, value_enum, default_value_t)]
    policy: PolicyArg,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Prints the cosine score, the threshold in force and whether it is the same person.
pub fn run(args: CompareArgs) -> Result<(), CliError> {
    let threshold = args.engine.settings()?.matching.threshold;
    let engine = args.engine.load_engine()?;
    let first = embed_file(&engine, &args.first, args.aligned, args.policy.into())?;
    let second = embed_file(&engine, &args.second, args.aligned, args.policy.into())?;
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
