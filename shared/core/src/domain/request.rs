//! Requests an employee files (or an admin files for them) and a supervisor or admin
//! decides: leave of each kind, and corrections of a missed punch.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{AttendanceKind, DocumentKind, Id};

/// What is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Leave (cuti): annual, large, maternity, for important reasons...
    Leave,
    /// Excused absence (izin).
    Excused,
    /// Sick (sakit), often with a doctor's letter.
    Sick,
    /// Official duty elsewhere (dinas luar), with an assignment letter.
    OfficialDuty,
    /// A check-in that was not recorded, at the time given.
    MissedCheckIn,
    /// A check-out that was not recorded, at the time given.
    MissedCheckOut,
    /// Any other punch to put back at the time given (a kiosk outage, a punch recorded at
    /// the wrong time): the earliest of its day is the check-in, as for face punches.
    OtherCorrection,
}

impl RequestKind {
    /// Whether it adds a punch (rather than covering days as leave).
    pub fn is_correction(self) -> bool {
        matches!(
            self,
            Self::MissedCheckIn | Self::MissedCheckOut | Self::OtherCorrection
        )
    }

    /// The punch a missed check-in or check-out adds; `None` for leave, and for an other
    /// correction, whose punch follows the day's punches.
    pub fn fixed_punch(self) -> Option<AttendanceKind> {
        match self {
            Self::MissedCheckIn => Some(AttendanceKind::CheckIn),
            Self::MissedCheckOut => Some(AttendanceKind::CheckOut),
            _ => None,
        }
    }
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for a decision.
    Pending,
    /// Approved: leave days count as leave, a correction's punch was added.
    Approved,
    /// Refused, with a reason.
    Rejected,
    /// Withdrawn by the requester while pending.
    Cancelled,
}

/// A request and its decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRequest {
    /// Request id.
    pub id: Id,
    /// Whose days it is about.
    pub employee_id: Id,
    /// What is asked for.
    pub kind: RequestKind,
    /// First day (for a correction, the day of its punch in the office's time zone).
    pub from: NaiveDate,
    /// Last day (a correction's `from`).
    pub to: NaiveDate,
    /// The punch time a correction adds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// Why.
    pub reason: String,
    /// A reference such as an assignment letter number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Where it stands.
    pub status: RequestStatus,
    /// Who filed it: the employee, or an admin for them.
    pub filed_by: Id,
    /// When it was filed.
    pub filed_at: DateTime<Utc>,
    /// Who approved, rejected or cancelled it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Id>,
    /// When.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The reason of a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_note: Option<String>,
    /// The supporting document, if one was attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<Attachment>,
    /// Incremented on every change; stores refuse a decision made from a stale copy.
    pub version: u64,
}

/// A document attached to a request, stored under its own key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Attachment {
    /// Where it is stored (`attachments/{employee}/{request}/{file}`).
    pub key: String,
    /// What its bytes are.
    pub content_type: DocumentKind,
    /// Its size in bytes.
    pub bytes: u64,
    /// When it was attached.
    pub attached_at: DateTime<Utc>,
}

impl AttendanceRequest {
    /// Whether it still holds its days: pending or approved.
    pub fn is_live(&self) -> bool {
        matches!(
            self.status,
            RequestStatus::Pending | RequestStatus::Approved
        )
    }

    /// Whether it covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether the two cannot both stand: both live, of the same employee, and either two
    /// kinds of leave sharing a day, or two corrections of the same punch (a missed
    /// check-in twice, or a missed check-out twice, on one day) or at the same instant.
    /// A leave day and a correction may both stand (a half day of izin, then a punch).
    pub fn collides_with(&self, other: &AttendanceRequest) -> bool {
        if self.employee_id != other.employee_id || !self.is_live() || !other.is_live() {
            return false;
        }
        let shares_a_day = self.from <= other.to && other.from <= self.to;
        match (self.kind.is_correction(), other.kind.is_correction()) {
            (false, false) => shares_a_day,
            (true, true) => {
                let same_punch =
                    self.kind.fixed_punch().is_some() && self.kind == other.kind && shares_a_day;
                same_punch || (self.at.is_some() && self.at == other.at)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: RequestKind, from: &str, to: &str) -> AttendanceRequest {
        let day = |s: &str| s.parse().unwrap_or_default();
        AttendanceRequest {
            id: Id::parse("r").unwrap_or_else(|e| panic!("{e}")),
            employee_id: Id::parse("amy").unwrap_or_else(|e| panic!("{e}")),
            kind,
            from: day(from),
            to: day(to),
            at: None,
            reason: "family".into(),
            reference: None,
            status: RequestStatus::Pending,
            filed_by: Id::parse("amy").unwrap_or_else(|e| panic!("{e}")),
            filed_at: DateTime::<Utc>::default(),
            decided_by: None,
            decided_at: None,
            decision_note: None,
            attachment: None,
            version: 1,
        }
    }

    #[test]
    fn leave_requests_collide_on_a_shared_day_only_while_live() {
        let cuti = request(RequestKind::Leave, "2026-10-05", "2026-10-09");
        let sick = request(RequestKind::Sick, "2026-10-09", "2026-10-09");
        let later = request(RequestKind::Excused, "2026-10-10", "2026-10-12");
        assert!(cuti.collides_with(&sick));
        assert!(!cuti.collides_with(&later));
        let mut rejected = sick.clone();
        rejected.status = RequestStatus::Rejected;
        assert!(!cuti.collides_with(&rejected));
    }

    #[test]
    fn corrections_collide_with_the_same_punch_only() {
        let day = "2026-10-05";
        let check_in = request(RequestKind::MissedCheckIn, day, day);
        let check_out = request(RequestKind::MissedCheckOut, day, day);
        let izin = request(RequestKind::Excused, day, day);
        assert!(check_in.collides_with(&check_in.clone()));
        assert!(!check_in.collides_with(&check_out));
        assert!(!check_in.collides_with(&izin));
        let at = |hour: u32| {
            let day: NaiveDate = day.parse().unwrap_or_default();
            day.and_hms_opt(hour, 0, 0).map(|t| t.and_utc())
        };
        let morning = AttendanceRequest {
            at: at(7),
            ..request(RequestKind::OtherCorrection, day, day)
        };
        let afternoon = AttendanceRequest {
            at: at(16),
            ..morning.clone()
        };
        assert!(!morning.collides_with(&afternoon), "two punches of one day");
        assert!(morning.collides_with(&morning.clone()), "one instant twice");
        let missed_at_seven = AttendanceRequest {
            at: at(7),
            ..check_in.clone()
        };
        assert!(morning.collides_with(&missed_at_seven));
        assert!(!morning.collides_with(&check_in), "another time");
    }
}
