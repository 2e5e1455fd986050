//! Requests for leave (cuti, izin, sakit, dinas luar) and corrections of a missed punch:
//! filed by the employee or by an admin for them, decided by the employee's supervisor or
//! an admin, never by the requester. An approved leave counts its working days as leave
//! in the recap; an approved correction adds a punch marked as such. Face punches are never
//! edited or deleted. Every state change is an audit event.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::reach::may_read;
use super::{App, AppError, Principal, all_pages, parse_id};
use crate::domain::{
    AttendanceKind, AttendanceMethod, AttendanceRecord, AttendanceRequest, Correction, Employee,
    Id, RequestKind, RequestStatus, Role, new_id,
};
use crate::ports::StoreError;

/// Most characters of a reason, a reference or a decision note.
const MAX_TEXT_CHARS: usize = 500;

/// A request as the employee (or an admin for them) files it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    /// Whose days: admins may file for anyone; employees only for themselves (the default).
    #[serde(default)]
    pub employee_id: Option<String>,
    /// What is asked for.
    pub kind: RequestKind,
    /// First day of a leave.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    /// Last day of a leave (default: `from`).
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// The time of a corrected punch.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// Why.
    pub reason: String,
    /// A reference such as an assignment letter or a doctor's letter number.
    #[serde(default)]
    pub reference: Option<String>,
}

