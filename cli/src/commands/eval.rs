//! `lintas eval --pairs FILE --root DIR`.

use std::path::PathBuf;

use clap::Args;
use lintas_engine::FaceEngine;
use serde::Serialize;

use crate::error::CliError;
use crate::eval::metrics::{RocPoint, auc, eer, k_fold_accuracy, roc, tar_at_far};
use crate::eval::pairs::{FOLDS, load};
use crate::eval::{Scores, plot, score_pairs};
use crate::options::EngineOptions;

/// The pair list and how to read it; shared with `lintas calibrate`.
#[derive(Args)]
pub struct PairsArgs {
    /// LFW `pairs.txt`, or CSV with header `path_a,path_b,same[,fold]`.
    #[arg(long)]
    pub pairs: PathBuf,
    /// Folder the image paths are relative to.
    #[arg(long)]
    pub root: PathBuf,
    /// The images are aligned face crops: skip detection.
    #[arg(long)]
    pub aligned: bool,
    /// Use at most this many pairs, spread over the list.
    #[arg(long)]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub engine: EngineOptions,
}

impl PairsArgs {
    /// Loads the engine and the pairs and scores them.
    pub fn score(&self) -> Result<(FaceEngine, Scores), CliError> {
        let pairs = load(&self.pairs, &self.root, self.limit)?;
        let engine = self.engine.load_engine()?;
        let scores = score_pairs(&engine, &pairs, self.aligned);
        if scores.pairs.is_empty() {
            return Err(CliError::Invalid("no pair could be scored".into()));
        }
        Ok((engine, scores))
    }
}

/// Arguments of `lintas eval`.
#[derive(Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pairs: PairsArgs,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Write the ROC curve as CSV (threshold, far, tar).
    #[arg(long)]
    roc_csv: Option<PathBuf>,
    /// Write the ROC curve as a PNG plot (log FAR 1e-4..1 across, TAR 0..1 up).
    #[arg(long)]
    roc_png: Option<PathBuf>,
}

/// What `lintas eval` reports.
#[derive(Serialize)]
struct Report {
    model: String,
    pairs: usize,
    positives: usize,
    negatives: usize,
    failures: usize,
    failed_images: Vec<(PathBuf, &'static str)>,
    accuracy: f64,
    accuracy_std: f64,
    auc: f64,
    eer: f64,
    #[serde(rename = "tar_at_far_1e-2")]
    tar_at_far_1e2: f64,
    #[serde(rename = "threshold_at_far_1e-2")]
    threshold_at_far_1e2: f32,
    #[serde(rename = "tar_at_far_1e-3")]
    tar_at_far_1e3: f64,
    #[serde(rename = "threshold_at_far_1e-3")]
    threshold_at_far_1e3: f32,
    #[serde(rename = "tar_at_far_1e-4")]
    tar_at_far_1e4: f64,
    #[serde(rename = "threshold_at_far_1e-4")]
    threshold_at_far_1e4: f32,
}

/// Scores the pairs and prints the metrics.
pub fn run(args: EvalArgs) -> Result<(), CliError> {
    let (engine, scores) = args.pairs.score()?;
    let curve = roc(&scores.pairs);
    let (accuracy, accuracy_std) = k_fold_accuracy(&scores.pairs, FOLDS);
    let at = |far| tar_at_far(&curve, far);
    let (p2, p3, p4) = (at(1e-2), at(1e-3), at(1e-4));
    let positives = scores.pairs.iter().filter(|p| p.same).count();
    let report = Report {
        model: engine.model_id().to_string(),
        pairs: scores.pairs.len(),
        positives,
        negatives: scores.pairs.len() - positives,
        failures: scores.failed_pairs,
        failed_images: scores.failures,
        accuracy,
        accuracy_std,
        auc: auc(&curve),
        eer: eer(&curve),
        tar_at_far_1e2: p2.tar,
        threshold_at_far_1e2: p2.threshold,
        tar_at_far_1e3: p3.tar,
        threshold_at_far_1e3: p3.threshold,
        tar_at_far_1e4: p4.tar,
        threshold_at_far_1e4: p4.threshold,
    };
    if let Some(path) = &args.roc_csv {
        write_csv(path, &curve)?;
    }
    if let Some(path) = &args.roc_png {
        plot::roc_png(&curve)
            .save(path)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display())))?;
    }
    if args.json {
        return super::print_json(&report);
    }
    print_table(&report);
    Ok(())
}

fn write_csv(path: &std::path::Path, curve: &[RocPoint]) -> Result<(), CliError> {
    let mut text = String::from("threshold,far,tar\n");
    for point in curve.iter().skip(1) {
        text.push_str(&format!(
            "{},{},{}\n",
            point.threshold, point.far, point.tar
        ));
    }
    std::fs::write(path, text).map_err(CliError::io(path))
}

fn print_table(r: &Report) {
    println!("model                 {}", r.model);
    println!(
        "pairs used            {} ({} same, {} different)",
        r.pairs, r.positives, r.negatives
    );
    println!(
        "pairs failed          {} ({} images)",
        r.failures,
        r.failed_images.len()
    );
    for (path, code) in &r.failed_images {
        println!("  {code:<22} {}", path.display());
    }
    println!(
        "10-fold accuracy      {:.4} ± {:.4}",
        r.accuracy, r.accuracy_std
    );
    println!("ROC AUC               {:.5}", r.auc);
    println!("EER                   {:.4}", r.eer);
    let far_line = |far: &str, tar: f64, threshold: f32| {
        println!("TAR @ FAR {far:<6}      {tar:.4} (threshold {threshold:.4})");
    };
    far_line("1e-2", r.tar_at_far_1e2, r.threshold_at_far_1e2);
    far_line("1e-3", r.tar_at_far_1e3, r.threshold_at_far_1e3);
    far_line("1e-4", r.tar_at_far_1e4, r.threshold_at_far_1e4);
    if (r.negatives as f64) < 1e4 {
        println!(
            "(with {} different-person pairs, FARs below {:.0e} are not resolved)",
            r.negatives,
            1.0 / r.negatives.max(1) as f64
        );
    }
}
