//! Any bytes as the S3 event the enrollment function receives: the keys it yields are
//! decoded text, or the event is refused; never a panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lintas_aws::s3_event::created_keys;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(keys) = created_keys(bytes) {
        for key in keys {
            assert!(!key.is_empty(), "an empty key was accepted");
        }
    }
});
