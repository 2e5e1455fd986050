//! `lintas bench-recap`: the monthly recap of a large office from each store, against reading
//! the same month's punches alone in the same run.

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use clap::{Args, ValueEnum};
use futures::{StreamExt, TryStreamExt};
use lintas_aws::dynamodb::DynamoStore;
use lintas_aws::s3::S3PhotoStore;
use lintas_core::app::{App, AppConfig, MonthlyRecap, Ports, Principal};
use lintas_core::domain::{
    AttendanceKind, AttendanceMethod, AttendanceRecord, Employee, EmployeeStatus, Id, Office, Role,
    days_between, month_bounds, new_id,
};
use lintas_core::ports::{Clock, PageRequest, Store};
use lintas_local::{FolderPhotoStore, SqliteStore};
use serde_json::json;

use super::bench_gallery::store_error;
use super::print_json;
use crate::error::CliError;

/// Which store to fill and read.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum Backend {
    /// A new SQLite file in a temporary folder.
    Sqlite,
    /// A new table of the DynamoDB at `AWS_ENDPOINT_URL_DYNAMODB` (e.g. DynamoDB Local).
    Dynamodb,
}

/// Arguments of `lintas bench-recap`.
#[derive(Args)]
pub struct BenchRecapArgs {
    /// Store to fill and read from.
    #[arg(long, value_enum)]
    backend: Backend,
    /// Employees of the office, each punching in and out on every working day.
    #[arg(long, default_value_t = 1_000)]
    employees: usize,
    /// The month (October 2026 has 22 working days).
    #[arg(long, default_value = "2026-10")]
    month: String,
    /// Timed recaps.
    #[arg(long, default_value_t = 3)]
    runs: usize,
}

/// The clock of the run: the day after the month, so every day is final.
struct After(DateTime<Utc>);

impl Clock for After {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Fills a fresh store with the month's punches, then times the recap (JSON-ready, CSV and
/// XLSX) and, as the reference, reading the month's punches day by day through the same port.
pub fn run(args: BenchRecapArgs) -> Result<(), CliError> {
    let (first, last) = month_bounds(&args.month)
        .ok_or_else(|| CliError::Invalid("the month must be YYYY-MM".into()))?;
    let after = Utc.from_utc_datetime(
        &(last + Duration::days(1))
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default(),
    );
    super::async_runtime()?.block_on(async {
        let (store, photos): (Arc<dyn Store>, Arc<S3OrFolder>) = match args.backend {
            Backend::Sqlite => local_store()?,
            Backend::Dynamodb => aws_store().await?,
        };
        let started = Instant::now();
        let punches = fill(store.as_ref(), args.employees, first, last).await?;
        let fill_seconds = started.elapsed().as_secs_f64();
        let secret = new_id().to_string().repeat(4).into_bytes();
        let config =
            AppConfig::with_secret(secret).map_err(|e| CliError::Invalid(e.to_string()))?;
        let ports = Ports {
            store: store.clone(),
            photos: photos.photos(),
            snapshots: photos.snapshots(),
            clock: Arc::new(After(after)),
        };
        let app = App::new(ports, config);
        // HR's view: an admin of every office reads everyone's recap.
        let hr = Principal {
            id: id("hr")?,
            role: Role::Admin,
            account: String::new(),
            generation: 0,
            offices: Vec::new(),
        };
        // One untimed round warms the store's caches (DynamoDB Local runs on a JVM).
        read_month(store.as_ref(), first, last).await?;
        let peak_before = peak_rss_mib();
        let (mut recaps, mut reads, mut csvs, mut sheets) = (vec![], vec![], vec![], vec![]);
        for _ in 0..args.runs.max(1) {
            let started = Instant::now();
            let read = read_month(store.as_ref(), first, last).await?;
            reads.push(started.elapsed().as_secs_f64() * 1000.0);
            if read != punches {
                return Err(CliError::Invalid(format!(
                    "read {read} of {punches} punches"
                )));
            }
            let started = Instant::now();
            let recap = app
                .monthly_recap(&hr, &args.month, None)
                .await
                .map_err(|e| CliError::Invalid(e.to_string()))?;
            recaps.push(started.elapsed().as_secs_f64() * 1000.0);
            check(&recap, args.employees, first, last)?;
            let started = Instant::now();
            let csv = recap.daily_csv();
            csvs.push(started.elapsed().as_secs_f64() * 1000.0);
            let started = Instant::now();
            let sheet = lintas_http::xlsx::recap_workbook(&recap)
                .map_err(|e| CliError::Invalid(e.to_string()))?;
            sheets.push(started.elapsed().as_secs_f64() * 1000.0);
            drop((csv, sheet));
        }
        let recap_ms = median(&mut recaps);
        let read_ms = median(&mut reads);
        print_json(&json!({
            "backend": format!("{:?}", args.backend).to_lowercase(),
            "employees": args.employees,
            "punches": punches,
            "fill_seconds": fill_seconds,
            "read_month_ms": read_ms,
            "recap_ms": recap_ms,
            "recap_over_read": recap_ms / read_ms,
            "days_csv_ms": median(&mut csvs),
            "xlsx_ms": median(&mut sheets),
            "peak_rss_mib_before": peak_before,
            "peak_rss_mib_after": peak_rss_mib(),
            "runs": recaps.len(),
        }))
    })
}

/// The photo and snapshot stores the application needs (the recap reads neither).
enum S3OrFolder {
    Folder(Arc<FolderPhotoStore>),
    S3(Arc<S3PhotoStore>),
}

impl S3OrFolder {
    fn photos(&self) -> Arc<dyn lintas_core::ports::PhotoStore> {
        match self {
            Self::Folder(folder) => folder.clone(),
            Self::S3(bucket) => bucket.clone(),
        }
    }

