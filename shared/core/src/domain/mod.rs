//! The records LINTAS keeps, with the rules that hold for every store.

mod attendance;
mod audit;
mod employee;
mod enrollment;
mod id;
mod office;
mod template;
mod token;

pub use attendance::{AttendanceKind, AttendanceMethod, AttendanceRecord, GeoPoint};
pub use audit::AuditEvent;
pub use employee::{Employee, EmployeeStatus, Role};
pub use enrollment::{EnrollmentJob, EnrollmentStatus};
pub use id::{Id, InvalidId, new_id};
pub use office::{Geofence, InvalidOffice, Office, WorkSchedule, distance_m};
pub use template::FaceTemplate;
pub use token::{LoginFailures, RefreshToken};
