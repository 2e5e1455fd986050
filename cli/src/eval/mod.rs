//! Verification accuracy: pair lists, scoring and metrics.

pub mod calibration;
pub mod identify;
pub mod identities;
pub mod metrics;
pub mod pairs;
pub mod plot;

use std::collections::HashMap;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};
use lintas_engine::FaceEngine;
use lintas_face::FacePolicy;
use lintas_face::embedding::Embedding;
use rayon::prelude::*;

use crate::commands::embed_file;
use pairs::Pair;

/// A scored pair: cosine similarity, whether it is the same person, and its fold.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    /// Cosine similarity.
    pub score: f32,
    /// Ground truth.
    pub same: bool,
    /// Cross-validation fold.
    pub fold: usize,
}

/// Scores of every pair whose two images could be embedded, and the images that could not.
pub struct Scores {
    /// Scored pairs.
    pub pairs: Vec<Scored>,
    /// Pairs left out because an image failed.
    pub failed_pairs: usize,
    /// Each failed image with its error code.
    pub failures: Vec<(PathBuf, &'static str)>,
}

/// Embeds each distinct image once (in parallel, with a progress bar) and scores the pairs.
pub fn score_pairs(engine: &FaceEngine, pairs: &[Pair], aligned: bool) -> Scores {
    let mut images: Vec<&PathBuf> = pairs.iter().flat_map(|p| [&p.first, &p.second]).collect();
    images.sort();
    images.dedup();
    let progress = ProgressBar::new(images.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} images, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let embedded: HashMap<&PathBuf, Result<Embedding, &'static str>> = images
        .par_iter()
        .map(|path| {
            let result =
                embed_file(engine, path, aligned, FacePolicy::Largest).map_err(|e| e.code());
            progress.inc(1);
            (*path, result)
        })
        .collect();
    progress.finish_and_clear();
    let mut failures: Vec<(PathBuf, &'static str)> = embedded
        .iter()
        .filter_map(|(path, result)| result.as_ref().err().map(|code| ((*path).clone(), *code)))
        .collect();
    failures.sort();
    let mut scored = Vec::with_capacity(pairs.len());
    let mut failed_pairs = 0;
    for pair in pairs {
        match (&embedded[&pair.first], &embedded[&pair.second]) {
            (Ok(a), Ok(b)) => match a.cosine(b) {
                Ok(score) => scored.push(Scored {
                    score,
                    same: pair.same,
                    fold: pair.fold,
                }),
                Err(_) => failed_pairs += 1,
            },
            _ => failed_pairs += 1,
        }
    }
    Scores {
        pairs: scored,
        failed_pairs,
        failures,
    }
}
