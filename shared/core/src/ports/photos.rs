//! The photo store port and the key layout.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::StoreError;
use crate::domain::DocumentKind;

/// A pre-signed HTTP request a client can send without credentials.
#[derive(Clone, Debug, PartialEq)]
pub struct PresignedRequest {
    /// HTTP method.
    pub method: String,
    /// Full URL, signature included.
    pub url: String,
    /// Headers the client must send as they are.
    pub headers: Vec<(String, String)>,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
}

/// Content types accepted for photos.
pub const PHOTO_CONTENT_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

/// The rule every photo store applies before storing or signing an upload: a JPEG, PNG or
/// WebP content type, and (when the size is known) at most `max_bytes`.
pub fn check_photo(
    content_type: &str,
    size: Option<usize>,
    max_bytes: usize,
) -> Result<(), StoreError> {
    if !PHOTO_CONTENT_TYPES.contains(&content_type) {
        return Err(StoreError::Invalid(format!(
            "photos must be JPEG, PNG or WebP, not {content_type:?}"
        )));
    }
    match size {
        Some(size) => check_photo_size(size as u64, max_bytes),
        None => Ok(()),
    }
}

/// The size part of [`check_photo`], also applied to a stored photo before its bytes are
/// read: `Invalid` when `size` is over `max_bytes`.
pub fn check_photo_size(size: u64, max_bytes: usize) -> Result<(), StoreError> {
    if size > max_bytes as u64 {
        return Err(StoreError::Invalid(format!(
            "photo of {size} bytes is over the {max_bytes} byte limit"
        )));
    }
    Ok(())
}

/// [`check_photo`] for keys that hold photos; under the attachment prefixes
/// ([`photo_keys::holds_documents`]) a PDF, JPEG or PNG content type instead.
pub fn check_object(
    key: &str,
    content_type: &str,
    size: Option<usize>,
    max_bytes: usize,
) -> Result<(), StoreError> {
    if !photo_keys::holds_documents(key) {
        return check_photo(content_type, size, max_bytes);
    }
    if DocumentKind::of_content_type(content_type).is_none() {
        return Err(StoreError::Invalid(format!(
            "attachments must be PDF, JPEG or PNG, not {content_type:?}"
        )));
    }
    match size {
        Some(size) => check_photo_size(size as u64, max_bytes),
        None => Ok(()),
    }
}

