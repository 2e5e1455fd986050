//! Punching at a kiosk, in the mode the deployment and the gallery's size call for:
//! one-shot 1:N identification when the match is safe at the gallery's current size; 1:N
//! with confirmation, where the kiosk shows the best candidate and the person confirms; and
//! a claimed identity (badge or id) verified 1:1, which scales to any office.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::attempts::AttemptScope;
use super::config::KioskMode;
use super::liveness::{Capture, Frames};
use super::punch::{Matched, Punch, PunchInput, check_device, hex_digest};
use super::refusals::{AttemptOrigin, Evidence};
use super::tokens::ConfirmationClaims;
use super::{App, AppError, Principal, parse_id};
use crate::domain::{AttendanceMethod, Employee, Id, new_id};
use lintas_face::decision::OperatingPoints;
use lintas_face::gallery::{Candidate, Gallery};

/// What a kiosk punch ended in.
// One per request, matched at once: boxing the punch would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum KioskOutcome {
    /// The punch was recorded.
    Recorded(Punch),
    /// The face is close to an employee, but not safely enough at this gallery's size: the
    /// person confirms (or claims another identity) before anything is recorded.
    Confirm(Confirmation),
}

/// A candidate the person at the kiosk confirms before their punch is recorded.
#[derive(Clone, Debug, Serialize)]
pub struct Confirmation {
    /// The candidate.
    pub employee_id: Id,
    /// Their name, to show.
    pub employee_name: String,
    /// Similarity of the photo to them.
    pub score: f32,
    /// Sent back with the same photo to `POST /v1/predict/confirm`.
    pub confirmation: String,
    /// When the confirmation stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// Why a 1:N match was not recorded in one shot.
enum Unsafe {
    /// Below the one-shot threshold at this size.
    Score,
    /// Too close to the next employee.
    Margin,
    /// Too close to a known look-alike.
    LookAlike,
}

impl App {
    /// A kiosk punch: identifies the face (or verifies the claimed identity) and records
    /// the punch when that is safe; otherwise asks for a confirmation. Refused face
    /// attempts are counted per kiosk device (and per employee when known) and kept for
    /// review.
    pub async fn kiosk_punch(
        &self,
        kiosk: &Principal,
        input: PunchInput,
    ) -> Result<KioskOutcome, AppError> {
        self.faces()?;
        // The device names an attempt counter: checked before anything is counted.
        input.device.as_deref().map(check_device).transpose()?;
        let mode = self.config.faces.kiosk_mode;
        let claimed = match input.claim.as_deref() {
            Some(claim) => Some(self.claimed_employee(claim).await?),
            None if mode == KioskMode::Claimed => {
                return Err(AppError::invalid(
                    "claim_required",
                    "this kiosk identifies by a claimed identity: send your employee id as claim",
                ));
            }
            None => None,
        };
        let kiosk_account = self.existing_employee(kiosk.id.as_str()).await?;
        let challenge_required =
            self.config.faces.liveness && self.office_of(&kiosk_account).await?.challenge.kiosk;
        let mut scopes = vec![AttemptScope::device(
            self,
            &kiosk.id,
            input.device.as_deref(),
        )];
        if let Some(employee) = &claimed {
            scopes.push(AttemptScope::employee(self, &employee.id));
        }
        let attempt = self.reserve_attempt(scopes).await?;
        let mut evidence = Evidence {
            employee: claimed.as_ref().map(|e| e.id.clone()),
            ..Evidence::default()
        };
        let frames = Frames {
            photos: &input.photos,
            challenge_id: input.challenge_id.as_deref(),
            challenge_required,
        };
        let result = match self.capture(kiosk, frames, &mut evidence).await {
            Ok(capture) => match claimed {
                Some(employee) => self
                    .verify_claim(employee, capture, &input, &mut evidence)
                    .await
                    .map(KioskOutcome::Recorded),
                None => {
                    self.identify(kiosk, mode, capture, &input, &mut evidence)
                        .await
                }
            },
            Err(error) => Err(error),
        };
        let method = if input.claim.is_some() {
            AttendanceMethod::Claimed
        } else {
            AttendanceMethod::Identify
        };
        let origin = AttemptOrigin {
            sender: kiosk,
            method,
            device: input.device.as_deref(),
            location: input.location,
        };
        self.settle_attempt(attempt, &result).await?;
        self.trace_refusal(&origin, evidence, &result).await;
        result
    }

