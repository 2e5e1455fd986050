//! Punching in and out from an employee's own phone (1:1 verification of their selfie), and
//! the attendance rules every punch is recorded under (local day, check-in then check-out,
//! repeats, retries and replays).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::attempts::AttemptScope;
use super::auth::chrono_duration;
use super::liveness::{Capture, Frames};
use super::refusals::{AttemptOrigin, Evidence};
use super::{App, AppError, Photo, Principal, all_pages};
use crate::domain::{
    AttendanceKind, AttendanceMethod, AttendanceRecord, AttendanceRules, CalendarView, Correction,
    DayRules, Employee, EmployeeStatus, GeoPoint, Id, Office, Shift, new_id,
};
use crate::ports::{RecordOutcome, StoreError, photo_keys};
use lintas_face::embedding::ProbePrint;

/// A punch as the client sends it.
#[derive(Clone, Debug)]
pub struct PunchInput {
    /// The selfie, or one frame per pose of a challenge.
    pub photos: Vec<Photo>,
    /// The challenge the frames answer, if any.
    pub challenge_id: Option<String>,
    /// At a kiosk: the identity the person claims (their employee id, e.g. from a badge).
    pub claim: Option<String>,
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
    pub record: AttendanceView,
}

/// An attendance record as clients see it: without the selfie's embedding.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttendanceView {
    /// Record id.
    pub id: Id,
    /// Who punched.
    pub employee_id: Id,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// When, in UTC.
    pub at: DateTime<Utc>,
    /// The day in the office's time zone.
    pub local_day: NaiveDate,
    /// Match score.
    pub score: f32,
    /// How the face was matched.
    pub method: AttendanceMethod,
    /// Passive liveness score, when assessed.
    pub liveness: Option<f32>,
    /// Whether a liveness challenge was passed.
    pub challenged: bool,
    /// Device that sent the selfie.
    pub device: Option<String>,
    /// Where the device was.
    pub location: Option<GeoPoint>,
    /// Photo store key of the selfie.
    pub photo_key: Option<String>,
    /// The client's `Idempotency-Key`, if any.
    pub client_key: Option<String>,
    /// For a punch added by an approved correction: the request and its approver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}

impl From<AttendanceRecord> for AttendanceView {
    fn from(r: AttendanceRecord) -> Self {
        Self {
            id: r.id,
            employee_id: r.employee_id,
            kind: r.kind,
            at: r.at,
            local_day: r.local_day,
            score: r.score,
            method: r.method,
            liveness: r.liveness,
            challenged: r.challenged,
            device: r.device,
            location: r.location,
            photo_key: r.photo_key,
            client_key: r.client_key,
            correction: r.correction,
        }
    }
}

/// A face matched to an employee, with what the checks measured.
pub(super) struct Matched {
    /// Similarity to the employee.
    pub score: f32,
    /// How.
    pub method: AttendanceMethod,
    /// Passive liveness score.
    pub liveness: Option<f32>,
    /// Whether a challenge was answered.
    pub challenged: bool,
    /// The selfie's quantised embedding.
    pub probe: ProbePrint,
}

impl Matched {
    /// The match of `capture` at `score` by `method`.
    pub(super) fn of(capture: &Capture, score: f32, method: AttendanceMethod) -> Self {
        Self {
            score,
            method,
            liveness: capture.analysis.liveness.as_ref().map(|r| r.score),
            challenged: capture.challenged,
            probe: ProbePrint::of(&capture.analysis.embedding),
        }
    }
}

impl App {
    /// Checks the caller's selfie (or challenge frames) against their own templates and
    /// records their punch, so nobody can punch for someone else. Refused face attempts are
    /// counted (a lockout follows too many) and kept for review.
    pub async fn verify_and_punch(
        &self,
        caller: &Principal,
        input: PunchInput,
    ) -> Result<Punch, AppError> {
        let faces = self.faces()?;
        if input.claim.is_some() {
            return Err(AppError::invalid(
                "unknown_field",
                "a claim is for kiosks; a phone punch is always the caller's own",
            ));
        }
        let employee = self.existing_employee(caller.id.as_str()).await?;
        let office = self.office_of(&employee).await?;
        // The location is checked first: it is cheap, and a punch from elsewhere is refused
        // whoever is on the photo.
        check_location(&office, input.location)?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        if !gallery.has_employee(employee.id.as_str()) {
            return Err(not_enrolled());
        }
        let attempt = self
            .reserve_attempt(vec![AttemptScope::employee(self, &employee.id)])
            .await?;
        let mut evidence = Evidence {
            employee: Some(employee.id.clone()),
            ..Evidence::default()
        };
        let result = self
            .verify_own_face(&employee, office, &input, &mut evidence)
            .await;
        let origin = AttemptOrigin {
            sender: caller,
            method: AttendanceMethod::Verify,
            device: input.device.as_deref(),
            location: input.location,
        };
        self.settle_attempt(attempt, &result).await?;
        self.trace_refusal(&origin, evidence, &result).await;
        result
    }

