//! Attendance records: one per idempotency key, read by day and by employee.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::*;

#[async_trait]
impl AttendanceStore for SqliteStore {
    async fn record_attendance(&self, record: &AttendanceRecord) -> Result<RecordOutcome> {
        let data = to_json(record)?;
        let record = record.clone();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let existing: Option<String> = tx
                .query_row(
                    "SELECT data FROM attendance WHERE employee_id = ?1 AND idempotency_key = ?2",
                    params![record.employee_id.as_str(), record.idempotency_key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql_error)?;
            if let Some(existing) = existing {
                return Ok(RecordOutcome::Existing(from_json(&existing)?));
            }
            let owner: Option<String> = tx
                .query_row(
                    "SELECT data FROM employees WHERE id = ?1",
                    [record.employee_id.as_str()],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql_error)?;
            let owner: Option<Employee> = owner.map(|data| from_json(&data)).transpose()?;
            if !owner.is_some_and(|owner| {
                owner.status == EmployeeStatus::Active && owner.account_key == record.account_key
            }) {
                return Err(StoreError::Conflict(format!(
                    "employee {} is not an active account {:?}",
                    record.employee_id, record.account_key
                )));
            }
            insert_punch(&tx, &record, &data)?;
            tx.commit().map_err(sql_error)?;
            Ok(RecordOutcome::Created)
        })
        .await
    }

    async fn attendance_of(
        &self,
        employee: &Id,
        from: NaiveDate,
        to: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>> {
        let (after_at, after_id) = pair_cursor(page, OLDEST)?;
        let (employee, limit) = (employee.to_string(), page.effective_limit());
        let (from, to) = (from.to_string(), to.to_string());
        self.run(move |c| {
            let mut statement = c
                .prepare(
                    "SELECT at, id, data FROM attendance
                     WHERE employee_id = ?1 AND local_day BETWEEN ?2 AND ?3 AND (at, id) > (?4, ?5)
                     ORDER BY at, id LIMIT ?6",
                )
                .map_err(sql_error)?;
            let rows = keyed_rows(
                &mut statement,
                params![employee, from, to, after_at, after_id, limit + 1],
                2,
            )?;
            paged(rows, limit)
        })
        .await
    }

    async fn attendance_on(
        &self,
        day: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>> {
        let (after_at, after_id) = pair_cursor(page, OLDEST)?;
        let (day, limit) = (day.to_string(), page.effective_limit());
        self.run(move |c| {
            let mut statement = c
                .prepare(
                    "SELECT at, id, data FROM attendance
                     WHERE local_day = ?1 AND (at, id) > (?2, ?3) ORDER BY at, id LIMIT ?4",
                )
                .map_err(sql_error)?;
            let rows = keyed_rows(
                &mut statement,
                params![day, after_at, after_id, limit + 1],
                2,
            )?;
            paged(rows, limit)
        })
        .await
    }

    async fn delete_attendance_of(&self, employee: &Id) -> Result<Vec<String>> {
        let employee = employee.to_string();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let records: Vec<String> = {
                let mut statement = tx
                    .prepare("SELECT data FROM attendance WHERE employee_id = ?1")
                    .map_err(sql_error)?;
                statement
                    .query_map([&employee], |r| r.get(0))
                    .map_err(sql_error)?
                    .collect::<rusqlite::Result<_>>()
                    .map_err(sql_error)?
            };
            let mut keys = Vec::new();
            for data in &records {
                let record: AttendanceRecord = from_json(data)?;
                keys.extend(record.photo_key);
            }
            tx.execute("DELETE FROM attendance WHERE employee_id = ?1", [&employee])
                .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(keys)
        })
        .await
    }
}

/// Inserts `record`, whose stored form is `data`, into the punch table.
pub(super) fn insert_punch(
    connection: &Connection,
    record: &AttendanceRecord,
    data: &str,
) -> Result<()> {
    connection
        .execute(
            "INSERT INTO attendance (id, employee_id, local_day, at, idempotency_key, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                record.id.as_str(),
                record.employee_id.as_str(),
                record.local_day.to_string(),
                timestamp(record.at),
                record.idempotency_key,
                data
            ],
        )
        .map_err(sql_error)?;
    Ok(())
}
