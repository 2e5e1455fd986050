//! One test suite every store adapter must pass, so the embedded store and the AWS adapters
//! behave the same. Each function starts from an empty store and panics on the first
//! difference from the contract of the ports.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use super::{GallerySnapshots, PageRequest, PhotoStore, RecordOutcome, Store, StoreError};
use crate::domain::{
    Attachment, AttendanceKind, AttendanceMethod, AttendanceRecord, AttendanceRequest,
    AttendanceRules, AuditEvent, Challenge, ChallengePolicy, Correction, DocumentKind,
    DuplicateDecision, DuplicateReview, Employee, EmployeeStatus, EnrollmentJob, EnrollmentStatus,
    FaceTemplate, GeoPoint, Holiday, HolidayKind, Id, LeaveDeductions, Office, RefreshToken,
    RefusedAttempt, RequestKind, RequestStatus, Role, Shift, ShiftAssignment, SpecialPeriod,
    WorkHours, WorkSchedule,
};
use lintas_face::embedding::{EMBEDDING_DIM, Embedding, ModelId, ProbePrint};
use lintas_face::pose::Pose;
use lintas_face::quality::QualityReport;

/// Runs every record-store check in turn.
pub async fn check_store(store: &dyn Store) {
    check_employees(store).await;
    check_templates(store).await;
    check_attendance(store).await;
    check_offices(store).await;
    check_enrollments(store).await;
    check_tokens(store).await;
    check_login_failures(store).await;
    check_audit(store).await;
    check_challenges(store).await;
    check_refusals(store).await;
    check_calendars(store).await;
    check_rosters(store).await;
    check_rules(store).await;
    check_requests(store).await;
}

fn id(text: &str) -> Id {
    Id::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 0)
        .single()
        .unwrap_or_default()
}

/// The current time to the microsecond. Records that expire are dated from it, because a
/// real DynamoDB (and DynamoDB Local) deletes items whose TTL has passed.
fn live_now() -> DateTime<Utc> {
    DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(t0)
}

/// One record of each stored type, with every optional field set: what the golden
/// fixtures under `tests/fixtures/stored/` hold, in each adapter's format.
pub fn golden_records() -> GoldenRecords {
    GoldenRecords {
        employee: Employee {
            account_key: "acct-ann-1".into(),
            token_generation: 2,
            look_alikes: vec![id("bea")],
            supervisor_id: Some(id("kepala")),
            role: Role::Admin,
            admin_offices: vec![id("hq"), id("east")],
            ..employee("ann", Some("ann@example.go.id"))
        },
        template: template("t1", "ann", 7),
        punch: AttendanceRecord {
            account_key: "acct-ann-1".into(),
            liveness: Some(0.875),
            challenged: true,
            photo_sha256: Some("ab".repeat(32)),
            probe: Some(probe_print()),
            ..punch("r1", "ann", 0, "punch-key-0001")
        },
        office: Office {
            schedule: friday_longer(),
            calendar: Some(id("east")),
            ..Office::standard(id("hq"), "Head office", "Asia/Makassar")
        },
        holiday: Holiday {
            calendar: id("default"),
            date: date(2026, 8, 17),
            name: "Hari Kemerdekaan".into(),
            kind: HolidayKind::National,
        },
        period: SpecialPeriod {
            calendar: id("default"),
            id: id("ramadan-1448"),
            name: "Ramadan 1448 H".into(),
            from: date(2027, 2, 8),
            to: date(2027, 3, 9),
            schedule: friday_longer(),
        },
        shift: Shift {
            grace_minutes: 10,
            ..Shift::new(id("malam"), "Malam".into(), time(22, 0), time(7, 0))
        },
        assignment: ShiftAssignment {
            id: id("r1"),
            employee_id: id("ann"),
            shift_id: Some(id("malam")),
            from: date(2026, 11, 1),
            to: date(2026, 11, 30),
        },
        rules: AttendanceRules {
            absent_deduction: 2.5,
            leave_deductions: LeaveDeductions {
                leave: 0.0,
                excused: 1.0,
                sick: 0.5,
                official_duty: 0.0,
            },
            ..AttendanceRules::default()
        },
        request: AttendanceRequest {
            at: Some(t0() - Duration::hours(2)),
            reference: Some("ST/123/2026".into()),
            status: RequestStatus::Approved,
            decided_by: Some(id("kepala")),
            decided_at: Some(t0()),
            decision_note: Some("seen at the meeting".into()),
            attachment: Some(Attachment {
                key: "attachments/ann/q1/a1.pdf".into(),
                content_type: DocumentKind::Pdf,
                bytes: 640,
                attached_at: t0() - Duration::hours(1),
            }),
            version: 2,
            ..request("q1", "ann", RequestKind::MissedCheckIn, 0, 0)
        },
        corrected_punch: AttendanceRecord {
            method: AttendanceMethod::Correction,
            score: 0.0,
            device: None,
            location: None,
            photo_key: None,
            client_key: None,
            correction: Some(Correction {
                request_id: id("q1"),
                approved_by: id("kepala"),
            }),
            ..punch("c1", "ann", 0, "request:q1")
        },
        job: EnrollmentJob {
            photo_key: "enrollments/ann/desk.jpg".into(),
            employee_id: id("ann"),
            status: EnrollmentStatus::Rejected,
            reason: Some("face_already_enrolled".into()),
            template_id: Some(id("t1")),
            review: Some(DuplicateReview {
                other_employee: id("bea"),
                score: 0.71,
                photo_key: "flagged/ann/t1.jpg".into(),
                decision: Some(DuplicateDecision::SamePerson),
                decided_by: Some(id("admin")),
            }),
            updated_at: t0(),
        },
        challenge: Challenge {
            id: id("c1"),
            owner: id("ann"),
            poses: vec![Pose::Frontal, Pose::Left, Pose::Right],
            issued_at: t0(),
            expires_at: t0() + Duration::seconds(60),
            used_at: Some(t0() + Duration::seconds(20)),
        },
        refusal: refusal("x1", Some("ann"), t0(), t0() + Duration::days(30)),
        audit: AuditEvent {
            id: id("e1"),
            at: t0(),
            actor: id("admin"),
            action: "employee.create".into(),
            subject: "ann".into(),
            detail: Some("role employee".into()),
        },
        token: RefreshToken {
            id: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
            family: id("f1"),
            employee_id: id("ann"),
            expires_at: t0() + Duration::days(30),
            revoked: false,
        },
    }
}

