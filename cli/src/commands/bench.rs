//! `lintas bench`: times each stage of the face pipeline on a real photo.

use std::hint::black_box;
use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

use clap::Args;
use image::{DynamicImage, ImageFormat};
use lintas_engine::detect::{DetectorConfig, FaceDetector};
use lintas_engine::embed::Embedder;
use lintas_engine::graph::{Convolutions, GraphOptions, fast_int8_kernels};
use lintas_engine::models::{DETECTOR_FILE, ModelFile};
use lintas_engine::{EngineConfig, FaceEngine};
use lintas_face::embedding::{EMBEDDING_DIM, Embedding, ModelId};
use lintas_face::gallery::Gallery;
use lintas_face::{FacePolicy, Liveness};
use serde::Serialize;
use tract_onnx::prelude::{DatumExt, TValue, Tensor, TractError, tvec};

use crate::error::CliError;
use crate::options::{EngineOptions, engine_from, read_image};

/// Arguments of `lintas bench`.
#[derive(Args)]
pub struct BenchArgs {
    /// A photo with one face; it is also re-encoded as a 1 MP JPEG for the decode timing.
    #[arg(long, default_value = "tests/fixtures/faces/kate_siegel/1.jpg")]
    photo: PathBuf,
    /// Timed runs per stage (engine start uses a fifth of them, at least 3).
    #[arg(long, default_value_t = 50)]
    runs: usize,
    /// The fp32 embedder to time beside the int8 one (skipped when the file is absent).
    #[arg(long, default_value = "facenet_fp32.onnx")]
    fp32: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    engine: EngineOptions,
}

/// Median and 90th percentile of one stage.
#[derive(Serialize)]
struct Timing {
    stage: String,
    median_ms: f64,
    p90_ms: f64,
    runs: usize,
}