    fn snapshots(&self) -> Arc<dyn lintas_core::ports::GallerySnapshots> {
        match self {
            Self::Folder(folder) => folder.clone(),
            Self::S3(bucket) => bucket.clone(),
        }
    }
}

/// A new SQLite file and photo folder in a temporary folder.
fn local_store() -> Result<(Arc<dyn Store>, Arc<S3OrFolder>), CliError> {
    let dir = std::env::temp_dir().join(format!("lintas-bench-recap-{}", new_id()));
    std::fs::create_dir_all(&dir).map_err(CliError::io(&dir))?;
    let store = SqliteStore::open(&dir.join("bench.db")).map_err(store_error)?;
    let folder = FolderPhotoStore::new(
        dir.join("photos"),
        "http://127.0.0.1",
        new_id().to_string().into_bytes(),
        1 << 20,
    );
    Ok((
        Arc::new(store),
        Arc::new(S3OrFolder::Folder(Arc::new(folder))),
    ))
}

/// A new table and bucket on the servers at `AWS_ENDPOINT_URL_DYNAMODB` and
/// `AWS_ENDPOINT_URL_S3` (e.g. DynamoDB Local and s3s-fs).
async fn aws_store() -> Result<(Arc<dyn Store>, Arc<S3OrFolder>), CliError> {
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_none()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_none()
    {
        return Err(CliError::Invalid(
            "set AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3 (scripts/test-servers.sh run ...)"
                .into(),
        ));
    }
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let name = format!("lintas-recap-{}", new_id());
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), name.clone());
    store.create_table().await.map_err(store_error)?;
    let s3 = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(true)
        .build();
    let bucket = S3PhotoStore::new(aws_sdk_s3::Client::from_conf(s3), name, 1 << 20);
    bucket.create_bucket().await.map_err(store_error)?;
    Ok((Arc::new(store), Arc::new(S3OrFolder::S3(Arc::new(bucket)))))
}

