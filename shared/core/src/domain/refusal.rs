//! Refused face attempts, kept for review.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AttendanceMethod, GeoPoint, Id};

/// A punch the face checks refused (no match, mismatch, suspected spoof, replay, failed
/// challenge), with its evidence; kept for the review period, then dropped.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefusedAttempt {
    /// Record id.
    pub id: Id,
    /// When.
    pub at: DateTime<Utc>,
    /// The account that sent it (a kiosk or the employee's own).
    pub sender: Id,
    /// The employee it was for: the caller, the claimed one or the closest candidate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<Id>,
    /// How the face was to be matched.
    pub method: AttendanceMethod,
    /// The refusal code.
    pub code: String,
    /// Similarity to the employee it was for, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_score: Option<f32>,
    /// Fused passive liveness score, when assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<f32>,
    /// The sending device's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Where the device said it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// Photo store key of the refused photo (the frontal frame of a challenge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_key: Option<String>,
    /// End of the review period; stores may drop the record afterwards.
    pub expires_at: DateTime<Utc>,
}
