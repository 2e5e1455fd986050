//! Any text as a bearer token: refused with one of the token codes, never a panic. (Only a
//! token signed with this key can pass, and forging one is what the target tries.)

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use lintas_core::app::{AppConfig, TokenKeys};

static KEYS: LazyLock<TokenKeys> = LazyLock::new(|| {
    let config = AppConfig::with_secret(b"fuzzing secret of at least 32 bytes".to_vec())
        .unwrap_or_else(|e| panic!("the token settings: {e}"));
    TokenKeys::new(config.tokens)
});

fuzz_target!(|bytes: &[u8]| {
    let text = String::from_utf8_lossy(bytes);
    if let Err(error) = KEYS.verify(&text, chrono::Utc::now()) {
        let code = error.code();
        assert!(
            matches!(
                code,
                "invalid_token" | "token_expired" | "token_not_yet_valid"
            ),
            "{code}: {error}"
        );
    }
});
