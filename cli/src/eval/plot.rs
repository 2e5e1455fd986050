//! ROC curve as a PNG: TAR (0 to 1, bottom to top) against FAR on a log scale from 1e-4
//! to 1 (left to right), with grid lines at each decade and at every 0.1 of TAR.

use image::{Rgb, RgbImage};

use super::metrics::RocPoint;

const WIDTH: u32 = 800;
const HEIGHT: u32 = 600;
const MARGIN: u32 = 40;
const LOG_FAR_MIN: f64 = -4.0;

/// Draws `curve`.
pub fn roc_png(curve: &[RocPoint]) -> RgbImage {
    let mut image = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([255, 255, 255]));
    let (plot_w, plot_h) = ((WIDTH - 2 * MARGIN) as f64, (HEIGHT - 2 * MARGIN) as f64);
    let to_pixel = |far: f64, tar: f64| {
        let x = (far.max(1e-4).log10() - LOG_FAR_MIN) / -LOG_FAR_MIN;
        (
            MARGIN as f64 + x * plot_w,
            MARGIN as f64 + (1.0 - tar) * plot_h,
        )
    };
    let grey = Rgb([210, 210, 210]);
    for decade in 0..=4 {
        let (x, _) = to_pixel(10f64.powi(-decade), 0.0);
        line(
            &mut image,
            (x, MARGIN as f64),
            (x, (HEIGHT - MARGIN) as f64),
            grey,
        );
    }
    for tenth in 0..=10 {
        let (_, y) = to_pixel(1.0, tenth as f64 / 10.0);
        line(
            &mut image,
            (MARGIN as f64, y),
            ((WIDTH - MARGIN) as f64, y),
            grey,
        );
    }
    let blue = Rgb([20, 60, 200]);
    for pair in curve.windows(2) {
        line(
            &mut image,
            to_pixel(pair[0].far, pair[0].tar),
            to_pixel(pair[1].far, pair[1].tar),
            blue,
        );
    }
    image
}

/// A straight line, two pixels thick, clipped to the image.
fn line(image: &mut RgbImage, from: (f64, f64), to: (f64, f64), colour: Rgb<u8>) {
    let steps = (to.0 - from.0)
        .abs()
        .max((to.1 - from.1).abs())
        .ceil()
        .max(1.0) as usize;
    for step in 0..=steps {
        let t = step as f64 / steps as f64;
        let (x, y) = (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
        for (dx, dy) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)] {
            let (px, py) = ((x + dx) as i64, (y + dy) as i64);
            if px >= 0 && py >= 0 && (px as u32) < image.width() && (py as u32) < image.height() {
                image.put_pixel(px as u32, py as u32, colour);
            }
        }
    }
}

/// Colours of the curves of a DET plot, in order.
const CURVE_COLOURS: [[u8; 3]; 6] = [
    [20, 60, 200],
    [200, 40, 40],
    [30, 150, 60],
    [150, 60, 170],
    [220, 130, 20],
    [40, 40, 40],
];

/// Open-set identification DET curves as a PNG: false negative identification rate (up,
/// log 1e-3 to 1) against false positive identification rate (across, log 1e-3 to 1), one
/// curve per gallery size in the colours of [`CURVE_COLOURS`], with grid lines at each
/// decade.
pub fn det_png(curves: &[Vec<(f64, f64)>]) -> RgbImage {
    const LOG_MIN: f64 = -3.0;
    let mut image = RgbImage::from_pixel(WIDTH, HEIGHT, Rgb([255, 255, 255]));
    let (plot_w, plot_h) = ((WIDTH - 2 * MARGIN) as f64, (HEIGHT - 2 * MARGIN) as f64);
    let to_pixel = |fpir: f64, fnir: f64| {
        let x = (fpir.max(1e-3).log10() - LOG_MIN) / -LOG_MIN;
        let y = (fnir.max(1e-3).log10() - LOG_MIN) / -LOG_MIN;
        (
            MARGIN as f64 + x * plot_w,
            MARGIN as f64 + (1.0 - y) * plot_h,
        )
    };
    let grey = Rgb([210, 210, 210]);
    for decade in 0..=3 {
        let rate = 10f64.powi(-decade);
        let (x, y) = to_pixel(rate, rate);
        line(
            &mut image,
            (x, MARGIN as f64),
            (x, (HEIGHT - MARGIN) as f64),
            grey,
        );
        line(
            &mut image,
            (MARGIN as f64, y),
            ((WIDTH - MARGIN) as f64, y),
            grey,
        );
    }
    for (curve, colour) in curves.iter().zip(CURVE_COLOURS.iter().cycle()) {
        for pair in curve.windows(2) {
            line(
                &mut image,
                to_pixel(pair[0].0, pair[0].1),
                to_pixel(pair[1].0, pair[1].1),
                Rgb(*colour),
            );
        }
    }
    image
}
