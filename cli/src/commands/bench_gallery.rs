//! `lintas bench-gallery`: cold-start load of a large gallery from each store.

use std::time::{Duration, Instant};

use chrono::Utc;
use clap::{Args, ValueEnum};
use lintas::adapters::dynamodb::DynamoStore;
use lintas::adapters::local::SqliteStore;
use lintas::domain::{FaceTemplate, Id, new_id};
use lintas::face::embedding::{EMBEDDING_DIM, Embedding, ModelId};
use lintas::face::gallery_cache::GalleryCache;
use lintas::face::quality::QualityReport;
use lintas::ports::{StoreError, TemplateStore};
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

/// Fills a fresh store, then times full gallery loads.
pub fn run(args: BenchGalleryArgs) -> Result<(), CliError> {
    super::async_runtime()?.block_on(async {
        let store: Box<dyn TemplateStore> = match args.backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("lintas-bench-{}", new_id()));
                std::fs::create_dir_all(&dir).map_err(CliError::io(&dir))?;
                Box::new(SqliteStore::open(&dir.join("bench.db")).map_err(store_error)?)
            }
            Backend::Dynamodb => {
                if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_none() {
                    return Err(CliError::Invalid(
                        "set AWS_ENDPOINT_URL_DYNAMODB (scripts/test-servers.sh run ...)".into(),
                    ));
                }
                let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
                let table = format!("lintas-bench-{}", new_id());
                let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
                store.create_table().await.map_err(store_error)?;
                Box::new(store)
            }
        };
        let model = ModelId::new("bench");
        let started = Instant::now();
        fill(store.as_ref(), &model, args.templates).await?;
        let fill_seconds = started.elapsed().as_secs_f64();
        let mut samples = Vec::new();
        for _ in 0..args.runs.max(1) {
            let started = Instant::now();
            let cache = GalleryCache::load(store.as_ref(), model.clone(), Duration::from_secs(5))
                .await
                .map_err(store_error)?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            let loaded = cache
                .current(store.as_ref())
                .await
                .map_err(store_error)?
                .len();
            if loaded != args.templates {
                return Err(CliError::Invalid(format!(
                    "loaded {loaded} of {} templates",
                    args.templates
                )));
            }
        }
        samples.sort_by(f64::total_cmp);
        print_json(&json!({
            "backend": format!("{:?}", args.backend).to_lowercase(),
            "templates": args.templates,
            "fill_seconds": fill_seconds,
            "load_median_ms": samples[samples.len() / 2],
            "load_max_ms": samples[samples.len() - 1],
            "runs": samples.len(),
        }))
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
