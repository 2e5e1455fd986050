//! Helpers for the integration tests: fixture paths, one face engine per test binary, a
//! table and bucket per test on the local servers, and a Lambda Runtime API to run the
//! function binaries.

pub mod cloud;
pub mod fault_proxy;
pub mod lambda_runtime;
pub mod served;

use std::path::PathBuf;
use std::sync::OnceLock;

use lintas_engine::{EngineConfig, FaceEngine};

/// Path of a file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(relative)
}

/// Bytes of a file under `tests/fixtures/`.
pub fn fixture_bytes(relative: &str) -> Vec<u8> {
    let path = fixture(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading fixture {}: {e}", path.display()))
}

/// The engine with the committed models and default settings, loaded once.
pub fn engine() -> &'static FaceEngine {
    static ENGINE: OnceLock<FaceEngine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        FaceEngine::load(EngineConfig::default())
            .unwrap_or_else(|e| panic!("loading the face engine: {e}"))
    })
}
