//! Enrollment: photos posted by an admin, and photos dropped in the upload area of the
//! photo store (the S3 trigger), each becoming a face template or a stated rejection.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::refusals::Evidence;
use super::{App, AppError, Photo, parse_id};
use crate::domain::{
    DuplicateDecision, DuplicateReview, Employee, EmployeeStatus, EnrollmentJob, EnrollmentStatus,
    FaceTemplate, Id, new_id,
};
use crate::ports::{Page, PageRequest, PresignedRequest, StoreError, photo_keys};
use lintas_face::quality::QualityReport;
use lintas_face::{FaceAnalysis, FacePolicy, Liveness};

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
    /// It is held for an admin: the face is close to an enrolled employee, but not so
    /// close that it must be them. The admin resolves the enrollment job `review_key`.
    Flagged {
        /// The enrollment job to resolve.
        review_key: String,
        /// The employee the face is close to.
        other_employee: Id,
        /// Their similarity.
        score: f32,
    },
}

/// How an admin enrolls photos besides the photos themselves.
#[derive(Clone, Debug, Default)]
pub struct EnrollmentOptions {
    /// The photos are scans or prints of an ID-style photo, not live captures: the
    /// liveness check is skipped (an admin vouches for them).
    pub accept_printed: bool,
    /// Employees the admin knows to be other people who look alike (a twin): they are
    /// never taken for duplicates of this employee, and are remembered as look-alikes.
    pub look_alike_of: Vec<Id>,
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

/// Where and how a client uploads one file (an enrollment photo, a request's document)
/// straight to the photo store.
#[derive(Clone, Debug, Serialize)]
pub struct SignedUpload {
    /// The key the file will have.
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

impl SignedUpload {
    /// The upload to `key` that `request` signs.
    pub(super) fn new(key: String, request: PresignedRequest) -> Self {
        Self {
            key,
            method: request.method,
            url: request.url,
            headers: request.headers.into_iter().collect(),
            expires_at: request.expires_at,
        }
    }
}

impl App {
    /// Enrolls each photo for the employee and says per photo what became of it.
    pub async fn enroll_photos(
        &self,
        actor: &Id,
        employee: &str,
        photos: Vec<Result<Photo, AppError>>,
        options: EnrollmentOptions,
    ) -> Result<Vec<EnrollmentOutcome>, AppError> {
        if photos.is_empty() || photos.len() > MAX_PHOTOS_PER_REQUEST {
            return Err(AppError::invalid(
                "invalid_photo_count",
                format!("send 1 to {MAX_PHOTOS_PER_REQUEST} photos"),
            ));
        }
        let mut employee = self.enrollable(employee).await?;
        if !options.look_alike_of.is_empty() {
            employee = self
                .declare_look_alikes(actor, &employee, &options.look_alike_of)
                .await?;
        }
        let mut outcomes = Vec::with_capacity(photos.len());
        for photo in photos {
            let template_id = new_id();
            let outcome = match photo {
                Ok(photo) => {
                    let target = EnrollTarget {
                        template_id,
                        job_key: None,
                        accept_printed: options.accept_printed,
                    };
                    self.enroll(&employee, &photo, target).await
                }
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
    ) -> Result<SignedUpload, AppError> {
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
        Ok(SignedUpload::new(key, request))
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
            review: None,
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
                    // The photo moves under `enrolled/` (or `flagged/`): the upload prefix
                    // only holds uploads in flight (the bucket expires what is left there).
                    Ok(photo) => {
                        let target = EnrollTarget {
                            template_id: template_id.clone(),
                            job_key: Some(key.to_owned()),
                            accept_printed: false,
                        };
                        self.enroll(&employee, &photo, target).await
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
            // The job was written flagged, with the photo kept under `flagged/`.
            EnrollmentOutcome::Flagged { .. } => {
                self.photos.delete_photo(key).await?;
                return self
                    .store
                    .enrollment(key)
                    .await?
                    .ok_or_else(|| AppError::Internal("a flagged job vanished".into()));
            }
        };
        self.store.finish_enrollment(&finished).await?;
        Ok(finished)
    }

    /// An admin's decision about a possible duplicate held as enrollment job `key`: the
    /// same person (the photo is refused and deleted), or two people who look alike (the
    /// photo is enrolled and the pair remembered). Decided exactly once: a second decision,
    /// also one made at the same moment, is refused with `already_resolved` and changes
    /// nothing.
    pub async fn resolve_duplicate(
        &self,
        actor: &Id,
        key: &str,
        decision: DuplicateDecision,
    ) -> Result<EnrollmentJob, AppError> {
        let job = self
            .store
            .enrollment(key)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("enrollment {key}")))?;
        let (Some(review), Some(template_id)) = (job.review.clone(), job.template_id.clone())
        else {
            return Err(already_resolved());
        };
        if job.status != EnrollmentStatus::Flagged {
            return Err(already_resolved());
        }
        let decided = DuplicateReview {
            decision: Some(decision),
            decided_by: Some(actor.clone()),
            ..review.clone()
        };
        let enrolled_key = photo_keys::enrolled(&job.employee_id, &template_id);
        let resolved = match decision {
            DuplicateDecision::SamePerson => EnrollmentJob {
                status: EnrollmentStatus::Rejected,
                reason: Some("face_already_enrolled".into()),
                review: Some(decided),
                updated_at: self.clock.now(),
                ..job.clone()
            },
            DuplicateDecision::DifferentPeople => {
                if let Err(error) = self
                    .enroll_reviewed(&job, &review, &template_id, &enrolled_key)
                    .await
                {
                    return Err(self.decided_meanwhile(key, error).await);
                }
                EnrollmentJob {
                    status: EnrollmentStatus::Accepted,
                    review: Some(decided),
                    updated_at: self.clock.now(),
                    ..job.clone()
                }
            }
        };
        match self.store.resolve_enrollment(&resolved).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                let winner = self.store.enrollment(key).await?;
                let same = winner
                    .as_ref()
                    .and_then(|w| w.review.as_ref())
                    .and_then(|r| r.decision);
                if same != Some(decision) && decision == DuplicateDecision::DifferentPeople {
                    // The other decision won: undo this one's template.
                    self.store
                        .delete_template(&job.employee_id, &template_id)
                        .await?;
                    self.photos.delete_photo(&enrolled_key).await?;
                    self.forget_deleted_templates().await?;
                }
                return Err(already_resolved());
            }
            Err(other) => return Err(other.into()),
        }
        self.photos.delete_photo(&review.photo_key).await?;
        // Remembered as look-alikes unless the other one was erased meanwhile.
        if decision == DuplicateDecision::DifferentPeople
            && self.store.employee(&review.other_employee).await?.is_some()
        {
            let employee = self.existing_employee(job.employee_id.as_str()).await?;
            self.declare_look_alikes(
                actor,
                &employee,
                std::slice::from_ref(&review.other_employee),
            )
            .await?;
        }
        self.audit(
            actor,
            "face.duplicate_resolved",
            job.employee_id.as_str(),
            Some(format!(
                "{key}: {decision:?} with {}",
                review.other_employee
            )),
        )
        .await;
        Ok(resolved)
    }

