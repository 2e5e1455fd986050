//! The `lintas` binary end to end on real photos.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn lintas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lintas"))
        .args(args)
        .current_dir(fixtures())
        .env_remove("LINTAS_MODEL_DIR")
        .output()
        .expect("running lintas")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("lintas prints JSON")
}

#[test]
fn bad_input_exits_with_status_2_and_the_error_code() {
    for (file, code) in [
        ("bad/truncated.jpg", "corrupt_image"),
        ("bad/bomb_30000x30000_valid_1bit.png", "too_many_pixels"),
        ("bad/missing.jpg", "io_error"),
        ("faces/_no_face/faceapi_white.png", "no_face"),
    ] {
        let output = lintas(&["embed", file]);
        assert_eq!(output.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("error[{code}]")),
            "{file}: {stderr}"
        );
    }
    let output = lintas(&["eval", "--pairs", "bad/not_an_image.jpg", "--root", "."]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn compare_tells_the_same_person_from_another() {
    let same = json(&lintas(&[
        "compare",
        "faces/howard/howard1.png",
        "faces/howard/howard2.png",
    ]));
    assert_eq!(same["same_person"], true, "{same}");
    let different = json(&lintas(&[
        "compare",
        "faces/howard/howard1.png",
        "faces/raj/raj1.png",
    ]));
    assert_eq!(different["same_person"], false, "{different}");
    assert!(same["score"].as_f64() > different["score"].as_f64());
}

#[test]
fn aligned_crops_skip_detection() {
    let embedded = json(&lintas(&[
        "embed",
        "--aligned",
        "faces/bradley_cooper/1_aligned160.png",
    ]));
    assert_eq!(embedded["embedding"].as_array().map(Vec::len), Some(128));
    let compared = json(&lintas(&[
        "compare",
        "--aligned",
        "faces/bradley_cooper/1_aligned160.png",
        "faces/kate_siegel/1_aligned160.png",
    ]));
    assert_eq!(compared["same_person"], false, "{compared}");
}

#[test]
fn detect_finds_every_face_of_a_group_photo_and_draws_them() {
    let drawn = std::env::temp_dir().join(format!("lintas-detect-{}.png", std::process::id()));
    let faces = json(&lintas(&[
        "detect",
        "faces/_multi_face/faceapi_bbt4.jpg",
        "--draw",
        drawn.to_str().unwrap(),
    ]));
    assert!(
        faces.as_array().is_some_and(|faces| faces.len() >= 5),
        "{faces}"
    );
    let image = image::open(&drawn).expect("the drawing is a PNG");
    assert_eq!((image.width(), image.height()), (710, 473));
    std::fs::remove_file(drawn).unwrap();
}

#[test]
fn eval_reports_the_metrics_and_calibrate_writes_the_threshold() {
    let report = json(&lintas(&[
        "eval",
        "--pairs",
        "faces/pairs.csv",
        "--root",
        "faces",
        "--json",
        "--limit",
        "300",
    ]));
    for key in [
        "pairs",
        "failures",
        "accuracy",
        "auc",
        "eer",
        "tar_at_far_1e-3",
        "threshold_at_far_1e-3",
    ] {
        assert!(report.get(key).is_some(), "missing {key}: {report}");
    }
    assert_eq!(report["pairs"], 300);
    assert!(report["accuracy"].as_f64().unwrap() > 0.95, "{report}");
    assert!(report["auc"].as_f64().unwrap() > 0.99, "{report}");

    let config = std::env::temp_dir().join(format!("lintas-calibrate-{}.toml", std::process::id()));
    let curve = config.with_extension("curve.toml");
    for pairs in [None, Some("faces/pairs.csv")] {
        let mut args = vec![
            "calibrate",
            "--root",
            "faces",
            "--verify-far",
            "0.01",
            "--config",
            config.to_str().unwrap(),
            "--curve-out",
            curve.to_str().unwrap(),
        ];
        args.extend(pairs.iter().flat_map(|p| ["--pairs", *p]));
        let output = lintas(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let points = printed["operating_points"].as_array().unwrap();
        let at = |i: usize, key: &str| points[i][key].as_f64().unwrap();
        assert!((0.2..0.8).contains(&at(0, "verify_threshold")), "{printed}");
        assert!(
            at(points.len() - 1, "identify_threshold") >= at(0, "identify_threshold"),
            "the 1:N threshold rises with the gallery: {printed}"
        );
        let written = std::fs::read_to_string(&config).unwrap();
        assert!(written.contains("verify_far = 0.01"), "{written}");
        assert!(
            written.contains("[[decisions.calibration.points]]"),
            "{written}"
        );
        assert!(
            std::fs::read_to_string(&curve)
                .unwrap()
                .contains("[[points]]")
        );
    }
    std::fs::remove_file(config).unwrap();
    std::fs::remove_file(curve).unwrap();
}
