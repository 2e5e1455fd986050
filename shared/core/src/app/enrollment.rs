//! Enrollment: photos posted by an admin, and photos dropped in the upload area of the
//! photo store (the S3 trigger), each becoming a face template or a stated rejection.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{App, AppError, Photo, parse_id};
use crate::domain::{
    Employee, EmployeeStatus, EnrollmentJob, EnrollmentStatus, FaceTemplate, Id, new_id,
};
use crate::ports::{Page, PageRequest, StoreError, photo_keys};
use lintas_face::FacePolicy;
use lintas_face::gallery::Identification;
use lintas_face::quality::QualityReport;

/// Most templates one employee may have.
pub(super) const MAX_TEMPLATES_PER_EMPLOYEE: usize = 10;
/// Most photos in one enrollment request.
pub(super) const MAX_PHOTOS_PER_REQUEST: usize = 10;

/// What became of one delivered upload.
#[derive(Debug)]
pub enum UploadHandled {
    /// Processed: the job records whether the photo was accepted.
    Processed(EnrollmentJob),
    /// The key can never be enrolled; the event is acknowledged without a job.
    Dropped,
}

/// What became of one enrollment photo.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EnrollmentOutcome {
    /// It is now a template.
    Accepted {
        /// The new template.
        template_id: Id,
        /// Quality of the face.
        quality: QualityReport,
    },
    /// It was refused.
    Rejected {
        /// Stable code (`no_face`, `face_blurred`, `face_already_enrolled`...).
        code: &'static str,
        /// Why, for people.
        message: String,
    },
}

/// A template as the API lists it (no embedding).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateView {
    /// Template id.
    pub id: Id,
    /// Model that made it.
    pub model_id: String,
    /// Quality of the enrolled face.
    pub quality: QualityReport,
    /// Photo store key of the enrolled photo.
    pub photo_key: String,
    /// When it was enrolled.
    pub created_at: DateTime<Utc>,
}

/// Where and how an admin uploads one enrollment photo.
#[derive(Clone, Debug, Serialize)]
pub struct EnrollmentUpload {
    /// The key the photo will have; its enrollment job is listed under it.
    pub key: String,
    /// HTTP method to use.
    pub method: String,
    /// Pre-signed URL.
    pub url: String,
    /// Headers to send exactly.
    pub headers: std::collections::BTreeMap<String, String>,
    /// When the URL stops working.
    pub expires_at: DateTime<Utc>,
}

impl App {
    /// Enrolls each photo for the employee and says per photo what became of it.
    pub async fn enroll_photos(
        &self,
        actor: &Id,
        employee: &str,
        photos: Vec<Result<Photo, AppError>>,
    ) -> Result<Vec<EnrollmentOutcome>, AppError> {
        if photos.is_empty() || photos.len() > MAX_PHOTOS_PER_REQUEST {
            return Err(AppError::invalid(
                "invalid_photo_count",
                format!("send 1 to {MAX_PHOTOS_PER_REQUEST} photos"),
            ));
        }
        let employee = self.enrollable(employee).await?;
        let mut outcomes = Vec::with_capacity(photos.len());
        for photo in photos {
            let template_id = new_id();
            let key = photo_keys::enrolled(&employee.id, &template_id);
            let outcome = match photo {
                Ok(photo) => self.enroll(&employee, &photo, template_id, key, true).await,
                Err(error) => Err(error),
            };
            outcomes.push(outcome_of(outcome)?);
        }
        let accepted = outcomes
            .iter()
            .filter(|o| matches!(o, EnrollmentOutcome::Accepted { .. }))
            .count();
        self.audit(
            actor,
            "face.enroll",
            employee.id.as_str(),
            Some(format!("{accepted} of {} photos accepted", outcomes.len())),
        )
        .await;
        Ok(outcomes)
    }

    /// A pre-signed URL through which an admin uploads one enrollment photo; the upload is
    /// enrolled by [`App::process_upload`] when the store announces it.
    pub async fn enrollment_upload(
        &self,
        employee: &str,
        content_type: &str,
    ) -> Result<EnrollmentUpload, AppError> {
        let employee = self.enrollable(employee).await?;
        let key = photo_keys::enrollment_upload(&employee.id, &new_id());
        let request = self
            .photos
            .presign_put(&key, content_type, self.config.uploads.presign_ttl)
            .await
            .map_err(|error| match error {
                StoreError::Invalid(message) => AppError::UnsupportedMedia(message),
                other => other.into(),
            })?;
        Ok(EnrollmentUpload {
            key,
            method: request.method,
            url: request.url,
            headers: request.headers.into_iter().collect(),
            expires_at: request.expires_at,
        })
    }

    /// Handles one uploaded key as an event source delivers it, with the one redelivery
    /// policy of every driving adapter: a key that can never be enrolled
    /// (`invalid_upload_key`) is logged and dropped; any other failure (a store that is
    /// down, denied or misconfigured) is returned so the event is delivered again, and the
    /// job is never left `pending` by a consumed event.
    pub async fn handle_upload(&self, key: &str) -> Result<UploadHandled, AppError> {
        match self.process_upload(key).await {
            Ok(job) => Ok(UploadHandled::Processed(job)),
            Err(error) if error.code() == "invalid_upload_key" => {
                tracing::warn!(key, %error, "upload key can never be enrolled; dropped");
                Ok(UploadHandled::Dropped)
            }
            Err(error) => Err(error),
        }
    }

