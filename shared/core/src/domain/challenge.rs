//! Liveness challenges: a single-use nonce with a random sequence of head poses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;
use lintas_face::pose::Pose;

/// A challenge issued to one caller, to be answered once with one frame per pose.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    /// Random id; the nonce.
    pub id: Id,
    /// The account that asked for it (an employee's phone or a kiosk).
    pub owner: Id,
    /// The poses, in the order the frames must show them.
    pub poses: Vec<Pose>,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it stops being accepted; stores may drop it afterwards.
    pub expires_at: DateTime<Utc>,
    /// When it was answered; a challenge is answered at most once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<DateTime<Utc>>,
}
