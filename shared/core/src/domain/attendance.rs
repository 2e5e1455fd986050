//! Attendance records.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Id;
use lintas_face::embedding::ProbePrint;

/// Check-in (first punch of the local day) or check-out (any later one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceKind {
    /// First punch of the day.
    CheckIn,
    /// A later punch.
    CheckOut,
}

/// How the face was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceMethod {
    /// 1:N search at a kiosk, safe at the gallery's size in one shot.
    Identify,
    /// 1:N search at a kiosk whose candidate the person confirmed.
    Confirmed,
    /// 1:1 check at a kiosk of the identity the person claimed (badge or id).
    Claimed,
    /// 1:1 check of an employee's own selfie.
    Verify,
    /// Added by an approved correction request, not by a face.
    Correction,
}

/// Where a punch added by a correction came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// The approved request.
    pub request_id: Id,
    /// Who approved it (or entered it, for an admin's manual entry).
    pub approved_by: Id,
}

/// A WGS84 position.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
}

/// One punch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRecord {
    /// Record id.
    pub id: Id,
    /// Who punched.
    pub employee_id: Id,
    /// Check-in or check-out.
    pub kind: AttendanceKind,
    /// When, in UTC.
    pub at: DateTime<Utc>,
    /// The day in the office's time zone.
    pub local_day: NaiveDate,
    /// Match score.
    pub score: f32,
    /// Identify or verify.
    pub method: AttendanceMethod,
    /// Device that sent the selfie.
    pub device: Option<String>,
    /// Where the device was, if it said.
    pub location: Option<GeoPoint>,
    /// Photo store key of the selfie.
    pub photo_key: Option<String>,
    /// Fused passive liveness score of the selfie, when it was assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<f32>,
    /// Whether a liveness challenge (head poses) was passed.
    #[serde(default)]
    pub challenged: bool,
    /// SHA-256 of the selfie's bytes (hex), to refuse the same file sent again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_sha256: Option<String>,
    /// The selfie's embedding, quantised, to refuse a re-encoded copy sent again; never
    /// sent to clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probe: Option<ProbePrint>,
    /// The store's uniqueness key: `check-in:<day>` for the day's one check-in, else the
    /// client's key or one made up for the punch.
    pub idempotency_key: String,
    /// The `Idempotency-Key` the client sent, if any: a retry with it returns this record,
    /// check-ins included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// The account instance that punched ([`super::Employee::account_key`]): stores write
    /// the record only while that account is active, so a punch in flight cannot outlive
    /// the account's suspension or erasure, nor land on a new account that reuses the id.
    #[serde(default)]
    pub account_key: String,
    /// The request that added it, for a correction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correction: Option<Correction>,
}