    /// Records the punch a kiosk's confirmation vouches for, with the same photo sent again.
    /// A confirmation records one punch however often it is sent.
    pub async fn confirm_kiosk_punch(
        &self,
        kiosk: &Principal,
        confirmation: &str,
        input: PunchInput,
    ) -> Result<Punch, AppError> {
        let claims = self
            .keys
            .verify_confirmation(confirmation, self.clock.now())?;
        if claims.kiosk != kiosk.id.as_str() {
            return Err(AppError::invalid(
                "invalid_confirmation",
                "the confirmation is not valid",
            ));
        }
        let [photo] = input.photos.as_slice() else {
            return Err(AppError::invalid(
                "invalid_photo_count",
                "send the photo the confirmation was issued for",
            ));
        };
        let photo = photo.clone();
        if hex_digest(photo.bytes()) != claims.photo {
            return Err(AppError::invalid(
                "confirmation_photo_mismatch",
                "the photo is not the one the confirmation was issued for",
            ));
        }
        let employee = self.existing_employee(&claims.sub).await?;
        self.refuse_if_employee_locked(&employee.id).await?;
        let office = self.office_of(&employee).await?;
        let matched = Matched {
            score: claims.score,
            method: AttendanceMethod::Confirmed,
            liveness: claims.liveness,
            challenged: claims.challenged,
            probe: claims.probe,
        };
        let input = PunchInput {
            idempotency_key: Some(format!("confirm-{}", claims.jti)),
            ..input
        };
        self.punch(employee, office, matched, &photo, &input).await
    }

    /// The employee a kiosk user claims to be; an unknown id is answered like a face that
    /// does not match, so a kiosk cannot list who is employed.
    async fn claimed_employee(&self, claim: &str) -> Result<Employee, AppError> {
        let id = parse_id(claim.trim(), "claim")?;
        self.store
            .employee(&id)
            .await?
            .filter(|e| e.on_roll)
            .ok_or_else(claim_refused)
    }

    /// 1:1 verification of a claimed identity at the verification threshold.
    async fn verify_claim(
        &self,
        employee: Employee,
        capture: Capture,
        input: &PunchInput,
        evidence: &mut Evidence,
    ) -> Result<Punch, AppError> {
        let faces = self.faces()?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        let score = gallery
            .best_score_of(employee.id.as_str(), &capture.analysis.embedding)?
            .ok_or_else(claim_refused)?;
        evidence.match_score = Some(score);
        if score < faces.points(&gallery).verify_threshold {
            return Err(claim_refused());
        }
        let office = self.office_of(&employee).await?;
        let matched = Matched::of(&capture, score, AttendanceMethod::Claimed);
        self.punch(employee, office, matched, &capture.photo, input)
            .await
    }

    /// 1:N identification at the operating point of the gallery's current size.
    async fn identify(
        &self,
        kiosk: &Principal,
        mode: KioskMode,
        capture: Capture,
        input: &PunchInput,
        evidence: &mut Evidence,
    ) -> Result<KioskOutcome, AppError> {
        let faces = self.faces()?;
        let gallery = faces.gallery(self.store.as_ref()).await?;
        let points = faces.points(&gallery);
        let mut top = gallery.top_k(&capture.analysis.embedding, 2)?.into_iter();
        let (best, runner_up) = (top.next(), top.next());
        let Some(best) = best.filter(|b| b.score >= points.verify_threshold) else {
            return Err(no_match());
        };
        evidence.employee = Some(parse_id(&best.employee_id, "employee id")?);
        evidence.match_score = Some(best.score);
        let employee = self
            .store
            .employee(&parse_id(&best.employee_id, "employee id")?)
            .await?
            .ok_or_else(no_match)?;
        let unsafe_because = one_shot_risk(&points, &best, runner_up.as_ref(), &employee);
        match (unsafe_because, mode) {
            (None, KioskMode::Auto | KioskMode::Plain) => {
                self.refuse_if_employee_locked(&employee.id).await?;
                let office = self.office_of(&employee).await?;
                let matched = Matched::of(&capture, best.score, AttendanceMethod::Identify);
                self.punch(employee, office, matched, &capture.photo, input)
                    .await
                    .map(KioskOutcome::Recorded)
            }
            (_, KioskMode::Auto | KioskMode::Confirm) => self
                .confirmation(kiosk, employee, &best, &capture)
                .map(KioskOutcome::Confirm),
            (Some(Unsafe::Score), _) => Err(no_match()),
            (Some(Unsafe::Margin | Unsafe::LookAlike), _) => Err(AppError::unprocessable(
                "ambiguous_match",
                "the face is too close to more than one employee; try again or claim your id",
            )),
            (None, KioskMode::Claimed) => Err(AppError::Internal(
                "a claimed-identity kiosk identified without a claim".into(),
            )),
        }
    }

