//! The trace of refused face attempts: each is kept with its reason, scores, device,
//! location, time and photo for the review period, readable by admins.

use serde::Serialize;

use super::auth::chrono_duration;
use super::{App, AppError, Photo, Principal, parse_id};
use crate::domain::{AttendanceMethod, GeoPoint, Id, RefusedAttempt, new_id};
use crate::ports::{Page, PageRequest, photo_keys};

/// A refused attempt as admins read it, with a short-lived link to its photo.
#[derive(Clone, Debug, Serialize)]
pub struct RefusalView {
    /// The record.
    #[serde(flatten)]
    pub refusal: RefusedAttempt,
    /// A pre-signed URL to view the refused photo, valid for the upload URL lifetime.
    pub photo_url: Option<String>,
}

/// What the face checks had measured when they refused an attempt.
#[derive(Clone, Debug, Default)]
pub(super) struct Evidence {
    /// The employee the attempt was for, once known.
    pub employee: Option<Id>,
    /// Similarity to that employee.
    pub match_score: Option<f32>,
    /// Fused passive liveness score.
    pub liveness: Option<f32>,
    /// The photo judged (the frontal frame of a challenge).
    pub photo: Option<Photo>,
}

/// Where an attempt came from.
pub(super) struct AttemptOrigin<'a> {
    /// The account that sent it.
    pub sender: &'a Principal,
    /// How the face was to be matched.
    pub method: AttendanceMethod,
    /// The device's own id.
    pub device: Option<&'a str>,
    /// The device's position.
    pub location: Option<GeoPoint>,
}

impl App {
    /// Keeps a refused attempt and its photo for review when `result` is a refusal of the
    /// face checks; a failure to keep it is logged, never returned (the refusal stands).
    pub(super) async fn trace_refusal<T>(
        &self,
        origin: &AttemptOrigin<'_>,
        evidence: Evidence,
        result: &Result<T, AppError>,
    ) {
        let Err(error) = result else {
            return;
        };
        if !super::attempts::COUNTED_REFUSALS.contains(&error.code()) {
            return;
        }
        if let Some(employee) = &evidence.employee
            && let Err(error) = self.count_refusal_for_candidate(origin, employee).await
        {
            tracing::warn!(%error, "refused attempt not counted against its employee");
        }
        let now = self.clock.now();
        let id = new_id();
        let mut photo_key = None;
        if let Some(photo) = &evidence.photo
            && let Ok(content_type) = photo.content_type()
        {
            let key = photo_keys::refused(now.date_naive(), &origin.sender.id, &id);
            match self
                .photos
                .put_photo(&key, photo.bytes().to_vec(), content_type)
                .await
            {
                Ok(()) => photo_key = Some(key),
                Err(error) => tracing::warn!(%error, "photo of a refused attempt not kept"),
            }
        }
        let refusal = RefusedAttempt {
            id,
            at: now,
            sender: origin.sender.id.clone(),
            employee_id: evidence.employee,
            method: origin.method,
            code: error.code().to_owned(),
            match_score: evidence.match_score,
            liveness: evidence.liveness,
            device: origin.device.map(str::to_owned),
            location: origin.location,
            photo_key,
            expires_at: now + chrono_duration(self.config.faces.refusal_review),
        };
        if let Err(error) = self.store.record_refusal(&refusal).await {
            tracing::warn!(%error, code = refusal.code, "refused attempt not recorded");
        }
    }

    /// A kiosk's refusal also counts against the candidate it was for; a phone punch's
    /// employee was counted before the face was looked at.
    async fn count_refusal_for_candidate(
        &self,
        origin: &AttemptOrigin<'_>,
        employee: &Id,
    ) -> Result<(), AppError> {
        if origin.method == AttendanceMethod::Identify {
            self.count_refusal_for(employee).await?;
        }
        Ok(())
    }

    /// Refused attempts still in their review period, most recent first, optionally of one
    /// employee, each with a link to its photo.
    pub async fn refusals(
        &self,
        employee: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<RefusalView>, AppError> {
        let employee = employee.map(|id| parse_id(id, "employee id")).transpose()?;
        let found = self
            .store
            .refusals(employee.as_ref(), self.clock.now(), page)
            .await?;
        let mut items = Vec::with_capacity(found.items.len());
        for refusal in found.items {
            let photo_url = match &refusal.photo_key {
                Some(key) => Some(
                    self.photos
                        .presign_get(key, self.config.uploads.presign_ttl)
                        .await?
                        .url,
                ),
                None => None,
            };
            items.push(RefusalView { refusal, photo_url });
        }
        Ok(Page {
            items,
            next: found.next,
        })
    }
}
