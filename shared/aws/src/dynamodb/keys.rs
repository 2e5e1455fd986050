//! Key attributes and the key of every item type (the table in `docs/DATA_MODEL.md`).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use lintas_core::domain::{EnrollmentStatus, Id};

/// Partition key of the table.
pub(super) const PK: &str = "PK";
/// Sort key of the table.
pub(super) const SK: &str = "SK";
/// First overloaded index: employees in id order, attendance per employee, jobs by status,
/// tokens per family.
pub(super) const GSI1: Index = Index {
    name: "GSI1",
    partition: "GSI1PK",
    sort: "GSI1SK",
};
/// Second overloaded index: attendance per day, tokens per employee, jobs per employee.
pub(super) const GSI2: Index = Index {
    name: "GSI2",
    partition: "GSI2PK",
    sort: "GSI2SK",
};
/// Epoch seconds after which DynamoDB's TTL may delete the item.
pub(super) const EXPIRES_AT: &str = "expires_at";
/// The exact expiry, fixed-width RFC 3339, compared in conditions and read back.
pub(super) const EXPIRES_AT_EXACT: &str = "expires_at_exact";

/// A global secondary index and its key attributes.
#[derive(Clone, Copy, Debug)]
pub(super) struct Index {
    /// Index name.
    pub name: &'static str,
    /// Partition key attribute.
    pub partition: &'static str,
    /// Sort key attribute.
    pub sort: &'static str,
}

/// A partition and sort key value.
pub(super) type Key = (String, String);

/// The key attributes of one item.
pub(super) fn key_item((partition, sort): Key) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_owned(), AttributeValue::S(partition)),
        (SK.to_owned(), AttributeValue::S(sort)),
    ])
}

/// Adds index key attributes to `item`.
pub(super) fn index_item(
    item: &mut HashMap<String, AttributeValue>,
    index: Index,
    (partition, sort): Key,
) {
    item.insert(index.partition.to_owned(), AttributeValue::S(partition));
    item.insert(index.sort.to_owned(), AttributeValue::S(sort));
}

/// A time that sorts as text: RFC 3339 in UTC with nanoseconds, always the same width.
pub(super) fn sortable_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// An employee's profile; the partition also holds their attendance.
pub(super) fn employee(id: &Id) -> Key {
    (format!("EMP#{id}"), "PROFILE".to_owned())
}

/// Index partition listing every employee, sorted by id.
pub(super) const ALL_EMPLOYEES: &str = "EMPLOYEES";

/// The item claiming an e-mail address for one employee.
pub(super) fn email(address: &str) -> Key {
    (
        format!("EMAIL#{}", address.to_lowercase()),
        "EMAIL".to_owned(),
    )
}

/// Partition of the gallery version counter, and prefix of the template partitions.
pub(super) const GALLERY: &str = "GALLERY";
/// Sort key prefix of every template in a gallery partition.
pub(super) const TEMPLATE_PREFIX: &str = "TPL#";
/// The gallery is spread over this many partitions (by employee), read concurrently.
pub(super) const GALLERY_SEGMENTS: u32 = 8;

/// The gallery partition of one segment.
pub(super) fn gallery_segment(segment: u32) -> String {
    format!("{GALLERY}#{segment}")
}

