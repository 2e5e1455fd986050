//! `lintas bench-gallery`: cold-start load of a large gallery from each store, from the
//! templates and from the gallery snapshot.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use clap::{Args, ValueEnum};
use lintas_aws::dynamodb::DynamoStore;
use lintas_aws::s3::S3PhotoStore;
use lintas_core::app::gallery_cache::GalleryCache;
use lintas_core::domain::{FaceTemplate, Id, new_id};
use lintas_core::ports::{GallerySnapshots, StoreError, TemplateStore};
use lintas_face::embedding::{EMBEDDING_DIM, Embedding, ModelId};
use lintas_face::quality::QualityReport;
use lintas_local::{FolderPhotoStore, SqliteStore};
use serde_json::json;

use super::print_json;
use crate::error::CliError;

/// Which store to load from.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum Backend {
    /// A new SQLite file in a temporary folder.
    Sqlite,
    /// A new table of the DynamoDB at `AWS_ENDPOINT_URL_DYNAMODB` (e.g. DynamoDB Local).
    Dynamodb,
}

/// Arguments of `lintas bench-gallery`.
#[derive(Args)]
pub struct BenchGalleryArgs {
    /// Store to fill and load from.
    #[arg(long, value_enum)]
    backend: Backend,
    /// Templates to enrol (five per employee).
    #[arg(long, default_value_t = 10_000)]
    templates: usize,
    /// Timed loads.
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

/// The store to fill and where its gallery snapshot goes.
struct Stores {
    templates: Box<dyn TemplateStore>,
    snapshots: Arc<dyn GallerySnapshots>,
}

/// Fills a fresh store, then times cold gallery loads, from the templates (no snapshot yet)
/// and from the snapshot the first load published.
pub fn run(args: BenchGalleryArgs) -> Result<(), CliError> {
    super::async_runtime()?.block_on(async {
        let stores = match args.backend {
            Backend::Sqlite => local_stores()?,
            Backend::Dynamodb => aws_stores().await?,
        };
        let model = ModelId::new("bench");
        let started = Instant::now();
        fill(stores.templates.as_ref(), &model, args.templates).await?;
        let fill_seconds = started.elapsed().as_secs_f64();
        let mut from_templates = Vec::new();
        let mut from_snapshot = Vec::new();
        for _ in 0..args.runs.max(1) {
            stores
                .snapshots
                .delete_gallery_snapshot()
                .await
                .map_err(store_error)?;
            from_templates.push(timed_load(&stores, &model, args.templates).await?);
            from_snapshot.push(timed_load(&stores, &model, args.templates).await?);
        }
        let snapshot_bytes = stores
            .snapshots
            .gallery_snapshot()
            .await
            .map_err(store_error)?
            .map_or(0, |bytes| bytes.len());
        print_json(&json!({
            "backend": format!("{:?}", args.backend).to_lowercase(),
            "templates": args.templates,
            "fill_seconds": fill_seconds,
            "snapshot_bytes": snapshot_bytes,
            "from_templates_ms": summary(from_templates),
            "from_snapshot_ms": summary(from_snapshot),
        }))
    })
}

/// A new SQLite file and photo folder in a temporary folder.
fn local_stores() -> Result<Stores, CliError> {
    let dir = std::env::temp_dir().join(format!("lintas-bench-{}", new_id()));
    std::fs::create_dir_all(&dir).map_err(CliError::io(&dir))?;
    Ok(Stores {
        templates: Box::new(SqliteStore::open(&dir.join("bench.db")).map_err(store_error)?),
        snapshots: Arc::new(FolderPhotoStore::new(
            dir.join("photos"),
            "http://127.0.0.1",
            new_id().to_string().into_bytes(),
            1 << 20,
        )),
    })
}

/// A new table and bucket on the servers at `AWS_ENDPOINT_URL_DYNAMODB` and
/// `AWS_ENDPOINT_URL_S3` (e.g. DynamoDB Local and s3s-fs).
async fn aws_stores() -> Result<Stores, CliError> {
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_none()
        || std::env::var_os("AWS_ENDPOINT_URL_S3").is_none()
    {
        return Err(CliError::Invalid(
            "set AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_S3 (scripts/test-servers.sh run ...)"
                .into(),
        ));
    }
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let name = format!("lintas-bench-{}", new_id());
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), name.clone());
    store.create_table().await.map_err(store_error)?;
    let s3 = aws_sdk_s3::config::Builder::from(&config)
        .force_path_style(true)
        .build();
    let bucket = S3PhotoStore::new(aws_sdk_s3::Client::from_conf(s3), name, 1 << 20);
    bucket.create_bucket().await.map_err(store_error)?;
    Ok(Stores {
        templates: Box::new(store),
        snapshots: Arc::new(bucket),
    })
}

/// Milliseconds of one cold load, checked to hold every template.
async fn timed_load(stores: &Stores, model: &ModelId, expected: usize) -> Result<f64, CliError> {
    let templates = stores.templates.as_ref();
    let started = Instant::now();
    let cache = GalleryCache::load(
        templates,
        stores.snapshots.clone(),
        model.clone(),
        Duration::from_secs(5),
    )
    .await
    .map_err(store_error)?;
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    let loaded = cache.current(templates).await.map_err(store_error)?.len();
    if loaded != expected {
        return Err(CliError::Invalid(format!(
            "loaded {loaded} of {expected} templates"
        )));
    }
    Ok(elapsed)
}

/// Median and maximum of `samples`.
fn summary(mut samples: Vec<f64>) -> serde_json::Value {
    samples.sort_by(f64::total_cmp);
    json!({
        "median": samples[samples.len() / 2],
        "max": samples[samples.len() - 1],
        "runs": samples.len(),
    })
}

/// A store failure as a command error.
pub fn store_error(error: StoreError) -> CliError {
    CliError::Invalid(format!("store: {error}"))
}

/// Enrols `count` pseudo-random templates of `model`, five per employee, 16 at a time.
pub async fn fill(
    store: &dyn TemplateStore,
    model: &ModelId,
    count: usize,
) -> Result<(), CliError> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let templates: Vec<FaceTemplate> = (0..count)
        .map(|n| {
            let raw = (0..EMBEDDING_DIM).map(|_| next()).collect();
            let embedding = Embedding::from_raw(model.clone(), raw)
                .map_err(|e| CliError::Invalid(e.to_string()))?;
            let employee = Id::parse(format!("employee-{}", n / 5))
                .map_err(|e| CliError::Invalid(e.to_string()))?;
            Ok(FaceTemplate {
                id: new_id(),
                employee_id: employee,
                embedding,
                quality: QualityReport {
                    score: 0.9,
                    face_width: 120.0,
                    sharpness: 300.0,
                    brightness: 140.0,
                    yaw: 0.0,
                    pitch: 0.08,
                    roll: 0.0,
                },
                photo_key: format!("enrolled/employee-{}/{n}.jpg", n / 5),
                created_at: Utc::now(),
            })
        })
        .collect::<Result<_, CliError>>()?;
    for chunk in templates.chunks(16) {
        let writes = chunk.iter().map(|t| store.add_template(t));
        for result in futures::future::join_all(writes).await {
            result.map_err(store_error)?;
        }
    }
    Ok(())
}
