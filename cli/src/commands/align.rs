//! `lintas align IMG... --out DIR`: aligned crops, e.g. to calibrate the int8 model.

use std::path::{Path, PathBuf};

use clap::Args;
use image::RgbImage;
use lintas_engine::FaceEngine;
use lintas_engine::align::align;
use lintas_face::detection::Detection;
use lintas_face::geometry::Point;

use crate::error::CliError;
use crate::options::{EngineOptions, read_image};

/// Arguments of `lintas align`.
#[derive(Args)]
pub struct AlignArgs {
    /// Photos (or folders of photos, searched recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Folder for the crops, named `<parent>__<stem>__<face>[__j<k>].png`.
    #[arg(long)]
    out: PathBuf,
    /// Extra crops per face with landmarks jittered and mirrored, to enlarge a small set.
    #[arg(long, default_value_t = 0)]
    jitter: u32,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Writes the crops and prints how many faces each photo gave.
pub fn run(args: AlignArgs) -> Result<(), CliError> {
    let engine = args.engine.load_engine()?;
    std::fs::create_dir_all(&args.out).map_err(CliError::io(&args.out))?;
    let mut photos = Vec::new();
    for input in &args.inputs {
        collect_images(input, &mut photos)?;
    }
    let mut written = 0usize;
    for photo in &photos {
        match crops_of(&engine, photo, args.jitter) {
            Ok(crops) => {
                for (name, crop) in crops {
                    let path = args.out.join(format!("{}__{name}.png", prefix(photo)));
                    crop.save(&path)
                        .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display())))?;
                    written += 1;
                }
            }
            Err(error) => eprintln!("skipped {}: {error}", photo.display()),
        }
    }
    println!(
        "{written} crops from {} photos in {}",
        photos.len(),
        args.out.display()
    );
    Ok(())
}

/// Every face of one photo, plus its jittered copies.
fn crops_of(
    engine: &FaceEngine,
    photo: &Path,
    jitter: u32,
) -> Result<Vec<(String, RgbImage)>, CliError> {
    let wrap = || CliError::face(photo.display());
    let image = engine.decode(&read_image(photo)?).map_err(wrap())?;
    let faces = engine.detect(&image).map_err(wrap())?;
    let mut crops = Vec::new();
    let mut noise = Lcg(0x9E37_79B9_7F4A_7C15 ^ photo.as_os_str().len() as u64);
    for (index, face) in faces.iter().enumerate() {
        crops.push((format!("{index}"), engine.align(&image, face)));
        for k in 0..jitter {
            let crop = align(&image, &jittered(face, &mut noise));
            let crop = if k % 2 == 0 {
                image::imageops::flip_horizontal(&crop)
            } else {
                crop
            };
            crops.push((format!("{index}__j{k}"), crop));
        }
    }
    Ok(crops)
}

/// Landmarks moved by up to 4% of the eye distance each.
fn jittered(face: &Detection, noise: &mut Lcg) -> [Point; 5] {
    let spread = face.landmarks[0].distance(face.landmarks[1]) * 0.04;
    face.landmarks.map(|p| {
        Point::new(
            p.x + spread * noise.next_signed(),
            p.y + spread * noise.next_signed(),
        )
    })
}

/// A small deterministic generator, so crops are reproducible.
struct Lcg(u64);

impl Lcg {
    /// A value in `[-1, 1)`.
    fn next_signed(&mut self) -> f32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

/// `parent__stem` of a photo path, so identities stay together in the crop names.
fn prefix(photo: &Path) -> String {
    let part = |p: Option<&std::ffi::OsStr>| {
        p.map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    format!(
        "{}__{}",
        part(photo.parent().and_then(Path::file_name)),
        part(photo.file_stem())
    )
}

/// Adds `path` (a file) or every image file below it (a folder), sorted.
fn collect_images(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), CliError> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(CliError::io(path))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let is_image = entry.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            ["jpg", "jpeg", "png", "webp"].contains(&e.to_ascii_lowercase().as_str())
        });
        if entry.is_dir() || is_image {
            collect_images(&entry, out)?;
        }
    }
    Ok(())
}
