//! The record stores. Each method names one access pattern.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::{Page, PageRequest, StoreError};
use crate::domain::{
    AttendanceRecord, AttendanceRequest, AttendanceRules, AuditEvent, Challenge, Employee,
    EnrollmentJob, EnrollmentStatus, FaceTemplate, Holiday, Id, LoginFailures, Office,
    RefreshToken, RefusedAttempt, Shift, ShiftAssignment, SpecialPeriod,
};

type Result<T> = std::result::Result<T, StoreError>;

/// Employees, looked up by id or e-mail.
#[async_trait]
pub trait EmployeeStore: Send + Sync {
    /// Adds a new employee; `Conflict` when the id or the e-mail is taken.
    async fn create_employee(&self, employee: &Employee) -> Result<()>;
    /// The employee with `id`.
    async fn employee(&self, id: &Id) -> Result<Option<Employee>>;
    /// The employee whose e-mail is `email` (compared lower-case).
    async fn employee_by_email(&self, email: &str) -> Result<Option<Employee>>;
    /// Replaces the stored employee, whose version must be `employee.version - 1`;
    /// `Conflict` when it changed meanwhile, is gone, or the new e-mail is taken.
    async fn update_employee(&self, employee: &Employee) -> Result<()>;
    /// Deletes the employee record; `false` when there was none.
    async fn delete_employee(&self, id: &Id) -> Result<bool>;
    /// Employees in id order.
    async fn list_employees(&self, page: &PageRequest) -> Result<Page<Employee>>;
}

/// Face templates, per employee and as the whole gallery.
#[async_trait]
pub trait TemplateStore: Send + Sync {
    /// Stores a new template and moves the gallery version; returns the version read after
    /// the write (this write's, or a later one when another write followed at once); `Conflict` when its id exists.
    async fn add_template(&self, template: &FaceTemplate) -> Result<u64>;
    /// Every template of one employee.
    async fn templates_of(&self, employee: &Id) -> Result<Vec<FaceTemplate>>;
    /// Deletes one template; `false` when there was none.
    async fn delete_template(&self, employee: &Id, template: &Id) -> Result<bool>;
    /// Deletes every template of one employee; returns how many there were.
    async fn delete_templates_of(&self, employee: &Id) -> Result<usize>;
    /// How many segments the gallery is stored in; segments can be read concurrently.
    fn gallery_segments(&self) -> u32;
    /// The templates of one gallery segment (`0..gallery_segments()`), for loading the 1:N
    /// gallery; `Invalid` for a segment out of range.
    async fn gallery_segment(&self, segment: u32, page: &PageRequest)
    -> Result<Page<FaceTemplate>>;
    /// A number that changes whenever any template is added or deleted, so a process can
    /// tell cheaply whether its in-memory gallery is stale.
    async fn gallery_version(&self) -> Result<u64>;
}

/// What [`AttendanceStore::record_attendance`] did.
// Returned once per punch and matched at once: boxing the record would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum RecordOutcome {
    /// The record was stored.
    Created,
    /// A record with the same employee and idempotency key exists; it is returned instead.
    Existing(AttendanceRecord),
}

