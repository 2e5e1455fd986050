//! Every record store on one SQLite file. Calls run on the blocking thread pool, one at a
//! time per store; the file survives restarts and is safe for concurrent requests.

use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::cursor;
use super::schema::SCHEMA;
use lintas_core::domain::{
    AttendanceRecord, AttendanceRequest, AttendanceRules, AuditEvent, Challenge, Employee,
    EmployeeStatus, EnrollmentJob, EnrollmentStatus, FaceTemplate, Holiday, Id, LoginFailures,
    Office, RefreshToken, RefusedAttempt, Shift, ShiftAssignment, SpecialPeriod,
};
use lintas_core::ports::{
    AttendanceStore, AuditLog, CalendarStore, ChallengeStore, EmployeeStore, EnrollmentJobStore,
    LoginFailureStore, OfficeStore, Page, PageRequest, RecordOutcome, RefusalLog, RequestStore,
    RulesStore, ShiftStore, StoreError, TemplateStore, TokenStore,
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
        // Anything else (a missing table, a malformed query, a read-only or full file) is a
        // fault of the service or its host: retrying later would not help.
        _ => StoreError::Misconfigured(format!("database error: {error}")),
    }
}

pub(crate) fn to_json(value: &impl Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
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

/// Every JSON record `sql` selects (one `data` column), decoded.
pub(crate) fn all_json<T: serde::de::DeserializeOwned>(
    c: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut statement = c.prepare(sql).map_err(sql_error)?;
    let rows = statement
        .query_map(params, |r| r.get::<_, String>(0))
        .map_err(sql_error)?;
    rows.map(|data| from_json(&data.map_err(sql_error)?))
        .collect()
}

/// Moves the gallery version by one; returns the new version.
fn bump_gallery_version(tx: &rusqlite::Transaction<'_>) -> Result<u64> {
    let version: i64 = tx
        .query_row(
            "INSERT INTO counters (name, value) VALUES ('gallery', 1)
             ON CONFLICT (name) DO UPDATE SET value = value + 1
             RETURNING value",
            [],
            |row| row.get(0),
        )
        .map_err(sql_error)?;
    u64::try_from(version).map_err(|_| StoreError::Corrupt(format!("gallery version {version}")))
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

mod attendance;
mod audit;
mod calendars;
mod challenges;
mod employees;
mod enrollments;
mod login_failures;
mod offices;
mod refusals;
mod requests;
mod templates;
mod tokens;

#[cfg(test)]
mod tests {
    use super::*;
    use lintas_core::ports::conformance;

    #[test]
    fn unknown_sql_errors_are_service_faults_not_retry_later() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY)")
            .unwrap();
        let missing = connection
            .execute("SELECT * FROM no_such_table", [])
            .unwrap_err();
        assert!(matches!(sql_error(missing), StoreError::Misconfigured(_)));
        let malformed = connection.execute("SELEC nonsense", []).unwrap_err();
        assert!(matches!(sql_error(malformed), StoreError::Misconfigured(_)));
        connection
            .execute("INSERT INTO t VALUES ('a')", [])
            .unwrap();
        let duplicate = connection
            .execute("INSERT INTO t VALUES ('a')", [])
            .unwrap_err();
        assert!(matches!(sql_error(duplicate), StoreError::Conflict(_)));
    }

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
        store
            .create_employee(&conformance::employee("ann", None))
            .await
            .unwrap();
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