/// Runs every stage and prints the timings.
pub fn run(args: BenchArgs) -> Result<(), CliError> {
    let settings = args.engine.settings()?;
    let dir = settings.engine.model_dir();
    let face_error = |what: &str| CliError::face(what.to_owned());
    let mut timings = Vec::new();
    let start_runs = (args.runs / 5).max(3);
    eprintln!(
        "int8 kernels on this CPU: {}",
        if fast_int8_kernels() {
            "fast (VNNI or dot product); convolutions auto = integer"
        } else {
            "none fast; convolutions auto = float"
        }
    );
    let with_graph = |piece_nodes, convolutions| EngineConfig {
        graph: GraphOptions {
            piece_nodes,
            convolutions,
            ..settings.engine.graph.clone()
        },
        ..settings.engine.clone()
    };
    let configured = settings.engine.graph.convolutions;
    for (label, config) in [
        (
            "engine start, integer convolutions, graphs whole",
            &with_graph(0, Convolutions::Integer),
        ),
        (
            "engine start, convolutions as configured, graphs whole",
            &with_graph(0, configured),
        ),
        (
            "engine start as configured (large graphs in pieces)",
            &settings.engine,
        ),
    ] {
        timings.push(
            time(label, start_runs, || {
                FaceEngine::load(config.clone()).map(drop)
            })
            .map_err(face_error("engine"))?,
        );
    }
    let engine = engine_from(&settings)?;

    let photo = engine
        .decode(&read_image(&args.photo)?)
        .map_err(CliError::face(args.photo.display()))?;
    let jpeg = one_megapixel_jpeg(&photo)?;
    timings.push(
        time("decode 1 MP JPEG", args.runs, || {
            engine.decode(&jpeg).map(drop)
        })
        .map_err(face_error("jpeg"))?,
    );

    let detector_file =
        ModelFile::read(&dir.join(DETECTOR_FILE)).map_err(face_error("detector"))?;
    let image = engine.decode(&jpeg).map_err(face_error("jpeg"))?;
    for size in [320, 640] {
        let config = DetectorConfig {
            input_size: size,
            ..settings.engine.detector.clone()
        };
        let detector = FaceDetector::load(&detector_file, config, &settings.engine.graph)
            .map_err(face_error("detector"))?;
        let label = format!("detect at {size}x{size} (1 MP photo)");
        timings.push(
            time(&label, args.runs, || detector.detect(&image).map(drop))
                .map_err(face_error("detect"))?,
        );
        timings.push(time_detector_network(&detector_file, size, args.runs)?);
    }

    let analysis = engine
        .analyze_image(&image, FacePolicy::Selfie, Liveness::Skip)
        .map_err(face_error("photo"))?;
    let crop = engine.align(&image, &analysis.detection);
    timings.push(time("align to 160x160", args.runs, || {
        black_box(engine.align(&image, &analysis.detection));
        Ok::<(), CliError>(())
    })?);
    let embedder_file = ModelFile::read(&dir.join(&settings.engine.embedder_file))
        .map_err(face_error("embedder"))?;
    let ways = [
        (Convolutions::Integer, false, ""),
        (Convolutions::Float, true, ", activations requantised"),
        (Convolutions::Float, false, ""),
    ];
    let mut embedders = Vec::new();
    for (convolutions, requantize, note) in ways {
        let options = GraphOptions {
            convolutions,
            requantize,
            ..settings.engine.graph.clone()
        };
        let embedder = Embedder::load(&embedder_file, &options).map_err(face_error("embed"))?;
        let label = format!(
            "embed {}, {convolutions:?} convolutions{note}",
            engine.model_id()
        );
        embedders.push((label, embedder));
    }
    // Without a fast int8 kernel, tract's integer path takes seconds per face: timed on its
    // own with fewer runs. The others run in turn, so a noisy machine slows them alike.
    let (integer, in_turn) = embedders.split_at(1);
    for (label, embedder) in integer {
        let runs = if fast_int8_kernels() {
            args.runs
        } else {
            start_runs
        };
        timings.push(
            time(label, runs, || embedder.embed(&crop).map(drop)).map_err(face_error("embed"))?,
        );
    }
    let mut samples = vec![Vec::new(); in_turn.len()];
    for round in 0..=args.runs.max(1) {
        for ((_, embedder), samples) in in_turn.iter().zip(&mut samples) {
            let started = Instant::now();
            embedder.embed(&crop).map_err(face_error("embed"))?;
            // The first round warms up.
            if round > 0 {
                samples.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    for ((label, _), samples) in in_turn.iter().zip(samples) {
        timings.push(summary(label, samples));
    }
    timings.push(
        time(
            "liveness: both anti-spoofing models, crops included",
            args.runs,
            || {
                engine
                    .assess_liveness(&image, &analysis.detection)
                    .map(drop)
            },
        )
        .map_err(face_error("liveness"))?,
    );
    timings.push(
        time(
            "whole selfie analysis with liveness (1 MP JPEG)",
            args.runs,
            || {
                engine
                    .analyze(&jpeg, FacePolicy::Selfie, Liveness::Assess)
                    .map(drop)
            },
        )
        .map_err(face_error("photo"))?,
    );
    let fp32_path = dir.join(&args.fp32);
    if fp32_path.is_file() {
        let fp32_file = ModelFile::read(&fp32_path).map_err(face_error("fp32"))?;
        let embedder =
            Embedder::load(&fp32_file, &settings.engine.graph).map_err(face_error("fp32"))?;
        let label = format!("embed {}", embedder.model_id());
        timings.push(
            time(&label, args.runs, || embedder.embed(&crop).map(drop))
                .map_err(face_error("embed"))?,
        );
    } else {
        eprintln!(
            "note: {} is absent; fp32 embedding not timed",
            fp32_path.display()
        );
    }

    for templates in [10_000, 100_000] {
        let (gallery, probe) = synthetic_gallery(templates);
        let label = format!("1:N search, {templates} templates (top 2 employees)");
        timings.push(
            time(&label, args.runs, || gallery.top_k(&probe, 2).map(drop))
                .map_err(face_error("search"))?,
        );
    }
    print(&timings, args.json)
}

/// Times YuNet alone on a zero input, as onnxruntime is timed by `models/build.sh bench`.
fn time_detector_network(file: &ModelFile, size: u32, runs: usize) -> Result<Timing, CliError> {
    let loader = tract_onnx::onnx()
        .with_ignore_output_shapes(true)
        .with_ignore_value_info(true);
    let shape = [1, 3, size as usize, size as usize];
    let network = file
        .optimized_plan(&loader, f32::fact(shape), &GraphOptions::default())
        .map_err(CliError::face("detector"))?;
    let tract_error = |e: TractError| CliError::Invalid(format!("{e:#}"));
    let input: TValue = Tensor::zero::<f32>(&shape).map_err(tract_error)?.into();
    let label = format!("YuNet network alone at {size}x{size}");
    time(&label, runs, || network.run(tvec!(input.clone())).map(drop)).map_err(tract_error)
}

/// Times `stage` over `runs` runs after one warm-up run.
fn time<E>(stage: &str, runs: usize, mut f: impl FnMut() -> Result<(), E>) -> Result<Timing, E> {
    f()?;
    let samples: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            f().map(|()| started.elapsed().as_secs_f64() * 1000.0)
        })
        .collect::<Result<_, E>>()?;
    Ok(summary(stage, samples))
}

/// The median and 90th percentile of `samples` (milliseconds, at least one).
fn summary(stage: &str, mut samples: Vec<f64>) -> Timing {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Timing {
        stage: stage.to_owned(),
        median_ms: at(0.5),
        p90_ms: at(0.9),
        runs: samples.len(),
    }
}

/// The photo scaled to about one megapixel and encoded as JPEG (quality 90).
fn one_megapixel_jpeg(photo: &image::RgbImage) -> Result<Vec<u8>, CliError> {
    let scale = (1_000_000.0 / (photo.width() * photo.height()) as f64).sqrt();
    let (w, h) = (
        (photo.width() as f64 * scale) as u32,
        (photo.height() as f64 * scale) as u32,
    );
    let resized = image::imageops::resize(photo, w, h, image::imageops::FilterType::Triangle);
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(resized)
        .write_to(&mut bytes, ImageFormat::Jpeg)
        .map_err(|e| CliError::Invalid(format!("encoding the benchmark JPEG: {e}")))?;
    Ok(bytes.into_inner())
}

/// `templates` pseudo-random unit vectors, five per employee, and a probe.
fn synthetic_gallery(templates: usize) -> (Gallery, Embedding) {
    let model = ModelId::new("bench");
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut vector = || -> Embedding {
        let raw = (0..EMBEDDING_DIM)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
            })
            .collect();
        Embedding::from_raw(model.clone(), raw)
            .unwrap_or_else(|_| unreachable!("random vectors are non-zero"))
    };
    let mut gallery = Gallery::new(model.clone());
    for index in 0..templates {
        let employee = format!("employee-{}", index / 5);
        gallery
            .insert(format!("template-{index}"), &employee, &vector())
            .unwrap_or_else(|_| unreachable!("same model"));
    }
    let probe = vector();
    (gallery, probe)
}

fn print(timings: &[Timing], json: bool) -> Result<(), CliError> {
    if json {
        return super::print_json(&timings);
    }
    println!(
        "{:<58} {:>10} {:>10} {:>6}",
        "stage", "median ms", "p90 ms", "runs"
    );
    for t in timings {
        println!(
            "{:<58} {:>10.2} {:>10.2} {:>6}",
            t.stage, t.median_ms, t.p90_ms, t.runs
        );
    }
    Ok(())
}
