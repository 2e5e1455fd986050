//! Offices: time zone, working hours and geofence.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use super::{GeoPoint, Id};

/// When the working day starts and ends, and on which ISO weekdays (1 = Monday).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkSchedule {
    /// Start of the working day; later check-ins are late.
    pub start: NaiveTime,
    /// End of the working day.
    pub end: NaiveTime,
    /// Working weekdays, 1 (Monday) to 7 (Sunday).
    pub weekdays: Vec<u8>,
}

/// A circle within which punches are accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Geofence {
    /// Centre.
    pub center: GeoPoint,
    /// Radius in metres.
    pub radius_m: f64,
}

/// A workplace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// Office id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// IANA time zone, e.g. `Asia/Jakarta`.
    pub time_zone: String,
    /// Working hours.
    pub schedule: WorkSchedule,
    /// Where punches are accepted, if restricted.
    pub geofence: Option<Geofence>,
}
