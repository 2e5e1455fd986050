//! Refresh tokens and login-failure counters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// A refresh token, stored by the hash of its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshToken {
    /// Hash of the token secret.
    pub id: String,
    /// Rotation family: reuse of a rotated token revokes the whole family.
    pub family: Id,
    /// Owner.
    pub employee_id: Id,
    /// Expiry; stores may drop the record after it.
    pub expires_at: DateTime<Utc>,
    /// Revoked by logout, rotation or reuse detection.
    pub revoked: bool,
}

/// Failed logins for one key (an account or a source address) in the current window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginFailures {
    /// What is counted, e.g. `account:alice` or `source:203.0.113.9`.
    pub key: String,
    /// Failures in the window.
    pub count: u32,
    /// End of the window; the counter is gone afterwards.
    pub expires_at: DateTime<Utc>,
}
