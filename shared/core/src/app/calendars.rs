//! The rules reports are computed by, as admins set them: calendars (holidays, special
//! periods), shifts, rosters and the deduction table. Every change is audited.

use chrono::NaiveDate;
use serde::Deserialize;

use super::reports::MAX_QUERY_DAYS;
use super::{App, AppError, parse_id};
use crate::domain::{
    AttendanceRules, DEFAULT_CALENDAR, Holiday, HolidayKind, Id, Shift, ShiftAssignment,
    SpecialPeriod, check_entry, new_id,
};
use crate::ports::StoreError;

/// Most lines of one holiday import.
const MAX_IMPORTED_HOLIDAYS: usize = 400;

/// A roster entry as an admin asks for it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// The shift worked each day, or none for days off.
    #[serde(default)]
    pub shift_id: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl App {
    /// Stores a holiday (replacing one on its date in its calendar).
    pub async fn put_holiday(&self, actor: &Id, holiday: Holiday) -> Result<Holiday, AppError> {
        check_entry(&holiday.name, &[holiday.date]).map_err(invalid_calendar)?;
        self.store.put_holiday(&holiday).await?;
        self.audit_rule(
            actor,
            "calendar.holiday",
            &holiday.calendar,
            holiday.date.to_string(),
        )
        .await;
        Ok(holiday)
    }

    /// Deletes a holiday.
    pub async fn delete_holiday(
        &self,
        actor: &Id,
        calendar: &str,
        date: NaiveDate,
    ) -> Result<(), AppError> {
        let calendar = parse_id(calendar, "calendar")?;
        if !self.store.delete_holiday(&calendar, date).await? {
            return Err(AppError::NotFound(format!("holiday {calendar}/{date}")));
        }
        self.audit_rule(
            actor,
            "calendar.holiday_deleted",
            &calendar,
            date.to_string(),
        )
        .await;
        Ok(())
    }

    /// The holidays of one calendar in one year.
    pub async fn holidays(&self, calendar: &str, year: i32) -> Result<Vec<Holiday>, AppError> {
        let calendar = parse_id(calendar, "calendar")?;
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(invalid_calendar("the year is out of range".into()));
        };
        Ok(self.store.holidays(&calendar, first, last).await?)
    }

    /// Imports holidays from CSV lines `date,name,kind` (an optional header line first);
    /// every line is checked before any is stored.
    pub async fn import_holidays(
        &self,
        actor: &Id,
        calendar: &str,
        csv: &str,
    ) -> Result<Vec<Holiday>, AppError> {
        let calendar = parse_id(calendar, "calendar")?;
        let mut holidays = Vec::new();
        for (number, line) in csv.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || (number == 0 && line.starts_with("date")) {
                continue;
            }
            let bad = |why: &str| invalid_calendar(format!("line {}: {why}", number + 1));
            let mut cells = line
                .splitn(3, ',')
                .map(|cell| cell.trim().trim_matches('"'));
            let (Some(date), Some(name), Some(kind)) = (cells.next(), cells.next(), cells.next())
            else {
                return Err(bad("expected date,name,kind"));
            };
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| bad("the date is not YYYY-MM-DD"))?;
            let kind = HolidayKind::parse(kind)
                .ok_or_else(|| bad("the kind is national, collective_leave or local"))?;
            check_entry(name, &[date]).map_err(|why| bad(&why))?;
            holidays.push(Holiday {
                calendar: calendar.clone(),
                date,
                name: name.to_owned(),
                kind,
            });
        }
        if holidays.is_empty() || holidays.len() > MAX_IMPORTED_HOLIDAYS {
            return Err(invalid_calendar(format!(
                "send 1 to {MAX_IMPORTED_HOLIDAYS} holidays"
            )));
        }
        for holiday in &holidays {
            self.store.put_holiday(holiday).await?;
        }
        self.audit_rule(
            actor,
            "calendar.holidays_imported",
            &calendar,
            format!("{} holidays", holidays.len()),
        )
        .await;
        Ok(holidays)
    }

    /// Stores a special period (other hours for a date range).
    pub async fn put_special_period(
        &self,
        actor: &Id,
        period: SpecialPeriod,
    ) -> Result<SpecialPeriod, AppError> {
        check_entry(&period.name, &[period.from, period.to]).map_err(invalid_calendar)?;
        if period.to < period.from || (period.to - period.from).num_days() > MAX_QUERY_DAYS {
            return Err(invalid_calendar(format!(
                "a period ends on or after its start and lasts at most {MAX_QUERY_DAYS} days"
            )));
        }
        period
            .schedule
            .validate()
            .map_err(|why| AppError::invalid("invalid_schedule", why))?;
        self.store.put_special_period(&period).await?;
        self.audit_rule(
            actor,
            "calendar.period",
            &period.calendar,
            period.id.to_string(),
        )
        .await;
        Ok(period)
    }

    /// Deletes a special period.
    pub async fn delete_special_period(
        &self,
        actor: &Id,
        calendar: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let (calendar, id) = (parse_id(calendar, "calendar")?, parse_id(id, "period id")?);
        if !self.store.delete_special_period(&calendar, &id).await? {
            return Err(AppError::NotFound(format!(
                "special period {calendar}/{id}"
            )));
        }
        self.audit_rule(actor, "calendar.period_deleted", &calendar, id.to_string())
            .await;
        Ok(())
    }

    /// The special periods of one calendar.
    pub async fn special_periods(&self, calendar: &str) -> Result<Vec<SpecialPeriod>, AppError> {
        let calendar = parse_id(calendar, "calendar")?;
        Ok(self.store.special_periods(&calendar).await?)
    }

    /// Stores a shift.
    pub async fn put_shift(&self, actor: &Id, shift: Shift) -> Result<Shift, AppError> {
        shift
            .validate()
            .map_err(|why| AppError::invalid("invalid_shift", why))?;
        self.store.put_shift(&shift).await?;
        self.audit(actor, "shift.put", shift.id.as_str(), None)
            .await;
        Ok(shift)
    }

    /// Every shift.
    pub async fn shifts(&self) -> Result<Vec<Shift>, AppError> {
        Ok(self.store.shifts().await?)
    }

    /// Deletes a shift; roster days that named it count as days off from then on.
    pub async fn delete_shift(&self, actor: &Id, id: &str) -> Result<(), AppError> {
        let id = parse_id(id, "shift id")?;
        if !self.store.delete_shift(&id).await? {
            return Err(AppError::NotFound(format!("shift {id}")));
        }
        self.audit(actor, "shift.delete", id.as_str(), None).await;
        Ok(())
    }

    /// Adds a roster entry for an employee: a shift (or days off) from one day to another;
    /// refused when it shares a day with another entry of theirs.
    pub async fn assign_shift(
        &self,
        actor: &Id,
        employee: &str,
        new: NewAssignment,
    ) -> Result<ShiftAssignment, AppError> {
        let employee = self.existing_employee(employee).await?;
        if new.to < new.from || (new.to - new.from).num_days() > MAX_QUERY_DAYS {
            return Err(AppError::invalid(
                "invalid_date_range",
                format!(
                    "an entry ends on or after its start and lasts at most {MAX_QUERY_DAYS} days"
                ),
            ));
        }
        check_entry("roster", &[new.from, new.to]).map_err(invalid_calendar)?;
        let shift_id = match new.shift_id.as_deref() {
            Some(id) => {
                let id = parse_id(id, "shift id")?;
                if !self.store.shifts().await?.iter().any(|s| s.id == id) {
                    return Err(AppError::unprocessable(
                        "unknown_shift",
                        format!("no shift {id} exists"),
                    ));
                }
                Some(id)
            }
            None => None,
        };
        let entry = ShiftAssignment {
            id: new_id(),
            employee_id: employee.id.clone(),
            shift_id,
            from: new.from,
            to: new.to,
        };
        self.store
            .add_assignment(&entry)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::invalid(
                    "overlapping_assignment",
                    "the employee's roster already has an entry on one of these days",
                ),
                other => other.into(),
            })?;
        self.audit(
            actor,
            "roster.assign",
            employee.id.as_str(),
            Some(format!("{} {}..{}", entry.id, entry.from, entry.to)),
        )
        .await;
        Ok(entry)
    }

    /// An employee's roster.
    pub async fn roster(&self, employee: &str) -> Result<Vec<ShiftAssignment>, AppError> {
        let employee = self.existing_employee(employee).await?;
        Ok(self.store.assignments_of(&employee.id).await?)
    }

    /// Deletes one roster entry.
    pub async fn delete_assignment(
        &self,
        actor: &Id,
        employee: &str,
        id: &str,
    ) -> Result<(), AppError> {
        let employee = self.existing_employee(employee).await?;
        let id = parse_id(id, "roster entry id")?;
        if !self.store.delete_assignment(&employee.id, &id).await? {
            return Err(AppError::NotFound(format!("roster entry {id}")));
        }
        self.audit(
            actor,
            "roster.delete",
            employee.id.as_str(),
            Some(id.to_string()),
        )
        .await;
        Ok(())
    }

    /// The deployment's attendance rules (the defaults until an admin sets them).
    pub async fn attendance_rules(&self) -> Result<AttendanceRules, AppError> {
        Ok(self.store.attendance_rules().await?.unwrap_or_default())
    }

    /// Replaces the attendance rules.
    pub async fn put_attendance_rules(
        &self,
        actor: &Id,
        rules: AttendanceRules,
    ) -> Result<AttendanceRules, AppError> {
        rules
            .validate()
            .map_err(|why| AppError::invalid("invalid_rules", why))?;
        self.store.put_attendance_rules(&rules).await?;
        let detail = serde_json::to_string(&rules).ok();
        self.audit(actor, "rules.put", "attendance", detail).await;
        Ok(rules)
    }

    /// Audits a calendar change under its calendar.
    async fn audit_rule(&self, actor: &Id, action: &str, calendar: &Id, detail: String) {
        self.audit(actor, action, calendar.as_str(), Some(detail))
            .await;
    }
}

/// The default calendar's id.
pub(super) fn default_calendar() -> Id {
    Id::parse(DEFAULT_CALENDAR).unwrap_or_else(|_| unreachable!("a valid id"))
}

fn invalid_calendar(why: String) -> AppError {
    AppError::invalid("invalid_calendar", why)
}
