//! The audit trail: who did what to whom.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// One audited action.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Event id.
    pub id: Id,
    /// When.
    pub at: DateTime<Utc>,
    /// Who acted.
    pub actor: Id,
    /// What was done, e.g. `employee.delete`.
    pub action: String,
    /// Whom or what it concerned.
    pub subject: String,
    /// Free-form detail (never secrets or biometric data).
    pub detail: Option<String>,
}
