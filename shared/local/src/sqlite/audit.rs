//! The audit trail.

use async_trait::async_trait;
use rusqlite::params;

use super::*;

#[async_trait]
impl AuditLog for SqliteStore {
    async fn append_audit(&self, event: &AuditEvent) -> Result<()> {
        let (id, at, data) = (event.id.to_string(), timestamp(event.at), to_json(event)?);
        self.run(move |c| {
            c.execute(
                "INSERT INTO audit (id, at, data) VALUES (?1, ?2, ?3)",
                params![id, at, data],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn audit_events(&self, page: &PageRequest) -> Result<Page<AuditEvent>> {
        let before = pair_cursor(page, NEWEST)?;
        let limit = page.effective_limit();
        self.run(move |c| {
            let mut statement = c
                .prepare(
                    "SELECT at, id, data FROM audit WHERE (at, id) < (?1, ?2)
                     ORDER BY at DESC, id DESC LIMIT ?3",
                )
                .map_err(sql_error)?;
            let rows = keyed_rows(&mut statement, params![before.0, before.1, limit + 1], 2)?;
            paged(rows, limit)
        })
        .await
    }
}
