//! Calendars: holidays and special periods with other hours (e.g. Ramadan).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Id, WorkSchedule};

/// The calendar every office follows; an office may add its own on top.
pub const DEFAULT_CALENDAR: &str = "default";

/// Years a calendar may hold days of.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// What kind of day off a holiday is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayKind {
    /// A national public holiday (libur nasional).
    National,
    /// A collective leave day (cuti bersama).
    CollectiveLeave,
    /// A regional or office holiday.
    Local,
}

impl HolidayKind {
    /// The kind named `text` (`national`, `collective_leave`, `local`).
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "national" => Some(Self::National),
            "collective_leave" | "cuti_bersama" => Some(Self::CollectiveLeave),
            "local" => Some(Self::Local),
            _ => None,
        }
    }
}

/// A day nobody of the calendar works, unless their shift says otherwise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Holiday {
    /// The calendar it belongs to.
    pub calendar: Id,
    /// The day.
    pub date: NaiveDate,
    /// Its name, e.g. "Hari Kemerdekaan".
    pub name: String,
    /// Its kind.
    pub kind: HolidayKind,
}

/// A date range with other working hours, e.g. Ramadan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpecialPeriod {
    /// The calendar it belongs to.
    pub calendar: Id,
    /// Its id within the calendar.
    pub id: Id,
    /// Its name, e.g. "Ramadan 1448 H".
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The week that replaces the office's during the period.
    pub schedule: WorkSchedule,
}

impl SpecialPeriod {
    /// Whether it covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Checks a calendar entry's name and that `days` lie in the supported years.
pub fn check_entry(name: &str, days: &[NaiveDate]) -> Result<(), String> {
    if name.trim().is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err("the name must have 1 to 200 characters and no control characters".into());
    }
    if days.iter().any(|d| !SUPPORTED_YEARS.contains(&d.year())) {
        return Err(format!(
            "calendars hold days of the years {} to {}",
            SUPPORTED_YEARS.start(),
            SUPPORTED_YEARS.end()
        ));
    }
    Ok(())
}

/// What one office's calendars say about its days: holidays and special periods.
#[derive(Clone, Debug, Default)]
pub struct CalendarView {
    /// Holidays, any order.
    pub holidays: Vec<Holiday>,
    /// Special periods, any order.
    pub periods: Vec<SpecialPeriod>,
}

impl CalendarView {
    /// The holiday on `day`, if any.
    pub fn holiday(&self, day: NaiveDate) -> Option<&Holiday> {
        self.holidays.iter().find(|h| h.date == day)
    }

    /// The special period covering `day`, if any (the one that starts last).
    pub fn period(&self, day: NaiveDate) -> Option<&SpecialPeriod> {
        self.periods
            .iter()
            .filter(|p| p.covers(day))
            .max_by_key(|p| p.from)
    }
}
