//! One module per subcommand.

mod align;
mod bench;
mod bench_api;
mod bench_gallery;
mod bench_recap;
mod calibrate;
mod compare;
mod create_admin;
mod detect;
mod embed;
mod eval;
mod eval_identify;
mod pad_eval;
mod recover_admin;
mod serve;
mod sweep_photos;

use std::path::Path;

use clap::Subcommand;
use lintas_engine::FaceEngine;
use lintas_face::embedding::Embedding;
use lintas_face::{FacePolicy, Liveness};

use crate::error::CliError;
use crate::options::read_image;

/// The subcommands.
#[derive(Subcommand)]
pub enum Command {
    /// Find faces and their landmarks in a photo.
    Detect(detect::DetectArgs),
    /// Print the embedding of the face in a photo, as JSON.
    Embed(embed::EmbedArgs),
    /// Compare the faces in two photos.
    Compare(compare::CompareArgs),
    /// Write the aligned 160x160 crop of every face in the given photos.
    Align(align::AlignArgs),
    /// Measure verification accuracy on a list of image pairs.
    Eval(eval::EvalArgs),
    /// Measure open-set 1:N identification through the enrollment and punch paths.
    EvalIdentify(eval_identify::EvalIdentifyArgs),
    /// Measure presentation-attack detection on bona fide and attack photos.
    PadEval(pad_eval::PadEvalArgs),
    /// Measure the calibration curve on labelled photos and set the operating points.
    Calibrate(calibrate::CalibrateArgs),
    /// Time every stage of the face pipeline.
    Bench(bench::BenchArgs),
    /// Time loading a large 1:N gallery from a store at cold start.
    BenchGallery(bench_gallery::BenchGalleryArgs),
    /// Time cold start and warm predict latency of `lintas serve` with a large gallery.
    BenchApi(bench_api::BenchApiArgs),
    /// Time the monthly recap of a large office from a store.
    BenchRecap(bench_recap::BenchRecapArgs),
    /// Create the first admin account in a deployed stack's table.
    CreateAdmin(create_admin::CreateAdminArgs),
    /// Make an account of `lintas serve` an active admin again, with a new password.
    RecoverAdmin(recover_admin::RecoverAdminArgs),
    /// Serve the whole HTTP API on this machine over the embedded store.
    Serve(serve::ServeArgs),
    /// Delete attendance photos that no record refers to.
    SweepPhotos(sweep_photos::SweepPhotosArgs),
}

impl Command {
    /// Runs the subcommand.
    pub fn run(self) -> Result<(), CliError> {
        match self {
            Self::Detect(args) => detect::run(args),
            Self::Embed(args) => embed::run(args),
            Self::Compare(args) => compare::run(args),
            Self::Align(args) => align::run(args),
            Self::Eval(args) => eval::run(args),
            Self::EvalIdentify(args) => eval_identify::run(args),
            Self::PadEval(args) => pad_eval::run(args),
            Self::Calibrate(args) => calibrate::run(args),
            Self::Bench(args) => bench::run(args),
            Self::BenchGallery(args) => bench_gallery::run(args),
            Self::BenchApi(args) => bench_api::run(args),
            Self::BenchRecap(args) => bench_recap::run(args),
            Self::CreateAdmin(args) => create_admin::run(args),
            Self::RecoverAdmin(args) => recover_admin::run(args),
            Self::Serve(args) => serve::run(args),
            Self::SweepPhotos(args) => sweep_photos::run(args),
        }
    }
}

/// The embedding of the one face in `path`: detected and aligned under `policy`, or, with
/// `aligned`, the whole image taken as an aligned crop.
pub fn embed_file(
    engine: &FaceEngine,
    path: &Path,
    aligned: bool,
    policy: FacePolicy,
) -> Result<Embedding, CliError> {
    let wrap = CliError::face(path.display());
    let image = engine.decode(&read_image(path)?).map_err(wrap)?;
    let result = if aligned {
        engine.embed_aligned(&image)
    } else {
        engine
            .analyze_image(&image, policy, Liveness::Skip)
            .map(|analysis| analysis.embedding)
    };
    result.map_err(CliError::face(path.display()))
}

/// Prints `value` as pretty JSON on standard output.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Invalid(e.to_string()))?;
    println!("{text}");
    Ok(())
}

/// A multi-threaded async runtime for the commands that talk to servers.
///
/// The blocking pool is small: the work that runs there (face analyses, bcrypt, SQLite) is
/// already bounded by its own semaphores or lock, and every extra thread keeps its own malloc
/// arena and inference scratch (with the default 512 threads a load run peaked at 1.3 GB,
/// with 8 at 221 MB, at the same throughput).
pub fn async_runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(8)
        .build()
        .map_err(|e| CliError::Invalid(format!("starting the async runtime: {e}")))
}