/// See [`golden_records`].
#[derive(Clone, Debug)]
pub struct GoldenRecords {
    /// An employee.
    pub employee: Employee,
    /// A face template.
    pub template: FaceTemplate,
    /// An attendance record.
    pub punch: AttendanceRecord,
    /// An office.
    pub office: Office,
    /// An enrollment job.
    pub job: EnrollmentJob,
    /// An audit event.
    pub audit: AuditEvent,
    /// A refresh token.
    pub token: RefreshToken,
    /// A liveness challenge.
    pub challenge: Challenge,
    /// A refused face attempt.
    pub refusal: RefusedAttempt,
    /// A holiday.
    pub holiday: Holiday,
    /// A special period.
    pub period: SpecialPeriod,
    /// A shift.
    pub shift: Shift,
    /// A roster entry.
    pub assignment: ShiftAssignment,
    /// The attendance rules.
    pub rules: AttendanceRules,
    /// A decided request.
    pub request: AttendanceRequest,
    /// A punch added by an approved correction.
    pub corrected_punch: AttendanceRecord,
}

/// A pending request of `employee` from `from` to `to` days after the first test day.
pub fn request(
    request_id: &str,
    employee: &str,
    kind: RequestKind,
    from: i64,
    to: i64,
) -> AttendanceRequest {
    AttendanceRequest {
        id: id(request_id),
        employee_id: id(employee),
        kind,
        from: day(from),
        to: day(to),
        at: None,
        reason: "keperluan keluarga".into(),
        reference: None,
        status: RequestStatus::Pending,
        filed_by: id(employee),
        filed_at: t0(),
        decided_by: None,
        decided_at: None,
        decision_note: None,
        attachment: None,
        version: 1,
    }
}

/// A probe print of a fixed embedding.
fn probe_print() -> ProbePrint {
    ProbePrint::of(&template("p", "ann", 3).embedding)
}

/// A refused attempt sent by a kiosk, for `employee` when given.
pub fn refusal(
    refusal_id: &str,
    employee: Option<&str>,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> RefusedAttempt {
    RefusedAttempt {
        id: id(refusal_id),
        at,
        sender: id("kiosk-lobby"),
        employee_id: employee.map(id),
        method: AttendanceMethod::Identify,
        code: "presentation_attack_suspected".into(),
        match_score: Some(0.66),
        liveness: Some(0.12),
        device: Some("tablet-1".into()),
        location: Some(GeoPoint {
            latitude: -6.2,
            longitude: 106.8,
        }),
        photo_key: Some(format!(
            "refused/{}/kiosk-lobby/{refusal_id}.jpg",
            at.date_naive()
        )),
        expires_at,
    }
}

/// An employee with the given id and e-mail.
pub fn employee(employee_id: &str, email: Option<&str>) -> Employee {
    Employee {
        id: id(employee_id),
        name: format!("Employee {employee_id}"),
        email: email.map(str::to_owned),
        staff_number: Some(format!("NIP-{employee_id}")),
        role: Role::Employee,
        office_id: id("hq"),
        status: EmployeeStatus::Active,
        on_roll: true,
        password_hash: Some("$2b$12$abcdefghijklmnopqrstuv".into()),
        created_at: t0(),
        updated_at: t0(),
        version: 1,
        account_key: String::new(),
        token_generation: 0,
        look_alikes: Vec::new(),
        supervisor_id: None,
        admin_offices: Vec::new(),
    }
}

/// A template whose embedding points along `axis`.
pub fn template(template_id: &str, employee_id: &str, axis: usize) -> FaceTemplate {
    let mut raw = vec![0.01f32; EMBEDDING_DIM];
    raw[axis % EMBEDDING_DIM] = 1.0;
    let embedding = Embedding::from_raw(ModelId::new("facenet-int8-test"), raw)
        .unwrap_or_else(|e| panic!("{e}"));
    FaceTemplate {
        id: id(template_id),
        employee_id: id(employee_id),
        embedding,
        quality: QualityReport {
            score: 0.93,
            face_width: 120.5,
            sharpness: 301.25,
            brightness: 140.0,
            yaw: 0.02,
            pitch: 0.08,
            roll: -1.5,
        },
        photo_key: format!("enrolled/{employee_id}/{template_id}.jpg"),
        created_at: t0(),
    }
}

/// A check-in of `employee_id` on 2 March 2026 plus `day_offset` days.
pub fn punch(record_id: &str, employee_id: &str, day_offset: i64, key: &str) -> AttendanceRecord {
    let at = t0() + Duration::days(day_offset);
    AttendanceRecord {
        id: id(record_id),
        employee_id: id(employee_id),
        kind: AttendanceKind::CheckIn,
        at,
        local_day: at.date_naive(),
        score: 0.81,
        method: AttendanceMethod::Identify,
        device: Some("kiosk-lobby".into()),
        location: Some(GeoPoint {
            latitude: -6.2,
            longitude: 106.8,
        }),
        photo_key: Some(format!(
            "attendance/{}/{employee_id}/{record_id}.jpg",
            at.date_naive()
        )),
        liveness: None,
        challenged: false,
        photo_sha256: None,
        probe: None,
        idempotency_key: key.into(),
        client_key: Some(key.into()),
        account_key: String::new(),
        correction: None,
    }
}

fn day(offset: i64) -> NaiveDate {
    (t0() + Duration::days(offset)).date_naive()
}

fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, what: &str) {
    assert!(
        matches!(result, Err(StoreError::Conflict(_))),
        "{what}: expected a conflict, got {result:?}"
    );
}

