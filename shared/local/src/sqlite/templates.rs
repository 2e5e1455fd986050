//! Face templates and the gallery version.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::*;

#[async_trait]
impl TemplateStore for SqliteStore {
    async fn add_template(&self, template: &FaceTemplate) -> Result<u64> {
        let (id, employee, data) = (
            template.id.to_string(),
            template.employee_id.to_string(),
            to_json(template)?,
        );
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            tx.execute(
                "INSERT INTO templates (id, employee_id, data) VALUES (?1, ?2, ?3)",
                params![id, employee, data],
            )
            .map_err(sql_error)?;
            let version = bump_gallery_version(&tx)?;
            tx.commit().map_err(sql_error)?;
            Ok(version)
        })
        .await
    }

    async fn templates_of(&self, employee: &Id) -> Result<Vec<FaceTemplate>> {
        let employee = employee.to_string();
        self.run(move |c| {
            let mut statement = c
                .prepare("SELECT data FROM templates WHERE employee_id = ?1 ORDER BY id")
                .map_err(sql_error)?;
            let rows: Vec<String> = statement
                .query_map([employee], |r| r.get(0))
                .map_err(sql_error)?
                .collect::<rusqlite::Result<_>>()
                .map_err(sql_error)?;
            rows.iter().map(|data| from_json(data)).collect()
        })
        .await
    }

    async fn delete_template(&self, employee: &Id, template: &Id) -> Result<bool> {
        let (employee, template) = (employee.to_string(), template.to_string());
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let deleted = tx
                .execute(
                    "DELETE FROM templates WHERE id = ?1 AND employee_id = ?2",
                    params![template, employee],
                )
                .map_err(sql_error)?;
            if deleted > 0 {
                bump_gallery_version(&tx)?;
            }
            tx.commit().map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn delete_templates_of(&self, employee: &Id) -> Result<usize> {
        let employee = employee.to_string();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let deleted = tx
                .execute("DELETE FROM templates WHERE employee_id = ?1", [employee])
                .map_err(sql_error)?;
            if deleted > 0 {
                bump_gallery_version(&tx)?;
            }
            tx.commit().map_err(sql_error)?;
            Ok(deleted)
        })
        .await
    }

    fn gallery_segments(&self) -> u32 {
        1
    }

    async fn gallery_segment(
        &self,
        segment: u32,
        page: &PageRequest,
    ) -> Result<Page<FaceTemplate>> {
        if segment != 0 {
            return Err(StoreError::Invalid(format!(
                "gallery segment {segment} of 1"
            )));
        }
        self.page_by_id(
            "SELECT id, data FROM templates WHERE id > ?1 ORDER BY id LIMIT ?2",
            page,
        )
        .await
    }

    async fn gallery_version(&self) -> Result<u64> {
        self.run(|c| {
            let value: Option<i64> = c
                .query_row(
                    "SELECT value FROM counters WHERE name = 'gallery'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql_error)?;
            Ok(value.unwrap_or(0).max(0) as u64)
        })
        .await
    }
}
