//! The SQLite schema. Each table keeps the record as JSON plus the columns it is looked
//! up and ordered by.

/// Statements that create every table and index (idempotent).
pub(super) const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS employees (
    id TEXT PRIMARY KEY,
    email TEXT UNIQUE,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS templates (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS templates_by_employee ON templates (employee_id);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS attendance (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    local_day TEXT NOT NULL,
    at TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (employee_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS attendance_by_employee ON attendance (employee_id, local_day, at, id);
CREATE INDEX IF NOT EXISTS attendance_by_day ON attendance (local_day, at, id);
CREATE TABLE IF NOT EXISTS offices (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS enrollments (
    photo_key TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS enrollments_by_status ON enrollments (status, updated_at, photo_key);
CREATE TABLE IF NOT EXISTS refresh_tokens (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_by_family ON refresh_tokens (family);
CREATE TABLE IF NOT EXISTS revoked_families (
    family TEXT PRIMARY KEY
);
CREATE INDEX IF NOT EXISTS tokens_by_employee ON refresh_tokens (employee_id);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at, id);
CREATE TABLE IF NOT EXISTS challenges (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS challenges_by_owner ON challenges (owner);
CREATE TABLE IF NOT EXISTS refusals (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    sender TEXT NOT NULL,
    employee_id TEXT,
    expires_at TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refusals_by_time ON refusals (at, id);
CREATE INDEX IF NOT EXISTS refusals_by_employee ON refusals (employee_id, at, id);
CREATE INDEX IF NOT EXISTS refusals_by_sender ON refusals (sender);
CREATE TABLE IF NOT EXISTS holidays (
    calendar TEXT NOT NULL,
    date TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (calendar, date)
);
CREATE TABLE IF NOT EXISTS special_periods (
    calendar TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (calendar, id)
);
CREATE TABLE IF NOT EXISTS shifts (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS assignments (
    employee_id TEXT NOT NULL,
    id TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (employee_id, id)
);
CREATE TABLE IF NOT EXISTS requests (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    status TEXT NOT NULL,
    filed_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_by_employee ON requests (employee_id, from_day);
CREATE INDEX IF NOT EXISTS requests_by_status ON requests (status, to_day);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
";