    async fn verify_own_face(
        &self,
        employee: &Employee,
        office: Office,
        input: &PunchInput,
        evidence: &mut Evidence,
    ) -> Result<Punch, AppError> {
        let challenge_required = self.config.faces.liveness && office.challenge.phone;
        let frames = Frames {
            photos: &input.photos,
            challenge_id: input.challenge_id.as_deref(),
            challenge_required,
        };
        let principal = Principal::from(employee);
        let capture = self.capture(&principal, frames, evidence).await?;
        let faces = self.faces()?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        let score = gallery
            .best_score_of(employee.id.as_str(), &capture.analysis.embedding)?
            .ok_or_else(not_enrolled)?;
        evidence.match_score = Some(score);
        if score < faces.points(&gallery).verify_threshold {
            return Err(AppError::unprocessable(
                "face_mismatch",
                "the selfie does not match this account's enrolled face",
            ));
        }
        let matched = Matched::of(&capture, score, AttendanceMethod::Verify);
        self.punch(employee.clone(), office, matched, &capture.photo, input)
            .await
    }

    /// Records a punch for a matched employee under the attendance rules.
    pub(super) async fn punch(
        &self,
        employee: Employee,
        office: Office,
        matched: Matched,
        photo: &Photo,
        input: &PunchInput,
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
        let photo_sha256 = hex_digest(photo.bytes());
        self.refuse_replay(
            &employee.id,
            day,
            &photo_sha256,
            &matched.probe,
            client_key.as_deref(),
        )
        .await?;
        let kind = if self.is_check_in(&employee, &office, local, &today).await? {
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
        let content_type = photo.content_type()?;
        self.photos
            .put_photo(&photo_key, photo.bytes().to_vec(), content_type)
            .await?;
        let record = AttendanceRecord {
            id,
            employee_id: employee.id.clone(),
            kind,
            at: now,
            local_day: day,
            score: matched.score,
            method: matched.method,
            device,
            location: input.location,
            photo_key: Some(photo_key.clone()),
            liveness: matched.liveness,
            challenged: matched.challenged,
            photo_sha256: Some(photo_sha256),
            probe: Some(matched.probe),
            idempotency_key,
            client_key,
            account_key: employee.account_key.clone(),
            correction: None,
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

    /// Refuses a selfie that repeats one of the employee's punches within the replay
    /// window: the same bytes, or a face so close to it that it is the same capture
    /// re-encoded. Off with the other liveness checks (trusted setups and tests).
    async fn refuse_replay(
        &self,
        employee: &Id,
        day: NaiveDate,
        photo_sha256: &str,
        probe: &ProbePrint,
        client_key: Option<&str>,
    ) -> Result<(), AppError> {
        if !self.config.faces.liveness {
            return Ok(());
        }
        let window = chrono_duration(self.config.faces.replay_window);
        let from = day - chrono::Duration::days(window.num_days().max(1));
        let cut = self.faces()?.rules().liveness.replay_cosine;
        let earlier = all_pages(|request| async move {
            self.store
                .attendance_of(employee, from, day, &request)
                .await
        })
        .await?;
        // A record with this punch's own key is its retry, not a replay.
        let replayed = earlier
            .iter()
            .filter(|r| r.client_key.is_none() || r.client_key.as_deref() != client_key)
            .any(|record| {
                record.photo_sha256.as_deref() == Some(photo_sha256)
                    || record
                        .probe
                        .as_ref()
                        .and_then(|earlier| earlier.similarity(probe))
                        .is_some_and(|similarity| similarity >= cut)
            });
        if replayed {
            return Err(AppError::unprocessable(
                "replayed_photo",
                "this photo was already used for a punch; take a new one",
            ));
        }
        Ok(())
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

    /// Whether a punch at local time `local` (after the day's earlier punches `today`) is a
    /// check-in, as the recap and the board read it: the first punch of the day before the
    /// middle of the office's working day ([`Office::first_punch_checks_out`]). For someone on
    /// a roster yesterday or today, the punch is placed among the periods of their shifts as
    /// the recap places it (a night shift is checked into in the evening and out the next
    /// morning); holidays and special periods do not move a rostered shift.
    async fn is_check_in(
        &self,
        employee: &Employee,
        office: &Office,
        local: NaiveDateTime,
        today: &[AttendanceRecord],
    ) -> Result<bool, AppError> {
        let day = local.date();
        let yesterday = day - chrono::Duration::days(1);
        let roster = self.store.assignments_of(&employee.id).await?;
        if !roster.iter().any(|e| e.covers(day) || e.covers(yesterday)) {
            return Ok(today.is_empty() && !office.first_punch_checks_out(local));
        }
        let shifts: HashMap<Id, Shift> = self
            .store
            .shifts()
            .await?
            .into_iter()
            .map(|shift| (shift.id.clone(), shift))
            .collect();
        let earlier = self.punches_on(&employee.id, yesterday).await?;
        let mut punches: Vec<NaiveDateTime> = earlier
            .iter()
            .chain(today)
            .filter_map(|record| office.local_time(record.at).ok())
            .collect();
        punches.push(local);
        let (calendar, rules) = (CalendarView::default(), AttendanceRules::default());
        let day_rules = DayRules {
            office,
            calendar: &calendar,
            roster: &roster,
            shifts: &shifts,
            rules: &rules,
            approved: &[],
            as_of: None,
        };
        Ok(day_rules
            .days(yesterday, day, &punches)
            .iter()
            .any(|record| record.check_in == Some(local)))
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
            record: record.into(),
        }
    }
}

/// SHA-256 of `bytes`, as 64 hex digits.
pub(super) fn hex_digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The answer for an account with no enrolled face.
pub(super) fn not_enrolled() -> AppError {
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
pub(super) fn check_device(device: &str) -> Result<String, AppError> {
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
