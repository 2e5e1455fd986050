//! Folders of labelled photos (`identity/photo`), split by identity and embedded once.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use lintas_engine::FaceEngine;
use lintas_face::FacePolicy;
use lintas_face::embedding::Embedding;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::commands::embed_file;
use crate::error::CliError;

/// Which identities of a folder a command uses: a stable half by a hash of the name, so a
/// calibration and an evaluation on the same folder never share a person.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Split {
    /// Every identity.
    #[default]
    All,
    /// The half used to calibrate.
    Calibrate,
    /// The other half, held out for evaluation.
    Holdout,
}

impl Split {
    /// Whether `identity` belongs to this split.
    pub fn contains(self, identity: &str) -> bool {
        let calibrate = Sha256::digest(identity.as_bytes())[0] % 2 == 0;
        match self {
            Self::All => true,
            Self::Calibrate => calibrate,
            Self::Holdout => !calibrate,
        }
    }
}

/// The photos of one identity, sorted by file name.
#[derive(Clone, Debug)]
pub struct Identity {
    /// Folder name.
    pub name: String,
    /// Photo files.
    pub photos: Vec<PathBuf>,
}

/// The identities under `root` in `split`: every folder not starting with `_` or `.`, with
/// its `.jpg`, `.jpeg`, `.png` and `.webp` files, sorted by name.
pub fn identities(root: &Path, split: Split) -> Result<Vec<Identity>, CliError> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root).map_err(CliError::io(root))? {
        let path = entry.map_err(CliError::io(root))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if !path.is_dir()
            || name.starts_with('_')
            || name.starts_with('.')
            || !split.contains(&name)
        {
            continue;
        }
        let mut photos: Vec<PathBuf> = std::fs::read_dir(&path)
            .map_err(CliError::io(&path))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| is_photo(p))
            .collect();
        photos.sort();
        if !photos.is_empty() {
            found.push(Identity { name, photos });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    if found.is_empty() {
        return Err(CliError::Invalid(format!(
            "{} holds no identity folders with photos",
            root.display()
        )));
    }
    Ok(found)
}

fn is_photo(path: &Path) -> bool {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(extension.as_deref(), Some("jpg" | "jpeg" | "png" | "webp"))
}

/// The embedding of each photo that could be embedded (its largest face), in parallel with
/// a progress bar; the failures are counted.
pub fn embed_all(
    engine: &FaceEngine,
    photos: &[&Path],
    aligned: bool,
) -> (BTreeMap<PathBuf, Embedding>, usize) {
    let progress = ProgressBar::new(photos.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} photos, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let results: Vec<(PathBuf, Option<Embedding>)> = photos
        .par_iter()
        .map(|path| {
            let embedding = embed_file(engine, path, aligned, FacePolicy::Largest).ok();
            progress.inc(1);
            (path.to_path_buf(), embedding)
        })
        .collect();
    progress.finish_and_clear();
    let failed = results.iter().filter(|(_, e)| e.is_none()).count();
    let embedded = results
        .into_iter()
        .filter_map(|(path, embedding)| embedding.map(|e| (path, e)))
        .collect();
    (embedded, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_halves_split_every_identity_once() {
        let names = (0..200).map(|i| format!("person_{i}"));
        let (mut calibrate, mut holdout) = (0, 0);
        for name in names {
            assert!(Split::All.contains(&name));
            assert_ne!(
                Split::Calibrate.contains(&name),
                Split::Holdout.contains(&name)
            );
            if Split::Calibrate.contains(&name) {
                calibrate += 1;
            } else {
                holdout += 1;
            }
        }
        assert!(calibrate > 70 && holdout > 70, "{calibrate} {holdout}");
    }
}
