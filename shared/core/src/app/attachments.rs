//! Documents attached to requests (a doctor's letter, an assignment letter): uploaded
//! through a pre-signed URL, known by their first bytes (never by what the uploader said),
//! moved where no upload URL reaches, and read back through a short-lived URL by whoever may
//! see the request.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::reach::manages;
use super::requests::already_decided;
use super::{App, AppError, Principal, SignedUpload};
use crate::domain::{Attachment, AttendanceRequest, DocumentKind, Employee, RequestStatus, new_id};
use crate::ports::{StoreError, photo_keys};

/// A link to download a request's document.
#[derive(Clone, Debug, Serialize)]
pub struct AttachmentLink {
    /// What the document is.
    pub content_type: DocumentKind,
    /// Its size in bytes.
    pub bytes: u64,
    /// Pre-signed GET URL.
    pub url: String,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
}

impl App {
    /// A pre-signed URL through which the requester (or an admin who manages them) uploads
    /// one PDF, JPEG or PNG for the request; [`App::attach_document`] then attaches it.
    pub async fn attachment_upload(
        &self,
        caller: &Principal,
        id: &str,
        content_type: &str,
    ) -> Result<SignedUpload, AppError> {
        let (request, employee) = self.attachable_request(caller, id).await?;
        let kind = DocumentKind::of_content_type(content_type).ok_or_else(|| {
            AppError::UnsupportedMedia(format!(
                "attachments are PDF, JPEG or PNG, not {content_type:?}"
            ))
        })?;
        let key = photo_keys::attachment_upload(&employee.id, &request.id, &new_id(), kind);
        let signed = self
            .photos
            .presign_put(&key, kind.content_type(), self.config.uploads.presign_ttl)
            .await?;
        Ok(SignedUpload::new(key, signed))
    }

    /// Attaches the document uploaded to `upload_key` (a key [`App::attachment_upload`]
    /// issued for this request), replacing any earlier one. The file must be what its
    /// upload URL was signed for, by its first bytes (`invalid_attachment` otherwise, and
    /// the upload is deleted); it is kept under `attachments/`, which no upload URL reaches,
    /// so it cannot be replaced afterwards.
    pub async fn attach_document(
        &self,
        caller: &Principal,
        id: &str,
        upload_key: &str,
    ) -> Result<AttendanceRequest, AppError> {
        let (request, employee) = self.attachable_request(caller, id).await?;
        let (upload, declared) = match photo_keys::parse_attachment_upload(upload_key) {
            Some((owner, request_id, upload, declared))
                if owner == employee.id && request_id == request.id =>
            {
                (upload, declared)
            }
            _ => {
                return Err(AppError::invalid(
                    "invalid_upload_key",
                    "the key is not an upload URL's key issued for this request",
                ));
            }
        };
        let bytes = match self.photos.photo(upload_key).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return Err(AppError::unprocessable(
                    "attachment_missing",
                    "nothing was uploaded to this key, or the upload expired",
                ));
            }
            Err(StoreError::Invalid(message)) => {
                self.photos.delete_photo(upload_key).await?;
                return Err(AppError::TooLarge(message));
            }
            Err(other) => return Err(other.into()),
        };
        if DocumentKind::of_bytes(&bytes) != Some(declared) {
            self.photos.delete_photo(upload_key).await?;
            return Err(AppError::unprocessable(
                "invalid_attachment",
                format!(
                    "the file is not the {} it was uploaded as",
                    declared.content_type()
                ),
            ));
        }
        let key = photo_keys::attachment(&employee.id, &request.id, &upload, declared);
        let size = bytes.len() as u64;
        self.photos
            .put_photo(&key, bytes, declared.content_type())
            .await?;
        let attached = AttendanceRequest {
            attachment: Some(Attachment {
                key: key.clone(),
                content_type: declared,
                bytes: size,
                attached_at: self.clock.now(),
            }),
            version: request.version + 1,
            ..request.clone()
        };
        if let Err(error) = self.store.update_request(&attached, None).await {
            self.photos.delete_photo(&key).await?;
            return Err(match error {
                StoreError::Conflict(_) => AppError::conflict(
                    "request_changed",
                    "the request changed meanwhile; read it and try again",
                ),
                other => other.into(),
            });
        }
        self.photos.delete_photo(upload_key).await?;
        if let Some(earlier) = request.attachment.filter(|earlier| earlier.key != key) {
            self.photos.delete_photo(&earlier.key).await?;
        }
        self.audit(
            &caller.id,
            "request.attach",
            request.id.as_str(),
            Some(format!("{}, {size} bytes", declared.content_type())),
        )
        .await;
        Ok(attached)
    }

    /// A short-lived link to the request's document, for whoever may see the request.
    pub async fn attachment_link(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<AttachmentLink, AppError> {
        let (request, _) = self.visible_request(caller, id).await?;
        let attachment = request.attachment.ok_or_else(|| {
            AppError::NotFound(format!("the attachment of request {}", request.id))
        })?;
        let signed = self
            .photos
            .presign_get(&attachment.key, self.config.uploads.presign_ttl)
            .await?;
        Ok(AttachmentLink {
            content_type: attachment.content_type,
            bytes: attachment.bytes,
            url: signed.url,
            expires_at: signed.expires_at,
        })
    }

    /// The request and its employee, when the caller may attach a document to it: the
    /// requester while it is pending, or an admin who manages the employee (their manual
    /// entries are approved at once).
    async fn attachable_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<(AttendanceRequest, Employee), AppError> {
        let (request, employee) = self.visible_request(caller, id).await?;
        if manages(caller, &employee) {
            return Ok((request, employee));
        }
        if request.employee_id != caller.id && request.filed_by != caller.id {
            return Err(AppError::forbidden(
                "not_requester",
                "only the requester or an admin attaches documents",
            ));
        }
        if request.status != RequestStatus::Pending {
            return Err(already_decided());
        }
        Ok((request, employee))
    }
}
