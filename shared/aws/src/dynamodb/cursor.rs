//! Opaque page cursors: the key of the last item returned, as hex-encoded JSON.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::AttributeValue;

use super::codec::Item;
use lintas_core::ports::StoreError;

/// Longest cursor accepted; real ones are a few hundred characters.
const MAX_CURSOR_LEN: usize = 8192;

/// The cursor resuming after `item`, from its key attributes `names`.
pub(super) fn encode(item: &Item, names: &[&str]) -> Result<String, StoreError> {
    let key = names
        .iter()
        .map(|name| match item.get(*name) {
            Some(AttributeValue::S(value)) => Ok((*name, value.as_str())),
            _ => Err(StoreError::Corrupt(format!(
                "item without key attribute {name}"
            ))),
        })
        .collect::<Result<BTreeMap<_, _>, _>>()?;
    let json = serde_json::to_vec(&key)
        .map_err(|error| StoreError::Corrupt(format!("unencodable key: {error}")))?;
    Ok(json.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// The exclusive start key in `cursor`, which must hold exactly the attributes `names`.
pub(super) fn decode(cursor: &str, names: &[&str]) -> Result<Item, StoreError> {
    let malformed = || StoreError::Invalid("malformed page cursor".to_owned());
    if !cursor.len().is_multiple_of(2) || cursor.len() > MAX_CURSOR_LEN || !cursor.is_ascii() {
        return Err(malformed());
    }
    let json = (0..cursor.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(&cursor[at..at + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| malformed())?;
    let key: BTreeMap<String, String> = serde_json::from_slice(&json).map_err(|_| malformed())?;
    if key.len() != names.len() || !names.iter().all(|name| key.contains_key(*name)) {
        return Err(malformed());
    }
    Ok(key
        .into_iter()
        .map(|(name, value)| (name, AttributeValue::S(value)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_the_key_only() {
        let item = Item::from([
            ("PK".into(), AttributeValue::S("GALLERY".into())),
            ("SK".into(), AttributeValue::S("TPL#a#ü".into())),
            ("other".into(), AttributeValue::N("1".into())),
        ]);
        let cursor = encode(&item, &["PK", "SK"]).unwrap();
        let key = decode(&cursor, &["PK", "SK"]).unwrap();
        assert_eq!(key.len(), 2);
        assert_eq!(key.get("SK"), item.get("SK"));
    }

    #[test]
    fn malformed_cursors_are_invalid() {
        let good = encode(
            &Item::from([("PK".into(), AttributeValue::S("x".into()))]),
            &["PK"],
        )
        .unwrap();
        for bad in ["", "zz", "abc", "7b7d", "ü1", good.as_str()] {
            assert!(
                matches!(decode(bad, &["PK", "SK"]), Err(StoreError::Invalid(_))),
                "{bad:?}"
            );
        }
    }
}
