//! The records LINTAS keeps, with the rules that hold for every store.

mod attendance;
mod audit;
mod calendar;
mod challenge;
mod document;
mod employee;
mod enrollment;
mod id;
mod office;
mod refusal;
mod request;
mod schedule;
mod template;
mod token;
mod workday;

pub use attendance::{AttendanceKind, AttendanceMethod, AttendanceRecord, Correction, GeoPoint};
pub use audit::AuditEvent;
pub use calendar::{
    CalendarView, DEFAULT_CALENDAR, Holiday, HolidayKind, SUPPORTED_YEARS, SpecialPeriod,
    check_entry,
};
pub use challenge::Challenge;
pub use document::DocumentKind;
pub use employee::{Employee, EmployeeStatus, Role};
pub use enrollment::{DuplicateDecision, DuplicateReview, EnrollmentJob, EnrollmentStatus};
pub use id::{Id, InvalidId, new_id};
pub use office::{ChallengePolicy, Geofence, InvalidOffice, Office, distance_m};
pub use refusal::RefusedAttempt;
pub use request::{Attachment, AttendanceRequest, RequestKind, RequestStatus};
pub use schedule::{MAX_WINDOW_MINUTES, Period, Shift, ShiftAssignment, WorkHours, WorkSchedule};
pub use template::FaceTemplate;
pub use token::{LoginFailures, RefreshToken};
pub use workday::{
    AttendanceRules, DayPlan, DayRecord, DayRules, DayStatus, LeaveDeductions, days_between,
    month_bounds,
};
