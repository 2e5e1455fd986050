//! `lintas pad-eval --root DIR`: presentation-attack detection measured in ISO/IEC 30107-3
//! terms on a folder laid out as `bona_fide/` and `attack/<species>/` (print, screen,
//! replay, mask...): APCER per species, BPCER, at the configured threshold and as a curve.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use lintas_engine::FaceEngine;
use lintas_engine::presentation::{Presentation, present};
use lintas_face::liveness::{LivenessRule, LivenessVerdict};
use lintas_face::{FacePolicy, Liveness};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::print_json;
use crate::error::CliError;
use crate::options::{EngineOptions, engine_from, read_image};

/// Arguments of `lintas pad-eval`.
#[derive(Args)]
pub struct PadEvalArgs {
    /// Folder with `bona_fide/` and `attack/<species>/` photo folders.
    #[arg(long)]
    root: PathBuf,
    /// Also show every bona fide photo as a flat print and as a screen held at angles
    /// (species `synthetic_print` and `synthetic_screen`, see `lintas_engine::presentation`).
    #[arg(long)]
    synthetic: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineOptions,
}

/// The angles (yaw, pitch) at which synthetic prints and screens are shown.
const SYNTHETIC_ANGLES: [(f32, f32); 4] = [(0.0, 0.0), (25.0, 5.0), (-25.0, -5.0), (40.0, 15.0)];

/// One photo to score: where it came from, and its bytes.
struct Sample {
    source: String,
    bytes: Vec<u8>,
}

/// What the anti-spoofing check made of one photo.
#[derive(Clone, Debug, Serialize)]
struct Scored {
    source: String,
    /// Fused score, when a face was found.
    score: Option<f32>,
    /// `live`, `attack`, `grayscale`, `too_small` or the engine's refusal code.
    verdict: String,
}

/// Rates of one group at one threshold.
#[derive(Clone, Debug, Serialize)]
struct GroupRates {
    presentations: usize,
    /// Attacks: share classified bona fide (APCER). Bona fide: share classified attack or
    /// unverifiable (BPCER).
    error_rate: f64,
    /// Photos without a usable face (not classified either way).
    no_face: usize,
    /// Photos the models could not judge (grayscale, face too small).
    unverifiable: usize,
}

/// Runs the evaluation.
pub fn run(args: PadEvalArgs) -> Result<(), CliError> {
    let settings = args.engine.settings()?;
    let rule = settings.rules.liveness.clone();
    let engine = engine_from(&settings)?;
    let bona_fide = samples(&photos_in(&args.root.join("bona_fide"))?)?;
    let mut attacks = BTreeMap::new();
    let attack_root = args.root.join("attack");
    if attack_root.is_dir() {
        for entry in std::fs::read_dir(&attack_root).map_err(CliError::io(&attack_root))? {
            let path = entry.map_err(CliError::io(&attack_root))?.path();
            if path.is_dir()
                && let Some(species) = path.file_name().and_then(|n| n.to_str())
            {
                attacks.insert(species.to_owned(), samples(&photos_in(&path)?)?);
            }
        }
    }
    if args.synthetic {
        for (species, screen) in [("synthetic_print", false), ("synthetic_screen", true)] {
            attacks.insert(species.to_owned(), synthetic(&bona_fide, screen)?);
        }
    }
    let bona_fide = score_all(&engine, &rule, &bona_fide);
    let attacks: BTreeMap<String, Vec<Scored>> = attacks
        .into_iter()
        .map(|(species, photos)| (species, score_all(&engine, &rule, &photos)))
        .collect();
    let threshold = rule.threshold;
    let curve: Vec<serde_json::Value> = (1..100)
        .map(|i| {
            let t = i as f32 / 100.0;
            let apcer: BTreeMap<&String, f64> = attacks
                .iter()
                .map(|(species, scored)| (species, rates(scored, t, true).error_rate))
                .collect();
            json!({"threshold": t, "bpcer": rates(&bona_fide, t, false).error_rate, "apcer": apcer})
        })
        .collect();
    let report = json!({
        "model_threshold": threshold,
        "bpcer": rates(&bona_fide, threshold, false),
        "apcer": attacks
            .iter()
            .map(|(species, scored)| (species.clone(), rates(scored, threshold, true)))
            .collect::<BTreeMap<_, _>>(),
        "curve": curve,
        "photos": {"bona_fide": bona_fide, "attack": attacks},
    });
    if args.json {
        return print_json(&report);
    }
    println!("threshold {threshold:.2}");
    let line = |name: &str, rates: &serde_json::Value| {
        println!(
            "  {name:24} {:>5} photos  error {:.4}  no face {}  unverifiable {}",
            rates["presentations"],
            rates["error_rate"].as_f64().unwrap_or(f64::NAN),
            rates["no_face"],
            rates["unverifiable"]
        );
    };
    line("BPCER bona_fide", &report["bpcer"]);
    if let Some(apcer) = report["apcer"].as_object() {
        for (species, rates) in apcer {
            line(&format!("APCER {species}"), rates);
        }
    }
    Ok(())
}

