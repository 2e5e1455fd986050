//! `lintas bench-api`: cold start and warm `POST /v1/predict` latency of `lintas serve` with
//! a large gallery, against the face pipeline alone timed in the same run.
//!
//! Punches refuse a photo already used within the replay window, so between two timed
//! requests (outside the timing) the benchmark deletes the employee's punches from the store:
//! every timed request is a first punch that goes all the way to the record (their photos
//! stay in the benchmark's temporary folder until it is removed at the end).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use clap::Args;
use lintas_core::domain::{Id, new_id};
use lintas_core::ports::AttendanceStore;
use lintas_face::{FacePolicy, Liveness};
use lintas_local::SqliteStore;
use lintas_local::bootstrap::DATABASE_FILE;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use super::bench_gallery::{fill, store_error};
use super::print_json;
use crate::error::CliError;
use crate::options::{EngineOptions, read_image};

const PASSWORD: &str = "bench password 1";
const EMPLOYEE: &str = "bench-person";

/// Arguments of `lintas bench-api`.
#[derive(Args)]
pub struct BenchApiArgs {
    /// Photo to enroll as the one real employee.
    #[arg(long)]
    enroll: PathBuf,
    /// Selfie sent to `/v1/predict` (another photo of the same person).
    #[arg(long)]
    probe: PathBuf,
    /// Passive liveness on the server and in the reference pipeline (on, as deployed, or
    /// off). A colour photo is needed when it is on.
    #[arg(long, default_value = "on", value_parser = ["on", "off"])]
    liveness: String,
    /// Synthetic templates in the gallery besides the real one.
    #[arg(long, default_value_t = 10_000)]
    gallery: usize,
    /// Timed predict requests.
    #[arg(long, default_value_t = 100)]
    requests: usize,
    /// Timed cold starts.
    #[arg(long, default_value_t = 5)]
    starts: usize,
    /// Pin the server to this CPU (with taskset) so inference runs on one core.
    #[arg(long)]
    cpu: Option<u32>,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Runs the benchmark and prints its figures as JSON.
pub fn run(args: BenchApiArgs) -> Result<(), CliError> {
    super::async_runtime()?.block_on(bench(args))
}

async fn bench(args: BenchApiArgs) -> Result<(), CliError> {
    let probe = read_image(&args.probe)?;
    let engine = args.engine.load_engine()?;
    let data = std::env::temp_dir().join(format!("lintas-bench-api-{}", new_id()));
    std::fs::create_dir_all(&data).map_err(CliError::io(&data))?;
    {
        let store = SqliteStore::open(&data.join(DATABASE_FILE)).map_err(store_error)?;
        fill(&store, engine.model_id(), args.gallery).await?;
    }

    let liveness = args.liveness == "on";
    let mut cold = Vec::new();
    for _ in 0..args.starts.max(1) {
        let started = Instant::now();
        let server = Server::start(&data, args.cpu, &args.engine, &args.liveness).await?;
        cold.push(ms(started.elapsed()));
        drop(server);
    }

    let server = Server::start(&data, args.cpu, &args.engine, &args.liveness).await?;
    let token = server.admin_token().await?;
    server.enroll(&token, &read_image(&args.enroll)?).await?;
    let store = SqliteStore::open(&data.join(DATABASE_FILE)).map_err(store_error)?;
    let employee = Id::parse(EMPLOYEE).map_err(|e| CliError::Invalid(e.to_string()))?;
    let body = json!({ "photo": base64::engine::general_purpose::STANDARD.encode(&probe) });
    let mut warm = Vec::new();
    for n in 0..args.requests.max(1) + 3 {
        store
            .delete_attendance_of(&employee)
            .await
            .map_err(store_error)?;
        let started = Instant::now();
        let (status, answer) = server.post(&token, "/v1/predict", &body).await?;
        if status != StatusCode::OK || answer["employee_id"] != EMPLOYEE {
            return Err(CliError::Invalid(format!(
                "predict answered {status}: {answer}"
            )));
        }
        if n >= 3 {
            warm.push(ms(started.elapsed()));
        }
    }
    drop(server);
    drop(store);
    let _ = std::fs::remove_dir_all(&data);

    let assess = if liveness {
        Liveness::Assess
    } else {
        Liveness::Skip
    };
    let mut pipeline = Vec::new();
    for _ in 0..args.requests.max(1) {
        let started = Instant::now();
        engine
            .analyze(&probe, FacePolicy::Selfie, assess)
            .map_err(CliError::face(args.probe.display()))?;
        pipeline.push(ms(started.elapsed()));
    }
    let (warm_p50, pipeline_p50) = (percentile(&mut warm, 0.5), percentile(&mut pipeline, 0.5));
    print_json(&json!({
        "gallery_templates": args.gallery + 1,
        "requests": warm.len(),
        "predict_p50_ms": warm_p50,
        "predict_p99_ms": percentile(&mut warm, 0.99),
        "pipeline_p50_ms": pipeline_p50,
        "predict_over_pipeline": warm_p50 / pipeline_p50,
        "cold_start_median_ms": percentile(&mut cold, 0.5),
        "cold_start_max_ms": percentile(&mut cold, 1.0),
        "cold_starts": cold.len(),
        "liveness": args.liveness,
        "cpu": args.cpu,
    }))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn percentile(samples: &mut [f64], q: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
    samples[index.min(samples.len() - 1)]
}

/// A `lintas serve` child process.
struct Server {
    child: Child,
    base: String,
    client: Client,
}

impl Server {
    /// Starts the server on `data` and returns once it answers `/v1/health`.
    async fn start(
        data: &Path,
        cpu: Option<u32>,
        engine: &EngineOptions,
        liveness: &str,
    ) -> Result<Self, CliError> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| CliError::Invalid(format!("finding a free port: {e}")))?
            .port();
        let exe = std::env::current_exe().map_err(CliError::io("lintas"))?;
        let mut command = match cpu {
            Some(cpu) => {
                let mut taskset = Command::new("taskset");
                taskset.args(["-c", &cpu.to_string()]).arg(exe);
                taskset
            }
            None => Command::new(exe),
        };
        command
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(data)
            .arg("--config")
            .arg(&engine.config)
            .env(
                "LINTAS_JWT_SECRET",
                "bench secret of at least thirty-two bytes",
            )
            .env("LINTAS_ADMIN_PASSWORD", PASSWORD)
            .env("LINTAS_BCRYPT_COST", "4")
            .env("LINTAS_REPEAT_PUNCH_MINUTES", "0")
            .env("LINTAS_LIVENESS", liveness)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(models) = &engine.models {
            command.arg("--models").arg(models);
        }
        let child = command
            .spawn()
            .map_err(|e| CliError::Invalid(format!("starting lintas serve: {e}")))?;
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(response) = server
                .client
                .get(format!("{}/v1/health", server.base))
                .send()
                .await
                && response.status() == StatusCode::OK
            {
                return Ok(server);
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Err(CliError::Invalid(
            "lintas serve did not answer within 60 s".into(),
        ))
    }

    async fn post(
        &self,
        token: &str,
        path: &str,
        body: &Value,
    ) -> Result<(StatusCode, Value), CliError> {
        let mut request = self.client.post(format!("{}{path}", self.base)).json(body);
        if !token.is_empty() {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .map_err(|e| CliError::Invalid(format!("{path}: {e}")))?;
        let status = response.status();
        let value = response.json().await.unwrap_or(Value::Null);
        Ok((status, value))
    }

    async fn admin_token(&self) -> Result<String, CliError> {
        let (status, body) = self
            .post(
                "",
                "/v1/auth/login",
                &json!({"login": "admin", "password": PASSWORD}),
            )
            .await?;
        body["access_token"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| CliError::Invalid(format!("login answered {status}: {body}")))
    }

    async fn enroll(&self, token: &str, photo: &[u8]) -> Result<(), CliError> {
        let person = json!({"id": EMPLOYEE, "name": "Bench Person", "role": "employee"});
        self.post(token, "/v1/employees", &person).await?;
        let photos = json!({"photos": [base64::engine::general_purpose::STANDARD.encode(photo)]});
        let (status, body) = self
            .post(token, &format!("/v1/employees/{EMPLOYEE}/faces"), &photos)
            .await?;
        if body["results"][0]["status"] == "accepted" {
            Ok(())
        } else {
            Err(CliError::Invalid(format!(
                "enrollment answered {status}: {body}"
            )))
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
