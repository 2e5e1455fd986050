//! Offices: time zone, working week, calendar and geofence.

use chrono::{DateTime, Datelike, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::{GeoPoint, Id, WorkSchedule};

/// A circle within which punches are accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Geofence {
    /// Centre.
    pub center: GeoPoint,
    /// Radius in metres.
    pub radius_m: f64,
}

/// The widest geofence: a whole city, far more than any office needs.
const MAX_GEOFENCE_RADIUS_M: f64 = 50_000.0;

/// A workplace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// Office id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// IANA time zone, e.g. `Asia/Jakarta`.
    pub time_zone: String,
    /// Working week.
    pub schedule: WorkSchedule,
    /// The office's own calendar of holidays and special periods, on top of the default
    /// one (`None`: the default calendar only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Id>,
    /// Where punches are accepted, if restricted.
    pub geofence: Option<Geofence>,
    /// Which punches of this office must answer a liveness challenge.
    #[serde(default)]
    pub challenge: ChallengePolicy,
}

/// Which punches must answer a liveness challenge (head poses on a server nonce) besides
/// the passive check of every punch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChallengePolicy {
    /// Employees punching from their own phone (on by default: nobody watches them).
    pub phone: bool,
    /// Kiosks (off by default: a kiosk at a guarded entrance is watched).
    pub kiosk: bool,
}

impl Default for ChallengePolicy {
    fn default() -> Self {
        Self {
            phone: true,
            kiosk: false,
        }
    }
}

/// An office's settings that cannot be used as they are.
#[derive(Debug, thiserror::Error)]
pub enum InvalidOffice {
    /// The time zone is not an IANA name.
    #[error("unknown time zone {0:?}; use an IANA name such as Asia/Jakarta")]
    TimeZone(String),
    /// Weekdays outside 1..=7, or the day ends before it starts.
    #[error("invalid schedule: {0}")]
    Schedule(String),
    /// Coordinates off the globe or a radius that is not positive.
    #[error("invalid geofence: {0}")]
    Geofence(String),
}

impl Office {
    /// An office with the usual Indonesian civil-service hours (08:00 to 16:00, Monday to
    /// Friday) in `time_zone`, with no geofence.
    pub fn standard(id: Id, name: impl Into<String>, time_zone: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            time_zone: time_zone.into(),
            schedule: WorkSchedule::new(
                NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
                NaiveTime::from_hms_opt(16, 0, 0).unwrap_or_default(),
                vec![1, 2, 3, 4, 5],
            ),
            calendar: None,
            geofence: None,
            challenge: ChallengePolicy::default(),
        }
    }

    /// Checks the time zone, schedule and geofence.
    pub fn validate(&self) -> Result<(), InvalidOffice> {
        self.zone()?;
        self.schedule.validate().map_err(InvalidOffice::Schedule)?;
        if let Some(fence) = &self.geofence {
            let GeoPoint {
                latitude,
                longitude,
            } = fence.center;
            let on_globe =
                (-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude);
            if !(on_globe && fence.radius_m.is_finite() && fence.radius_m > 0.0) {
                return Err(InvalidOffice::Geofence(
                    "the centre must be on the globe and the radius positive".into(),
                ));
            }
            if fence.radius_m > MAX_GEOFENCE_RADIUS_M {
                return Err(InvalidOffice::Geofence(format!(
                    "the radius is at most {MAX_GEOFENCE_RADIUS_M} metres"
                )));
            }
        }
        Ok(())
    }

    /// The office's time zone.
    pub fn zone(&self) -> Result<Tz, InvalidOffice> {
        self.time_zone
            .parse()
            .map_err(|_| InvalidOffice::TimeZone(self.time_zone.clone()))
    }

    /// The local date and time at the office of the instant `at`.
    pub fn local_time(&self, at: DateTime<Utc>) -> Result<NaiveDateTime, InvalidOffice> {
        Ok(at.with_timezone(&self.zone()?).naive_local())
    }

    /// Whole minutes after the start of the week's working day of a check-in at local time
    /// `local`; 0 when within the grace period or on a day off. (The monthly recap applies
    /// the calendar and rosters too.)
    pub fn late_minutes(&self, local: NaiveDateTime) -> u32 {
        let weekday = local.date().weekday().number_from_monday() as u8;
        let Some(hours) = self.schedule.hours_on(weekday) else {
            return 0;
        };
        let late = (local.time() - hours.start).num_minutes();
        if late <= i64::from(self.schedule.grace_minutes) {
            return 0;
        }
        u32::try_from(late).unwrap_or(0)
    }

    /// Whether the first punch of the day at local time `local` is a check-out: from the
    /// middle of the week's working period on, as the recap reads a lone punch (someone who
    /// forgot to check in). (The recap applies holidays, special periods and rosters too.)
    pub fn first_punch_checks_out(&self, local: NaiveDateTime) -> bool {
        self.schedule
            .period_on(local.date())
            .is_some_and(|period| local >= period.midpoint())
    }

    /// Whether `point` is inside the geofence (always true without one).
    pub fn admits(&self, point: GeoPoint) -> bool {
        self.geofence
            .as_ref()
            .is_none_or(|fence| distance_m(fence.center, point) <= fence.radius_m)
    }
}

