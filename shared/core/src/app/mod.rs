//! The use cases (login, employees, enrollment, punching, reports) over the ports. Nothing
//! here knows about HTTP, Lambda or AWS; `crate::api` exposes it over HTTP.

mod attachments;
mod attempts;
mod auth;
mod calendars;
pub mod config;
mod employees;
mod enrollment;
mod error;
mod faces;
pub mod gallery_cache;
mod kiosk;
mod liveness;
mod offices;
mod passwords;
mod photo;
mod punch;
mod reach;
mod recap;
mod refusals;
mod reports;
mod requests;
mod sweep;
pub mod tokens;

use std::sync::Arc;

pub use attachments::AttachmentLink;
pub use auth::TokenPair;
pub use calendars::NewAssignment;
pub use config::{AppConfig, ConfigError, KioskMode};
pub use employees::{EmployeeChanges, EmployeeView, NewEmployee};
pub use enrollment::{
    EnrollmentOptions, EnrollmentOutcome, SignedUpload, TemplateView, UploadHandled,
};
pub use error::AppError;
use faces::Faces;
pub use kiosk::{Confirmation, KioskOutcome};
pub use liveness::ChallengeView;
pub use passwords::Passwords;
pub use photo::Photo;
pub use punch::{AttendanceView, Punch, PunchInput};
pub use reach::{
    check_changes, check_new_employee, may_manage, office_in_reach, require_global_admin,
};
pub use recap::{BoardEntry, BoardStatus, DailyBoard, EmployeeRecap, MonthlyRecap, status_name};
pub use refusals::RefusalView;
pub use reports::AttendanceQuery;
pub use requests::NewRequest;
pub use sweep::PhotoSweep;
pub use tokens::{Principal, TokenKeys};

use lintas_face::FaceAnalyzer;
use lintas_face::rules::FaceRules;

use crate::domain::{AuditEvent, Id, Office, Role, new_id};
use crate::ports::{Clock, GallerySnapshots, Page, PageRequest, PhotoStore, Store, StoreError};

/// Id of the office employees belong to unless told otherwise.
pub const DEFAULT_OFFICE: &str = "main";

/// The application: ports, settings and (in functions that need it) the face engine.
pub struct App {
    store: Arc<dyn Store>,
    photos: Arc<dyn PhotoStore>,
    snapshots: Arc<dyn GallerySnapshots>,
    clock: Arc<dyn Clock>,
    faces: Option<Faces>,
    keys: TokenKeys,
    passwords: Passwords,
    config: AppConfig,
}

/// The driven adapters an [`App`] runs on; one composition root per platform fills it.
pub struct Ports {
    /// Records.
    pub store: Arc<dyn Store>,
    /// Photos and pre-signed URLs.
    pub photos: Arc<dyn PhotoStore>,
    /// The published gallery snapshot.
    pub snapshots: Arc<dyn GallerySnapshots>,
    /// Time.
    pub clock: Arc<dyn Clock>,
}

impl App {
    /// An application over `ports` with no face engine (enough for login and employee
    /// records).
    pub fn new(ports: Ports, config: AppConfig) -> Self {
        Self {
            store: ports.store,
            photos: ports.photos,
            snapshots: ports.snapshots,
            clock: ports.clock,
            faces: None,
            keys: TokenKeys::new(config.tokens.clone()),
            passwords: Passwords::new(config.login.bcrypt_cost),
            config,
        }
    }

    /// Adds the face engine and its measured rules, for enrollment and punching, and loads
    /// its gallery from the snapshot or the stored templates.
    pub async fn with_face_engine(
        mut self,
        engine: Arc<dyn FaceAnalyzer>,
        rules: FaceRules,
    ) -> Result<Self, AppError> {
        let faces = Faces::load(
            engine,
            rules,
            self.store.as_ref(),
            Arc::clone(&self.snapshots),
        )
        .await?;
        self.faces = Some(faces);
        Ok(self)
    }

    /// The settings.
    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// The record store.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// The photo store.
    pub fn photos(&self) -> &Arc<dyn PhotoStore> {
        &self.photos
    }

    /// The face engine and gallery; an internal error where this process has none.
    fn faces(&self) -> Result<&Faces, AppError> {
        self.faces
            .as_ref()
            .ok_or_else(|| AppError::Internal("this function has no face engine".into()))
    }

    /// After templates were deleted: drops the gallery snapshot, which may still hold them,
    /// and reloads this process's gallery (publishing a snapshot without them).
    async fn forget_deleted_templates(&self) -> Result<(), AppError> {
        self.snapshots.delete_gallery_snapshot().await?;
        if let Some(faces) = &self.faces {
            faces.refresh(self.store.as_ref()).await?;
        }
        Ok(())
    }

    /// Creates the default office (in the configured time zone) and an `admin` account with
    /// `admin_password` unless they exist. Returns true when the admin was created.
    pub async fn bootstrap(&self, admin_password: &str) -> Result<bool, AppError> {
        let office_id = default_office_id();
        if self.store.office(&office_id).await?.is_none() {
            let zone = self.config.attendance.default_time_zone.name();
            self.store
                .put_office(&Office::standard(office_id.clone(), "Main office", zone))
                .await?;
        }
        let admin = Id::parse("admin").map_err(|e| AppError::Internal(e.to_string()))?;
        if self.store.employee(&admin).await?.is_some() {
            return Ok(false);
        }
        let new = NewEmployee {
            id: admin.to_string(),
            name: "Administrator".into(),
            email: None,
            staff_number: None,
            role: Role::Admin,
            office_id: None,
            on_roll: Some(false),
            password: Some(admin_password.to_owned()),
            supervisor_id: None,
            admin_offices: None,
        };
        self.create_employee(&admin, new).await?;
        Ok(true)
    }

    /// Appends an audit event; a failure is logged, not returned, once the action is done.
    async fn audit(&self, actor: &Id, action: &str, subject: &str, detail: Option<String>) {
        let event = AuditEvent {
            id: new_id(),
            at: self.clock.now(),
            actor: actor.clone(),
            action: action.to_owned(),
            subject: subject.to_owned(),
            detail,
        };
        if let Err(error) = self.store.append_audit(&event).await {
            tracing::warn!(action, subject, %error, "audit event not stored");
        }
    }
}

/// The id of [`DEFAULT_OFFICE`].
fn default_office_id() -> Id {
    Id::parse(DEFAULT_OFFICE).unwrap_or_else(|_| unreachable!("the default office id is valid"))
}

/// Parses an id from a request, as a client error.
pub fn parse_id(value: &str, what: &str) -> Result<Id, AppError> {
    Id::parse(value).map_err(|e| AppError::invalid("invalid_id", format!("{what}: {e}")))
}

/// Every item of a paged listing: `read` is called with each page request in turn.
async fn all_pages<T, F, Fut>(mut read: F) -> Result<Vec<T>, AppError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = Result<Page<T>, StoreError>>,
{
    let mut items = Vec::new();
    let mut request = PageRequest::first(PageRequest::MAX_LIMIT);
    loop {
        let page = read(request.clone()).await?;
        items.extend(page.items);
        match page.next {
            Some(next) => request.cursor = Some(next),
            None => return Ok(items),
        }
    }
}