fn ok<T>(result: Result<T, StoreError>, what: &str) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// Employees: uniqueness of id and e-mail, optimistic updates, paging, deletion.
pub async fn check_employees(store: &dyn Store) {
    let alice = employee("alice", Some("alice@example.go.id"));
    ok(store.create_employee(&alice).await, "create alice");
    assert_conflict(store.create_employee(&alice).await, "same id twice");
    assert_conflict(
        store
            .create_employee(&employee("alice2", Some("alice@example.go.id")))
            .await,
        "same e-mail twice",
    );
    assert_eq!(
        ok(store.employee(&alice.id).await, "get").as_ref(),
        Some(&alice)
    );
    let by_email = ok(
        store.employee_by_email("Alice@Example.go.id").await,
        "by e-mail",
    );
    assert_eq!(by_email.map(|e| e.id), Some(alice.id.clone()));
    assert_eq!(ok(store.employee(&id("nobody")).await, "missing"), None);

    let mut renamed = alice.clone();
    renamed.name = "Alice Renamed".into();
    renamed.email = Some("alice.new@example.go.id".into());
    renamed.version = 2;
    ok(store.update_employee(&renamed).await, "update");
    assert_conflict(
        store.update_employee(&renamed).await,
        "update from a stale version",
    );
    assert_eq!(
        ok(store.employee(&alice.id).await, "get updated"),
        Some(renamed.clone())
    );
    assert_eq!(
        ok(
            store.employee_by_email("alice@example.go.id").await,
            "old e-mail"
        ),
        None
    );
    ok(
        store
            .create_employee(&employee("carol", Some("alice@example.go.id")))
            .await,
        "old e-mail reused",
    );
    assert_conflict(
        store
            .update_employee(&Employee {
                version: 3,
                email: Some("alice@example.go.id".into()),
                ..renamed.clone()
            })
            .await,
        "update to a taken e-mail",
    );

    for n in 0..5 {
        ok(
            store
                .create_employee(&employee(&format!("bulk-{n}"), None))
                .await,
            "create bulk",
        );
    }
    let mut seen = Vec::new();
    let mut request = PageRequest::first(2);
    loop {
        let page = ok(store.list_employees(&request).await, "list");
        assert!(page.items.len() <= 2, "page larger than its limit");
        seen.extend(page.items.into_iter().map(|e| e.id.to_string()));
        match page.next {
            Some(cursor) => request.cursor = Some(cursor),
            None => break,
        }
    }
    let mut expected: Vec<String> = [
        "alice", "carol", "bulk-0", "bulk-1", "bulk-2", "bulk-3", "bulk-4",
    ]
    .map(String::from)
    .to_vec();
    expected.sort();
    assert_eq!(seen, expected, "paged listing in id order");
    let bad_cursor = PageRequest {
        limit: 2,
        cursor: Some("not a cursor".into()),
    };
    assert!(matches!(
        store.list_employees(&bad_cursor).await,
        Err(StoreError::Invalid(_))
    ));

    assert!(ok(store.delete_employee(&alice.id).await, "delete"));
    assert!(!ok(store.delete_employee(&alice.id).await, "delete again"));
    assert_eq!(
        ok(
            store.employee_by_email("alice.new@example.go.id").await,
            "e-mail of deleted"
        ),
        None
    );
    ok(
        store
            .create_employee(&employee("dave", Some("alice.new@example.go.id")))
            .await,
        "e-mail freed by delete",
    );
}

/// Templates: exact embedding round trip, gallery paging and version, deletion.
pub async fn check_templates(store: &dyn Store) {
    let v0 = ok(store.gallery_version().await, "version");
    let templates = [
        template("t1", "ann", 1),
        template("t2", "ann", 2),
        template("t3", "ann", 3),
        template("t4", "ben", 4),
        template("t5", "ben", 5),
    ];
    for t in &templates {
        ok(store.add_template(t).await, "add template");
    }
    assert_conflict(
        store.add_template(&templates[0]).await,
        "same template twice",
    );
    let v1 = ok(store.gallery_version().await, "version after adds");
    assert_ne!(v0, v1, "adding templates changes the gallery version");

    let mut of_ann = ok(store.templates_of(&id("ann")).await, "templates of ann");
    of_ann.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        of_ann,
        templates[..3].to_vec(),
        "templates come back exactly"
    );

    let mut all = Vec::new();
    for segment in 0..store.gallery_segments() {
        let mut request = PageRequest::first(2);
        loop {
            let page = ok(
                store.gallery_segment(segment, &request).await,
                "gallery page",
            );
            all.extend(page.items);
            match page.next {
                Some(cursor) => request.cursor = Some(cursor),
                None => break,
            }
        }
    }
    let past_the_end = store
        .gallery_segment(store.gallery_segments(), &PageRequest::first(2))
        .await;
    assert!(
        matches!(past_the_end, Err(StoreError::Invalid(_))),
        "a segment out of range is invalid"
    );
    all.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(
        all,
        templates.to_vec(),
        "the paged gallery holds every template once"
    );

    assert!(ok(
        store.delete_template(&id("ann"), &id("t2")).await,
        "delete one"
    ));
    assert!(!ok(
        store.delete_template(&id("ann"), &id("t2")).await,
        "delete one again"
    ));
    assert!(!ok(
        store.delete_template(&id("ben"), &id("t1")).await,
        "delete through another employee"
    ));
    let v2 = ok(store.gallery_version().await, "version after delete");
    assert_ne!(v1, v2);
    assert_eq!(
        ok(
            store.delete_templates_of(&id("ben")).await,
            "delete all of ben"
        ),
        2
    );
    assert!(ok(store.templates_of(&id("ben")).await, "ben after delete").is_empty());
    assert_eq!(
        ok(store.templates_of(&id("ann")).await, "ann after deletes").len(),
        2
    );
}

/// Attendance: idempotent punches, reads by employee and range, by day, deletion.
pub async fn check_attendance(store: &dyn Store) {
    for owner in ["ann", "ben"] {
        ok(store.create_employee(&employee(owner, None)).await, "owner");
    }
    let first = punch("r1", "ann", 0, "key-1");
    assert_eq!(
        ok(store.record_attendance(&first).await, "record"),
        RecordOutcome::Created
    );
    let retry = AttendanceRecord {
        id: id("r1-retry"),
        ..first.clone()
    };
    assert_eq!(
        ok(store.record_attendance(&retry).await, "retry"),
        RecordOutcome::Existing(first.clone()),
        "a retry with the same key returns the first record"
    );
    let others = [
        punch("r2", "ann", 1, "key-2"),
        punch("r3", "ann", 2, "key-3"),
        punch("r4", "ben", 0, "key-1"),
    ];
    for record in &others {
        assert_eq!(
            ok(store.record_attendance(record).await, "record"),
            RecordOutcome::Created
        );
    }
    let stranger = punch("r5", "nobody", 0, "key-5");
    assert!(
        matches!(
            store.record_attendance(&stranger).await,
            Err(StoreError::Conflict(_))
        ),
        "no punch is stored for an account that does not exist"
    );
    let mut suspended =
        ok(store.employee(&id("ben")).await, "ben").unwrap_or_else(|| employee("ben", None));
    suspended.status = EmployeeStatus::Suspended;
    suspended.version += 1;
    ok(store.update_employee(&suspended).await, "suspend ben");
    assert!(
        matches!(
            store
                .record_attendance(&punch("r6", "ben", 3, "key-6"))
                .await,
            Err(StoreError::Conflict(_))
        ),
        "nor for a suspended one"
    );
    let other_instance = AttendanceRecord {
        account_key: "a-previous-account".into(),
        ..punch("r7", "ann", 3, "key-7")
    };
    assert!(
        matches!(
            store.record_attendance(&other_instance).await,
            Err(StoreError::Conflict(_))
        ),
        "nor for another account that had the same id"
    );

    let mut ranged = Vec::new();
    let mut request = PageRequest::first(1);
    loop {
        let page = ok(
            store
                .attendance_of(&id("ann"), day(0), day(1), &request)
                .await,
            "range",
        );
        ranged.extend(page.items.into_iter().map(|r| r.id.to_string()));
        match page.next {
            Some(cursor) => request.cursor = Some(cursor),
            None => break,
        }
    }
    assert_eq!(
        ranged,
        ["r1", "r2"],
        "ann's punches on days 0..=1, oldest first"
    );

    let on_day0 = ok(
        store.attendance_on(day(0), &PageRequest::first(10)).await,
        "by day",
    );
    let mut ids: Vec<String> = on_day0.items.iter().map(|r| r.id.to_string()).collect();
    ids.sort();
    assert_eq!(ids, ["r1", "r4"]);
    assert_eq!(
        on_day0.items.iter().find(|r| r.id.as_str() == "r1"),
        Some(&first),
        "records round-trip"
    );

    let mut keys = ok(
        store.delete_attendance_of(&id("ann")).await,
        "delete ann's punches",
    );
    keys.sort();
    assert_eq!(keys.len(), 3);
    assert!(keys[0].starts_with("attendance/"));
    let left = ok(
        store
            .attendance_of(&id("ann"), day(0), day(9), &PageRequest::first(10))
            .await,
        "after delete",
    );
    assert!(left.items.is_empty());
}

