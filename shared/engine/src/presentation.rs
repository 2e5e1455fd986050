//! Synthetic presentation attacks, for `lintas pad-eval --synthetic` and the tests: a photo
//! shown as a flat print or a screen held at an angle in front of the camera. Each frame is the photo seen through a pinhole
//! camera after the plane carrying it was turned about its vertical axis (yaw) and its
//! horizontal axis (pitch); a screen adds moiré stripes and a display gamma. Frames come back
//! as JPEG, as a camera sends them.

use image::{ImageFormat, Rgb, RgbImage};

use lintas_face::FaceError;

/// How a flat picture is shown to the camera.
#[derive(Clone, Copy, Debug)]
pub struct Presentation {
    /// Turn of the picture about its vertical axis, degrees.
    pub yaw: f32,
    /// Turn about its horizontal axis, degrees.
    pub pitch: f32,
    /// A screen (moiré and gamma) rather than a print.
    pub screen: bool,
}

/// `photo` (encoded) presented as `how`, as JPEG bytes.
pub fn present(photo: &[u8], how: Presentation) -> Result<Vec<u8>, FaceError> {
    let source = image::load_from_memory(photo)
        .map_err(|e| FaceError::CorruptImage(e.to_string()))?
        .to_rgb8();
    let (width, height) = source.dimensions();
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let focal = width.max(height) as f32;
    let (yaw, pitch) = (how.yaw.to_radians(), how.pitch.to_radians());
    let frame = RgbImage::from_fn(width, height, |u, v| {
        // Camera ray through (u, v), intersected with the turned plane through the centre at
        // distance `focal`: solve for the plane coordinates (x, y) of the print.
        let (a, b) = ((u as f32 - cx) / focal, (v as f32 - cy) / focal);
        let (sy, cyw, sp, cp) = (yaw.sin(), yaw.cos(), pitch.sin(), pitch.cos());
        // The plane's axes in camera space: turned by pitch about x, then by yaw about y.
        let ex = [cyw, 0.0, sy];
        let ey = [-sy * sp, cp, cyw * sp];
        let origin = [0.0, 0.0, focal];
        // Ray d = (a, b, 1): origin + x ex + y ey = t d.
        let (x, y) = solve(ex, ey, origin, [a, b, 1.0]);
        let pixel = sample(&source, cx + x, cy + y);
        if how.screen {
            screen_look(pixel, u, v)
        } else {
            pixel
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    frame
        .write_to(&mut out, ImageFormat::Jpeg)
        .map_err(|e| FaceError::Inference(format!("encoding a presented frame: {e}")))?;
    Ok(out.into_inner())
}

/// Solves `origin + x ex + y ey = t d` for (x, y) by Cramer's rule.
fn solve(ex: [f32; 3], ey: [f32; 3], origin: [f32; 3], d: [f32; 3]) -> (f32, f32) {
    // x ex + y ey - t d = -origin
    let m = [
        [ex[0], ey[0], -d[0]],
        [ex[1], ey[1], -d[1]],
        [ex[2], ey[2], -d[2]],
    ];
    let r = [-origin[0], -origin[1], -origin[2]];
    let det = |m: [[f32; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let whole = det(m);
    let with_column = |column: usize| {
        let mut replaced = m;
        for row in 0..3 {
            replaced[row][column] = r[row];
        }
        det(replaced) / whole
    };
    (with_column(0), with_column(1))
}

/// Bilinear sample, mid grey outside the picture (the wall behind it).
fn sample(image: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (image.width() as f32, image.height() as f32);
    if !(0.0..w - 1.0).contains(&x) || !(0.0..h - 1.0).contains(&y) {
        return Rgb([128, 128, 128]);
    }
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |dx: u32, dy: u32| image.get_pixel(x0 as u32 + dx, y0 as u32 + dy).0;
    let mut out = [0u8; 3];
    for (c, value) in out.iter_mut().enumerate() {
        let top = f32::from(at(0, 0)[c]) * (1.0 - fx) + f32::from(at(1, 0)[c]) * fx;
        let bottom = f32::from(at(0, 1)[c]) * (1.0 - fx) + f32::from(at(1, 1)[c]) * fx;
        *value = (top * (1.0 - fy) + bottom * fy).round() as u8;
    }
    Rgb(out)
}

/// A screen: a display gamma and moiré stripes where its pixel grid beats the camera's.
fn screen_look(pixel: Rgb<u8>, u: u32, v: u32) -> Rgb<u8> {
    let stripes = 14.0 * ((u as f32 * 0.91 + v as f32 * 0.37) * std::f32::consts::TAU / 3.1).sin();
    Rgb(pixel.0.map(|c| {
        let shown = 255.0 * (f32::from(c) / 255.0).powf(0.8) + stripes;
        shown.clamp(0.0, 255.0) as u8
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn an_unturned_print_is_the_photo() {
        let photo = RgbImage::from_fn(64, 48, |x, y| Rgb([(x * 4) as u8, (y * 5) as u8, 90]));
        let mut png = std::io::Cursor::new(Vec::new());
        photo.write_to(&mut png, ImageFormat::Png).unwrap();
        let shown = present(
            &png.into_inner(),
            Presentation {
                yaw: 0.0,
                pitch: 0.0,
                screen: false,
            },
        )
        .unwrap();
        let back = image::load_from_memory(&shown).unwrap().to_rgb8();
        let [r, g, _] = back.get_pixel(32, 24).0;
        assert!((i32::from(r) - 128).abs() < 12 && (i32::from(g) - 120).abs() < 12);
    }
}
