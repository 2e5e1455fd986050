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
    /// Held for an admin: the face is close to someone already enrolled.
    Flagged,
}

impl EnrollmentStatus {
    /// The stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Flagged => "flagged",
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
    /// Template made from it, when accepted (or to be made, while flagged).
    pub template_id: Option<Id>,
    /// Why it is held for an admin, while flagged (and after, as a record of the decision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<DuplicateReview>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A possible duplicate held for an admin: the new face and the enrolled employee it is
/// close to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateReview {
    /// The enrolled employee the face is close to.
    pub other_employee: Id,
    /// Their similarity.
    pub score: f32,
    /// Where the held photo is kept until the admin decides.
    pub photo_key: String,
    /// The admin's decision, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DuplicateDecision>,
    /// Who decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Id>,
}

/// What an admin decided about a possible duplicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateDecision {
    /// Both are the same person: the photo is refused.
    SamePerson,
    /// Two people who look alike: the photo is enrolled and the pair remembered.
    DifferentPeople,
}