    /// A signed confirmation of `employee` as the candidate for `capture`.
    fn confirmation(
        &self,
        kiosk: &Principal,
        employee: Employee,
        best: &Candidate,
        capture: &Capture,
    ) -> Result<Confirmation, AppError> {
        let now = self.clock.now();
        let expires_at = now + super::auth::chrono_duration(self.config.faces.confirmation_ttl);
        let matched = Matched::of(capture, best.score, AttendanceMethod::Confirmed);
        let token = self.keys.issue_confirmation(ConfirmationClaims {
            sub: employee.id.to_string(),
            kiosk: kiosk.id.to_string(),
            photo: hex_digest(capture.photo.bytes()),
            score: best.score,
            liveness: matched.liveness,
            challenged: matched.challenged,
            probe: matched.probe,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: String::new(),
            aud: String::new(),
            jti: new_id().to_string(),
        })?;
        Ok(Confirmation {
            employee_id: employee.id,
            employee_name: employee.name,
            score: best.score,
            confirmation: token,
            expires_at,
        })
    }

    /// The operating points in force now, with the gallery they are for.
    pub async fn operating_points(&self) -> Result<(OperatingPoints, KioskMode), AppError> {
        let faces = self.faces()?;
        let gallery: std::sync::Arc<Gallery> = faces.gallery(self.store.as_ref()).await?;
        Ok((faces.points(&gallery), self.config.faces.kiosk_mode))
    }
}

/// Why recording `best` in one shot would not be safe, if it would not.
fn one_shot_risk(
    points: &OperatingPoints,
    best: &Candidate,
    runner_up: Option<&Candidate>,
    employee: &Employee,
) -> Option<Unsafe> {
    if best.score < points.identify_threshold {
        return Some(Unsafe::Score);
    }
    let next = runner_up?;
    let lead = best.score - next.score;
    let look_alike = employee
        .look_alikes
        .iter()
        .any(|other| other.as_str() == next.employee_id);
    if look_alike && lead < points.look_alike_margin {
        Some(Unsafe::LookAlike)
    } else if lead < points.identify_margin {
        Some(Unsafe::Margin)
    } else {
        None
    }
}

fn no_match() -> AppError {
    AppError::unprocessable("no_match", "the face does not match any enrolled employee")
}

/// A claim that is unknown or does not match: one answer for both.
fn claim_refused() -> AppError {
    AppError::unprocessable(
        "face_mismatch",
        "the face does not match the claimed employee",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points() -> OperatingPoints {
        OperatingPoints {
            people: 100,
            templates: 100,
            verify_threshold: 0.5,
            verify_far: 1e-3,
            verify_tar: 0.97,
            identify_threshold: 0.65,
            identify_margin: 0.05,
            look_alike_margin: 0.15,
            identify_fpir: 0.01,
            identify_tpir: 0.87,
            duplicate_flag_threshold: 0.68,
            duplicate_refuse_threshold: 0.8,
            duplicate_flag_rate: 0.005,
        }
    }

    fn candidate(employee: &str, score: f32) -> Candidate {
        Candidate {
            employee_id: employee.into(),
            template_id: "t".into(),
            score,
        }
    }

    #[test]
    fn only_safe_matches_are_recorded_in_one_shot() {
        let employee: Employee = serde_json::from_value(serde_json::json!({
            "id": "ann", "name": "Ann", "email": null, "staff_number": null, "role": "employee",
            "office_id": "main", "status": "active", "password_hash": null,
            "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
            "version": 1, "look_alikes": ["bea"]
        }))
        .unwrap();
        let risk = |best: f32, next: Option<(&str, f32)>| {
            let next = next.map(|(id, score)| candidate(id, score));
            one_shot_risk(&points(), &candidate("ann", best), next.as_ref(), &employee)
        };
        assert!(risk(0.70, None).is_none());
        assert!(matches!(risk(0.60, None), Some(Unsafe::Score)));
        assert!(risk(0.70, Some(("cid", 0.64))).is_none());
        assert!(matches!(
            risk(0.70, Some(("cid", 0.67))),
            Some(Unsafe::Margin)
        ));
        // A known look-alike needs a far wider lead.
        assert!(matches!(
            risk(0.80, Some(("bea", 0.70))),
            Some(Unsafe::LookAlike)
        ));
        assert!(risk(0.90, Some(("bea", 0.70))).is_none());
    }
}
