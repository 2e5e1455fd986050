//! Enrollment jobs, listed by status.

use async_trait::async_trait;
use rusqlite::params;

use super::*;

#[async_trait]
impl EnrollmentJobStore for SqliteStore {
    async fn begin_enrollment(&self, job: &EnrollmentJob) -> Result<bool> {
        let row = enrollment_row(job)?;
        self.run(move |c| {
            let inserted = c
                .execute(
                    "INSERT OR IGNORE INTO enrollments (photo_key, status, updated_at, data)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![row.0, row.1, row.2, row.3],
                )
                .map_err(sql_error)?;
            Ok(inserted > 0)
        })
        .await
    }

    async fn finish_enrollment(&self, job: &EnrollmentJob) -> Result<()> {
        let row = enrollment_row(job)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO enrollments (photo_key, status, updated_at, data) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (photo_key) DO UPDATE SET status = excluded.status,
                     updated_at = excluded.updated_at, data = excluded.data",
                params![row.0, row.1, row.2, row.3],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn resolve_enrollment(&self, job: &EnrollmentJob) -> Result<()> {
        let row = enrollment_row(job)?;
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE enrollments SET status = ?2, updated_at = ?3, data = ?4
                     WHERE photo_key = ?1 AND status = 'flagged'",
                    params![row.0, row.1, row.2, row.3],
                )
                .map_err(sql_error)?;
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "enrollment {} is no longer flagged",
                    row.0
                )));
            }
            Ok(())
        })
        .await
    }

    async fn enrollment(&self, photo_key: &str) -> Result<Option<EnrollmentJob>> {
        let key = photo_key.to_owned();
        self.find_one("SELECT data FROM enrollments WHERE photo_key = ?1", key)
            .await
    }

    async fn enrollments_by_status(
        &self,
        status: EnrollmentStatus,
        page: &PageRequest,
    ) -> Result<Page<EnrollmentJob>> {
        let before = pair_cursor(page, NEWEST)?;
        let limit = page.effective_limit();
        self.run(move |c| {
            let mut statement = c
                .prepare(
                    "SELECT updated_at, photo_key, data FROM enrollments
                     WHERE status = ?1 AND (updated_at, photo_key) < (?2, ?3)
                     ORDER BY updated_at DESC, photo_key DESC LIMIT ?4",
                )
                .map_err(sql_error)?;
            let rows = keyed_rows(
                &mut statement,
                params![status.as_str(), before.0, before.1, limit + 1],
                2,
            )?;
            paged(rows, limit)
        })
        .await
    }

    async fn delete_enrollments_of(&self, employee: &Id) -> Result<usize> {
        let employee = employee.to_string();
        self.run(move |c| {
            c.execute(
                "DELETE FROM enrollments WHERE json_extract(data, '$.employee_id') = ?1",
                [employee],
            )
            .map_err(sql_error)
        })
        .await
    }
}

fn enrollment_row(job: &EnrollmentJob) -> Result<(String, &'static str, String, String)> {
    Ok((
        job.photo_key.clone(),
        job.status.as_str(),
        timestamp(job.updated_at),
        to_json(job)?,
    ))
}
