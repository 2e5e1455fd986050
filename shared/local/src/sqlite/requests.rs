//! Requests and their decisions; an approved correction's punch is written in the same
//! transaction as the approval.

use async_trait::async_trait;
use chrono::NaiveDate;
use rusqlite::params;

use super::*;

/// The status column's text.
fn status_text(request: &AttendanceRequest) -> Result<String> {
    match serde_json::to_value(request.status) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        _ => Err(StoreError::Invalid("a request status".into())),
    }
}

#[async_trait]
impl RequestStore for SqliteStore {
    async fn file_request(&self, request: &AttendanceRequest) -> Result<()> {
        let request = request.clone();
        let data = to_json(&request)?;
        let status = status_text(&request)?;
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let mut statement = tx
                .prepare(
                    "SELECT data FROM requests WHERE employee_id = ?1
                     AND from_day <= ?3 AND ?2 <= to_day",
                )
                .map_err(sql_error)?;
            let sharing: Vec<String> = statement
                .query_map(
                    params![
                        request.employee_id.as_str(),
                        request.from.to_string(),
                        request.to.to_string()
                    ],
                    |row| row.get(0),
                )
                .map_err(sql_error)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql_error)?;
            drop(statement);
            for other in sharing {
                let other: AttendanceRequest = from_json(&other)?;
                if other.collides_with(&request) {
                    return Err(StoreError::Conflict(format!(
                        "request {} shares a day with the new one",
                        other.id
                    )));
                }
            }
            tx.execute(
                "INSERT INTO requests (id, employee_id, from_day, to_day, status, filed_at, version, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    request.id.as_str(),
                    request.employee_id.as_str(),
                    request.from.to_string(),
                    request.to.to_string(),
                    status,
                    timestamp(request.filed_at),
                    request.version as i64,
                    data
                ],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(sql_error)
        })
        .await
    }

    async fn request(&self, id: &Id) -> Result<Option<AttendanceRequest>> {
        self.find_one("SELECT data FROM requests WHERE id = ?1", id.to_string())
            .await
    }

    async fn requests_of(&self, employee: &Id) -> Result<Vec<AttendanceRequest>> {
        let employee = employee.to_string();
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM requests WHERE employee_id = ?1 ORDER BY from_day, id",
                params![employee],
            )
        })
        .await
    }

    async fn pending_requests(&self) -> Result<Vec<AttendanceRequest>> {
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM requests WHERE status = 'pending' ORDER BY filed_at, id",
                params![],
            )
        })
        .await
    }

    async fn approved_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttendanceRequest>> {
        let (from, to) = (from.to_string(), to.to_string());
        self.run(move |c| {
            all_json(
                c,
                "SELECT data FROM requests WHERE status = 'approved'
                 AND to_day >= ?1 AND from_day <= ?2 ORDER BY employee_id, from_day, id",
                params![from, to],
            )
        })
        .await
    }

    async fn update_request(
        &self,
        request: &AttendanceRequest,
        punch: Option<&AttendanceRecord>,
    ) -> Result<()> {
        let request = request.clone();
        let data = to_json(&request)?;
        let status = status_text(&request)?;
        let punch = punch.map(|p| Ok((p.clone(), to_json(p)?))).transpose()?;
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let updated = tx
                .execute(
                    "UPDATE requests SET status = ?2, version = ?3, data = ?4
                     WHERE id = ?1 AND version = ?5
                     AND EXISTS (SELECT 1 FROM employees WHERE id = requests.employee_id)",
                    params![
                        request.id.as_str(),
                        status,
                        request.version as i64,
                        data,
                        request.version as i64 - 1
                    ],
                )
                .map_err(sql_error)?;
            if updated == 0 {
                return Err(StoreError::Conflict(format!(
                    "request {} changed meanwhile",
                    request.id
                )));
            }
            if let Some((record, data)) = punch {
                super::attendance::insert_punch(&tx, &record, &data)?;
            }
            tx.commit().map_err(sql_error)
        })
        .await
    }

    async fn delete_requests_of(&self, employee: &Id) -> Result<()> {
        let employee = employee.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM requests WHERE employee_id = ?1", [employee])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}
