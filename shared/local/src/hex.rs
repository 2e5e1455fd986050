//! Lower-case hexadecimal text for cursors and signatures.

/// `bytes` as lower-case hex.
pub(super) fn encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string; `None` for anything else.
pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        assert_eq!(
            super::decode(&super::encode(&[0, 171, 255])),
            Some(vec![0, 171, 255])
        );
        for bad in ["abc", "zz", "+1"] {
            assert_eq!(super::decode(bad), None, "{bad}");
        }
    }
}
