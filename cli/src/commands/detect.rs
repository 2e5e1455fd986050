//! `lintas detect IMG [--draw OUT.png]`.

use std::path::PathBuf;

use clap::Args;
use image::{Rgb, RgbImage};
use lintas_face::detection::Detection;

use super::print_json;
use crate::error::CliError;
use crate::options::{EngineOptions, read_image};

/// Arguments of `lintas detect`.
#[derive(Args)]
pub struct DetectArgs {
    /// The photo.
    image: PathBuf,
    /// Also write the photo with boxes and landmarks drawn on it.
    #[arg(long)]
    draw: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Prints every face found, as JSON.
pub fn run(args: DetectArgs) -> Result<(), CliError> {
    let engine = args.engine.load_engine()?;
    let mut image = engine
        .decode(&read_image(&args.image)?)
        .map_err(CliError::face(args.image.display()))?;
    let faces = engine
        .detect(&image)
        .map_err(CliError::face(args.image.display()))?;
    if let Some(out) = &args.draw {
        for face in &faces {
            draw(&mut image, face);
        }
        image
            .save(out)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", out.display())))?;
    }
    print_json(&faces)
}

/// Draws the box in green and the landmarks in red.
fn draw(image: &mut RgbImage, face: &Detection) {
    let thickness = (face.bbox.width / 60.0).ceil().max(1.0) as i64;
    let (x0, y0) = (face.bbox.x as i64, face.bbox.y as i64);
    let (x1, y1) = (x0 + face.bbox.width as i64, y0 + face.bbox.height as i64);
    let mut put = |x: i64, y: i64, colour: Rgb<u8>| {
        if x >= 0 && y >= 0 && (x as u32) < image.width() && (y as u32) < image.height() {
            image.put_pixel(x as u32, y as u32, colour);
        }
    };
    let green = Rgb([0, 255, 0]);
    for t in 0..thickness {
        for x in x0..=x1 {
            put(x, y0 + t, green);
            put(x, y1 - t, green);
        }
        for y in y0..=y1 {
            put(x0 + t, y, green);
            put(x1 - t, y, green);
        }
    }
    let radius = thickness * 2;
    for point in &face.landmarks {
        for dy in -radius..=radius {
            for dx in -radius..=radius {
                put(point.x as i64 + dx, point.y as i64 + dy, Rgb([255, 0, 0]));
            }
        }
    }
}
