//! Every record store on one SQLite file. Calls run on the blocking thread pool, one at a
//! time per store; the file survives restarts and is safe for concurrent requests.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::cursor;
use super::schema::SCHEMA;
use lintas_core::domain::{
    AttendanceRecord, AuditEvent, Employee, EnrollmentJob, EnrollmentStatus, FaceTemplate, Id,
    LoginFailures, Office, RefreshToken,
};
use lintas_core::ports::{
    AttendanceStore, AuditLog, EmployeeStore, EnrollmentJobStore, LoginFailureStore, OfficeStore,
    Page, PageRequest, RecordOutcome, StoreError, TemplateStore, TokenStore,
};

type Result<T> = std::result::Result<T, StoreError>;

/// The record stores on one SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self> {
        let connection = Connection::open(path).map_err(sql_error)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql_error)?;
        connection.execute_batch(SCHEMA).map_err(sql_error)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// The JSON record selected by `sql` (one `?1` parameter), decoded.
    async fn find_one<T>(&self, sql: &'static str, key: String) -> Result<Option<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.run(move |c| {
            let data: Option<String> = c
                .query_row(sql, [key], |r| r.get(0))
                .optional()
                .map_err(sql_error)?;
            data.as_deref().map(from_json).transpose()
        })
        .await
    }

    /// One page of the JSON records selected by `sql`, which takes the id to start after
    /// (`?1`) and the row limit (`?2`) and selects `id, data` in id order.
    async fn page_by_id<T>(&self, sql: &'static str, page: &PageRequest) -> Result<Page<T>>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let after = match &page.cursor {
            Some(c) => cursor::decode(c, 1)?.remove(0),
            None => String::new(),
        };
        let limit = page.effective_limit();
        self.run(move |c| {
            let mut statement = c.prepare(sql).map_err(sql_error)?;
            let rows = keyed_rows(&mut statement, params![after, limit + 1], 1)?;
            paged(rows, limit)
        })
        .await
    }

    /// Runs `work` with the connection on the blocking thread pool.
    async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let mut guard = connection
                .lock()
                .map_err(|_| StoreError::Unavailable("the database lock is poisoned".into()))?;
            work(&mut guard)
        })
        .await
        .map_err(|error| StoreError::Unavailable(format!("database task failed: {error}")))?
    }
}

/// Maps SQLite errors: constraint violations are conflicts, busy is retryable.
fn sql_error(error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(error.to_string()),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Unavailable(error.to_string())
        }
        _ => StoreError::Unavailable(format!("database error: {error}")),
    }
}

fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Fixed-width UTC timestamps, so text order is time order.
fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_timestamp(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp {text:?}: {e}")))
}

/// Reads rows of `(sort key parts..., json)`: at most `limit` items and the cursor of the next
/// page. The query must select `limit + 1` rows.
fn paged<T: DeserializeOwned>(rows: Vec<(Vec<String>, String)>, limit: u32) -> Result<Page<T>> {
    let more = rows.len() > limit as usize;
    let kept = &rows[..rows.len().min(limit as usize)];
    let next = match (more, kept.last()) {
        (true, Some((keys, _))) => Some(cursor::encode(
            &keys.iter().map(String::as_str).collect::<Vec<_>>(),
        )),
        _ => None,
    };
    let items = kept
        .iter()
        .map(|(_, json)| from_json(json))
        .collect::<Result<_>>()?;
    Ok(Page { items, next })
}

/// Collects `(key columns, data)` from rows whose last column is the JSON data.
fn keyed_rows(
    statement: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
    keys: usize,
) -> Result<Vec<(Vec<String>, String)>> {
    let read = |row: &Row<'_>| -> rusqlite::Result<(Vec<String>, String)> {
        let parts = (0..keys)
            .map(|i| row.get::<_, String>(i))
            .collect::<rusqlite::Result<_>>()?;
        Ok((parts, row.get(keys)?))
    };
    statement
        .query_map(params, read)
        .map_err(sql_error)?
        .collect::<rusqlite::Result<_>>()
        .map_err(sql_error)
}

fn bump_gallery_version(tx: &rusqlite::Transaction<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO counters (name, value) VALUES ('gallery', 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1",
        [],
    )
    .map_err(sql_error)?;
    Ok(())
}

