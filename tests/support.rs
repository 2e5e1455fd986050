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

/// What the first punch of the day is when sent between `since` and now: `check_in`, or
/// `check_out` after the middle of the default office's working day (08:00-16:00, Monday to
/// Friday, in Jakarta), as the recap reads it. Both when the middle passed meanwhile. (Tests
/// punching at the wall clock's time expect one of these.)
pub fn first_punch_kinds(since: chrono::DateTime<chrono::Utc>) -> Vec<&'static str> {
    use lintas_core::domain::{Id, Office};
    let office = Office::standard(Id::parse("main").expect("an id"), "main", "Asia/Jakarta");
    let kind = |at| {
        let local = office.local_time(at).expect("a time zone");
        if office.first_punch_checks_out(local) {
            "check_out"
        } else {
            "check_in"
        }
    };
    let mut kinds = vec![kind(since), kind(chrono::Utc::now())];
    kinds.dedup();
    kinds
}