impl App {
    /// Files a request. An admin's request for someone else is a manual entry, approved at
    /// once in their name; anyone's own request waits for their supervisor or an admin.
    pub async fn file_request(
        &self,
        caller: &Principal,
        new: NewRequest,
    ) -> Result<AttendanceRequest, AppError> {
        let employee = match new.employee_id.as_deref() {
            Some(id) if id != caller.id.as_str() => {
                if caller.role != Role::Admin {
                    return Err(AppError::forbidden(
                        "own_requests_only",
                        "employees file requests for themselves only",
                    ));
                }
                self.employee_in_reach(caller, id).await?
            }
            _ => self.existing_employee(caller.id.as_str()).await?,
        };
        if !employee.on_roll || employee.role == Role::Kiosk {
            return Err(invalid_request("the account is not on the attendance roll"));
        }
        let now = self.clock.now();
        let (from, to) = self.request_days(&employee, &new, now).await?;
        let request = AttendanceRequest {
            id: new_id(),
            employee_id: employee.id.clone(),
            kind: new.kind,
            from,
            to,
            at: new.at.filter(|_| new.kind.is_correction()),
            reason: checked_text(&new.reason, "reason")?,
            reference: new
                .reference
                .as_deref()
                .map(|text| checked_text(text, "reference"))
                .transpose()?,
            status: RequestStatus::Pending,
            filed_by: caller.id.clone(),
            filed_at: now,
            decided_by: None,
            decided_at: None,
            decision_note: None,
            attachment: None,
            version: 1,
        };
        self.store
            .file_request(&request)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::conflict(
                    "overlapping_request",
                    "a pending or approved request of this employee already covers these days",
                ),
                other => other.into(),
            })?;
        self.audit(
            &caller.id,
            "request.file",
            request.id.as_str(),
            Some(describe(&request)),
        )
        .await;
        if employee.id != caller.id {
            return self
                .decide(caller, &employee, request, RequestStatus::Approved, None)
                .await;
        }
        Ok(request)
    }

    /// The caller's own requests, by first day.
    pub async fn my_requests(
        &self,
        caller: &Principal,
    ) -> Result<Vec<AttendanceRequest>, AppError> {
        Ok(self.store.requests_of(&caller.id).await?)
    }

    /// One employee's requests, for that employee, their supervisor or an admin (anyone
    /// else: not found, so ids do not leak).
    pub async fn requests_of(
        &self,
        caller: &Principal,
        employee: &str,
    ) -> Result<Vec<AttendanceRequest>, AppError> {
        let employee = self.existing_employee(employee).await?;
        if !may_read(caller, &employee) {
            return Err(AppError::NotFound(format!("employee {}", employee.id)));
        }
        Ok(self.store.requests_of(&employee.id).await?)
    }

    /// Pending requests the caller may decide, oldest first: an admin's are those of the
    /// employees they manage but their own; a supervisor's are their team's.
    pub async fn waiting_requests(
        &self,
        caller: &Principal,
    ) -> Result<Vec<AttendanceRequest>, AppError> {
        let pending = self.store.pending_requests().await?;
        if pending.is_empty() {
            return Ok(pending);
        }
        // Only the employees of pending requests are read: a handful, not the whole staff.
        let mut employees: HashMap<Id, Employee> = HashMap::new();
        for request in &pending {
            if !employees.contains_key(&request.employee_id)
                && let Some(employee) = self.store.employee(&request.employee_id).await?
            {
                employees.insert(employee.id.clone(), employee);
            }
        }
        Ok(pending
            .into_iter()
            .filter(|request| {
                request.employee_id != caller.id
                    && employees
                        .get(&request.employee_id)
                        .is_some_and(|employee| may_read(caller, employee))
            })
            .collect())
    }

    /// One request, for the requester, their supervisor or an admin.
    pub async fn attendance_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<AttendanceRequest, AppError> {
        Ok(self.visible_request(caller, id).await?.0)
    }

    /// Approves a pending request: by the employee's supervisor or an admin, never by the
    /// requester. `request_already_decided` when it was decided or cancelled first.
    pub async fn approve_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<AttendanceRequest, AppError> {
        let (request, employee) = self.decidable_request(caller, id).await?;
        self.decide(caller, &employee, request, RequestStatus::Approved, None)
            .await
    }

    /// Rejects a pending request with a reason.
    pub async fn reject_request(
        &self,
        caller: &Principal,
        id: &str,
        reason: &str,
    ) -> Result<AttendanceRequest, AppError> {
        let reason = checked_text(reason, "reason")?;
        let (request, employee) = self.decidable_request(caller, id).await?;
        self.decide(
            caller,
            &employee,
            request,
            RequestStatus::Rejected,
            Some(reason),
        )
        .await
    }

    /// Withdraws a pending request: by the employee it is about or whoever filed it.
    pub async fn cancel_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<AttendanceRequest, AppError> {
        let (request, employee) = self.visible_request(caller, id).await?;
        if request.employee_id != caller.id && request.filed_by != caller.id {
            return Err(AppError::forbidden(
                "not_requester",
                "only the requester withdraws a request; reject it instead",
            ));
        }
        self.decide(caller, &employee, request, RequestStatus::Cancelled, None)
            .await
    }

    /// The request and its employee, when the caller may see it; otherwise not found.
    pub(super) async fn visible_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<(AttendanceRequest, Employee), AppError> {
        let id = parse_id(id, "request id")?;
        let not_found = || AppError::NotFound(format!("request {id}"));
        let request = self.store.request(&id).await?.ok_or_else(not_found)?;
        let employee = self
            .store
            .employee(&request.employee_id)
            .await?
            .ok_or_else(not_found)?;
        if !may_read(caller, &employee) {
            return Err(not_found());
        }
        Ok((request, employee))
    }

    /// The request and its employee, when the caller may decide it.
    async fn decidable_request(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<(AttendanceRequest, Employee), AppError> {
        let (request, employee) = self.visible_request(caller, id).await?;
        if request.employee_id == caller.id {
            return Err(AppError::forbidden(
                "own_request",
                "nobody decides their own request; their supervisor or an admin does",
            ));
        }
        Ok((request, employee))
    }

    /// Moves a pending request to `status` in one conditional write (with the corrected
    /// punch of an approved correction); the loser of two decisions at once gets
    /// `request_already_decided` and nothing is written for it.
    async fn decide(
        &self,
        caller: &Principal,
        employee: &Employee,
        request: AttendanceRequest,
        status: RequestStatus,
        note: Option<String>,
    ) -> Result<AttendanceRequest, AppError> {
        if request.status != RequestStatus::Pending {
            return Err(already_decided());
        }
        let now = self.clock.now();
        let decided = AttendanceRequest {
            status,
            decided_by: Some(caller.id.clone()),
            decided_at: Some(now),
            decision_note: note,
            version: request.version + 1,
            ..request
        };
        let punch = match (status, decided.kind.is_correction(), decided.at) {
            (RequestStatus::Approved, true, Some(at)) => Some(AttendanceRecord {
                id: new_id(),
                employee_id: employee.id.clone(),
                kind: self.corrected_punch(&decided, at).await?,
                at,
                local_day: decided.from,
                score: 0.0,
                method: AttendanceMethod::Correction,
                device: None,
                location: None,
                photo_key: None,
                liveness: None,
                challenged: false,
                photo_sha256: None,
                probe: None,
                idempotency_key: format!("request:{}", decided.id),
                client_key: None,
                account_key: employee.account_key.clone(),
                correction: Some(Correction {
                    request_id: decided.id.clone(),
                    approved_by: caller.id.clone(),
                }),
            }),
            _ => None,
        };
        self.store
            .update_request(&decided, punch.as_ref())
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => already_decided(),
                other => other.into(),
            })?;
        let action = match status {
            RequestStatus::Approved => "request.approve",
            RequestStatus::Rejected => "request.reject",
            RequestStatus::Cancelled => "request.cancel",
            RequestStatus::Pending => "request.file",
        };
        self.audit(
            &caller.id,
            action,
            decided.id.as_str(),
            Some(describe(&decided)),
        )
        .await;
        Ok(decided)
    }

    /// The punch an approved correction at `at` adds: the one it names, or for an other
    /// correction the check-in when it is the earliest of its day.
    async fn corrected_punch(
        &self,
        request: &AttendanceRequest,
        at: DateTime<Utc>,
    ) -> Result<AttendanceKind, AppError> {
        if let Some(kind) = request.kind.fixed_punch() {
            return Ok(kind);
        }
        let (employee, day) = (&request.employee_id, request.from);
        let punches =
            all_pages(
                |page| async move { self.store.attendance_of(employee, day, day, &page).await },
            )
            .await?;
        Ok(if punches.iter().all(|punch| at < punch.at) {
            AttendanceKind::CheckIn
        } else {
            AttendanceKind::CheckOut
        })
    }

    /// The days a new request covers: a leave's range (at most the configured number of
    /// days), or a correction's day in the office's zone (its time not in the future).
    async fn request_days(
        &self,
        employee: &Employee,
        new: &NewRequest,
        now: DateTime<Utc>,
    ) -> Result<(NaiveDate, NaiveDate), AppError> {
        if !new.kind.is_correction() {
            let (Some(from), None) = (new.from, new.at) else {
                return Err(invalid_request(
                    "a leave request gives `from` (and `to`), not `at`",
                ));
            };
            let to = new.to.unwrap_or(from);
            if to < from {
                return Err(invalid_request("`to` is before `from`"));
            }
            let max = self.config.attendance.max_request_days;
            if (to - from).num_days() >= i64::from(max) {
                return Err(AppError::invalid(
                    "request_too_long",
                    format!("one request covers at most {max} days; file several"),
                ));
            }
            return Ok((from, to));
        }
        let (Some(at), None, None) = (new.at, new.from, new.to) else {
            return Err(invalid_request(
                "a correction gives the punch time `at`, not `from` or `to`",
            ));
        };
        if at > now {
            return Err(AppError::invalid(
                "correction_in_future",
                "a correction is for a punch that was missed, not one to come",
            ));
        }
        let office = self.office_of(employee).await?;
        let day = office
            .local_time(at)
            .map_err(|e| AppError::Internal(e.to_string()))?
            .date();
        Ok((day, day))
    }
}

/// A reason, reference or note: trimmed, 1 to 500 characters, no control characters.
fn checked_text(text: &str, what: &str) -> Result<String, AppError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS || text.chars().any(char::is_control) {
        return Err(invalid_request(&format!(
            "the {what} is 1 to {MAX_TEXT_CHARS} characters without control characters"
        )));
    }
    Ok(text.to_owned())
}

/// What an audit event says of a request.
fn describe(request: &AttendanceRequest) -> String {
    let kind = serde_json::to_value(request.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!(
        "{kind} of {} from {} to {}",
        request.employee_id, request.from, request.to
    )
}

fn invalid_request(why: &str) -> AppError {
    AppError::invalid("invalid_attendance_request", why.to_owned())
}

pub(super) fn already_decided() -> AppError {
    AppError::conflict(
        "request_already_decided",
        "the request was approved, rejected or withdrawn first",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(
            checked_text("  sakit  ", "reason").ok().as_deref(),
            Some("sakit")
        );
        for bad in ["", "   ", "a\u{0}b", &"x".repeat(MAX_TEXT_CHARS + 1)] {
            assert!(checked_text(bad, "reason").is_err(), "{bad:?}");
        }
    }
}
