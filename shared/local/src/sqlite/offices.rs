//! Offices.

use async_trait::async_trait;
use rusqlite::params;

use super::*;

#[async_trait]
impl OfficeStore for SqliteStore {
    async fn put_office(&self, office: &Office) -> Result<()> {
        let (id, data) = (office.id.to_string(), to_json(office)?);
        self.run(move |c| {
            c.execute(
                "INSERT INTO offices (id, data) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                params![id, data],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn office(&self, id: &Id) -> Result<Option<Office>> {
        let id = id.to_string();
        self.find_one("SELECT data FROM offices WHERE id = ?1", id)
            .await
    }
}
