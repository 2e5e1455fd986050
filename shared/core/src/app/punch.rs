//! Punching in and out: 1:N identification at a kiosk, 1:1 verification of an employee's
//! own selfie, and the attendance rules (local day, check-in then check-out, repeats).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::auth::chrono_duration;
use super::{App, AppError, Photo, Principal, all_pages};
use crate::domain::{
    AttendanceKind, AttendanceMethod, AttendanceRecord, Employee, EmployeeStatus, GeoPoint, Id,
    Office, new_id,
};
use crate::ports::{RecordOutcome, StoreError, photo_keys};
use lintas_face::FacePolicy;
use lintas_face::gallery::Identification;

/// A punch as the client sends it.
#[derive(Clone, Debug)]
pub struct PunchInput {
    /// The selfie.
    pub photo: Photo,
    /// The sending device's own id.
    pub device: Option<String>,
    /// Where the device is.
    pub location: Option<GeoPoint>,
    /// Client-chosen key; a retry with the same key returns the first record.
    pub idempotency_key: Option<String>,
}

/// Who punched and what was recorded.
#[derive(Clone, Debug, Serialize)]
pub struct Punch {
    /// The employee.
    pub employee_id: Id,
    /// Their name.
    pub employee_name: String,
    /// Similarity of the selfie to their best template.
    pub score: f32,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// Minutes late, for a check-in on a working day.
    pub late_minutes: Option<u32>,
    /// True when an earlier record was returned instead of a new one (a retry or a repeat
    /// within the repeat window).
    pub repeated: bool,
    /// The record.
    pub record: AttendanceRecord,
}

impl App {
    /// Identifies the face among every enrolled employee and records their punch. An
    /// unknown or ambiguous face records nothing.
    pub async fn identify_and_punch(&self, input: PunchInput) -> Result<Punch, AppError> {
        let faces = self.faces()?;
        let analysis = faces
            .analyze(input.photo.bytes().clone(), FacePolicy::Selfie)
            .await?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        let best = match gallery.identify(&analysis.embedding, faces.matching())? {
            Identification::Match { best, .. } => best,
            Identification::Ambiguous { .. } => {
                return Err(AppError::unprocessable(
                    "ambiguous_match",
                    "the face is too close to more than one employee; try again",
                ));
            }
            Identification::NoMatch { .. } => {
                return Err(AppError::unprocessable(
                    "no_match",
                    "the face does not match any enrolled employee",
                ));
            }
        };
        let employee = self
            .store
            .employee(&super::parse_id(&best.employee_id, "employee id")?)
            .await?
            .ok_or_else(|| {
                AppError::unprocessable("no_match", "the face does not match any enrolled employee")
            })?;
        let office = self.office_of(&employee).await?;
        self.punch(
            employee,
            office,
            best.score,
            AttendanceMethod::Identify,
            input,
        )
        .await
    }

    /// Checks the caller's selfie against their own templates and records their punch,
    /// so nobody can punch for someone else.
    pub async fn verify_and_punch(
        &self,
        caller: &Principal,
        input: PunchInput,
    ) -> Result<Punch, AppError> {
        let faces = self.faces()?;
        let employee = self.existing_employee(caller.id.as_str()).await?;
        let office = self.office_of(&employee).await?;
        // The location is checked first: it is cheap, and a punch from elsewhere is refused
        // whoever is on the photo.
        check_location(&office, input.location)?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        if !gallery.has_employee(employee.id.as_str()) {
            return Err(not_enrolled());
        }
        let analysis = faces
            .analyze(input.photo.bytes().clone(), FacePolicy::Selfie)
            .await?;
        let score = gallery
            .best_score_of(employee.id.as_str(), &analysis.embedding)?
            .ok_or_else(not_enrolled)?;
        if score < faces.matching().threshold {
            return Err(AppError::unprocessable(
                "face_mismatch",
                "the selfie does not match this account's enrolled face",
            ));
        }
        self.punch(employee, office, score, AttendanceMethod::Verify, input)
            .await
    }