/// The segment holding an employee's templates: a stable hash (FNV-1a) of the id.
pub(super) fn segment_of(employee: &Id) -> u32 {
    let hash = employee
        .as_str()
        .bytes()
        .fold(0x811c_9dc5u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
    hash % GALLERY_SEGMENTS
}

/// One template.
pub(super) fn template(employee: &Id, template: &Id) -> Key {
    (
        gallery_segment(segment_of(employee)),
        format!("{}{template}", templates_of(employee)),
    )
}

/// Sort key prefix of one employee's templates.
pub(super) fn templates_of(employee: &Id) -> String {
    format!("{TEMPLATE_PREFIX}{employee}#")
}

/// The gallery version counter.
pub(super) fn gallery_version() -> Key {
    (GALLERY.to_owned(), "VERSION".to_owned())
}

/// Sort key prefix of attendance records in an employee's partition.
pub(super) const ATTENDANCE_PREFIX: &str = "ATT#";

/// A punch, keyed on (employee, idempotency key) so a retry lands on the same item.
pub(super) fn attendance(employee: &Id, idempotency_key: &str) -> Key {
    (
        format!("EMP#{employee}"),
        format!("{ATTENDANCE_PREFIX}{idempotency_key}"),
    )
}

/// Index key of a punch among an employee's punches, by local day then time.
pub(super) fn attendance_by_employee(
    employee: &Id,
    day: NaiveDate,
    at: DateTime<Utc>,
    id: &Id,
) -> Key {
    (
        attendance_of(employee),
        format!("{day}#{}#{id}", sortable_time(at)),
    )
}

/// Index partition of one employee's punches.
pub(super) fn attendance_of(employee: &Id) -> String {
    format!("ATTEMP#{employee}")
}

/// Index key of a punch among everyone's punches of its local day, by time.
pub(super) fn attendance_by_day(day: NaiveDate, at: DateTime<Utc>, id: &Id) -> Key {
    (attendance_on(day), format!("{}#{id}", sortable_time(at)))
}

/// Index partition of everyone's punches on one local day.
pub(super) fn attendance_on(day: NaiveDate) -> String {
    format!("ATTDAY#{day}")
}

/// An office.
pub(super) fn office(id: &Id) -> Key {
    (format!("OFFICE#{id}"), "OFFICE".to_owned())
}

/// The enrollment job of one uploaded photo.
pub(super) fn enrollment(photo_key: &str) -> Key {
    (format!("ENROLL#{photo_key}"), "JOB".to_owned())
}

/// Index key of a job among the jobs with its status, by last change.
pub(super) fn enrollment_by_status(
    status: EnrollmentStatus,
    updated_at: DateTime<Utc>,
    photo_key: &str,
) -> Key {
    (
        enrollments_with(status),
        format!("{}#{photo_key}", sortable_time(updated_at)),
    )
}

/// Index partition of the jobs with one status.
pub(super) fn enrollments_with(status: EnrollmentStatus) -> String {
    format!("ENROLLSTATUS#{}", status.as_str())
}

/// Index partition of one employee's enrollment jobs.
pub(super) fn enrollments_of(employee: &Id) -> String {
    format!("ENROLLEMP#{employee}")
}

/// A refresh token, by the hash of its secret.
pub(super) fn refresh_token(id: &str) -> Key {
    (format!("TOKEN#{id}"), "TOKEN".to_owned())
}

/// The marker of a revoked token family.
pub(super) fn revoked_family(family: &Id) -> Key {
    (format!("FAMILY#{family}"), "REVOKED".to_owned())
}

/// Index partition of one token family.
pub(super) fn token_family(family: &Id) -> String {
    format!("FAMILY#{family}")
}

/// Index partition of one employee's tokens.
pub(super) fn tokens_of(employee: &Id) -> String {
    format!("EMPTOKENS#{employee}")
}

/// The failed-login counter of one key.
pub(super) fn login_failures(key: &str) -> Key {
    (format!("LOGINFAIL#{key}"), "COUNTER".to_owned())
}

/// A liveness challenge.
pub(super) fn challenge(id: &Id) -> Key {
    (format!("CHALLENGE#{id}"), "CHALLENGE".to_owned())
}

/// Index partition of one account's challenges.
pub(super) fn challenges_of(owner: &Id) -> String {
    format!("CHALLENGESOF#{owner}")
}

/// Partition of every refused face attempt, sorted by time.
pub(super) const REFUSALS: &str = "REFUSALS";

/// One refused attempt, in time order in [`REFUSALS`].
pub(super) fn refusal(at: DateTime<Utc>, id: &Id) -> Key {
    (REFUSALS.to_owned(), format!("{}#{id}", sortable_time(at)))
}

/// Index partition of the refused attempts for one employee.
pub(super) fn refusals_of(employee: &Id) -> String {
    format!("REFUSALSOF#{employee}")
}

/// The partition of one calendar's holidays and special periods.
pub(super) fn calendar(calendar: &Id) -> String {
    format!("CAL#{calendar}")
}

/// One holiday, in date order in its calendar's partition.
pub(super) fn holiday(calendar_id: &Id, date: NaiveDate) -> Key {
    (calendar(calendar_id), format!("HOL#{date}"))
}

/// Sort key prefix of the special periods in a calendar's partition.
pub(super) const SPECIAL_PERIOD_PREFIX: &str = "PER#";

/// One special period.
pub(super) fn special_period(calendar_id: &Id, id: &Id) -> Key {
    (
        calendar(calendar_id),
        format!("{SPECIAL_PERIOD_PREFIX}{id}"),
    )
}

/// Partition of every shift.
pub(super) const SHIFTS: &str = "SHIFTS";

/// One shift.
pub(super) fn shift(id: &Id) -> Key {
    (SHIFTS.to_owned(), format!("SHIFT#{id}"))
}

/// Sort key prefix of the roster entries in an employee's partition.
pub(super) const ASSIGNMENT_PREFIX: &str = "ROSTER#";

/// One roster entry, by first day in its employee's partition.
pub(super) fn assignment(employee_id: &Id, from: NaiveDate, id: &Id) -> Key {
    (
        employee(employee_id).0,
        format!("{ASSIGNMENT_PREFIX}{from}#{id}"),
    )
}

/// Index partition of every roster entry, by last day.
pub(super) const ROSTERS: &str = "ROSTERS";

/// Index key of a roster entry among everyone's, by last day.
pub(super) fn assignment_by_end(entry: &lintas_core::domain::ShiftAssignment) -> Key {
    (
        ROSTERS.to_owned(),
        format!("{}#{}#{}", entry.to, entry.employee_id, entry.id),
    )
}

/// Sort key prefix of the requests in an employee's partition.
pub(super) const REQUEST_PREFIX: &str = "REQ#";

/// One request, by first day in its employee's partition.
pub(super) fn request(employee_id: &Id, from: NaiveDate, id: &Id) -> Key {
    (
        employee(employee_id).0,
        format!("{REQUEST_PREFIX}{from}#{id}"),
    )
}

/// The pointer from a request's id to its employee and first day.
pub(super) fn request_pointer(id: &Id) -> Key {
    (format!("REQUEST#{id}"), "REQUEST".to_owned())
}

/// The version of an employee's requests, moved by every request filed.
pub(super) fn request_version(employee_id: &Id) -> Key {
    (employee(employee_id).0, "REQVERSION".to_owned())
}

/// Index partition of the pending requests, by filing time.
pub(super) const PENDING_REQUESTS: &str = "REQUESTS#pending";

/// Index partition of the approved requests, by last day.
pub(super) const APPROVED_REQUESTS: &str = "REQUESTS#approved";

/// The version of an employee's roster, moved by every entry added.
pub(super) fn roster_version(employee_id: &Id) -> Key {
    (employee(employee_id).0, "ROSTERVERSION".to_owned())
}

/// The attendance rules of the deployment.
pub(super) fn attendance_rules() -> Key {
    ("SETTINGS".to_owned(), "ATTENDANCE_RULES".to_owned())
}

/// Partition of the audit trail, sorted by time.
pub(super) const AUDIT: &str = "AUDIT";

/// One audit event.
pub(super) fn audit_event(at: DateTime<Utc>, id: &Id) -> Key {
    (AUDIT.to_owned(), format!("{}#{id}", sortable_time(at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_employee_always_lands_in_the_same_segment_and_employees_spread() {
        let id = |text: &str| Id::parse(text).unwrap();
        assert_eq!(segment_of(&id("ann")), segment_of(&id("ann")));
        let used: std::collections::HashSet<u32> = (0..100)
            .map(|n| segment_of(&id(&format!("employee-{n}"))))
            .collect();
        assert_eq!(used.len() as u32, GALLERY_SEGMENTS);
    }

    #[test]
    fn sortable_times_sort_as_text() {
        let whole = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let later = DateTime::from_timestamp(1_700_000_000, 500_000_000).unwrap();
        assert!(sortable_time(whole) < sortable_time(later));
        assert_eq!(sortable_time(whole).len(), sortable_time(later).len());
    }

    #[test]
    fn one_employees_template_prefix_excludes_longer_ids() {
        let short = Id::parse("ab").unwrap();
        let long = Id::parse("abc").unwrap();
        let (_, sort) = template(&long, &Id::parse("t1").unwrap());
        assert!(!sort.starts_with(&templates_of(&short)));
        assert_eq!(email("A@B.example").0, "EMAIL#a@b.example");
    }
}
