//! `lintas calibrate`: measure the calibration curve on labelled photos and choose the
//! operating point of each face decision from it.

use std::path::{Path, PathBuf};

use clap::Args;
use lintas_engine::FaceEngine;
use lintas_face::decision::{Calibration, DecisionPolicy};
use rayon::prelude::*;
use serde_json::json;

use super::print_json;
use crate::error::CliError;
use crate::eval::calibration::{Histogram, curve};
use crate::eval::identities::{Split, embed_all, identities};
use crate::eval::pairs::load;
use crate::options::{EngineOptions, engine_from};

/// Arguments of `lintas calibrate`.
#[derive(Args)]
pub struct CalibrateArgs {
    /// Folder of labelled photos (`identity/photo`); every pair of its photos is scored.
    #[arg(long)]
    root: PathBuf,
    /// Score only these pairs (LFW `pairs.txt` or CSV `path_a,path_b,same[,fold]`, relative
    /// to `--root`) instead of every pair.
    #[arg(long)]
    pairs: Option<PathBuf>,
    /// Which identities of the folder to use (a stable half each, so a calibration and an
    /// evaluation on one folder never share a person).
    #[arg(long, value_enum, default_value_t)]
    split: Split,
    /// Use at most this many photos of each identity.
    #[arg(long, default_value_t = 20)]
    max_photos: usize,
    /// The photos are aligned face crops: skip detection.
    #[arg(long)]
    aligned: bool,
    /// 1:1 verification: false matches per attempt.
    #[arg(long)]
    verify_far: Option<f64>,
    /// 1:N identification: share of never-enrolled faces recorded as someone, at any
    /// gallery size.
    #[arg(long)]
    identify_fpir: Option<f64>,
    /// Enrollment: share of distinct new people flagged as possible duplicates.
    #[arg(long)]
    duplicate_rate: Option<f64>,
    /// Also write the curve alone to this TOML file (the shipped calibration's format).
    #[arg(long)]
    curve_out: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Measures the curve, writes it with the targets into the settings file named by
/// `--config`, and prints the operating points at a range of gallery sizes.
pub fn run(args: CalibrateArgs) -> Result<(), CliError> {
    let mut settings = args.engine.settings()?;
    let engine = engine_from(&settings)?;
    let (impostors, genuine, photos) = match &args.pairs {
        Some(pairs) => score_pairs(&args, &engine, pairs)?,
        None => score_folder(&args, &engine)?,
    };
    if genuine.total() == 0 || impostors.total() == 0 {
        return Err(CliError::Invalid(
            "calibration needs same-person and different-person pairs".into(),
        ));
    }
    let source = format!(
        "{} ({:?} split, {photos} photos), model {}",
        args.root.display(),
        args.split,
        engine.model_id()
    );
    let calibration = curve(&impostors, &genuine, &source);
    let decisions = &mut settings.rules.decisions;
    decisions.calibration = calibration.clone();
    if let Some(far) = args.verify_far {
        decisions.verify_far = far;
    }
    if let Some(fpir) = args.identify_fpir {
        decisions.identify_fpir = fpir;
    }
    if let Some(rate) = args.duplicate_rate {
        decisions.duplicate_flag_rate = rate;
    }
    settings
        .rules
        .validate()
        .map_err(|e| CliError::Invalid(format!("the calibration: {e}")))?;
    settings.save(&args.engine.config)?;
    if let Some(path) = &args.curve_out {
        write_curve(path, &calibration)?;
    }
    print_json(&json!({
        "source": calibration.source,
        "written_to": args.engine.config,
        "operating_points": operating_points(&settings.rules.decisions),
    }))
}

/// The operating points at gallery sizes from 10 to 10,000 people (one template each).
pub fn operating_points(decisions: &DecisionPolicy) -> Vec<serde_json::Value> {
    [10, 50, 100, 300, 500, 1000, 3000, 10_000]
        .into_iter()
        .map(|people| json!(decisions.at_gallery_size(people, people)))
        .collect()
}

fn write_curve(path: &Path, calibration: &Calibration) -> Result<(), CliError> {
    let text = toml::to_string_pretty(calibration)
        .map_err(|e| CliError::Invalid(format!("the curve as TOML: {e}")))?;
    let header = "# Written by `lintas calibrate --curve-out`; see docs/ACCURACY.md.\n";
    std::fs::write(path, format!("{header}{text}")).map_err(CliError::io(path))
}

/// Every same-identity pair as genuine and every cross-identity pair as impostor.
fn score_folder(
    args: &CalibrateArgs,
    engine: &FaceEngine,
) -> Result<(Histogram, Histogram, usize), CliError> {
    let people = identities(&args.root, args.split)?;
    let photos: Vec<&Path> = people
        .iter()
        .flat_map(|p| p.photos.iter().take(args.max_photos).map(PathBuf::as_path))
        .collect();
    let (embedded, failed) = embed_all(engine, &photos, args.aligned);
    eprintln!(
        "calibrate: {} photos of {} identities embedded, {failed} failed",
        embedded.len(),
        people.len()
    );
    let mut labelled = Vec::with_capacity(embedded.len());
    for (index, person) in people.iter().enumerate() {
        for photo in person.photos.iter().take(args.max_photos) {
            if let Some(embedding) = embedded.get(photo) {
                labelled.push((index, embedding.vector().to_vec()));
            }
        }
    }
    let (impostors, genuine) = (0..labelled.len())
        .into_par_iter()
        .fold(
            || (Histogram::default(), Histogram::default()),
            |(mut impostors, mut genuine), i| {
                let (who, a) = &labelled[i];
                for (other, b) in &labelled[i + 1..] {
                    let score: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
                    if who == other {
                        genuine.add(score);
                    } else {
                        impostors.add(score);
                    }
                }
                (impostors, genuine)
            },
        )
        .reduce(
            || (Histogram::default(), Histogram::default()),
            |(mut i1, mut g1), (i2, g2)| {
                i1.merge(&i2);
                g1.merge(&g2);
                (i1, g1)
            },
        );
    Ok((impostors, genuine, labelled.len()))
}

/// The pairs of a pair list.
fn score_pairs(
    args: &CalibrateArgs,
    engine: &FaceEngine,
    pairs: &Path,
) -> Result<(Histogram, Histogram, usize), CliError> {
    let pairs = load(pairs, &args.root, None)?;
    let scores = crate::eval::score_pairs(engine, &pairs, args.aligned);
    let (mut impostors, mut genuine) = (Histogram::default(), Histogram::default());
    for pair in &scores.pairs {
        if pair.same {
            genuine.add(pair.score);
        } else {
            impostors.add(pair.score);
        }
    }
    Ok((impostors, genuine, scores.pairs.len() * 2))
}
