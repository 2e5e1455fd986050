//! Opaque page cursors: the sort key of the last item, as hex-encoded JSON.

use super::hex;
use lintas_core::ports::StoreError;

/// Encodes the sort-key parts of the last item of a page.
pub(super) fn encode(parts: &[&str]) -> String {
    hex::encode(serde_json::to_string(parts).unwrap_or_default().as_bytes())
}

/// Decodes a cursor made by [`encode`] with `count` parts.
pub(super) fn decode(cursor: &str, count: usize) -> Result<Vec<String>, StoreError> {
    let invalid = || StoreError::Invalid("malformed page cursor".into());
    let bytes = hex::decode(cursor)
        .filter(|b| b.len() <= 2048)
        .ok_or_else(invalid)?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if parts.len() == count {
        Ok(parts)
    } else {
        Err(invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_invalid() {
        let cursor = encode(&["2026-03-02", "r1"]);
        assert_eq!(decode(&cursor, 2).unwrap(), ["2026-03-02", "r1"]);
        for bad in ["not a cursor", "zz", "00", &encode(&["one"])] {
            assert!(
                matches!(decode(bad, 2), Err(StoreError::Invalid(_))),
                "{bad}"
            );
        }
    }
}