/// Where photos live: S3 in the cloud, a folder locally.
#[async_trait]
pub trait PhotoStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing any photo there.
    async fn put_photo(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError>;
    /// The photo under `key`, if any; `Invalid` when it is larger than the store's photo
    /// limit, found before its bytes are read (an upload URL cannot bound the length).
    async fn photo(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Deletes the photo under `key`; deleting a missing photo is not an error.
    async fn delete_photo(&self, key: &str) -> Result<(), StoreError>;
    /// Every key that starts with `prefix`, sorted.
    async fn list_photos(&self, prefix: &str) -> Result<Vec<String>, StoreError>;
    /// A URL to upload one photo of `content_type` to `key` within `expires_in`.
    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<PresignedRequest, StoreError>;
    /// A URL to download the photo under `key` within `expires_in`.
    async fn presign_get(
        &self,
        key: &str,
        expires_in: Duration,
    ) -> Result<PresignedRequest, StoreError>;
}

/// The photo key layout: one prefix per purpose, and only validated ids below it, so no
/// client-chosen text ever becomes a path segment.
pub mod photo_keys {
    use chrono::NaiveDate;

    use crate::domain::{DocumentKind, Id};

    /// Prefix under which admins drop enrollment photos (the S3 trigger watches it).
    pub const ENROLLMENT_UPLOADS: &str = "enrollments/";
    /// Prefix of photos that became templates.
    pub const ENROLLED: &str = "enrolled/";
    /// Prefix of attendance selfies kept as evidence.
    pub const ATTENDANCE: &str = "attendance/";
    /// Prefix of enrollment photos held for an admin as possible duplicates.
    pub const FLAGGED: &str = "flagged/";
    /// Prefix of photos of refused punches, kept for the review period.
    pub const REFUSED: &str = "refused/";
    /// Prefix of documents uploaded for a request and not yet attached to it.
    pub const ATTACHMENT_UPLOADS: &str = "attachment-uploads/";
    /// Prefix of documents attached to requests.
    pub const ATTACHMENTS: &str = "attachments/";

    /// `attachment-uploads/{employee}/{request}/{upload}.{pdf|jpg|png}`
    pub fn attachment_upload(
        employee: &Id,
        request: &Id,
        upload: &Id,
        kind: DocumentKind,
    ) -> String {
        format!(
            "{ATTACHMENT_UPLOADS}{employee}/{request}/{upload}.{}",
            kind.extension()
        )
    }

    /// `attachments/{employee}/{request}/{upload}.{pdf|jpg|png}`: where the upload of that
    /// name is kept once attached.
    pub fn attachment(employee: &Id, request: &Id, upload: &Id, kind: DocumentKind) -> String {
        format!(
            "{ATTACHMENTS}{employee}/{request}/{upload}.{}",
            kind.extension()
        )
    }

    /// The employee, request, upload and declared kind of an attachment upload key;
    /// `None` for any other key.
    pub fn parse_attachment_upload(key: &str) -> Option<(Id, Id, Id, DocumentKind)> {
        let mut segments = key.strip_prefix(ATTACHMENT_UPLOADS)?.split('/');
        let employee = Id::parse(segments.next()?).ok()?;
        let request = Id::parse(segments.next()?).ok()?;
        let (upload, extension) = segments.next()?.split_once('.')?;
        if segments.next().is_some() {
            return None;
        }
        let kind = DocumentKind::of_extension(extension)?;
        Some((employee, request, Id::parse(upload).ok()?, kind))
    }

    /// Whether documents (PDF as well as images) are kept under `key`.
    pub fn holds_documents(key: &str) -> bool {
        key.starts_with(ATTACHMENT_UPLOADS) || key.starts_with(ATTACHMENTS)
    }

    /// `enrollments/{employee}/{upload}.jpg`
    pub fn enrollment_upload(employee: &Id, upload: &Id) -> String {
        format!("{ENROLLMENT_UPLOADS}{employee}/{upload}.jpg")
    }

    /// `enrolled/{employee}/{template}.jpg`
    pub fn enrolled(employee: &Id, template: &Id) -> String {
        format!("{ENROLLED}{employee}/{template}.jpg")
    }

    /// `attendance/{yyyy-mm-dd}/{employee}/{record}.jpg`
    pub fn attendance(day: NaiveDate, employee: &Id, record: &Id) -> String {
        format!("{ATTENDANCE}{day}/{employee}/{record}.jpg")
    }

    /// `flagged/{employee}/{template}.jpg`
    pub fn flagged(employee: &Id, template: &Id) -> String {
        format!("{FLAGGED}{employee}/{template}.jpg")
    }

    /// `refused/{yyyy-mm-dd}/{sender}/{attempt}.jpg`
    pub fn refused(day: NaiveDate, sender: &Id, attempt: &Id) -> String {
        format!("{REFUSED}{day}/{sender}/{attempt}.jpg")
    }

    /// The local day and employee of an attendance photo key; `None` for any other key.
    pub fn parse_attendance(key: &str) -> Option<(NaiveDate, Id)> {
        let mut segments = key.strip_prefix(ATTENDANCE)?.split('/');
        let day = segments.next()?.parse().ok()?;
        let employee = Id::parse(segments.next()?).ok()?;
        let file = segments.next()?;
        (file.ends_with(".jpg") && segments.next().is_none()).then_some((day, employee))
    }

    /// The day of a refused attempt's photo key; `None` for any other key.
    pub fn parse_refused(key: &str) -> Option<NaiveDate> {
        let mut segments = key.strip_prefix(REFUSED)?.split('/');
        let day = segments.next()?.parse().ok()?;
        Id::parse(segments.next()?).ok()?;
        let file = segments.next()?;
        (file.ends_with(".jpg") && segments.next().is_none()).then_some(day)
    }

    /// The employee of an enrolled-photo key; `None` for any other key.
    pub fn parse_enrolled(key: &str) -> Option<Id> {
        let (employee, file) = key.strip_prefix(ENROLLED)?.split_once('/')?;
        (file.ends_with(".jpg") && !file.contains('/'))
            .then_some(())
            .and_then(|()| Id::parse(employee).ok())
    }

    /// Every prefix that holds photos of `employee` directly below an employee segment.
    pub fn employee_prefixes(employee: &Id) -> [String; 5] {
        [
            format!("{ENROLLMENT_UPLOADS}{employee}/"),
            format!("{ENROLLED}{employee}/"),
            format!("{FLAGGED}{employee}/"),
            format!("{ATTACHMENT_UPLOADS}{employee}/"),
            format!("{ATTACHMENTS}{employee}/"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::photo_keys::{
        attachment_upload, attendance, parse_attachment_upload, parse_attendance,
    };
    use super::{StoreError, check_object};
    use crate::domain::{DocumentKind, Id};

    #[test]
    fn attachment_upload_keys_read_back_and_nothing_else_does() {
        let id = |s: &str| Id::parse(s).unwrap();
        let key = attachment_upload(&id("ann"), &id("q1"), &id("u1"), DocumentKind::Pdf);
        assert_eq!(key, "attachment-uploads/ann/q1/u1.pdf");
        assert_eq!(
            parse_attachment_upload(&key),
            Some((id("ann"), id("q1"), id("u1"), DocumentKind::Pdf))
        );
        for other in [
            "attachments/ann/q1/u1.pdf",
            "attachment-uploads/ann/q1/u1.exe",
            "attachment-uploads/ann/q1/u1",
            "attachment-uploads/ann/../u1.pdf",
            "attachment-uploads/ann/q1/sub/u1.pdf",
            "attachment-uploads/ann/q1/u1.pdf.png",
            "enrollments/ann/u1.jpg",
        ] {
            assert_eq!(parse_attachment_upload(other), None, "{other}");
        }
    }

    #[test]
    fn documents_are_stored_only_under_the_attachment_prefixes() {
        let pdf = "application/pdf";
        assert!(check_object("attachment-uploads/ann/q1/u1.pdf", pdf, Some(10), 100).is_ok());
        assert!(check_object("attachments/ann/q1/u1.pdf", pdf, None, 100).is_ok());
        for (key, content_type, size) in [
            ("enrollments/ann/u1.jpg", pdf, None),
            ("attachments/ann/q1/u1.pdf", "text/html", None),
            ("attachments/ann/q1/u1.pdf", pdf, Some(101)),
        ] {
            assert!(
                matches!(
                    check_object(key, content_type, size, 100),
                    Err(StoreError::Invalid(_))
                ),
                "{key} {content_type}"
            );
        }
    }

    #[test]
    fn attendance_keys_read_back_and_nothing_else_does() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let ann = Id::parse("ann").unwrap();
        let key = attendance(day, &ann, &Id::parse("r1").unwrap());
        assert_eq!(parse_attendance(&key), Some((day, ann)));
        for other in [
            "enrolled/ann/t1.jpg",
            "attendance/2026-13-01/ann/r1.jpg",
            "attendance/2026-11-28/../r1.jpg",
            "attendance/2026-11-28/ann/r1.png",
            "attendance/2026-11-28/ann/sub/r1.jpg",
            "attendance/2026-11-28/ann",
        ] {
            assert_eq!(parse_attendance(other), None, "{other}");
        }
    }
}