/// Creates the office and `employees` employees (created before the month), and their
/// check-ins and check-outs on every weekday; returns the number of punches.
async fn fill(
    store: &dyn Store,
    employees: usize,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<usize, CliError> {
    let office = Office::standard(id("bench")?, "Bench office", "Asia/Jakarta");
    store.put_office(&office).await.map_err(store_error)?;
    let created = Utc.from_utc_datetime(
        &(first - Duration::days(30))
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default(),
    );
    let mut people = Vec::with_capacity(employees);
    for n in 0..employees {
        let employee = Employee {
            id: id(&format!("pegawai-{n:05}"))?,
            name: format!("Pegawai {n}"),
            email: None,
            staff_number: Some(format!("1990{n:014}")),
            role: Role::Employee,
            office_id: office.id.clone(),
            status: EmployeeStatus::Active,
            on_roll: true,
            password_hash: None,
            created_at: created,
            updated_at: created,
            version: 1,
            account_key: new_id().to_string(),
            token_generation: 0,
            look_alikes: Vec::new(),
            supervisor_id: None,
            admin_offices: Vec::new(),
        };
        store
            .create_employee(&employee)
            .await
            .map_err(store_error)?;
        people.push(employee);
    }
    let weekdays: Vec<NaiveDate> = days_between(first, last)
        .filter(|d| d.weekday().number_from_monday() <= 5)
        .collect();
    let records: Vec<AttendanceRecord> = people
        .iter()
        .enumerate()
        .flat_map(|(n, employee)| {
            weekdays.iter().enumerate().flat_map(move |(d, day)| {
                // Most arrive before 08:00; some are late or leave early on some days.
                let arrive = 7 * 60 + 15 + ((n * 7 + d * 11) % 80) as i64;
                let leave = 15 * 60 + 50 + ((n * 13 + d * 5) % 70) as i64;
                [
                    (AttendanceKind::CheckIn, arrive),
                    (AttendanceKind::CheckOut, leave),
                ]
                .map(|(kind, minutes)| punch(employee, *day, kind, minutes))
            })
        })
        .collect();
    let count = records.len();
    futures::stream::iter(records.iter().map(Ok))
        .try_for_each_concurrent(16, |record| async move {
            store
                .record_attendance(record)
                .await
                .map(|_| ())
                .map_err(store_error)
        })
        .await?;
    Ok(count)
}

/// A punch of `employee` `minutes` after midnight on `day` in Jakarta (UTC+7).
fn punch(
    employee: &Employee,
    day: NaiveDate,
    kind: AttendanceKind,
    minutes: i64,
) -> AttendanceRecord {
    let midnight = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let at = midnight + Duration::minutes(minutes) - Duration::hours(7);
    AttendanceRecord {
        id: new_id(),
        employee_id: employee.id.clone(),
        kind,
        at,
        local_day: day,
        score: 0.82,
        method: AttendanceMethod::Verify,
        device: None,
        location: None,
        photo_key: None,
        liveness: None,
        challenged: false,
        photo_sha256: None,
        probe: None,
        idempotency_key: format!("{}-{day}-{kind:?}", employee.id),
        client_key: None,
        account_key: employee.account_key.clone(),
        correction: None,
    }
}

/// Days read at once, as the recap reads them.
const DAYS_READ_AT_ONCE: usize = 8;

/// The reference: every punch of the month read day by day, as the recap reads them.
async fn read_month(
    store: &dyn Store,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<usize, CliError> {
    let days: Vec<NaiveDate> = days_between(first, last).collect();
    let counts: Vec<usize> = futures::stream::iter(days)
        .map(|day| async move {
            let mut request = PageRequest::first(0);
            let mut count = 0;
            loop {
                let page = store
                    .attendance_on(day, &request)
                    .await
                    .map_err(store_error)?;
                count += page.items.len();
                match page.next {
                    Some(next) => request.cursor = Some(next),
                    None => return Ok::<usize, CliError>(count),
                }
            }
        })
        .buffered(DAYS_READ_AT_ONCE)
        .try_collect()
        .await?;
    Ok(counts.into_iter().sum())
}

/// Checks the recap holds every employee with every weekday planned and none absent.
fn check(
    recap: &MonthlyRecap,
    employees: usize,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(), CliError> {
    let weekdays = days_between(first, last)
        .filter(|d| d.weekday().number_from_monday() <= 5)
        .count() as u32;
    let whole = recap
        .employees
        .iter()
        .all(|e| e.working_days == weekdays && e.present_days == weekdays && e.absent_days == 0);
    if recap.employees.len() != employees || !whole {
        return Err(CliError::Invalid(format!(
            "the recap holds {} employees, not all of them present on {weekdays} days",
            recap.employees.len()
        )));
    }
    Ok(())
}

fn id(text: &str) -> Result<Id, CliError> {
    Id::parse(text).map_err(|e| CliError::Invalid(e.to_string()))
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// The process's peak resident memory so far (Linux `VmHWM`), in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
