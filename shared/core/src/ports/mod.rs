//! Ports: what the domain needs from storage and time, with no AWS or SQL types.
//!
//! Adapters live in `crate::adapters`; one conformance suite (`crate::ports::conformance`)
//! runs against each of them so they cannot drift apart.

mod clock;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
mod error;
mod page;
mod photos;
mod snapshots;
mod stores;

pub use clock::{Clock, SystemClock};
pub use error::StoreError;
pub use page::{Page, PageRequest};
pub use photos::{
    PHOTO_CONTENT_TYPES, PhotoStore, PresignedRequest, check_object, check_photo, check_photo_size,
    photo_keys,
};
pub use snapshots::{GALLERY_SNAPSHOT_KEY, GallerySnapshots};
pub use stores::{
    AttendanceStore, AuditLog, CalendarStore, ChallengeStore, EmployeeStore, EnrollmentJobStore,
    LoginFailureStore, OfficeStore, RecordOutcome, RefusalLog, RequestStore, RulesStore,
    ShiftStore, Store, TemplateStore, TokenStore,
};
