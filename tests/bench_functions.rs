//! `bench-functions`: cold start of each Lambda function binary, as Lambda runs it, against
//! the local DynamoDB and S3 servers.
//!
//! Each start spawns the release binary under a Lambda Runtime API on loopback and times
//! process start to its answer to a first event (its init phase plus that invocation), then
//! the same event again on the now warm process. The `login` function loads no model and
//! is the reference of the run: the other rows are also given as a ratio to it.
//!
//! ```sh
//! cargo build --release --locked -p lintas-tests --bin bench-functions \
//!   -p lintas-login -p lintas-register -p lintas-predict -p lintas-enroll
//! scripts/test-servers.sh run taskset -c 1 "$CARGO_TARGET_DIR/release/bench-functions" 5
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use lintas_core::ports::PhotoStore;
use lintas_tests::cloud::{ADMIN_PASSWORD, Cloud, add_employee};
use lintas_tests::fixture_bytes;
use lintas_tests::lambda_runtime::{
    LambdaFunction, binary_http_event, http_event, multipart_photo, s3_created_event,
};
use serde_json::{Value, json};

/// Timed starts per function unless the first argument says otherwise.
const DEFAULT_STARTS: usize = 5;

#[tokio::main]
async fn main() -> Result<(), String> {
    let starts = match std::env::args().nth(1) {
        Some(n) => n
            .parse::<usize>()
            .map_err(|e| format!("starts {n:?}: {e}"))?
            .max(1),
        None => DEFAULT_STARTS,
    };
    let binaries = std::env::current_exe()
        .map_err(|e| format!("finding this binary: {e}"))?
        .parent()
        .map(Path::to_path_buf)
        .ok_or("this binary has no folder")?;

    let cloud = Cloud::new("bench-functions").await;
    let app = cloud.app().await;
    add_employee(&app, "howard", None, &["faces/howard/howard1.png"]).await;
    let token = app
        .login("admin", ADMIN_PASSWORD, None)
        .await
        .map_err(|e| format!("logging in: {e}"))?
        .access_token;

    let mut rows = Vec::new();
    for function in ["login", "register", "predict", "enroll"] {
        let binary = binaries.join(format!("lintas-{function}"));
        if !binary.is_file() {
            return Err(format!(
                "{} is missing: build it with cargo build --release -p lintas-{function}",
                binary.display()
            ));
        }
        let mut cold = Vec::new();
        let mut warm = Vec::new();
        for start in 0..starts {
            let event = event_for(function, start, &cloud, &token).await?;
            let started = Instant::now();
            let mut process = LambdaFunction::start(&binary, &cloud.env()).await;
            answer(function, &mut process, event).await?;
            cold.push(ms(started.elapsed()));
            let event = event_for(function, start + starts, &cloud, &token).await?;
            let started = Instant::now();
            answer(function, &mut process, event).await?;
            warm.push(ms(started.elapsed()));
        }
        rows.push((function, median(&mut cold), max(&cold), median(&mut warm)));
    }

    let reference = rows.first().map_or(1.0, |row| row.1);
    println!("| function | first event | cold start median ms | max ms | / login | warm ms |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (function, cold, cold_max, warm) in rows {
        println!(
            "| {function} | {} | {cold:.0} | {cold_max:.0} | {:.2} | {warm:.1} |",
            describe(function),
            cold / reference
        );
    }
    println!("\n{starts} starts per function");
    Ok(())
}

/// What each function is asked first.
fn describe(function: &str) -> &'static str {
    match function {
        "login" => "POST /v1/auth/login",
        "register" => "GET /v1/employees",
        "predict" => "POST /v1/predict (multipart selfie, liveness off)",
        _ => "S3 ObjectCreated of an enrollment photo",
    }
}

/// The `n`th event sent to `function` (each one answerable on its own).
async fn event_for(function: &str, n: usize, cloud: &Cloud, token: &str) -> Result<Value, String> {
    Ok(match function {
        "login" => http_event(
            "POST",
            "/v1/auth/login",
            None,
            Some(&json!({"login": "admin", "password": ADMIN_PASSWORD})),
        ),
        "register" => http_event("GET", "/v1/employees", Some(token), None),
        "predict" => {
            let (content_type, body) = multipart_photo(&fixture_bytes("faces/howard/howard2.png"));
            binary_http_event("POST", "/v1/predict", Some(token), &content_type, &body)
        }
        _ => {
            let key = format!("enrollments/howard/bench-{n}.png");
            let bytes = fixture_bytes(&format!("faces/howard/howard{}.png", 3 + n % 3));
            let size = bytes.len();
            cloud
                .photos
                .put_photo(&key, bytes, "image/png")
                .await
                .map_err(|e| format!("uploading {key}: {e}"))?;
            s3_created_event(cloud.bucket(), &key, size)
        }
    })
}

/// Sends `event` and checks the function handled it.
async fn answer(function: &str, process: &mut LambdaFunction, event: Value) -> Result<(), String> {
    if function == "enroll" {
        return match process.invoke(event).await {
            Ok(summary)
                if summary["accepted"].as_u64().unwrap_or(0)
                    + summary["rejected"].as_u64().unwrap_or(0)
                    == 1 =>
            {
                Ok(())
            }
            other => Err(format!("enroll answered {other:?}")),
        };
    }
    let (status, body) = process.http(event).await;
    if status == 200 {
        Ok(())
    } else {
        Err(format!("{function} answered {status}: {body}"))
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn max(samples: &[f64]) -> f64 {
    samples.iter().copied().fold(0.0, f64::max)
}
