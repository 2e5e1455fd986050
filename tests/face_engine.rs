//! The face engine on real photos: verification, identification, rotation and bad input.

use std::collections::HashMap;

use lintas_face::decision::DecisionPolicy;
use lintas_face::embedding::Embedding;
use lintas_face::gallery::{Gallery, Identification, MatchPolicy};
use lintas_face::{FaceError, FacePolicy, Liveness};
use lintas_tests::{engine, fixture_bytes};

/// The 1:N rule of the shipped calibration for a small office (ten people).
fn policy() -> MatchPolicy {
    let points = DecisionPolicy::default().at_gallery_size(10, 10);
    MatchPolicy {
        threshold: points.identify_threshold,
        margin: points.identify_margin,
    }
}

fn embed(relative: &str) -> Embedding {
    engine()
        .analyze(
            &fixture_bytes(relative),
            FacePolicy::Largest,
            Liveness::Skip,
        )
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
        .embedding
}

fn analyze_error(relative: &str, policy: FacePolicy) -> FaceError {
    match engine().analyze(&fixture_bytes(relative), policy, Liveness::Skip) {
        Ok(_) => panic!("{relative} was accepted"),
        Err(error) => error,
    }
}

const CAST: [&str; 8] = [
    "amy",
    "bernadette",
    "howard",
    "leonard",
    "penny",
    "raj",
    "sheldon",
    "stuart",
];

/// Every pair of `faces/pairs.csv` with its cosine score and ground truth.
fn scored_dev_pairs() -> Vec<(String, String, f32, bool)> {
    let text = String::from_utf8(fixture_bytes("faces/pairs.csv")).unwrap();
    let mut cache: HashMap<String, Embedding> = HashMap::new();
    let mut embedded = |path: &str| {
        cache
            .entry(path.to_owned())
            .or_insert_with(|| embed(&format!("faces/{path}")))
            .clone()
    };
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            let score = embedded(fields[0]).cosine(&embedded(fields[1])).unwrap();
            (
                fields[0].to_owned(),
                fields[1].to_owned(),
                score,
                fields[2] == "1",
            )
        })
        .collect()
}

#[test]
fn same_person_pairs_score_above_and_different_people_below_the_threshold() {
    let threshold = policy().threshold;
    let pairs = scored_dev_pairs();
    let (same, different): (Vec<_>, Vec<_>) = pairs.iter().partition(|pair| pair.3);
    assert_eq!((same.len(), different.len()), (83, 1045));
    let impostors: Vec<_> = different
        .iter()
        .filter(|pair| pair.2 >= threshold)
        .collect();
    assert!(
        impostors.is_empty(),
        "different people above {threshold}: {impostors:?}"
    );
    // The dev photos are small grayscale crops, harder than kiosk selfies: 6 of the 83
    // same-person pairs fall under the calibrated 0.517 (4 fell under the former 0.50).
    let rejected: Vec<_> = same.iter().filter(|pair| pair.2 < threshold).collect();
    assert!(
        rejected.len() * 10 <= same.len(),
        "same person below {threshold}: {rejected:?}"
    );
}

#[test]
fn the_cast_is_identified_in_a_group_photo_from_single_enrolled_crops() {
    let mut gallery = Gallery::new(engine().model_id().clone());
    for name in CAST {
        gallery
            .insert(
                format!("{name}-1"),
                name,
                &embed(&format!("faces/{name}/{name}1.png")),
            )
            .unwrap();
    }
    let group = engine()
        .decode(&fixture_bytes("faces/_multi_face/faceapi_bbt1.jpg"))
        .unwrap();
    let faces = engine().analyze_all(&group).unwrap();
    assert!(faces.len() >= 4, "only {} faces found", faces.len());
    let mut identified: Vec<String> = faces
        .iter()
        .filter_map(
            |face| match gallery.identify(&face.embedding, &policy()).unwrap() {
                Identification::Match { best, .. } => Some(best.employee_id),
                _ => None,
            },
        )
        .collect();
    identified.sort();
    let distinct = identified.len();
    identified.dedup();
    assert_eq!(
        identified.len(),
        distinct,
        "one person matched twice: {identified:?}"
    );
    assert!(identified.len() >= 4, "identified only {identified:?}");
}

#[test]
fn an_exif_rotated_photo_embeds_like_the_upright_one() {
    let upright = embed("faces/kate_siegel/1.jpg");
    let rotated = embed("bad/face_exif_orientation6.jpg");
    let score = upright.cosine(&rotated).unwrap();
    assert!(score > 0.8, "score {score}");
}