/// Offices: put, get, replace.
pub async fn check_offices(store: &dyn Store) {
    let schedule = friday_longer();
    let mut office = Office {
        id: id("hq"),
        name: "Head office".into(),
        time_zone: "Asia/Jakarta".into(),
        schedule,
        calendar: Some(id("east")),
        geofence: None,
        challenge: ChallengePolicy {
            phone: false,
            kiosk: true,
        },
    };
    ok(store.put_office(&office).await, "put office");
    assert_eq!(
        ok(store.office(&office.id).await, "get office"),
        Some(office.clone())
    );
    office.time_zone = "Asia/Makassar".into();
    ok(store.put_office(&office).await, "replace office");
    assert_eq!(
        ok(store.office(&office.id).await, "get replaced"),
        Some(office)
    );
    assert_eq!(
        ok(store.office(&id("nowhere")).await, "missing office"),
        None
    );
}

/// Enrollment jobs: exactly-once start, outcome, listing by status.
pub async fn check_enrollments(store: &dyn Store) {
    let job = |key: &str, minutes: i64| EnrollmentJob {
        photo_key: format!("enrollments/ann/{key}.jpg"),
        employee_id: id("ann"),
        status: EnrollmentStatus::Pending,
        reason: None,
        template_id: None,
        review: None,
        updated_at: t0() + Duration::minutes(minutes),
    };
    let (a, b) = (job("u1", 0), job("u2", 1));
    assert!(ok(store.begin_enrollment(&a).await, "begin"));
    assert!(
        !ok(store.begin_enrollment(&a).await, "begin again"),
        "a redelivered event starts nothing"
    );
    assert!(ok(store.begin_enrollment(&b).await, "begin second"));
    let rejected = EnrollmentJob {
        status: EnrollmentStatus::Rejected,
        reason: Some("no_face".into()),
        updated_at: t0() + Duration::minutes(5),
        ..a.clone()
    };
    ok(store.finish_enrollment(&rejected).await, "finish");
    assert_eq!(
        ok(store.enrollment(&a.photo_key).await, "get job"),
        Some(rejected.clone())
    );
    let failed = ok(
        store
            .enrollments_by_status(EnrollmentStatus::Rejected, &PageRequest::first(10))
            .await,
        "rejected",
    );
    assert_eq!(failed.items, vec![rejected.clone()]);
    let pending = ok(
        store
            .enrollments_by_status(EnrollmentStatus::Pending, &PageRequest::first(10))
            .await,
        "pending",
    );
    assert_eq!(pending.items, vec![b.clone()]);
    assert_conflict(
        store.resolve_enrollment(&rejected).await,
        "a job that is not flagged is never resolved",
    );
    let flagged = EnrollmentJob {
        photo_key: "flagged/ann/t9.jpg".into(),
        status: EnrollmentStatus::Flagged,
        reason: Some("possible_duplicate".into()),
        template_id: Some(id("t9")),
        review: Some(DuplicateReview {
            other_employee: id("bea"),
            score: 0.7,
            photo_key: "flagged/ann/t9.jpg".into(),
            decision: None,
            decided_by: None,
        }),
        ..job("unused", 2)
    };
    assert!(ok(store.begin_enrollment(&flagged).await, "flag"));
    let listed = ok(
        store
            .enrollments_by_status(EnrollmentStatus::Flagged, &PageRequest::first(10))
            .await,
        "flagged",
    );
    assert_eq!(listed.items, vec![flagged.clone()]);
    let decide = |status, decision| EnrollmentJob {
        status,
        review: flagged.review.clone().map(|review| DuplicateReview {
            decision: Some(decision),
            decided_by: Some(id("admin")),
            ..review
        }),
        updated_at: t0() + Duration::minutes(9),
        ..flagged.clone()
    };
    let accepted = decide(
        EnrollmentStatus::Accepted,
        DuplicateDecision::DifferentPeople,
    );
    let refused = decide(EnrollmentStatus::Rejected, DuplicateDecision::SamePerson);
    let (first, second) = futures_join(
        store.resolve_enrollment(&accepted),
        store.resolve_enrollment(&refused),
    )
    .await;
    assert!(
        first.is_ok() != second.is_ok(),
        "exactly one of two decisions made at once is taken: {first:?} {second:?}"
    );
    let decided = ok(store.enrollment(&flagged.photo_key).await, "decided")
        .unwrap_or_else(|| panic!("the decided job is kept"));
    assert_eq!(decided, if first.is_ok() { accepted } else { refused });
    let other = EnrollmentJob {
        photo_key: "enrollments/ben/u3.jpg".into(),
        employee_id: id("ben"),
        ..b
    };
    assert!(ok(store.begin_enrollment(&other).await, "begin other"));
    assert_eq!(
        ok(store.delete_enrollments_of(&id("ann")).await, "erase"),
        3
    );
    assert_eq!(ok(store.enrollment(&a.photo_key).await, "erased job"), None);
    assert_eq!(
        ok(store.enrollment(&other.photo_key).await, "kept job"),
        Some(other),
        "other employees' jobs are kept"
    );
}