/// Attendance records by employee and by day.
#[async_trait]
pub trait AttendanceStore: Send + Sync {
    /// Stores a punch once per (employee, idempotency key), in one atomic step with the
    /// check that the employee exists, is active and is the account instance
    /// `record.account_key`; `Conflict` when it is not.
    async fn record_attendance(&self, record: &AttendanceRecord) -> Result<RecordOutcome>;
    /// Punches of one employee on local days `from..=to`, oldest first.
    async fn attendance_of(
        &self,
        employee: &Id,
        from: NaiveDate,
        to: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>>;
    /// Punches of everyone on one local day, oldest first.
    async fn attendance_on(
        &self,
        day: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>>;
    /// Deletes every punch of one employee; returns the photo keys they referenced.
    async fn delete_attendance_of(&self, employee: &Id) -> Result<Vec<String>>;
}

/// Offices.
#[async_trait]
pub trait OfficeStore: Send + Sync {
    /// Creates or replaces an office.
    async fn put_office(&self, office: &Office) -> Result<()>;
    /// The office with `id`.
    async fn office(&self, id: &Id) -> Result<Option<Office>>;
}

/// Enrollment jobs from uploaded photos.
#[async_trait]
pub trait EnrollmentJobStore: Send + Sync {
    /// Records a new job; `false` when a job for the same photo key exists (a redelivered
    /// event), in which case nothing changes.
    async fn begin_enrollment(&self, job: &EnrollmentJob) -> Result<bool>;
    /// Stores the job's outcome.
    async fn finish_enrollment(&self, job: &EnrollmentJob) -> Result<()>;
    /// Replaces a job only while it is still `Flagged`, so an admin's decision is taken
    /// exactly once; `Conflict` when it was decided meanwhile or is gone.
    async fn resolve_enrollment(&self, job: &EnrollmentJob) -> Result<()>;
    /// The job for one photo key.
    async fn enrollment(&self, photo_key: &str) -> Result<Option<EnrollmentJob>>;
    /// Jobs with one status, most recent first.
    async fn enrollments_by_status(
        &self,
        status: EnrollmentStatus,
        page: &PageRequest,
    ) -> Result<Page<EnrollmentJob>>;
    /// Deletes every job of one employee; returns how many there were.
    async fn delete_enrollments_of(&self, employee: &Id) -> Result<usize>;
}

/// Refresh tokens.
#[async_trait]
pub trait TokenStore: Send + Sync {
    /// Stores a new token, in one atomic step with the check that its family was never
    /// revoked; `Conflict` when it was (or the token exists).
    async fn put_refresh_token(&self, token: &RefreshToken) -> Result<()>;
    /// The token with this hash, unless expired.
    async fn refresh_token(&self, id: &str, now: DateTime<Utc>) -> Result<Option<RefreshToken>>;
    /// Marks one token revoked; `false` when it was already revoked or is unknown, which
    /// is how a reused (rotated) token is detected.
    async fn revoke_refresh_token(&self, id: &str) -> Result<bool>;
    /// Marks the family revoked for good, so no successor can be put after this, then
    /// revokes every token of it; returns how many were still live.
    async fn revoke_token_family(&self, family: &Id) -> Result<usize>;
    /// True when the family was revoked (read strongly consistently).
    async fn family_revoked(&self, family: &Id) -> Result<bool>;
    /// Marks every family of the employee's tokens revoked for good, as
    /// [`TokenStore::revoke_token_family`] does one; returns how many tokens were still live.
    async fn revoke_token_families_of(&self, employee: &Id) -> Result<usize>;
    /// Deletes every token of one employee.
    async fn delete_tokens_of(&self, employee: &Id) -> Result<()>;
}

/// Liveness challenges, each answered at most once.
#[async_trait]
pub trait ChallengeStore: Send + Sync {
    /// Stores a new challenge; `Conflict` when its id exists.
    async fn put_challenge(&self, challenge: &Challenge) -> Result<()>;
    /// The challenge with `id`, used or not, unless the store dropped it after expiry.
    async fn challenge(&self, id: &Id) -> Result<Option<Challenge>>;
    /// Marks the challenge used at `at` in one atomic step, only if it was unused: `true`
    /// for the one call that did, `false` for every other (used already, or gone).
    async fn use_challenge(&self, id: &Id, at: DateTime<Utc>) -> Result<bool>;
    /// Deletes every challenge issued to `owner`.
    async fn delete_challenges_of(&self, owner: &Id) -> Result<()>;
}

/// Refused face attempts, for review.
#[async_trait]
pub trait RefusalLog: Send + Sync {
    /// Appends a refused attempt.
    async fn record_refusal(&self, refusal: &RefusedAttempt) -> Result<()>;
    /// Refused attempts not expired at `now`, most recent first; only those for `employee`
    /// when given.
    async fn refusals(
        &self,
        employee: Option<&Id>,
        now: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<RefusedAttempt>>;
    /// Deletes every refused attempt for one employee; returns their photo keys.
    async fn delete_refusals_of(&self, employee: &Id) -> Result<Vec<String>>;
}

/// Calendars: holidays and special periods, per calendar.
#[async_trait]
pub trait CalendarStore: Send + Sync {
    /// Stores a holiday, replacing the one of its calendar on its date.
    async fn put_holiday(&self, holiday: &Holiday) -> Result<()>;
    /// Deletes the holiday of `calendar` on `date`; `false` when there was none.
    async fn delete_holiday(&self, calendar: &Id, date: NaiveDate) -> Result<bool>;
    /// The holidays of `calendar` from `from` to `to` (included), by date.
    async fn holidays(&self, calendar: &Id, from: NaiveDate, to: NaiveDate)
    -> Result<Vec<Holiday>>;
    /// Stores a special period, replacing the one of its calendar with its id.
    async fn put_special_period(&self, period: &SpecialPeriod) -> Result<()>;
    /// Deletes a special period; `false` when there was none.
    async fn delete_special_period(&self, calendar: &Id, id: &Id) -> Result<bool>;
    /// Every special period of `calendar`.
    async fn special_periods(&self, calendar: &Id) -> Result<Vec<SpecialPeriod>>;
}

/// Shifts and the roster entries that assign them.
#[async_trait]
pub trait ShiftStore: Send + Sync {
    /// Stores a shift, replacing the one with its id.
    async fn put_shift(&self, shift: &Shift) -> Result<()>;
    /// Every shift, by id.
    async fn shifts(&self) -> Result<Vec<Shift>>;
    /// Deletes a shift; `false` when there was none.
    async fn delete_shift(&self, id: &Id) -> Result<bool>;
    /// Adds a roster entry in one atomic step with the check that no entry of the same
    /// employee shares a day with it; `Conflict` when one does (also when added at once).
    async fn add_assignment(&self, assignment: &ShiftAssignment) -> Result<()>;
    /// Every roster entry of one employee, by first day.
    async fn assignments_of(&self, employee: &Id) -> Result<Vec<ShiftAssignment>>;
    /// Every roster entry of anyone that covers a day from `from` to `to` (for a month's
    /// reports).
    async fn assignments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ShiftAssignment>>;
    /// Deletes one roster entry; `false` when there was none.
    async fn delete_assignment(&self, employee: &Id, id: &Id) -> Result<bool>;
    /// Deletes every roster entry of one employee.
    async fn delete_assignments_of(&self, employee: &Id) -> Result<()>;
}

/// The deployment's attendance rules (buckets and deductions).
#[async_trait]
pub trait RulesStore: Send + Sync {
    /// The stored rules, if an admin set any.
    async fn attendance_rules(&self) -> Result<Option<AttendanceRules>>;
    /// Replaces the rules.
    async fn put_attendance_rules(&self, rules: &AttendanceRules) -> Result<()>;
}

/// Requests (leave and corrections) and their decisions.
#[async_trait]
pub trait RequestStore: Send + Sync {
    /// Files a request in one atomic step with the check that no live request of the same
    /// employee collides with it ([`AttendanceRequest::collides_with`]); `Conflict` when one
    /// does (also when filed at once).
    async fn file_request(&self, request: &AttendanceRequest) -> Result<()>;
    /// One request by id.
    async fn request(&self, id: &Id) -> Result<Option<AttendanceRequest>>;
    /// Every request of one employee, by first day.
    async fn requests_of(&self, employee: &Id) -> Result<Vec<AttendanceRequest>>;
    /// Every pending request, oldest first.
    async fn pending_requests(&self) -> Result<Vec<AttendanceRequest>>;
    /// Every approved request of anyone that covers a day from `from` to `to`.
    async fn approved_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttendanceRequest>>;
    /// Replaces the request with `changed` (a decision or an attachment; its version one
    /// above the stored one) and, for an approved correction, writes `punch`, in one atomic
    /// step; `Conflict` when the stored request changed meanwhile (a decision made at once)
    /// or its employee is gone, and then nothing is written.
    async fn update_request(
        &self,
        changed: &AttendanceRequest,
        punch: Option<&AttendanceRecord>,
    ) -> Result<()>;
    /// Deletes every request of one employee.
    async fn delete_requests_of(&self, employee: &Id) -> Result<()>;
}

/// Failed-login counters that expire, kept in the store so they survive cold starts.
#[async_trait]
pub trait LoginFailureStore: Send + Sync {
    /// Counts one failure for `key`; a window that ended before `now` starts again, ending at
    /// `window_end`. Returns the counter after the increment.
    async fn record_login_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_end: DateTime<Utc>,
    ) -> Result<LoginFailures>;
    /// The live counter for `key`, if any.
    async fn login_failures(&self, key: &str, now: DateTime<Utc>) -> Result<Option<LoginFailures>>;
    /// Forgets the counter for `key` (after a successful login).
    async fn clear_login_failures(&self, key: &str) -> Result<()>;
    /// Takes one counted attempt back from `key` (a login that succeeded), never below zero.
    async fn release_login_attempt(&self, key: &str) -> Result<()>;
}

/// The audit trail.
#[async_trait]
pub trait AuditLog: Send + Sync {
    /// Appends an event.
    async fn append_audit(&self, event: &AuditEvent) -> Result<()>;
    /// Events, most recent first.
    async fn audit_events(&self, page: &PageRequest) -> Result<Page<AuditEvent>>;
}

/// Every record store in one; implemented by any type that implements them all.
pub trait Store:
    EmployeeStore
    + TemplateStore
    + AttendanceStore
    + OfficeStore
    + EnrollmentJobStore
    + TokenStore
    + LoginFailureStore
    + AuditLog
    + ChallengeStore
    + RefusalLog
    + CalendarStore
    + ShiftStore
    + RulesStore
    + RequestStore
{
}

impl<T> Store for T where
    T: EmployeeStore
        + TemplateStore
        + AttendanceStore
        + OfficeStore
        + EnrollmentJobStore
        + TokenStore
        + LoginFailureStore
        + AuditLog
        + ChallengeStore
        + RefusalLog
        + CalendarStore
        + ShiftStore
        + RulesStore
        + RequestStore
{
}
