//! Refused face attempts, most recent first, dropped after their review period.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::params;

use super::*;

#[async_trait]
impl RefusalLog for SqliteStore {
    async fn record_refusal(&self, refusal: &RefusedAttempt) -> Result<()> {
        let row = (
            refusal.id.to_string(),
            timestamp(refusal.at),
            refusal.sender.to_string(),
            refusal.employee_id.as_ref().map(Id::to_string),
            timestamp(refusal.expires_at),
            to_json(refusal)?,
        );
        self.run(move |c| {
            c.execute(
                "INSERT INTO refusals (id, at, sender, employee_id, expires_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![row.0, row.1, row.2, row.3, row.4, row.5],
            )
            .map_err(sql_error)?;
            // Records past their review period go as new ones come.
            c.execute("DELETE FROM refusals WHERE expires_at <= ?1", [&row.1])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn refusals(
        &self,
        employee: Option<&Id>,
        now: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<RefusedAttempt>> {
        let before = pair_cursor(page, NEWEST)?;
        let limit = page.effective_limit();
        let employee = employee.map(Id::to_string);
        let now = timestamp(now);
        self.run(move |c| {
            let mut statement = c
                .prepare(
                    "SELECT at, id, data FROM refusals
                     WHERE (?1 IS NULL OR employee_id = ?1) AND expires_at > ?2
                       AND (at, id) < (?3, ?4)
                     ORDER BY at DESC, id DESC LIMIT ?5",
                )
                .map_err(sql_error)?;
            let rows = keyed_rows(
                &mut statement,
                params![employee, now, before.0, before.1, limit + 1],
                2,
            )?;
            paged(rows, limit)
        })
        .await
    }

    async fn delete_refusals_of(&self, employee: &Id) -> Result<Vec<String>> {
        let employee = employee.to_string();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let mut keys = Vec::new();
            {
                let mut statement = tx
                    .prepare("SELECT data FROM refusals WHERE employee_id = ?1")
                    .map_err(sql_error)?;
                let rows = statement
                    .query_map([&employee], |r| r.get::<_, String>(0))
                    .map_err(sql_error)?;
                for data in rows {
                    let refusal: RefusedAttempt = from_json(&data.map_err(sql_error)?)?;
                    keys.extend(refusal.photo_key);
                }
            }
            tx.execute("DELETE FROM refusals WHERE employee_id = ?1", [&employee])
                .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(keys)
        })
        .await
    }
}
