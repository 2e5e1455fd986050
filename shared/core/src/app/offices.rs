//! Offices and the audit trail, as admins read and change them.

use super::{App, AppError, parse_id};
use crate::domain::{AuditEvent, Id, InvalidOffice, Office};
use crate::ports::{Page, PageRequest};

impl App {
    /// Creates or replaces an office after checking its time zone, schedule and geofence.
    pub async fn put_office(&self, actor: &Id, office: Office) -> Result<Office, AppError> {
        office.validate().map_err(|error| match error {
            InvalidOffice::Schedule(why) => AppError::invalid("invalid_schedule", why),
            other => AppError::invalid("invalid_office", other.to_string()),
        })?;
        if office.name.trim().is_empty()
            || office.name.chars().count() > 200
            || office.name.chars().any(char::is_control)
        {
            return Err(AppError::invalid(
                "invalid_office",
                "the office name must have 1 to 200 characters and no control characters",
            ));
        }
        self.store.put_office(&office).await?;
        self.audit(actor, "office.put", office.id.as_str(), None)
            .await;
        Ok(office)
    }

    /// One office.
    pub async fn office(&self, id: &str) -> Result<Office, AppError> {
        let id = parse_id(id, "office id")?;
        self.store
            .office(&id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("office {id}")))
    }

    /// Audit events, most recent first.
    pub async fn audit_events(&self, page: &PageRequest) -> Result<Page<AuditEvent>, AppError> {
        Ok(self.store.audit_events(page).await?)
    }
}