/// The bytes of each photo file.
fn samples(paths: &[PathBuf]) -> Result<Vec<Sample>, CliError> {
    paths
        .iter()
        .map(|path| {
            Ok(Sample {
                source: path.display().to_string(),
                bytes: read_image(path)?,
            })
        })
        .collect()
}

/// Every bona fide photo shown as a print (or a screen) at each of [`SYNTHETIC_ANGLES`].
fn synthetic(bona_fide: &[Sample], screen: bool) -> Result<Vec<Sample>, CliError> {
    let mut shown = Vec::new();
    for sample in bona_fide {
        for (yaw, pitch) in SYNTHETIC_ANGLES {
            let how = Presentation { yaw, pitch, screen };
            // A photo that cannot be shown (undecodable) is simply left out.
            if let Ok(bytes) = present(&sample.bytes, how) {
                shown.push(Sample {
                    source: format!("{} at {yaw}/{pitch}", sample.source),
                    bytes,
                });
            }
        }
    }
    Ok(shown)
}

/// The photo files of a folder, sorted.
fn photos_in(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut photos: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(CliError::io(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    photos.sort();
    Ok(photos)
}

fn score_all(engine: &FaceEngine, rule: &LivenessRule, photos: &[Sample]) -> Vec<Scored> {
    photos
        .par_iter()
        .map(|sample| {
            let analysis = engine
                .analyze(&sample.bytes, FacePolicy::Largest, Liveness::Assess)
                .map_err(|e| e.code().to_owned());
            let source = sample.source.clone();
            match analysis.map(|a| a.liveness) {
                Ok(Some(report)) => Scored {
                    source,
                    score: Some(report.score),
                    verdict: match rule.judge(&report) {
                        LivenessVerdict::Live => "live",
                        LivenessVerdict::Attack => "attack",
                        LivenessVerdict::Grayscale => "grayscale",
                        LivenessVerdict::TooSmall => "too_small",
                    }
                    .to_owned(),
                },
                Ok(None) => Scored {
                    source,
                    score: None,
                    verdict: "not_assessed".into(),
                },
                Err(code) => Scored {
                    source,
                    score: None,
                    verdict: code,
                },
            }
        })
        .collect()
}

/// The rates of `scored` at `threshold`; for attacks the error is a face judged live, for
/// bona fide photos anything else.
fn rates(scored: &[Scored], threshold: f32, attacks: bool) -> GroupRates {
    let judged: Vec<&Scored> = scored.iter().filter(|s| s.score.is_some()).collect();
    let unverifiable = judged
        .iter()
        .filter(|s| matches!(s.verdict.as_str(), "grayscale" | "too_small"))
        .count();
    let live = judged
        .iter()
        .filter(|s| s.verdict != "grayscale" && s.verdict != "too_small")
        .filter(|s| s.score.is_some_and(|score| score >= threshold))
        .count();
    let errors = if attacks { live } else { judged.len() - live };
    GroupRates {
        presentations: judged.len(),
        error_rate: errors as f64 / judged.len().max(1) as f64,
        no_face: scored.len() - judged.len(),
        unverifiable,
    }
}
