//! Employees and their roles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// What a principal may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages employees, enrollment and reports.
    Admin,
    /// Punches in and out for themself.
    Employee,
    /// A shared device that identifies whoever stands in front of it.
    Kiosk,
}

/// Whether an employee may punch and log in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeStatus {
    /// Normal.
    Active,
    /// Blocked from logging in and punching.
    Suspended,
}

/// Records written before `on_roll` existed: the report then counted every non-kiosk.
fn on_roll_by_default() -> bool {
    true
}

/// A person (or kiosk account) known to LINTAS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Employee {
    /// Stable id, also the login name.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Login e-mail, unique when present (stored lower-case).
    pub email: Option<String>,
    /// Staff number from the personnel system.
    pub staff_number: Option<String>,
    /// Role.
    pub role: Role,
    /// Office whose time zone and schedule apply.
    pub office_id: Id,
    /// Active or suspended.
    pub status: EmployeeStatus,
    /// Whether the account is staff on the attendance roll, so reports count its days.
    /// Kiosks and the bootstrap administrator are not. Records stored before this field
    /// existed were all read as on the roll except kiosks.
    #[serde(default = "on_roll_by_default")]
    pub on_roll: bool,
    /// bcrypt hash, absent until a password is set.
    pub password_hash: Option<String>,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// Incremented on every update; stores refuse an update made from a stale copy.
    pub version: u64,
    /// Random and fixed for the life of the account: a token names it, so a token of an
    /// erased account is worthless for a new account that reuses the id. Records stored
    /// before it existed have an empty key, as do the tokens issued for them.
    #[serde(default)]
    pub account_key: String,
    /// Moved on suspension, role or password change and logout: access tokens carry the
    /// generation they were issued at and die when it moves.
    #[serde(default)]
    pub token_generation: u64,
    /// Employees an admin confirmed to be other people who look alike (twins, relatives):
    /// never flagged as their duplicates, and never told apart from them by 1:N
    /// identification alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub look_alikes: Vec<Id>,
    /// Their supervisor, who approves their requests and reads their attendance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervisor_id: Option<Id>,
    /// For an admin, the offices they manage; none for an admin of every office.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub admin_offices: Vec<Id>,
}