    /// Records a punch for a matched employee under the attendance rules.
    async fn punch(
        &self,
        employee: Employee,
        office: Office,
        score: f32,
        method: AttendanceMethod,
        input: PunchInput,
    ) -> Result<Punch, AppError> {
        if employee.status != EmployeeStatus::Active {
            return Err(AppError::forbidden(
                "account_suspended",
                "this employee is suspended",
            ));
        }
        let device = input.device.as_deref().map(check_device).transpose()?;
        let client_key = input
            .idempotency_key
            .as_deref()
            .map(check_idempotency_key)
            .transpose()?;
        let now = self.clock.now();
        let local = office
            .local_time(now)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let day = local.date();
        let today = self.punches_on(&employee.id, day).await?;
        if let Some(earlier) = self.earlier_punch(&today, client_key.as_deref(), now) {
            return Ok(self.answer(&employee, &office, earlier.clone(), true));
        }
        if let Some(earlier) = self
            .retried_from_the_day_before(&employee.id, day, client_key.as_deref())
            .await?
        {
            return Ok(self.answer(&employee, &office, earlier, true));
        }
        let kind = if today.is_empty() {
            AttendanceKind::CheckIn
        } else {
            AttendanceKind::CheckOut
        };
        let id = new_id();
        // One record per punch even when punches come at once: the store keeps one record per
        // (employee, key). Every check-in of a day has the same key, and a check-out without
        // the client's key is keyed by the punch it follows, so punches sent together (which
        // all follow the same one) make one check-out, and a later punch, following that
        // check-out, makes another.
        let idempotency_key = match (today.last(), &client_key) {
            (None, _) => format!("check-in:{day}"),
            (Some(_), Some(key)) => key.clone(),
            (Some(previous), None) => format!("after:{}", previous.id),
        };
        let photo_key = photo_keys::attendance(day, &employee.id, &id);
        let content_type = input.photo.content_type()?;
        self.photos
            .put_photo(&photo_key, input.photo.bytes().to_vec(), content_type)
            .await?;
        let record = AttendanceRecord {
            id,
            employee_id: employee.id.clone(),
            kind,
            at: now,
            local_day: day,
            score,
            method,
            device,
            location: input.location,
            photo_key: Some(photo_key.clone()),
            idempotency_key,
            client_key,
            account_key: employee.account_key.clone(),
        };
        let outcome = self.store.record_attendance(&record).await;
        if !matches!(outcome, Ok(RecordOutcome::Created)) {
            // The photo belongs to no record: remove it so no orphan is left.
            if let Err(error) = self.photos.delete_photo(&photo_key).await {
                tracing::warn!(photo_key, %error, "unreferenced attendance photo not deleted");
            }
        }
        let outcome = outcome.map_err(|error| match error {
            // The account was suspended or erased while this punch was in flight.
            StoreError::Conflict(_) => AppError::forbidden(
                "account_suspended",
                "this account is suspended or no longer exists",
            ),
            other => other.into(),
        })?;
        Ok(match outcome {
            RecordOutcome::Created => self.answer(&employee, &office, record, false),
            RecordOutcome::Existing(existing) => self.answer(&employee, &office, existing, true),
        })
    }

    /// The earlier punch a new one repeats: the one with the client's key, or the latest one
    /// if it is within the repeat window.
    fn earlier_punch<'a>(
        &self,
        today: &'a [AttendanceRecord],
        client_key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Option<&'a AttendanceRecord> {
        if let Some(key) = client_key
            && let Some(same) = today.iter().find(|r| r.client_key.as_deref() == Some(key))
        {
            return Some(same);
        }
        let window = chrono_duration(self.config.attendance.repeat_window);
        today.last().filter(|last| now - last.at < window)
    }

    /// A punch of the local day before `day` with the client's key: a retry that comes after
    /// local midnight still returns the first record. Retries are recognised on the day of
    /// the punch and the day after, so for at least 24 hours.
    async fn retried_from_the_day_before(
        &self,
        employee: &Id,
        day: NaiveDate,
        client_key: Option<&str>,
    ) -> Result<Option<AttendanceRecord>, AppError> {
        let (Some(key), Some(yesterday)) = (client_key, day.pred_opt()) else {
            return Ok(None);
        };
        Ok(self
            .punches_on(employee, yesterday)
            .await?
            .into_iter()
            .find(|record| record.client_key.as_deref() == Some(key)))
    }

    /// Every punch of one employee on one local day, oldest first.
    pub(super) async fn punches_on(
        &self,
        employee: &Id,
        day: NaiveDate,
    ) -> Result<Vec<AttendanceRecord>, AppError> {
        all_pages(
            |request| async move { self.store.attendance_of(employee, day, day, &request).await },
        )
        .await
    }

    /// The employee's office, or the default rules when it is not configured.
    pub(super) async fn office_of(&self, employee: &Employee) -> Result<Office, AppError> {
        Ok(match self.store.office(&employee.office_id).await? {
            Some(office) => office,
            None => Office::standard(
                employee.office_id.clone(),
                employee.office_id.as_str(),
                self.config.attendance.default_time_zone.name(),
            ),
        })
    }

    fn answer(
        &self,
        employee: &Employee,
        office: &Office,
        record: AttendanceRecord,
        repeated: bool,
    ) -> Punch {
        let late_minutes = (record.kind == AttendanceKind::CheckIn)
            .then(|| office.local_time(record.at).ok())
            .flatten()
            .map(|local| office.late_minutes(local));
        Punch {
            employee_id: employee.id.clone(),
            employee_name: employee.name.clone(),
            score: record.score,
            kind: record.kind,
            late_minutes,
            repeated,
            record,
        }
    }
}