    /// Enrolls a photo that arrived under `enrollments/{employee}/` in the photo store and
    /// records the outcome as an enrollment job. Exactly once per key: a redelivered event
    /// for a finished job changes nothing, and one for an interrupted job completes it.
    pub async fn process_upload(&self, key: &str) -> Result<EnrollmentJob, AppError> {
        let employee_id = upload_owner(key)?;
        let now = self.clock.now();
        let job = EnrollmentJob {
            photo_key: key.to_owned(),
            employee_id: employee_id.clone(),
            status: EnrollmentStatus::Pending,
            reason: None,
            template_id: None,
            updated_at: now,
        };
        if !self.store.begin_enrollment(&job).await? {
            let existing = self.store.enrollment(key).await?.unwrap_or(job.clone());
            if existing.status != EnrollmentStatus::Pending {
                return Ok(existing);
            }
        }
        let template_id = upload_template_id(key);
        let stored = match self.photos.photo(key).await {
            // Larger than any photo may be: refused for good, never read.
            Err(StoreError::Invalid(cause)) => Err(AppError::TooLarge(cause)),
            other => Ok(other?),
        };
        let outcome = match stored {
            Err(too_large) => Err(too_large),
            Ok(None) => Err(AppError::unprocessable(
                "photo_missing",
                "the uploaded photo is no longer in the bucket",
            )),
            Ok(Some(bytes)) => match self.enrollable(employee_id.as_str()).await {
                Ok(employee) => match Photo::new(bytes, self.config.uploads.max_photo_bytes) {
                    // The photo moves under `enrolled/`: the upload prefix only holds uploads
                    // in flight (the bucket expires whatever is left there).
                    Ok(photo) => {
                        let enrolled = photo_keys::enrolled(&employee.id, &template_id);
                        self.enroll(&employee, &photo, template_id.clone(), enrolled, true)
                            .await
                    }
                    Err(error) => Err(error),
                },
                Err(AppError::NotFound(_)) => Err(AppError::unprocessable(
                    "unknown_employee",
                    format!("no employee {employee_id} exists"),
                )),
                Err(error) => Err(error),
            },
        };
        let finished = match outcome_of(outcome)? {
            EnrollmentOutcome::Accepted { template_id, .. } => {
                self.photos.delete_photo(key).await?;
                EnrollmentJob {
                    status: EnrollmentStatus::Accepted,
                    template_id: Some(template_id),
                    updated_at: self.clock.now(),
                    ..job
                }
            }
            EnrollmentOutcome::Rejected { code, message } => {
                self.photos.delete_photo(key).await?;
                tracing::info!(key, code, message, "enrollment upload rejected");
                EnrollmentJob {
                    status: EnrollmentStatus::Rejected,
                    reason: Some(code.to_owned()),
                    updated_at: self.clock.now(),
                    ..job
                }
            }
        };
        self.store.finish_enrollment(&finished).await?;
        Ok(finished)
    }

    /// Enrollment jobs with one status, most recent first.
    pub async fn enrollments(
        &self,
        status: EnrollmentStatus,
        page: &PageRequest,
    ) -> Result<Page<EnrollmentJob>, AppError> {
        Ok(self.store.enrollments_by_status(status, page).await?)
    }

    /// The templates of one employee.
    pub async fn templates(&self, employee: &str) -> Result<Vec<TemplateView>, AppError> {
        let employee = self.existing_employee(employee).await?;
        let templates = self.store.templates_of(&employee.id).await?;
        Ok(templates
            .into_iter()
            .map(|t| TemplateView {
                model_id: t.embedding.model().as_str().to_owned(),
                id: t.id,
                quality: t.quality,
                photo_key: t.photo_key,
                created_at: t.created_at,
            })
            .collect())
    }

    /// Deletes one template and its photo.
    pub async fn delete_template(
        &self,
        actor: &Id,
        employee: &str,
        template: &str,
    ) -> Result<(), AppError> {
        let employee = self.existing_employee(employee).await?;
        let template = parse_id(template, "template id")?;
        let stored = self.store.templates_of(&employee.id).await?;
        let found = stored
            .iter()
            .find(|t| t.id == template)
            .ok_or_else(|| AppError::NotFound(format!("template {template}")))?;
        self.store.delete_template(&employee.id, &template).await?;
        self.photos.delete_photo(&found.photo_key).await?;
        self.forget_deleted_templates().await?;
        self.audit(
            actor,
            "face.delete",
            employee.id.as_str(),
            Some(template.to_string()),
        )
        .await;
        Ok(())
    }

