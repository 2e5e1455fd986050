//! A photo received from a client.

use std::sync::Arc;

use super::AppError;

/// Photo bytes as received; the format is judged from the bytes, never from the name or the
/// declared type.
#[derive(Clone, Debug)]
pub struct Photo {
    bytes: Arc<Vec<u8>>,
}

impl Photo {
    /// Wraps received bytes, refusing more than `max_bytes`.
    pub fn new(bytes: Vec<u8>, max_bytes: usize) -> Result<Self, AppError> {
        if bytes.is_empty() {
            return Err(AppError::unprocessable("empty_image", "the photo is empty"));
        }
        if bytes.len() > max_bytes {
            return Err(AppError::TooLarge(format!(
                "the photo is {} bytes; at most {max_bytes} bytes are accepted",
                bytes.len()
            )));
        }
        Ok(Self {
            bytes: Arc::new(bytes),
        })
    }

    /// The bytes.
    pub fn bytes(&self) -> &Arc<Vec<u8>> {
        &self.bytes
    }

    /// The MIME type of the bytes: JPEG, PNG or WebP, or an unsupported-media error.
    pub fn content_type(&self) -> Result<&'static str, AppError> {
        let bytes = self.bytes.as_slice();
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Ok("image/jpeg")
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Ok("image/png")
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Ok("image/webp")
        } else {
            Err(AppError::UnsupportedMedia(
                "photos must be JPEG, PNG or WebP".into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_typed_by_their_bytes() {
        let png = Photo::new(b"\x89PNG\r\n\x1a\n rest".to_vec(), 100).unwrap();
        assert_eq!(png.content_type().unwrap(), "image/png");
        let text = Photo::new(b"hello, not an image".to_vec(), 100).unwrap();
        assert_eq!(
            text.content_type().unwrap_err().code(),
            "unsupported_media_type"
        );
        assert_eq!(Photo::new(vec![], 100).unwrap_err().code(), "empty_image");
        assert_eq!(
            Photo::new(vec![0; 101], 100).unwrap_err().code(),
            "payload_too_large"
        );
    }
}
