//! The records LINTAS keeps, with the rules that hold for every store.

mod attendance;
mod audit;
mod challenge;
mod employee;
mod enrollment;
mod id;
mod office;
mod refusal;
mod template;
mod token;

pub use attendance::{AttendanceKind, AttendanceMethod, AttendanceRecord, GeoPoint};
pub use audit::AuditEvent;
pub use challenge::Challenge;
pub use employee::{Employee, EmployeeStatus, Role};
pub use enrollment::{DuplicateDecision, DuplicateReview, EnrollmentJob, EnrollmentStatus};
pub use id::{Id, InvalidId, new_id};
pub use office::{ChallengePolicy, Geofence, InvalidOffice, Office, WorkSchedule, distance_m};
pub use refusal::RefusedAttempt;
pub use template::FaceTemplate;
pub use token::{LoginFailures, RefreshToken};