/// Monday to Friday 07:30-16:00, Friday to 16:30, five minutes of grace.
fn friday_longer() -> WorkSchedule {
    let mut schedule = WorkSchedule::new(time(7, 30), time(16, 0), vec![1, 2, 3, 4, 5]);
    schedule.hours.insert(
        5,
        WorkHours {
            start: time(7, 30),
            end: time(16, 30),
        },
    );
    schedule.grace_minutes = 5;
    schedule
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or_default()
}

/// Calendars: holidays replaced on their date, listed by range and calendar, deleted once;
/// special periods kept with their hours.
pub async fn check_calendars(store: &dyn Store) {
    let holiday = |calendar: &str, day: NaiveDate, name: &str| Holiday {
        calendar: id(calendar),
        date: day,
        name: name.into(),
        kind: HolidayKind::National,
    };
    let independence = holiday("default", date(2026, 8, 17), "Hari Kemerdekaan");
    let christmas = holiday("default", date(2026, 12, 25), "Natal");
    let local = holiday("east", date(2026, 8, 18), "Hari jadi");
    for h in [&christmas, &independence, &local] {
        ok(store.put_holiday(h).await, "put holiday");
    }
    let renamed = Holiday {
        name: "HUT RI".into(),
        kind: HolidayKind::CollectiveLeave,
        ..independence.clone()
    };
    ok(store.put_holiday(&renamed).await, "replace holiday");
    let year = ok(
        store
            .holidays(&id("default"), date(2026, 1, 1), date(2026, 12, 31))
            .await,
        "holidays of the year",
    );
    assert_eq!(year, vec![renamed.clone(), christmas.clone()]);
    let august = ok(
        store
            .holidays(&id("default"), date(2026, 8, 1), date(2026, 8, 31))
            .await,
        "holidays of a month",
    );
    assert_eq!(august, vec![renamed.clone()]);
    assert!(ok(
        store.delete_holiday(&id("default"), christmas.date).await,
        "delete holiday"
    ));
    assert!(!ok(
        store.delete_holiday(&id("default"), christmas.date).await,
        "delete again"
    ));
    let east = ok(
        store
            .holidays(&id("east"), date(2026, 1, 1), date(2026, 12, 31))
            .await,
        "other calendar",
    );
    assert_eq!(east, vec![local]);

    let ramadan = SpecialPeriod {
        calendar: id("default"),
        id: id("ramadan-1448"),
        name: "Ramadan 1448 H".into(),
        from: date(2027, 2, 8),
        to: date(2027, 3, 9),
        schedule: WorkSchedule::new(time(8, 0), time(15, 0), vec![1, 2, 3, 4, 5]),
    };
    ok(store.put_special_period(&ramadan).await, "put period");
    assert_eq!(
        ok(store.special_periods(&id("default")).await, "periods"),
        vec![ramadan.clone()]
    );
    assert!(ok(store.special_periods(&id("east")).await, "none").is_empty());
    assert!(ok(
        store
            .delete_special_period(&id("default"), &ramadan.id)
            .await,
        "delete period"
    ));
    assert!(!ok(
        store
            .delete_special_period(&id("default"), &ramadan.id)
            .await,
        "delete period again"
    ));
}

/// Shifts and rosters: an employee's entries never share a day, even when eight
/// overlapping ones are added at once; entries are found by date range and erased.
pub async fn check_rosters(store: &dyn Store) {
    let night = Shift {
        id: id("night"),
        name: "Night".into(),
        start: time(22, 0),
        end: time(7, 0),
        grace_minutes: 10,
        earliest_check_in_minutes: 120,
        latest_check_out_minutes: 240,
    };
    ok(store.put_shift(&night).await, "put shift");
    assert_eq!(ok(store.shifts().await, "shifts"), vec![night.clone()]);
    let entry = |entry_id: &str, employee: &str, from: NaiveDate, to: NaiveDate| ShiftAssignment {
        id: id(entry_id),
        employee_id: id(employee),
        shift_id: Some(id("night")),
        from,
        to,
    };
    let first = entry("r1", "ann", date(2026, 11, 1), date(2026, 11, 15));
    ok(store.add_assignment(&first).await, "add entry");
    assert_conflict(
        store
            .add_assignment(&entry("r2", "ann", date(2026, 11, 15), date(2026, 11, 20)))
            .await,
        "an entry sharing its last day",
    );
    let contenders: Vec<ShiftAssignment> = (0..8)
        .map(|n| {
            entry(
                &format!("c{n}"),
                "ann",
                date(2026, 11, 16 + n),
                date(2026, 11, 30),
            )
        })
        .collect();
    let outcomes =
        futures::future::join_all(contenders.iter().map(|c| store.add_assignment(c))).await;
    let stored = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(stored, 1, "one of eight overlapping entries: {outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Ok(()) | Err(StoreError::Conflict(_))))
    );
    let bob = entry("b1", "bob", date(2026, 11, 10), date(2026, 12, 10));
    ok(
        store.add_assignment(&bob).await,
        "another employee, same days",
    );
    let ann = ok(store.assignments_of(&id("ann")).await, "ann's roster");
    assert_eq!(ann.len(), 2);
    assert_eq!(ann[0], first);
    let december = ok(
        store
            .assignments_between(date(2026, 12, 1), date(2026, 12, 31))
            .await,
        "entries in december",
    );
    assert_eq!(december, vec![bob.clone()]);
    let november = ok(
        store
            .assignments_between(date(2026, 11, 1), date(2026, 11, 30))
            .await,
        "entries in november",
    );
    assert_eq!(november.len(), 3);
    assert!(ok(
        store.delete_assignment(&id("ann"), &first.id).await,
        "delete entry"
    ));
    assert!(!ok(
        store.delete_assignment(&id("bob"), &ann[1].id).await,
        "someone else's entry"
    ));
    ok(store.delete_assignments_of(&id("ann")).await, "erase");
    assert!(ok(store.assignments_of(&id("ann")).await, "erased").is_empty());
    assert_eq!(
        ok(store.assignments_of(&id("bob")).await, "kept"),
        vec![bob]
    );
    assert!(ok(store.delete_shift(&night.id).await, "delete shift"));
    assert!(ok(store.shifts().await, "no shifts").is_empty());
}