#[test]
fn awkward_but_valid_images_are_accepted_and_match_their_person() {
    let reference = embed("faces/kate_siegel/1.jpg");
    for file in [
        "bad/face_grayscale.jpg",
        "bad/face_cmyk.jpg",
        "bad/face.webp",
        "bad/face_webp_named.jpg",
        "bad/face_rgba_transparent_top.png",
    ] {
        let score = reference.cosine(&embed(file)).unwrap();
        assert!(score >= policy().threshold, "{file}: {score}");
    }
}

#[test]
fn every_bad_file_gives_its_typed_error() {
    let expected = [
        ("bad/empty.jpg", "empty_image"),
        ("bad/not_an_image.jpg", "unsupported_image_format"),
        ("bad/truncated.jpg", "corrupt_image"),
        ("bad/bomb_30000x30000_header_only.png", "too_many_pixels"),
        ("bad/bomb_30000x30000_valid_1bit.png", "too_many_pixels"),
        ("bad/one_pixel.jpg", "image_too_small"),
        ("bad/one_pixel.png", "image_too_small"),
        ("bad/face.heic", "unsupported_image_format"),
        ("bad/face.avif", "unsupported_image_format"),
        ("faces/_no_face/faceapi_white.png", "no_face"),
        ("faces/_no_face/facenetpt_noise.jpg", "no_face"),
        ("faces/_no_face/mtcnn_no-faces.jpg", "no_face"),
    ];
    for (file, code) in expected {
        let error = analyze_error(file, FacePolicy::Selfie);
        assert_eq!(error.code(), code, "{file}: {error}");
        assert!(error.is_client_error(), "{file}");
    }
}

#[test]
fn a_group_photo_is_refused_for_enrollment_and_as_a_selfie() {
    for policy in [FacePolicy::Enrollment, FacePolicy::Selfie] {
        let error = analyze_error("faces/_multi_face/faceapi_bbt1.jpg", policy);
        assert_eq!(error.code(), "multiple_faces");
    }
}

#[test]
fn a_clear_single_face_passes_every_quality_gate() {
    let analysis = engine()
        .analyze(
            &fixture_bytes("faces/ivan/ivan.jpg"),
            FacePolicy::Enrollment,
            Liveness::Skip,
        )
        .unwrap();
    assert_eq!(analysis.embedding.model(), engine().model_id());
    assert!(analysis.quality.face_width >= engine().config().quality.min_face_width);
}

/// Whichever way the graph is prepared (integer or float convolutions, optimised whole or
/// in pieces), a face gets the same embedding.
#[test]
fn every_graph_preparation_gives_the_same_embedding() {
    use lintas_engine::graph::{Convolutions, GraphOptions};
    use lintas_engine::{EngineConfig, FaceEngine};
    let bytes = fixture_bytes("faces/amy/amy1.png");
    let embed_with = |graph: GraphOptions| {
        let engine = FaceEngine::load(EngineConfig {
            graph,
            ..EngineConfig::default()
        })
        .unwrap();
        let analysis = engine
            .analyze(&bytes, FacePolicy::Largest, Liveness::Skip)
            .unwrap();
        (engine.model_id().clone(), analysis.embedding)
    };
    let (reference_model, reference) = embed_with(GraphOptions {
        piece_nodes: 0,
        convolutions: Convolutions::Integer,
        requantize: false,
    });
    let variants = [
        (Convolutions::Integer, 40, false),
        (Convolutions::Float, 0, true),
        (Convolutions::Float, 0, false),
        (Convolutions::Float, 40, false),
    ];
    for (convolutions, piece_nodes, requantize) in variants {
        let (model, embedding) = embed_with(GraphOptions {
            piece_nodes,
            convolutions,
            requantize,
        });
        assert_eq!(model, reference_model, "the model id is the file's");
        // Float sums round where integer ones do not (about 1e-4 of cosine), and without
        // requantisation activations are no longer rounded to 8 bits (about 3e-4 in all,
        // half of what int8 itself costs against fp32).
        let cosine = embedding.cosine(&reference).unwrap();
        let way = format!("{convolutions:?} in pieces of {piece_nodes}, requantised {requantize}");
        assert!(cosine > 0.999, "{way}: cosine {cosine}");
    }
}