    /// The employee, who must exist and be active to be enrolled.
    async fn enrollable(&self, employee: &str) -> Result<Employee, AppError> {
        let employee = self.existing_employee(employee).await?;
        if employee.status != EmployeeStatus::Active {
            return Err(AppError::conflict(
                "employee_suspended",
                format!("employee {} is suspended", employee.id),
            ));
        }
        Ok(employee)
    }

    /// Turns one photo into a template stored under `template_id`, keeping the photo under
    /// `photo_key` (storing it there first when `store_photo`). A face that matches another
    /// employee is refused, so one person cannot be enrolled under two ids.
    async fn enroll(
        &self,
        employee: &Employee,
        photo: &Photo,
        template_id: Id,
        photo_key: String,
        store_photo: bool,
    ) -> Result<EnrollmentOutcome, AppError> {
        let faces = self.faces()?;
        let content_type = photo.content_type()?;
        let analysis = faces
            .analyze(photo.bytes().clone(), FacePolicy::Enrollment)
            .await?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        let identification = gallery.identify(&analysis.embedding, faces.matching())?;
        let other = match &identification {
            Identification::Match { best, .. } | Identification::Ambiguous { best, .. } => {
                (best.employee_id != employee.id.as_str()).then_some(&best.employee_id)
            }
            Identification::NoMatch { .. } => None,
        };
        if let Some(other) = other {
            return Err(AppError::conflict(
                "face_already_enrolled",
                format!("this face is already enrolled as employee {other}"),
            ));
        }
        let existing = self.store.templates_of(&employee.id).await?;
        if existing.iter().any(|t| t.id == template_id) {
            return Ok(EnrollmentOutcome::Accepted {
                template_id,
                quality: analysis.quality,
            });
        }
        if existing.len() >= MAX_TEMPLATES_PER_EMPLOYEE {
            return Err(AppError::conflict(
                "too_many_templates",
                format!("an employee has at most {MAX_TEMPLATES_PER_EMPLOYEE} templates"),
            ));
        }
        if store_photo {
            self.photos
                .put_photo(&photo_key, photo.bytes().to_vec(), content_type)
                .await?;
        }
        let template = FaceTemplate {
            id: template_id.clone(),
            employee_id: employee.id.clone(),
            embedding: analysis.embedding,
            quality: analysis.quality.clone(),
            photo_key: photo_key.clone(),
            created_at: self.clock.now(),
        };
        let version = match self.store.add_template(&template).await {
            Ok(version) => version,
            Err(error) => {
                if store_photo && let Err(delete) = self.photos.delete_photo(&photo_key).await {
                    tracing::error!(
                        photo_key,
                        error = %delete,
                        "enrolled photo without a template not deleted; sweep-photos removes it"
                    );
                }
                return Err(error.into());
            }
        };
        faces.added(&template, version)?;
        Ok(EnrollmentOutcome::Accepted {
            template_id,
            quality: analysis.quality,
        })
    }
}

/// A per-photo outcome; only faults of the service (and unavailable backends) fail the
/// whole request.
fn outcome_of(result: Result<EnrollmentOutcome, AppError>) -> Result<EnrollmentOutcome, AppError> {
    match result {
        Ok(outcome) => Ok(outcome),
        Err(error @ (AppError::Internal(_) | AppError::Unavailable(_))) => Err(error),
        Err(error) => Ok(EnrollmentOutcome::Rejected {
            code: error.code(),
            message: error.to_string(),
        }),
    }
}

/// The employee of an upload key `enrollments/{employee}/{name}`.
fn upload_owner(key: &str) -> Result<Id, AppError> {
    let invalid = || {
        AppError::invalid(
            "invalid_upload_key",
            format!("{key:?} is not enrollments/{{employee}}/{{file}}"),
        )
    };
    let rest = key
        .strip_prefix(photo_keys::ENROLLMENT_UPLOADS)
        .ok_or_else(invalid)?;
    let (employee, name) = rest.split_once('/').ok_or_else(invalid)?;
    if name.is_empty() || name.contains('/') {
        return Err(invalid());
    }
    Id::parse(employee).map_err(|_| invalid())
}

/// The template id of an upload, derived from its key so a retried event cannot enroll
/// the same photo twice.
fn upload_template_id(key: &str) -> Id {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    Id::parse(format!("up-{hex}")).unwrap_or_else(|_| unreachable!("hex ids are valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_keys_name_their_employee() {
        assert_eq!(
            upload_owner("enrollments/ann/photo 1.jpg")
                .unwrap()
                .as_str(),
            "ann"
        );
        for bad in [
            "enrolled/ann/x.jpg",
            "enrollments/ann/",
            "enrollments/ann",
            "enrollments/../x.jpg",
            "enrollments/ann/sub/x.jpg",
        ] {
            assert_eq!(
                upload_owner(bad).unwrap_err().code(),
                "invalid_upload_key",
                "{bad}"
            );
        }
        assert_eq!(
            upload_template_id("enrollments/a/x.jpg"),
            upload_template_id("enrollments/a/x.jpg")
        );
        assert_ne!(
            upload_template_id("enrollments/a/x.jpg"),
            upload_template_id("enrollments/a/y.jpg")
        );
    }
}