/// Great-circle distance in metres between two points (haversine, mean Earth radius).
pub fn distance_m(a: GeoPoint, b: GeoPoint) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (lat_a, lat_b) = (a.latitude.to_radians(), b.latitude.to_radians());
    let d_lat = lat_b - lat_a;
    let d_lon = (b.longitude - a.longitude).to_radians();
    let h = (d_lat / 2.0).sin().powi(2) + lat_a.cos() * lat_b.cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn office() -> Office {
        Office::standard(Id::parse("main").unwrap(), "Main", "Asia/Jakarta")
    }

    #[test]
    fn local_days_and_lateness_follow_the_office_time_zone() {
        let office = office();
        // 01:30 UTC on Monday 2026-11-30 is 08:30 in Jakarta (UTC+7).
        let at = "2026-11-30T01:30:00Z".parse().unwrap();
        let local = office.local_time(at).unwrap();
        assert_eq!(local.date(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(office.late_minutes(local), 30);
        // 23:30 UTC on Sunday is already Monday 06:30 in Jakarta: early, not late.
        let local = office
            .local_time("2026-11-29T23:30:00Z".parse().unwrap())
            .unwrap();
        assert_eq!(local.date().weekday().number_from_monday(), 1);
        assert_eq!(office.late_minutes(local), 0);
        // Saturday is not a working day: never late.
        let local = office
            .local_time("2026-11-28T05:00:00Z".parse().unwrap())
            .unwrap();
        assert_eq!(office.late_minutes(local), 0);
    }

    #[test]
    fn a_lone_punch_after_the_middle_of_the_working_day_checks_out() {
        let office = office();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let at = |h, m| monday.and_hms_opt(h, m, 0).unwrap();
        // 08:00-16:00: the middle is 12:00.
        assert!(!office.first_punch_checks_out(at(9, 45)));
        assert!(!office.first_punch_checks_out(at(11, 59)));
        assert!(office.first_punch_checks_out(at(12, 0)));
        assert!(office.first_punch_checks_out(at(16, 5)));
        // Saturday has no working period: a first punch is a check-in.
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert!(!office.first_punch_checks_out(saturday.and_hms_opt(14, 0, 0).unwrap()));
    }

    #[test]
    fn an_office_stored_before_calendars_and_shifts_reads_with_the_defaults() {
        let stored = r#"{"challenge": {"kiosk": false, "phone": true}, "geofence": null,
            "id": "hq", "name": "Head office", "schedule": {"end": "16:00:00",
            "start": "08:00:00", "weekdays": [1, 2, 3, 4, 5]}, "time_zone": "Asia/Makassar"}"#;
        let office: Office = serde_json::from_str(stored).unwrap();
        let schedule = &office.schedule;
        assert_eq!(office.calendar, None);
        assert!(schedule.hours.is_empty());
        assert_eq!(
            (
                schedule.grace_minutes,
                schedule.earliest_check_in_minutes,
                schedule.latest_check_out_minutes
            ),
            (0, 180, 360)
        );
    }

    #[test]
    fn invalid_offices_are_refused() {
        let mut bad = office();
        bad.time_zone = "Mars/Olympus".into();
        assert!(matches!(bad.validate(), Err(InvalidOffice::TimeZone(_))));
        let mut bad = office();
        bad.schedule.weekdays = vec![0];
        assert!(matches!(bad.validate(), Err(InvalidOffice::Schedule(_))));
        let mut bad = office();
        bad.geofence = Some(Geofence {
            center: GeoPoint {
                latitude: 95.0,
                longitude: 0.0,
            },
            radius_m: 100.0,
        });
        assert!(matches!(bad.validate(), Err(InvalidOffice::Geofence(_))));
        assert!(office().validate().is_ok());
    }

    #[test]
    fn the_geofence_uses_great_circle_distance() {
        // Monas to Bundaran HI in Jakarta: about 2.2 km apart.
        let monas = GeoPoint {
            latitude: -6.1754,
            longitude: 106.8272,
        };
        let bundaran = GeoPoint {
            latitude: -6.1950,
            longitude: 106.8230,
        };
        let d = distance_m(monas, bundaran);
        assert!((2100.0..2300.0).contains(&d), "{d}");
        let mut fenced = office();
        fenced.geofence = Some(Geofence {
            center: monas,
            radius_m: 500.0,
        });
        assert!(fenced.admits(monas));
        assert!(!fenced.admits(bundaran));
    }
}
