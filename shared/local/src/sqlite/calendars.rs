//! Calendars, shifts, roster entries and the attendance rules.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::params;

use super::*;

#[async_trait]
impl CalendarStore for SqliteStore {
    async fn put_holiday(&self, holiday: &Holiday) -> Result<()> {
        let row = (
            holiday.calendar.to_string(),
            holiday.date.to_string(),
            to_json(holiday)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO holidays (calendar, date, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (calendar, date) DO UPDATE SET data = excluded.data",
                params![row.0, row.1, row.2],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn delete_holiday(&self, calendar: &Id, date: NaiveDate) -> Result<bool> {
        let (calendar, date) = (calendar.to_string(), date.to_string());
        self.run(move |c| {
            let deleted = c
                .execute(
                    "DELETE FROM holidays WHERE calendar = ?1 AND date = ?2",
                    params![calendar, date],
                )
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn holidays(
        &self,
        calendar: &Id,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Holiday>> {
        let (calendar, from, to) = (calendar.to_string(), from.to_string(), to.to_string());
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM holidays WHERE calendar = ?1 AND date BETWEEN ?2 AND ?3 ORDER BY date",
                params![calendar, from, to],
            )
        })
        .await
    }

    async fn put_special_period(&self, period: &SpecialPeriod) -> Result<()> {
        let row = (
            period.calendar.to_string(),
            period.id.to_string(),
            to_json(period)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO special_periods (calendar, id, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT (calendar, id) DO UPDATE SET data = excluded.data",
                params![row.0, row.1, row.2],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn delete_special_period(&self, calendar: &Id, id: &Id) -> Result<bool> {
        let (calendar, id) = (calendar.to_string(), id.to_string());
        self.run(move |c| {
            let deleted = c
                .execute(
                    "DELETE FROM special_periods WHERE calendar = ?1 AND id = ?2",
                    params![calendar, id],
                )
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn special_periods(&self, calendar: &Id) -> Result<Vec<SpecialPeriod>> {
        let calendar = calendar.to_string();
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM special_periods WHERE calendar = ?1 ORDER BY id",
                params![calendar],
            )
        })
        .await
    }
}

#[async_trait]
impl ShiftStore for SqliteStore {
    async fn put_shift(&self, shift: &Shift) -> Result<()> {
        let row = (shift.id.to_string(), to_json(shift)?);
        self.run(move |c| {
            c.execute(
                "INSERT INTO shifts (id, data) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                params![row.0, row.1],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn shifts(&self) -> Result<Vec<Shift>> {
        self.run(|c| all_json(c, "SELECT data FROM shifts ORDER BY id", params![]))
            .await
    }

    async fn delete_shift(&self, id: &Id) -> Result<bool> {
        let id = id.to_string();
        self.run(move |c| {
            let deleted = c
                .execute("DELETE FROM shifts WHERE id = ?1", [id])
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn add_assignment(&self, assignment: &ShiftAssignment) -> Result<()> {
        let row = (
            assignment.employee_id.to_string(),
            assignment.id.to_string(),
            assignment.from.to_string(),
            assignment.to.to_string(),
            to_json(assignment)?,
        );
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let overlapping: i64 = tx
                .query_row(
                    "SELECT COUNT(*) FROM assignments
                     WHERE employee_id = ?1 AND from_day <= ?3 AND ?2 <= to_day",
                    params![row.0, row.2, row.3],
                    |r| r.get(0),
                )
                .map_err(sql_error)?;
            if overlapping > 0 {
                return Err(StoreError::Conflict(format!(
                    "a roster entry of {} shares a day with {}..{}",
                    row.0, row.2, row.3
                )));
            }
            tx.execute(
                "INSERT INTO assignments (employee_id, id, from_day, to_day, data)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![row.0, row.1, row.2, row.3, row.4],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(sql_error)
        })
        .await
    }

    async fn assignments_of(&self, employee: &Id) -> Result<Vec<ShiftAssignment>> {
        let employee = employee.to_string();
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM assignments WHERE employee_id = ?1 ORDER BY from_day, id",
                params![employee],
            )
        })
        .await
    }

    async fn assignments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ShiftAssignment>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM assignments WHERE to_day >= ?1 AND from_day <= ?2
                 ORDER BY employee_id, from_day",
                params![from, to],
            )
        })
        .await
    }

    async fn delete_assignment(&self, employee: &Id, id: &Id) -> Result<bool> {
        let (employee, id) = (employee.to_string(), id.to_string());
        self.run(move |c| {
            let deleted = c
                .execute(
                    "DELETE FROM assignments WHERE employee_id = ?1 AND id = ?2",
                    params![employee, id],
                )
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn delete_assignments_of(&self, employee: &Id) -> Result<()> {
        let employee = employee.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM assignments WHERE employee_id = ?1", [employee])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}

/// The settings key of the attendance rules.
const RULES_KEY: &str = "attendance_rules";

#[async_trait]
impl RulesStore for SqliteStore {
    async fn attendance_rules(&self) -> Result<Option<AttendanceRules>> {
        self.find_one(
            "SELECT data FROM settings WHERE key = ?1",
            RULES_KEY.to_owned(),
        )
        .await
    }

    async fn put_attendance_rules(&self, rules: &AttendanceRules) -> Result<()> {
        let data = to_json(rules)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO settings (key, data) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET data = excluded.data",
                params![RULES_KEY, data],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}
