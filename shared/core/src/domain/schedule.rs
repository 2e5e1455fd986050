//! Working hours: an office's week, and the named shifts of a roster.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::Id;

/// Longest time before the start of work that a check-in still counts for it, and after the
/// end that a check-out does, in minutes.
pub const MAX_WINDOW_MINUTES: u32 = 12 * 60;

fn default_earliest_check_in() -> u32 {
    180
}

fn default_latest_check_out() -> u32 {
    360
}

/// The hours of one working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkHours {
    /// Start; later check-ins (past the grace period) are late.
    pub start: NaiveTime,
    /// End; earlier check-outs leave early.
    pub end: NaiveTime,
}

/// An office's week: the usual hours, the weekdays they apply to, other hours on some
/// weekdays (e.g. a longer Friday), a grace period for lateness, and how far from the hours a
/// punch still counts for the day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkSchedule {
    /// Start of the working day; later check-ins (past the grace period) are late.
    pub start: NaiveTime,
    /// End of the working day; earlier check-outs leave early. After the start: a day that
    /// crosses midnight is a shift.
    pub end: NaiveTime,
    /// Working weekdays, 1 (Monday) to 7 (Sunday).
    pub weekdays: Vec<u8>,
    /// Other hours on some of those weekdays (ISO number to hours), e.g. Friday 07:30-16:30.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hours: BTreeMap<u8, WorkHours>,
    /// Minutes after the start within which a check-in is not late.
    #[serde(default)]
    pub grace_minutes: u32,
    /// Minutes before the start from which a check-in counts for the day.
    #[serde(default = "default_earliest_check_in")]
    pub earliest_check_in_minutes: u32,
    /// Minutes after the end until which a check-out counts for the day.
    #[serde(default = "default_latest_check_out")]
    pub latest_check_out_minutes: u32,
}

impl WorkSchedule {
    /// Hours `start` to `end` on `weekdays`, no grace, the default windows.
    pub fn new(start: NaiveTime, end: NaiveTime, weekdays: Vec<u8>) -> Self {
        Self {
            start,
            end,
            weekdays,
            hours: BTreeMap::new(),
            grace_minutes: 0,
            earliest_check_in_minutes: default_earliest_check_in(),
            latest_check_out_minutes: default_latest_check_out(),
        }
    }

    /// The hours of ISO weekday `weekday`, if it is a working day.
    pub fn hours_on(&self, weekday: u8) -> Option<WorkHours> {
        self.weekdays.contains(&weekday).then(|| {
            self.hours.get(&weekday).copied().unwrap_or(WorkHours {
                start: self.start,
                end: self.end,
            })
        })
    }

    /// The work period of `day`, if it is a working day.
    pub fn period_on(&self, day: NaiveDate) -> Option<Period> {
        use chrono::Datelike;
        let hours = self.hours_on(day.weekday().number_from_monday() as u8)?;
        Some(Period {
            day,
            start: day.and_time(hours.start),
            end: day.and_time(hours.end),
            grace_minutes: self.grace_minutes,
            earliest_check_in_minutes: self.earliest_check_in_minutes,
            latest_check_out_minutes: self.latest_check_out_minutes,
            shift: None,
        })
    }

    /// Checks the weekdays, that every day ends after it starts and is longer than the
    /// grace period, and the windows.
    pub fn validate(&self) -> Result<(), String> {
        if self.weekdays.len() > 7 || self.weekdays.iter().any(|d| !(1..=7).contains(d)) {
            return Err("weekdays are at most seven days from 1 to 7".into());
        }
        let mut days = self.weekdays.clone();
        days.sort_unstable();
        days.dedup();
        if days.len() != self.weekdays.len() {
            return Err("a weekday is listed twice".into());
        }
        if self.hours.keys().any(|d| !self.weekdays.contains(d)) {
            return Err("other hours are given for a day that is not a working day".into());
        }
        for day in &self.weekdays {
            let Some(hours) = self.hours_on(*day) else {
                continue;
            };
            if hours.end <= hours.start {
                return Err(format!(
                    "day {day} must end after it starts (a night's work is a shift)"
                ));
            }
            let length = (hours.end - hours.start).num_minutes();
            if i64::from(self.grace_minutes) >= length {
                return Err(format!("the grace period exceeds the length of day {day}"));
            }
        }
        check_windows(
            self.earliest_check_in_minutes,
            self.latest_check_out_minutes,
        )
    }
}

/// The punch windows must be at most [`MAX_WINDOW_MINUTES`].
fn check_windows(earliest: u32, latest: u32) -> Result<(), String> {
    if earliest > MAX_WINDOW_MINUTES || latest > MAX_WINDOW_MINUTES {
        return Err(format!(
            "a check-in or check-out counts for a day at most {MAX_WINDOW_MINUTES} minutes from its hours"
        ));
    }
    Ok(())
}

/// A named work period of a roster, e.g. a night shift 22:00-07:00.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    /// Shift id.
    pub id: Id,
    /// Display name, e.g. "Malam".
    pub name: String,
    /// Start, on the day the shift belongs to.
    pub start: NaiveTime,
    /// End: on the same day when after the start, else on the next day.
    pub end: NaiveTime,
    /// Minutes after the start within which a check-in is not late.
    #[serde(default)]
    pub grace_minutes: u32,
    /// Minutes before the start from which a check-in counts for the shift.
    #[serde(default = "default_earliest_check_in")]
    pub earliest_check_in_minutes: u32,
    /// Minutes after the end until which a check-out counts for the shift.
    #[serde(default = "default_latest_check_out")]
    pub latest_check_out_minutes: u32,
}

