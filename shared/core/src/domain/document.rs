//! Documents attached to requests (a doctor's letter, an assignment letter): PDF, JPEG or
//! PNG, known by their first bytes, never by what the uploader said.

use serde::{Deserialize, Serialize};

/// The kinds of document a request may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    /// A PDF file.
    #[serde(rename = "application/pdf")]
    Pdf,
    /// A JPEG photo or scan.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// A PNG image or scan.
    #[serde(rename = "image/png")]
    Png,
}

impl DocumentKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Pdf, Self::Jpeg, Self::Png];

    /// The MIME type.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The file extension its stored keys end with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    /// The kind of a MIME type, if it is one.
    pub fn of_content_type(content_type: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.content_type() == content_type)
    }

    /// The kind of a file extension, if it is one.
    pub fn of_extension(extension: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.extension() == extension)
    }

    /// The kind the bytes are, by their signature (PDF `%PDF-`, JPEG `FF D8 FF`, the PNG
    /// signature), if any.
    pub fn of_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_known_by_their_bytes_not_their_names() {
        assert_eq!(
            DocumentKind::of_bytes(b"%PDF-1.4\n..."),
            Some(DocumentKind::Pdf)
        );
        assert_eq!(
            DocumentKind::of_bytes(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(DocumentKind::Jpeg)
        );
        assert_eq!(
            DocumentKind::of_bytes(b"\x89PNG\r\n\x1a\nIHDR"),
            Some(DocumentKind::Png)
        );
        for other in [
            &b""[..],
            b"%PD",
            b" %PDF-1.4",
            b"<html>",
            b"GIF89a",
            b"PK\x03\x04",
        ] {
            assert_eq!(DocumentKind::of_bytes(other), None, "{other:?}");
        }
        for kind in DocumentKind::ALL {
            assert_eq!(
                DocumentKind::of_content_type(kind.content_type()),
                Some(kind)
            );
            assert_eq!(DocumentKind::of_extension(kind.extension()), Some(kind));
        }
        assert_eq!(DocumentKind::of_content_type("image/webp"), None);
    }
}
