//! Any bytes as an uploaded photo, through decoding, detection, alignment and embedding:
//! the engine answers with an analysis or a typed error, never a panic, and stays within
//! its decoding limits.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lintas_engine::{EngineConfig, FaceEngine};
use lintas_face::{FacePolicy, Liveness};

static ENGINE: LazyLock<FaceEngine> = LazyLock::new(|| {
    FaceEngine::load(EngineConfig::default()).unwrap_or_else(|e| panic!("the models: {e}"))
});

fuzz_target!(|bytes: &[u8]| {
    for policy in [FacePolicy::Selfie, FacePolicy::Enrollment] {
        if let Err(error) = ENGINE.analyze(bytes, policy, Liveness::Assess) {
            assert!(!error.code().is_empty());
        }
    }
});