    /// Enrolls the photo held for review, as the template the job names.
    /// `error` of a decision that failed half-way, or `already_resolved` when the other
    /// decision was stored meanwhile (it deletes the held photo this one was reading).
    async fn decided_meanwhile(&self, key: &str, error: AppError) -> AppError {
        match self.store.enrollment(key).await {
            Ok(Some(job)) if job.status != EnrollmentStatus::Flagged => already_resolved(),
            _ => error,
        }
    }

    async fn enroll_reviewed(
        &self,
        job: &EnrollmentJob,
        review: &DuplicateReview,
        template_id: &Id,
        enrolled_key: &str,
    ) -> Result<(), AppError> {
        let faces = self.faces()?;
        let bytes = self.photos.photo(&review.photo_key).await?.ok_or_else(|| {
            AppError::unprocessable(
                "photo_missing",
                "the photo held for review is no longer stored",
            )
        })?;
        let photo = Photo::new(bytes, self.config.uploads.max_photo_bytes)?;
        let analysis = faces
            .analyze(
                photo.bytes().clone(),
                FacePolicy::Enrollment,
                Liveness::Skip,
            )
            .await?;
        self.photos
            .put_photo(enrolled_key, photo.bytes().to_vec(), photo.content_type()?)
            .await?;
        let template = FaceTemplate {
            id: template_id.clone(),
            employee_id: job.employee_id.clone(),
            embedding: analysis.embedding,
            quality: analysis.quality,
            photo_key: enrolled_key.to_owned(),
            created_at: self.clock.now(),
        };
        match self.store.add_template(&template).await {
            Ok(version) => faces.added(&template, version),
            // Added already by the same decision made at the same moment.
            Err(StoreError::Conflict(_)) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Records that `employee` and each of `others` are different people who look alike,
    /// on both records.
    async fn declare_look_alikes(
        &self,
        actor: &Id,
        employee: &Employee,
        others: &[Id],
    ) -> Result<Employee, AppError> {
        let mut updated = employee.clone();
        for other in others {
            if other == &employee.id {
                return Err(AppError::invalid(
                    "invalid_look_alike",
                    "an employee cannot be their own look-alike",
                ));
            }
            self.existing_employee(other.as_str()).await?;
        }
        for other in others {
            updated = self.add_look_alike(&employee.id, other).await?;
            self.add_look_alike(other, &employee.id).await?;
            self.audit(
                actor,
                "employee.look_alike",
                employee.id.as_str(),
                Some(other.to_string()),
            )
            .await;
        }
        Ok(updated)
    }

    /// Adds `other` to `employee`'s look-alikes (retrying edits that raced).
    async fn add_look_alike(&self, employee: &Id, other: &Id) -> Result<Employee, AppError> {
        for _ in 0..3 {
            let mut record = self.existing_employee(employee.as_str()).await?;
            if record.look_alikes.contains(other) {
                return Ok(record);
            }
            record.look_alikes.push(other.clone());
            record.version += 1;
            record.updated_at = self.clock.now();
            match self.store.update_employee(&record).await {
                Ok(()) => return Ok(record),
                Err(StoreError::Conflict(_)) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(AppError::conflict(
            "edit_conflict",
            "the employee kept changing; retry",
        ))
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

    /// Turns one photo into a template stored under `target.template_id`, keeping the photo
    /// under `enrolled/`. The photo must be a live capture (unless the admin vouches for a
    /// print), and the face is compared with everyone else enrolled at the duplicate
    /// operating points of the gallery's size: certainly someone else's face is refused,
    /// a borderline one is held for an admin (flagged), anything else is enrolled.
    async fn enroll(
        &self,
        employee: &Employee,
        photo: &Photo,
        target: EnrollTarget,
    ) -> Result<EnrollmentOutcome, AppError> {
        let faces = self.faces()?;
        let content_type = photo.content_type()?;
        let liveness = if target.accept_printed {
            Liveness::Skip
        } else {
            self.liveness()
        };
        let analysis = faces
            .analyze(photo.bytes().clone(), FacePolicy::Enrollment, liveness)
            .await?;
        self.judge_liveness(&analysis, &mut Evidence::default())?;
        let existing = self.store.templates_of(&employee.id).await?;
        if existing.iter().any(|t| t.id == target.template_id) {
            return Ok(EnrollmentOutcome::Accepted {
                template_id: target.template_id,
                quality: analysis.quality,
            });
        }
        if existing.len() >= MAX_TEMPLATES_PER_EMPLOYEE {
            return Err(AppError::conflict(
                "too_many_templates",
                format!("an employee has at most {MAX_TEMPLATES_PER_EMPLOYEE} templates"),
            ));
        }
        if let Some((other, score)) = self.closest_other(employee, &analysis).await? {
            let gallery = faces.gallery(self.store.as_ref()).await?;
            let points = faces.points(&gallery);
            if score >= points.duplicate_refuse_threshold {
                return Err(AppError::conflict(
                    "face_already_enrolled",
                    format!("this face is already enrolled as employee {other}"),
                ));
            }
            if score >= points.duplicate_flag_threshold {
                return self
                    .flag(employee, photo, content_type, target, other, score)
                    .await;
            }
        }
        let photo_key = photo_keys::enrolled(&employee.id, &target.template_id);
        self.photos
            .put_photo(&photo_key, photo.bytes().to_vec(), content_type)
            .await?;
        let template = FaceTemplate {
            id: target.template_id.clone(),
            employee_id: employee.id.clone(),
            embedding: analysis.embedding,
            quality: analysis.quality.clone(),
            photo_key: photo_key.clone(),
            created_at: self.clock.now(),
        };
        let version = match self.store.add_template(&template).await {
            Ok(version) => version,
            Err(error) => {
                if let Err(delete) = self.photos.delete_photo(&photo_key).await {
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
            template_id: target.template_id,
            quality: analysis.quality,
        })
    }

    /// The enrolled employee closest to `analysis`, other than `employee` and their known
    /// look-alikes, with the similarity.
    async fn closest_other(
        &self,
        employee: &Employee,
        analysis: &FaceAnalysis,
    ) -> Result<Option<(Id, f32)>, AppError> {
        let gallery = self.faces()?.gallery(self.store.as_ref()).await?;
        let skip = 1 + employee.look_alikes.len();
        let closest = gallery
            .top_k(&analysis.embedding, skip + 1)?
            .into_iter()
            .find(|candidate| {
                candidate.employee_id != employee.id.as_str()
                    && !employee
                        .look_alikes
                        .iter()
                        .any(|other| other.as_str() == candidate.employee_id)
            });
        closest
            .map(|c| Ok((parse_id(&c.employee_id, "employee id")?, c.score)))
            .transpose()
    }

    /// Holds the photo for an admin as a possible duplicate of `other`: kept under
    /// `flagged/`, with an enrollment job in `flagged` status.
    async fn flag(
        &self,
        employee: &Employee,
        photo: &Photo,
        content_type: &'static str,
        target: EnrollTarget,
        other: Id,
        score: f32,
    ) -> Result<EnrollmentOutcome, AppError> {
        let held = photo_keys::flagged(&employee.id, &target.template_id);
        self.photos
            .put_photo(&held, photo.bytes().to_vec(), content_type)
            .await?;
        let review_key = target.job_key.unwrap_or_else(|| held.clone());
        let job = EnrollmentJob {
            photo_key: review_key.clone(),
            employee_id: employee.id.clone(),
            status: EnrollmentStatus::Flagged,
            reason: Some("possible_duplicate".into()),
            template_id: Some(target.template_id),
            review: Some(DuplicateReview {
                other_employee: other.clone(),
                score,
                photo_key: held,
                decision: None,
                decided_by: None,
            }),
            updated_at: self.clock.now(),
        };
        if !self.store.begin_enrollment(&job).await? {
            self.store.finish_enrollment(&job).await?;
        }
        Ok(EnrollmentOutcome::Flagged {
            review_key,
            other_employee: other,
            score,
        })
    }
}

/// Where one enrollment photo goes.
struct EnrollTarget {
    /// The template it becomes.
    template_id: Id,
    /// The enrollment job it belongs to (an upload's key), if any.
    job_key: Option<String>,
    /// The admin vouches that it is a print of a genuine photo: no liveness check.
    accept_printed: bool,
}

fn already_resolved() -> AppError {
    AppError::conflict("already_resolved", "this enrollment was already decided")
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
