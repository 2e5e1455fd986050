//! Image decoding with limits checked before any pixel is allocated.
//!
//! Accepts JPEG, PNG and WebP; turns grayscale, CMYK, 16-bit and alpha images into plain
//! 8-bit RGB (alpha is dropped, not composited, so a transparent region keeps the pixels
//! under it); shrinks images larger than a working size; then applies the EXIF orientation.
//! Memory is bounded by the decoded size, not only the pixel count: a small file can declare
//! 16-bit RGBA pixels that take eight bytes each, and every later copy is made after the
//! conversion and the shrink, at three bytes per pixel of the working size.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};
use serde::{Deserialize, Serialize};

use lintas_face::FaceError;

/// Limits applied to every image before it is decoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecodeLimits {
    /// Largest encoded size in bytes.
    pub max_bytes: usize,
    /// Largest number of pixels (width x height) declared by the header.
    pub max_pixels: u64,
    /// Largest number of pixels of a check-in selfie (a phone's front camera gives far
    /// fewer; enrollment photos from a camera may use `max_pixels`).
    pub max_selfie_pixels: u64,
    /// Largest decoded size in bytes, in the image's own pixel format.
    pub max_decoded_bytes: u64,
    /// Images with more pixels are shrunk to about this many before anything else is done.
    pub max_working_pixels: u64,
    /// Smallest side in pixels.
    pub min_side: u32,
}

impl DecodeLimits {
    /// These limits with the selfie pixel budget.
    pub fn for_selfies(&self) -> Self {
        Self {
            max_pixels: self.max_pixels.min(self.max_selfie_pixels),
            ..self.clone()
        }
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
            max_selfie_pixels: 16_000_000,
            max_decoded_bytes: 200 * 1024 * 1024,
            max_working_pixels: 12_000_000,
            min_side: 32,
        }
    }
}

/// Decodes `bytes` into an upright RGB image, refusing anything outside `limits`.
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<RgbImage, FaceError> {
    if bytes.is_empty() {
        return Err(FaceError::EmptyImage);
    }
    if bytes.len() > limits.max_bytes {
        return Err(FaceError::ImageTooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let format = sniff_format(bytes)?;
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|error| FaceError::CorruptImage(error.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(FaceError::TooManyPixels {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    if width.min(height) < limits.min_side {
        return Err(FaceError::ImageTooSmall {
            width,
            height,
            min: limits.min_side,
        });
    }
    let decoded_bytes = decoder.total_bytes();
    if decoded_bytes > limits.max_decoded_bytes {
        let bytes_per_pixel = decoded_bytes / (u64::from(width) * u64::from(height)).max(1);
        return Err(FaceError::TooManyPixels {
            width,
            height,
            limit: limits.max_decoded_bytes / bytes_per_pixel.max(1),
        });
    }
    if format == ImageFormat::Jpeg && !has_jpeg_end_marker(bytes) {
        return Err(FaceError::CorruptImage("the JPEG data is truncated".into()));
    }
    let mut allocation = image::Limits::default();
    allocation.max_alloc = Some(limits.max_decoded_bytes);
    decoder
        .set_limits(allocation)
        .map_err(|error| FaceError::CorruptImage(error.to_string()))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let decoded = DynamicImage::from_decoder(decoder)
        .map_err(|error| FaceError::CorruptImage(error.to_string()))?;
    // Converted and shrunk before turning, so the rotation copies the small image.
    let mut image = DynamicImage::ImageRgb8(shrink(decoded.into_rgb8(), limits.max_working_pixels));
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
}

/// `image` shrunk to at most about `max_pixels` pixels, keeping its aspect ratio.
fn shrink(image: RgbImage, max_pixels: u64) -> RgbImage {
    let (width, height) = image.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels <= max_pixels {
        return image;
    }
    let scale = (max_pixels as f64 / pixels as f64).sqrt();
    let side = |length: u32| ((f64::from(length) * scale).floor() as u32).max(1);
    // A box filter straight into the small image: no full-size floating-point copy.
    image::imageops::thumbnail(&image, side(width), side(height))
}

/// Identifies the container from its magic bytes, naming unsupported ones.
fn sniff_format(bytes: &[u8]) -> Result<ImageFormat, FaceError> {
    if is_heif(bytes) {
        return Err(FaceError::UnsupportedFormat("HEIC/HEIF".into()));
    }
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        Ok(other) => Err(FaceError::UnsupportedFormat(
            other.extensions_str()[0].to_uppercase(),
        )),
        Err(_) => Err(FaceError::UnsupportedFormat("unrecognised".into())),
    }
}

/// True for ISO-BMFF files whose brand is one of the HEIF/HEIC family (not AVIF).
fn is_heif(bytes: &[u8]) -> bool {
    const BRANDS: [&[u8; 4]; 6] = [b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1"];
    bytes.len() >= 12 && &bytes[4..8] == b"ftyp" && BRANDS.iter().any(|b| &bytes[8..12] == *b)
}

/// A complete JPEG ends with the EOI marker; cameras may append a little data after it.
fn has_jpeg_end_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(2).any(|pair| pair == [0xFF, 0xD9])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Cursor::new(Vec::new());
        image
            .write_to(&mut bytes, format)
            .expect("encoding an in-memory image");
        bytes.into_inner()
    }

    #[test]
    fn decodes_grayscale_png_to_rgb() {
        let gray =
            DynamicImage::ImageLuma8(image::GrayImage::from_pixel(40, 50, image::Luma([90])));
        let rgb = decode(&encode(&gray, ImageFormat::Png), &DecodeLimits::default()).unwrap();
        assert_eq!(rgb.dimensions(), (40, 50));
        assert_eq!(rgb.get_pixel(3, 3).0, [90, 90, 90]);
    }

    #[test]
    fn refuses_oversized_bytes_and_pixels_before_decoding() {
        let image = DynamicImage::ImageRgb8(RgbImage::new(64, 64));
        let png = encode(&image, ImageFormat::Png);
        let tiny_bytes = DecodeLimits {
            max_bytes: 10,
            ..Default::default()
        };
        assert_eq!(
            decode(&png, &tiny_bytes).unwrap_err().code(),
            "image_too_large"
        );
        let few_pixels = DecodeLimits {
            max_pixels: 100,
            ..Default::default()
        };
        assert_eq!(
            decode(&png, &few_pixels).unwrap_err().code(),
            "too_many_pixels"
        );
    }

    #[test]
    fn refuses_tiny_images_and_unknown_bytes() {
        let image = DynamicImage::ImageRgb8(RgbImage::new(8, 8));
        let png = encode(&image, ImageFormat::Png);
        assert_eq!(
            decode(&png, &DecodeLimits::default()).unwrap_err().code(),
            "image_too_small"
        );
        let text = b"just some text, not an image at all";
        assert_eq!(
            decode(text, &DecodeLimits::default()).unwrap_err().code(),
            "unsupported_image_format"
        );
        assert_eq!(
            decode(&[], &DecodeLimits::default()).unwrap_err().code(),
            "empty_image"
        );
    }

    #[test]
    fn refuses_a_jpeg_cut_short() {
        let image = DynamicImage::ImageRgb8(RgbImage::from_pixel(64, 64, image::Rgb([1, 2, 3])));
        let jpeg = encode(&image, ImageFormat::Jpeg);
        let cut = &jpeg[..jpeg.len() * 2 / 3];
        assert_eq!(
            decode(cut, &DecodeLimits::default()).unwrap_err().code(),
            "corrupt_image"
        );
    }
}