impl Shift {
    /// The shift `id` from `start` to `end`, no grace, the default windows.
    pub fn new(id: Id, name: String, start: NaiveTime, end: NaiveTime) -> Self {
        Self {
            id,
            name,
            start,
            end,
            grace_minutes: 0,
            earliest_check_in_minutes: default_earliest_check_in(),
            latest_check_out_minutes: default_latest_check_out(),
        }
    }

    /// Its length: up to 24 hours (a shift that ends when it starts is refused).
    pub fn length(&self) -> Duration {
        let length = self.end - self.start;
        if length > Duration::zero() {
            length
        } else {
            length + Duration::days(1)
        }
    }

    /// Whether it ends on the next day.
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }

    /// The work period of the shift that starts on `day`.
    pub fn period_on(&self, day: NaiveDate) -> Period {
        let start = day.and_time(self.start);
        Period {
            day,
            start,
            end: start + self.length(),
            grace_minutes: self.grace_minutes,
            earliest_check_in_minutes: self.earliest_check_in_minutes,
            latest_check_out_minutes: self.latest_check_out_minutes,
            shift: Some(self.id.clone()),
        }
    }

    /// Checks the length (not zero; 24 hours at most by construction), the grace period and
    /// the windows, and the name.
    pub fn validate(&self) -> Result<(), String> {
        if self.start == self.end {
            return Err("a shift must last more than zero and less than 24 hours".into());
        }
        if i64::from(self.grace_minutes) >= self.length().num_minutes() {
            return Err("the grace period exceeds the length of the shift".into());
        }
        if self.name.trim().is_empty()
            || self.name.chars().count() > 100
            || self.name.chars().any(char::is_control)
        {
            return Err("the name must have 1 to 100 characters and no control characters".into());
        }
        check_windows(
            self.earliest_check_in_minutes,
            self.latest_check_out_minutes,
        )
    }
}

/// One employee's roster entry: from one day to another (both included) they work `shift`
/// each day, or have the days off when it is `None`; it overrides the office's week.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShiftAssignment {
    /// Entry id.
    pub id: Id,
    /// The employee.
    pub employee_id: Id,
    /// The shift worked each day, or `None` for days off.
    pub shift_id: Option<Id>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl ShiftAssignment {
    /// Whether it covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// Whether it shares a day with `other`.
    pub fn overlaps(&self, other: &ShiftAssignment) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

/// One period of work planned for a day, in the office's local time: a day of the office's
/// week or a shift (which may end on the next day).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// The day the period belongs to (a night shift's is the day it starts).
    pub day: NaiveDate,
    /// Start.
    pub start: NaiveDateTime,
    /// End.
    pub end: NaiveDateTime,
    /// Minutes after the start within which a check-in is not late.
    pub grace_minutes: u32,
    /// Minutes before the start from which a punch counts for the period.
    pub earliest_check_in_minutes: u32,
    /// Minutes after the end until which a punch counts for the period.
    pub latest_check_out_minutes: u32,
    /// The shift, when it is one.
    pub shift: Option<Id>,
}

impl Period {
    /// The middle of the period: a lone punch before it is a check-in, after it a check-out.
    pub fn midpoint(&self) -> NaiveDateTime {
        self.start + (self.end - self.start) / 2
    }

    /// Whether a punch at `at` counts for the period.
    pub fn admits(&self, at: NaiveDateTime) -> bool {
        let opens = self.start - Duration::minutes(i64::from(self.earliest_check_in_minutes));
        opens <= at && at <= self.closes()
    }

    /// The last moment a punch counts for the period: after it, the day is final.
    pub fn closes(&self) -> NaiveDateTime {
        self.end + Duration::minutes(i64::from(self.latest_check_out_minutes))
    }

    /// How far `at` is from the period's hours (zero inside them).
    pub fn distance(&self, at: NaiveDateTime) -> Duration {
        if at < self.start {
            self.start - at
        } else if at > self.end {
            at - self.end
        } else {
            Duration::zero()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_week_can_have_a_longer_friday() {
        let mut week = WorkSchedule::new(time(7, 30), time(16, 0), vec![1, 2, 3, 4, 5]);
        week.hours.insert(
            5,
            WorkHours {
                start: time(7, 30),
                end: time(16, 30),
            },
        );
        assert!(week.validate().is_ok());
        assert_eq!(week.hours_on(1).unwrap().end, time(16, 0));
        assert_eq!(week.hours_on(5).unwrap().end, time(16, 30));
        assert_eq!(week.hours_on(6), None);
        week.grace_minutes = 600;
        assert!(week.validate().is_err(), "grace longer than the day");
        week.grace_minutes = 0;
        week.hours.insert(6, week.hours[&5]);
        assert!(week.validate().is_err(), "hours for a day off");
    }

    #[test]
    fn a_night_shift_ends_the_next_day() {
        let night = Shift {
            id: Id::parse("malam").unwrap(),
            name: "Malam".into(),
            start: time(22, 0),
            end: time(7, 0),
            grace_minutes: 10,
            earliest_check_in_minutes: 60,
            latest_check_out_minutes: 120,
        };
        assert!(night.validate().is_ok());
        assert!(night.crosses_midnight());
        assert_eq!(night.length(), Duration::hours(9));
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let period = night.period_on(day);
        assert_eq!(
            period.end,
            NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_time(time(7, 0))
        );
        assert!(period.admits(period.end + Duration::minutes(5)));
        assert!(!period.admits(period.start - Duration::minutes(61)));
        let zero = Shift {
            end: time(22, 0),
            ..night.clone()
        };
        assert!(zero.validate().is_err());
        let greedy = Shift {
            grace_minutes: 600,
            ..night
        };
        assert!(greedy.validate().is_err());
    }
}