#[async_trait]
impl EmployeeStore for SqliteStore {
    async fn create_employee(&self, employee: &Employee) -> Result<()> {
        let (id, email, version, data) = employee_row(employee)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO employees (id, email, version, data) VALUES (?1, ?2, ?3, ?4)",
                params![id, email, version, data],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn employee(&self, id: &Id) -> Result<Option<Employee>> {
        self.find_one("SELECT data FROM employees WHERE id = ?1", id.to_string())
            .await
    }

    async fn employee_by_email(&self, email: &str) -> Result<Option<Employee>> {
        let email = email.to_lowercase();
        self.find_one("SELECT data FROM employees WHERE email = ?1", email)
            .await
    }

    async fn update_employee(&self, employee: &Employee) -> Result<()> {
        let (id, email, version, data) = employee_row(employee)?;
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE employees SET email = ?2, version = ?3, data = ?4
                     WHERE id = ?1 AND version = ?3 - 1",
                    params![id, email, version, data],
                )
                .map_err(sql_error)?;
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "employee {id} is gone or changed since version {}",
                    version - 1
                )));
            }
            Ok(())
        })
        .await
    }

    async fn delete_employee(&self, id: &Id) -> Result<bool> {
        let id = id.to_string();
        self.run(move |c| {
            let deleted = c
                .execute("DELETE FROM employees WHERE id = ?1", [id])
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn list_employees(&self, page: &PageRequest) -> Result<Page<Employee>> {
        self.page_by_id(
            "SELECT id, data FROM employees WHERE id > ?1 ORDER BY id LIMIT ?2",
            page,
        )
        .await
    }
}

fn employee_row(employee: &Employee) -> Result<(String, Option<String>, i64, String)> {
    let version = i64::try_from(employee.version)
        .map_err(|_| StoreError::Invalid("version out of range".into()))?;
    Ok((
        employee.id.to_string(),
        employee.email.as_ref().map(|e| e.to_lowercase()),
        version,
        to_json(employee)?,
    ))
}

#[async_trait]
impl TemplateStore for SqliteStore {
    async fn add_template(&self, template: &FaceTemplate) -> Result<()> {
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
            bump_gallery_version(&tx)?;
            tx.commit().map_err(sql_error)
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
            tx.execute(
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

/// Sort position before the first row of an ascending page.
const OLDEST: &str = "";
/// Sort position after the last row of a descending page.
const NEWEST: &str = "\u{10FFFF}";

/// The `(time, id)` position a time-ordered page continues from: the cursor's, or `start`
/// (with an empty id) on the first page.
fn pair_cursor(page: &PageRequest, start: &str) -> Result<(String, String)> {
    match &page.cursor {
        Some(c) => {
            let mut parts = cursor::decode(c, 2)?.into_iter();
            Ok((
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            ))
        }
        None => Ok((start.to_owned(), String::new())),
    }
}

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

#[async_trait]
impl TokenStore for SqliteStore {
    async fn put_refresh_token(&self, token: &RefreshToken) -> Result<()> {
        let token = token.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO refresh_tokens (id, family, employee_id, expires_at, revoked)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    token.id,
                    token.family.as_str(),
                    token.employee_id.as_str(),
                    timestamp(token.expires_at),
                    token.revoked
                ],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn refresh_token(&self, id: &str, now: DateTime<Utc>) -> Result<Option<RefreshToken>> {
        let (id, now) = (id.to_owned(), timestamp(now));
        self.run(move |c| {
            let row: Option<(String, String, String, String, bool)> = c
                .query_row(
                    "SELECT id, family, employee_id, expires_at, revoked FROM refresh_tokens
                     WHERE id = ?1 AND expires_at > ?2",
                    params![id, now],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .optional()
                .map_err(sql_error)?;
            row.map(|(id, family, employee, expires_at, revoked)| {
                let stored_id =
                    |text: String| Id::parse(text).map_err(|e| StoreError::Corrupt(e.to_string()));
                Ok(RefreshToken {
                    id,
                    family: stored_id(family)?,
                    employee_id: stored_id(employee)?,
                    expires_at: parse_timestamp(&expires_at)?,
                    revoked,
                })
            })
            .transpose()
        })
        .await
    }

    async fn revoke_refresh_token(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE refresh_tokens SET revoked = 1 WHERE id = ?1 AND revoked = 0",
                    [id],
                )
                .map_err(sql_error)?;
            Ok(changed > 0)
        })
        .await
    }

    async fn revoke_token_family(&self, family: &Id) -> Result<usize> {
        let family = family.to_string();
        self.run(move |c| {
            c.execute(
                "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?1 AND revoked = 0",
                [family],
            )
            .map_err(sql_error)
        })
        .await
    }

    async fn delete_tokens_of(&self, employee: &Id) -> Result<()> {
        let employee = employee.to_string();
        self.run(move |c| {
            c.execute(
                "DELETE FROM refresh_tokens WHERE employee_id = ?1",
                [employee],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}

#[async_trait]
impl LoginFailureStore for SqliteStore {
    async fn record_login_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_end: DateTime<Utc>,
    ) -> Result<LoginFailures> {
        let key = key.to_owned();
        self.run(move |c| {
            let tx = c.transaction().map_err(sql_error)?;
            let live: Option<(u32, String)> = tx
                .query_row(
                    "SELECT count, expires_at FROM login_failures WHERE key = ?1 AND expires_at > ?2",
                    params![key, timestamp(now)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            let (count, expires_at) = match live {
                Some((count, expires_at)) => (count + 1, parse_timestamp(&expires_at)?),
                None => (1, window_end),
            };
            tx.execute(
                "INSERT INTO login_failures (key, count, expires_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET count = excluded.count, expires_at = excluded.expires_at",
                params![key, count, timestamp(expires_at)],
            )
            .map_err(sql_error)?;
            tx.commit().map_err(sql_error)?;
            Ok(LoginFailures { key, count, expires_at })
        })
        .await
    }

    async fn login_failures(&self, key: &str, now: DateTime<Utc>) -> Result<Option<LoginFailures>> {
        let key = key.to_owned();
        self.run(move |c| {
            let live: Option<(u32, String)> = c
                .query_row(
                    "SELECT count, expires_at FROM login_failures WHERE key = ?1 AND expires_at > ?2",
                    params![key, timestamp(now)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(sql_error)?;
            live.map(|(count, expires_at)| {
                Ok(LoginFailures { key, count, expires_at: parse_timestamp(&expires_at)? })
            })
            .transpose()
        })
        .await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<()> {
        let key = key.to_owned();
        self.run(move |c| {
            c.execute("DELETE FROM login_failures WHERE key = ?1", [key])
                .map_err(sql_error)?;
            Ok(())
        })
        .await
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use lintas_core::ports::conformance;

    fn temp_store(name: &str) -> (SqliteStore, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("lintas-sqlite-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        (SqliteStore::open(&dir.join("lintas.db")).unwrap(), dir)
    }

    #[tokio::test]
    async fn the_sqlite_store_passes_the_conformance_suite() {
        let (store, dir) = temp_store("conformance");
        conformance::check_store(&store).await;
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn records_survive_reopening_the_file() {
        let (store, dir) = temp_store("reopen");
        store
            .create_employee(&conformance::employee("kept", Some("kept@example.go.id")))
            .await
            .unwrap();
        store
            .add_template(&conformance::template("tk", "kept", 7))
            .await
            .unwrap();
        drop(store);
        let reopened = SqliteStore::open(&dir.join("lintas.db")).unwrap();
        assert!(
            reopened
                .employee(&Id::parse("kept").unwrap())
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            reopened
                .templates_of(&Id::parse("kept").unwrap())
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(reopened.gallery_version().await.unwrap(), 1);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn concurrent_retries_of_one_punch_store_it_once() {
        let (store, dir) = temp_store("retries");
        let tasks: Vec<_> = (0..8)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move {
                    let record = conformance::punch(&format!("p{n}"), "ann", 0, "same-key");
                    store.record_attendance(&record).await.unwrap()
                })
            })
            .collect();
        let mut created = 0;
        for task in tasks {
            if task.await.unwrap() == RecordOutcome::Created {
                created += 1;
            }
        }
        assert_eq!(created, 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