/// Requests: colliding filings refused (also when filed at once), decisions conditional on
/// the version (of an approval and a withdrawal at once, one wins), an approved correction's
/// punch written with its decision, erasure.
pub async fn check_requests(store: &dyn Store) {
    for owner in ["rqa", "rqb"] {
        ok(store.create_employee(&employee(owner, None)).await, "owner");
    }
    let cuti = request("q-cuti", "rqa", RequestKind::Leave, 0, 4);
    ok(store.file_request(&cuti).await, "file");
    assert_eq!(
        ok(store.request(&cuti.id).await, "read"),
        Some(cuti.clone())
    );
    assert_conflict(
        store
            .file_request(&request("q-sick", "rqa", RequestKind::Sick, 4, 4))
            .await,
        "leave sharing a day",
    );
    let missed = AttendanceRequest {
        at: Some(t0() + Duration::days(2)),
        ..request("q-missed", "rqa", RequestKind::MissedCheckIn, 2, 2)
    };
    ok(
        store.file_request(&missed).await,
        "a correction beside a leave",
    );
    let contenders: Vec<AttendanceRequest> = (0..8)
        .map(|n| request(&format!("q-c{n}"), "rqa", RequestKind::Excused, 10 + n, 20))
        .collect();
    let outcomes =
        futures::future::join_all(contenders.iter().map(|c| store.file_request(c))).await;
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "one of eight colliding requests filed at once: {outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Ok(()) | Err(StoreError::Conflict(_))))
    );
    ok(
        store
            .file_request(&request("q-other", "rqb", RequestKind::Leave, 0, 4))
            .await,
        "another employee, same days",
    );
    let pending = ok(store.pending_requests().await, "pending");
    assert_eq!(pending.len(), 4, "{pending:?}");

    // An approval and a withdrawal at once (each with a document attached): exactly one
    // is stored.
    let decided = |status| AttendanceRequest {
        status,
        decided_by: Some(id("rqb")),
        decided_at: Some(t0()),
        attachment: Some(Attachment {
            key: format!("attachments/rqa/{}/u1.png", cuti.id),
            content_type: DocumentKind::Png,
            bytes: 1234,
            attached_at: t0(),
        }),
        version: 2,
        ..cuti.clone()
    };
    let (approve, cancel) = (
        decided(RequestStatus::Approved),
        decided(RequestStatus::Cancelled),
    );
    let (approved, cancelled) = futures::join!(
        store.update_request(&approve, None),
        store.update_request(&cancel, None)
    );
    assert!(
        approved.is_ok() != cancelled.is_ok(),
        "one decision wins: {approved:?} {cancelled:?}"
    );
    let winner = if approved.is_ok() { &approve } else { &cancel };
    assert_eq!(
        ok(store.request(&cuti.id).await, "decided").as_ref(),
        Some(winner)
    );
    assert_conflict(
        store.update_request(&approve, None).await,
        "a decision from a stale copy",
    );

    // An approved correction writes its punch in the same step, once.
    let approved_missed = AttendanceRequest {
        status: RequestStatus::Approved,
        decided_by: Some(id("rqb")),
        decided_at: Some(t0()),
        version: 2,
        ..missed.clone()
    };
    let corrected = AttendanceRecord {
        method: AttendanceMethod::Correction,
        photo_key: None,
        correction: Some(Correction {
            request_id: missed.id.clone(),
            approved_by: id("rqb"),
        }),
        ..punch("p-missed", "rqa", 2, "request:q-missed")
    };
    ok(
        store
            .update_request(&approved_missed, Some(&corrected))
            .await,
        "approve a correction",
    );
    assert_conflict(
        store
            .update_request(&approved_missed, Some(&corrected))
            .await,
        "the same approval again",
    );
    let punches = ok(
        store
            .attendance_of(&id("rqa"), day(2), day(2), &PageRequest::first(10))
            .await,
        "corrected punch",
    );
    assert_eq!(punches.items, vec![corrected]);
    let approved_days = ok(store.approved_between(day(2), day(2)).await, "approved");
    assert!(approved_days.contains(&approved_missed));
    assert_eq!(
        approved_days.contains(&approve),
        winner == &approve,
        "an approved leave covers its days, a withdrawn one not"
    );
    assert!(
        ok(store.approved_between(day(5), day(9)).await, "after").is_empty(),
        "nothing approved covers days 5 to 9"
    );

    // A withdrawn or rejected request frees its days.
    if winner == &cancel {
        ok(
            store
                .file_request(&request("q-again", "rqa", RequestKind::Sick, 4, 4))
                .await,
            "the days of a withdrawn request",
        );
    }
    // No decision is stored for an employee who is gone.
    ok(store.delete_employee(&id("rqb")).await, "erase rqb");
    let orphan = AttendanceRequest {
        status: RequestStatus::Approved,
        version: 2,
        ..request("q-other", "rqb", RequestKind::Leave, 0, 4)
    };
    assert_conflict(
        store.update_request(&orphan, None).await,
        "a decision for an erased employee",
    );
    for owner in ["rqa", "rqb"] {
        ok(store.delete_requests_of(&id(owner)).await, "erase requests");
        assert!(ok(store.requests_of(&id(owner)).await, "erased").is_empty());
    }
    assert_eq!(ok(store.request(&cuti.id).await, "erased"), None);
    assert!(ok(store.pending_requests().await, "none pending").is_empty());
}

/// Attendance rules: none until set, then the last one set.
pub async fn check_rules(store: &dyn Store) {
    assert_eq!(ok(store.attendance_rules().await, "no rules"), None);
    let mut rules = AttendanceRules::default();
    ok(store.put_attendance_rules(&rules).await, "put rules");
    rules.absent_deduction = 2.5;
    rules.bucket_limits = [15, 45, 90];
    ok(store.put_attendance_rules(&rules).await, "replace rules");
    assert_eq!(ok(store.attendance_rules().await, "rules"), Some(rules));
}

/// Both futures, run concurrently.
async fn futures_join<A, B>(a: A, b: B) -> (A::Output, B::Output)
where
    A: std::future::Future,
    B: std::future::Future,
{
    tokio::join!(a, b)
}

/// Challenges: stored, read back, used exactly once even when used at once, erased.
pub async fn check_challenges(store: &dyn Store) {
    let now = live_now();
    let challenge = |challenge_id: &str, owner: &str| Challenge {
        id: id(challenge_id),
        owner: id(owner),
        poses: vec![Pose::Left, Pose::Frontal, Pose::Right],
        issued_at: now,
        expires_at: now + Duration::seconds(60),
        used_at: None,
    };
    let (a, b) = (challenge("ch-a", "ann"), challenge("ch-b", "ben"));
    ok(store.put_challenge(&a).await, "put challenge");
    ok(store.put_challenge(&b).await, "put other");
    assert_conflict(store.put_challenge(&a).await, "a challenge id is used once");
    assert_eq!(
        ok(store.challenge(&a.id).await, "read challenge"),
        Some(a.clone())
    );
    let at = now + Duration::seconds(3);
    let attempts: Vec<_> = (0..8).map(|_| store.use_challenge(&a.id, at)).collect();
    let used = futures::future::join_all(attempts).await;
    let winners = used
        .into_iter()
        .map(|r| ok(r, "use challenge"))
        .filter(|won| *won)
        .count();
    assert_eq!(winners, 1, "eight answers at once use a challenge once");
    assert_eq!(
        ok(store.challenge(&a.id).await, "read used").and_then(|c| c.used_at),
        Some(at)
    );
    assert!(!ok(
        store.use_challenge(&id("ch-none"), at).await,
        "unknown"
    ));
    ok(
        store.delete_challenges_of(&id("ann")).await,
        "erase challenges",
    );
    assert_eq!(ok(store.challenge(&a.id).await, "erased"), None);
    assert_eq!(
        ok(store.challenge(&b.id).await, "kept"),
        Some(b),
        "other accounts' challenges are kept"
    );
}

