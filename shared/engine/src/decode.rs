//! Image decoding with limits checked before any pixel is allocated.
//!
//! Accepts JPEG, PNG and WebP; applies the EXIF orientation; turns grayscale, CMYK and
//! alpha images into plain RGB (alpha is dropped, not composited, so a transparent region
//! keeps the pixels under it).

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
    /// Smallest side in pixels.
    pub min_side: u32,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pixels: 40_000_000,
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
    if format == ImageFormat::Jpeg && !has_jpeg_end_marker(bytes) {
        return Err(FaceError::CorruptImage("the JPEG data is truncated".into()));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder)
        .map_err(|error| FaceError::CorruptImage(error.to_string()))?;
    image.apply_orientation(orientation);
    Ok(image.into_rgb8())
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