/// The answer for an account with no enrolled face.
fn not_enrolled() -> AppError {
    AppError::conflict(
        "not_enrolled",
        "no face is enrolled for this account; ask an admin to enroll one",
    )
}

/// An employee punching from their own phone must be inside the office geofence, if the
/// office has one (kiosks are fixed and trusted, so identification does not check it).
fn check_location(office: &Office, location: Option<GeoPoint>) -> Result<(), AppError> {
    if office.geofence.is_none() {
        return Ok(());
    }
    let point = location.ok_or_else(|| {
        AppError::invalid(
            "location_required",
            "this office requires the device location",
        )
    })?;
    if !(-90.0..=90.0).contains(&point.latitude) || !(-180.0..=180.0).contains(&point.longitude) {
        return Err(AppError::invalid(
            "invalid_location",
            "the coordinates are off the globe",
        ));
    }
    if office.admits(point) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "outside_geofence",
            "the device is outside the office area",
        ))
    }
}

/// A device id: 1 to 128 printable ASCII characters.
fn check_device(device: &str) -> Result<String, AppError> {
    if device.is_empty()
        || device.len() > 128
        || !device.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
    {
        return Err(AppError::invalid(
            "invalid_device",
            "the device id must have 1 to 128 printable ASCII characters",
        ));
    }
    Ok(device.to_owned())
}

/// An idempotency key: 8 to 128 printable ASCII characters without spaces.
fn check_idempotency_key(key: &str) -> Result<String, AppError> {
    if !(8..=128).contains(&key.len())
        || !key.bytes().all(|b| b.is_ascii_graphic())
        || key.starts_with("check-in:")
    {
        return Err(AppError::invalid(
            "invalid_idempotency_key",
            "the idempotency key must have 8 to 128 printable ASCII characters",
        ));
    }
    Ok(key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Geofence;

    #[test]
    fn employees_must_punch_inside_the_geofence() {
        let mut office = Office::standard(Id::parse("hq").unwrap(), "HQ", "Asia/Jakarta");
        let here = GeoPoint {
            latitude: -6.2,
            longitude: 106.8,
        };
        let far = GeoPoint {
            latitude: -6.3,
            longitude: 106.8,
        };
        assert!(check_location(&office, None).is_ok());
        office.geofence = Some(Geofence {
            center: here,
            radius_m: 200.0,
        });
        assert!(check_location(&office, Some(here)).is_ok());
        assert_eq!(
            check_location(&office, Some(far)).unwrap_err().code(),
            "outside_geofence"
        );
        assert_eq!(
            check_location(&office, None).unwrap_err().code(),
            "location_required"
        );
    }

    #[test]
    fn client_supplied_fields_are_checked() {
        assert!(check_idempotency_key("short").is_err());
        assert!(check_idempotency_key("check-in:2026-11-30").is_err());
        assert!(check_idempotency_key("0b1c6f0e-punch").is_ok());
        assert!(check_device("kiosk lobby 1").is_ok());
        assert!(check_device("bad\ndevice").is_err());
    }
}