/// Refused attempts: newest first, by employee, without expired ones, erased per employee.
pub async fn check_refusals(store: &dyn Store) {
    let now = live_now();
    let expires = now + Duration::days(30);
    let records = [
        refusal("rf1", Some("ann"), now - Duration::minutes(3), expires),
        refusal("rf2", None, now - Duration::minutes(2), expires),
        refusal("rf3", Some("ben"), now - Duration::minutes(1), expires),
        refusal("rf4", Some("ann"), now, expires),
        refusal(
            "rf0",
            Some("ann"),
            now - Duration::days(40),
            now - Duration::days(10),
        ),
    ];
    for record in &records {
        ok(store.record_refusal(record).await, "record refusal");
    }
    let ids = |page: super::Page<RefusedAttempt>| {
        page.items
            .iter()
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>()
    };
    let all = ok(
        store.refusals(None, now, &PageRequest::first(10)).await,
        "list refusals",
    );
    assert_eq!(
        ids(all),
        ["rf4", "rf3", "rf2", "rf1"],
        "newest first, none expired"
    );
    let first = ok(
        store.refusals(None, now, &PageRequest::first(2)).await,
        "first page",
    );
    let next = PageRequest {
        limit: 2,
        cursor: first.next.clone(),
    };
    assert_eq!(ids(first), ["rf4", "rf3"]);
    assert_eq!(
        ids(ok(store.refusals(None, now, &next).await, "second page")),
        ["rf2", "rf1"]
    );
    let anns = ok(
        store
            .refusals(Some(&id("ann")), now, &PageRequest::first(10))
            .await,
        "refusals of one employee",
    );
    assert_eq!(ids(anns), ["rf4", "rf1"]);
    let mut photos = ok(store.delete_refusals_of(&id("ann")).await, "erase refusals");
    photos.sort();
    let mut expected: Vec<String> = [&records[0], &records[3], &records[4]]
        .iter()
        .filter_map(|r| r.photo_key.clone())
        .collect();
    expected.sort();
    assert!(
        photos.iter().all(|p| expected.contains(p)) && photos.len() >= 2,
        "the erased records' photos are returned: {photos:?}"
    );
    assert_eq!(
        ids(ok(
            store.refusals(None, now, &PageRequest::first(10)).await,
            "after erasure"
        )),
        ["rf3", "rf2"]
    );
}

/// Refresh tokens: expiry, single revocation, family revocation.
pub async fn check_tokens(store: &dyn Store) {
    let now = live_now();
    let token = |hash: &str, family: &str, hours: i64| RefreshToken {
        id: hash.into(),
        family: id(family),
        employee_id: id("ann"),
        expires_at: now + Duration::hours(hours),
        revoked: false,
    };
    for t in [
        token("h1", "f1", 10),
        token("h2", "f1", 10),
        token("h3", "f2", 10),
        token("h4", "f2", -1),
    ] {
        ok(store.put_refresh_token(&t).await, "put token");
    }
    assert_eq!(
        ok(store.refresh_token("h1", now).await, "get"),
        Some(token("h1", "f1", 10))
    );
    assert_eq!(
        ok(store.refresh_token("h4", now).await, "expired"),
        None,
        "expired tokens are gone"
    );
    assert_eq!(ok(store.refresh_token("nope", now).await, "unknown"), None);
    assert!(ok(store.revoke_refresh_token("h1").await, "revoke"));
    assert!(
        !ok(store.revoke_refresh_token("h1").await, "revoke again"),
        "second revocation reports reuse"
    );
    assert!(
        ok(
            store.refresh_token("h1", now).await,
            "revoked still readable"
        )
        .is_some_and(|t| t.revoked)
    );
    assert_eq!(
        ok(store.revoke_token_family(&id("f1")).await, "family"),
        1,
        "only h2 was still live"
    );
    assert!(ok(store.refresh_token("h2", now).await, "h2").is_some_and(|t| t.revoked));
    ok(store.delete_tokens_of(&id("ann")).await, "delete tokens");
    assert_eq!(
        ok(store.refresh_token("h3", now).await, "after delete"),
        None
    );

    // A revoked family takes no successor, however late it comes.
    ok(store.put_refresh_token(&token("h7", "f7", 10)).await, "put");
    assert!(!ok(store.family_revoked(&id("f7")).await, "live family"));
    ok(store.revoke_token_family(&id("f7")).await, "revoke family");
    assert!(ok(store.family_revoked(&id("f7")).await, "revoked family"));
    assert_conflict(
        store.put_refresh_token(&token("h8", "f7", 10)).await,
        "a successor in a revoked family",
    );
    assert_eq!(
        ok(store.refresh_token("h8", now).await, "refused successor"),
        None
    );

    // Ending an employee's sessions for good revokes every family they hold, and only theirs.
    let of = |hash: &str, family: &str, employee: &str| RefreshToken {
        employee_id: id(employee),
        ..token(hash, family, 10)
    };
    for t in [
        of("b1", "g1", "bob"),
        of("b2", "g2", "bob"),
        of("c1", "g3", "cy"),
    ] {
        ok(store.put_refresh_token(&t).await, "put token");
    }
    ok(store.revoke_refresh_token("b2").await, "rotate b2");
    assert_eq!(
        ok(
            store.revoke_token_families_of(&id("bob")).await,
            "bob's families"
        ),
        1,
        "only b1 was still live"
    );
    for family in ["g1", "g2"] {
        assert!(ok(store.family_revoked(&id(family)).await, "bob's family"));
        assert_conflict(
            store.put_refresh_token(&of("b9", family, "bob")).await,
            "a successor in a family of an ended session",
        );
    }
    assert!(!ok(store.family_revoked(&id("g3")).await, "cy's family"));
    assert!(ok(store.refresh_token("c1", now).await, "cy's token").is_some_and(|t| !t.revoked));
}

