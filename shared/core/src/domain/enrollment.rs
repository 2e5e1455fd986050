//! Enrollment jobs: photos dropped in the bucket and what became of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// Progress of one uploaded enrollment photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentStatus {
    /// Seen, not yet processed.
    Pending,
    /// Enrolled as a template.
    Accepted,
    /// Refused; `reason` says why.
    Rejected,
}

impl EnrollmentStatus {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }
}

/// One uploaded photo and its outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnrollmentJob {
    /// Photo store key of the upload; the job's identity.
    pub photo_key: String,
    /// The employee the photo is for.
    pub employee_id: Id,
    /// Progress.
    pub status: EnrollmentStatus,
    /// Error code when rejected.
    pub reason: Option<String>,
    /// Template made from it, when accepted.
    pub template_id: Option<Id>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}