/// Login-failure counters: counting, window restart, clearing.
pub async fn check_login_failures(store: &dyn Store) {
    let now = live_now();
    let window_end = now + Duration::minutes(15);
    for expected in 1..=3 {
        let counter = ok(
            store
                .record_login_failure("account:ann", now, window_end)
                .await,
            "count",
        );
        assert_eq!(counter.count, expected);
        assert_eq!(counter.expires_at, window_end);
    }
    let live = ok(store.login_failures("account:ann", now).await, "read");
    assert_eq!(live.map(|c| c.count), Some(3));
    let later = window_end + Duration::minutes(1);
    assert_eq!(
        ok(store.login_failures("account:ann", later).await, "expired"),
        None
    );
    let restarted = ok(
        store
            .record_login_failure("account:ann", later, later + Duration::minutes(15))
            .await,
        "restart",
    );
    assert_eq!(restarted.count, 1, "a new window starts from one");
    ok(store.clear_login_failures("account:ann").await, "clear");
    assert_eq!(
        ok(store.login_failures("account:ann", later).await, "cleared"),
        None
    );

    for _ in 0..2 {
        ok(
            store
                .record_login_failure("source:10.0.0.9", now, window_end)
                .await,
            "count source",
        );
    }
    ok(
        store.release_login_attempt("source:10.0.0.9").await,
        "release",
    );
    let released = ok(store.login_failures("source:10.0.0.9", now).await, "read");
    assert_eq!(released.map(|c| c.count), Some(1), "one attempt taken back");
    for _ in 0..3 {
        ok(
            store.release_login_attempt("source:10.0.0.9").await,
            "release",
        );
    }
    let floor = ok(store.login_failures("source:10.0.0.9", now).await, "read");
    assert_eq!(floor.map(|c| c.count), Some(0), "never below zero");
    ok(
        store.release_login_attempt("source:never-seen").await,
        "release of nothing",
    );

    // Attempts counted at once each get their own count: none is lost, none shared.
    let concurrent = futures::future::join_all(
        (0..20).map(|_| store.record_login_failure("account:burst", now, window_end)),
    )
    .await;
    let mut counts: Vec<u32> = concurrent
        .into_iter()
        .map(|counter| ok(counter, "concurrent count").count)
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<u32>>());
}

/// Audit events: newest first, paged.
pub async fn check_audit(store: &dyn Store) {
    for n in 0..3 {
        let event = AuditEvent {
            id: id(&format!("ev{n}")),
            at: t0() + Duration::seconds(n),
            actor: id("admin"),
            action: "employee.create".into(),
            subject: format!("employee:e{n}"),
            detail: None,
        };
        ok(store.append_audit(&event).await, "append");
    }
    let first = ok(
        store.audit_events(&PageRequest::first(2)).await,
        "audit page",
    );
    let ids: Vec<String> = first.items.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["ev2", "ev1"]);
    let rest = ok(
        store
            .audit_events(&PageRequest {
                limit: 2,
                cursor: first.next,
            })
            .await,
        "audit rest",
    );
    assert_eq!(
        rest.items
            .iter()
            .map(|e| e.id.to_string())
            .collect::<Vec<_>>(),
        ["ev0"]
    );
    assert_eq!(rest.next, None);
}

/// Photos: put, get, list by prefix, delete, content-type and size checks (the store under
/// test must allow at most 1 MiB), and presigned URLs that expire later.
pub async fn check_photos(photos: &dyn PhotoStore) {
    let keys = [
        "enrolled/ann/t1.jpg",
        "enrolled/ann/t2.jpg",
        "enrolled/ben/t3.jpg",
    ];
    for (n, key) in keys.iter().enumerate() {
        ok(
            photos
                .put_photo(key, vec![0xFF, 0xD8, n as u8], "image/jpeg")
                .await,
            "put photo",
        );
    }
    assert_eq!(
        ok(photos.photo(keys[1]).await, "get photo"),
        Some(vec![0xFF, 0xD8, 1])
    );
    assert_eq!(
        ok(photos.photo("enrolled/ann/none.jpg").await, "missing photo"),
        None
    );
    assert_eq!(
        ok(photos.list_photos("enrolled/ann/").await, "list"),
        keys[..2].to_vec()
    );
    ok(photos.delete_photo(keys[0]).await, "delete photo");
    ok(photos.delete_photo(keys[0]).await, "delete missing photo");
    assert_eq!(
        ok(photos.list_photos("enrolled/").await, "list after delete"),
        keys[1..].to_vec()
    );
    let put = ok(
        photos
            .presign_put(
                "enrollments/ann/u1.jpg",
                "image/jpeg",
                std::time::Duration::from_secs(300),
            )
            .await,
        "presign put",
    );
    assert_eq!(put.method, "PUT");
    assert!(put.expires_at > Utc::now() + Duration::seconds(200));
    let refused = photos
        .put_photo("enrolled/ann/t9.jpg", vec![1], "text/html")
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "a non-image content type is refused"
    );
    let refused = photos
        .presign_put(
            "enrollments/ann/u2.jpg",
            "application/zip",
            std::time::Duration::from_secs(5),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "an upload URL for a non-image is refused"
    );
    let huge = photos
        .put_photo(
            "enrolled/ann/t9.jpg",
            vec![0; 2 * 1024 * 1024],
            "image/jpeg",
        )
        .await;
    assert!(
        matches!(huge, Err(StoreError::Invalid(_))),
        "photos over the limit (1 MiB in tests) are refused"
    );
    let get = ok(
        photos
            .presign_get(keys[1], std::time::Duration::from_secs(60))
            .await,
        "presign get",
    );
    assert_eq!(get.method, "GET");
}

/// Gallery snapshots: absent at first, read back as written, replaced, deleted (twice).
pub async fn check_gallery_snapshots(snapshots: &dyn GallerySnapshots) {
    assert_eq!(ok(snapshots.gallery_snapshot().await, "no snapshot"), None);
    ok(snapshots.put_gallery_snapshot(vec![1, 2, 3]).await, "put");
    ok(
        snapshots.put_gallery_snapshot(vec![4; 3 << 20]).await,
        "replace",
    );
    assert_eq!(
        ok(snapshots.gallery_snapshot().await, "get"),
        Some(vec![4; 3 << 20]),
        "snapshots are not held to the photo size limit"
    );
    ok(snapshots.delete_gallery_snapshot().await, "delete");
    ok(snapshots.delete_gallery_snapshot().await, "delete missing");
    assert_eq!(ok(snapshots.gallery_snapshot().await, "deleted"), None);
}
