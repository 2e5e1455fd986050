//! S3 event notifications (`ObjectCreated`) as delivered to a Lambda function, reduced to
//! the object keys they announce.

use serde::Deserialize;

/// An S3 notification event that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not an S3 event: {0}")]
pub struct InvalidS3Event(pub String);

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "Records", default)]
    records: Vec<Record>,
}

#[derive(Deserialize)]
struct Record {
    #[serde(rename = "eventName", default)]
    event_name: String,
    s3: Entity,
}

#[derive(Deserialize)]
struct Entity {
    object: Object,
}

#[derive(Deserialize)]
struct Object {
    key: String,
}

/// The decoded keys of the objects an event says were created, in order. Keys arrive
/// URL-encoded with `+` for spaces, as S3 sends them.
pub fn created_keys(event: &[u8]) -> Result<Vec<String>, InvalidS3Event> {
    let event: Event = serde_json::from_slice(event).map_err(|e| InvalidS3Event(e.to_string()))?;
    event
        .records
        .into_iter()
        .filter(|record| record.event_name.starts_with("ObjectCreated:"))
        .map(|record| decode_key(&record.s3.object.key))
        .collect()
}

/// Undoes S3's form encoding of a key.
fn decode_key(key: &str) -> Result<String, InvalidS3Event> {
    let bytes = key.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| InvalidS3Event(format!("bad escape in key {key:?}")))?;
                out.push(hex);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| InvalidS3Event(format!("key {key:?} is not UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_keys_are_decoded_and_other_events_ignored() {
        let event = br#"{"Records":[
            {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put",
             "s3":{"bucket":{"name":"b"},"object":{"key":"enrollments/ann/my+photo%281%29.jpg","size":10}}},
            {"eventName":"ObjectRemoved:Delete","s3":{"object":{"key":"enrollments/ann/x.jpg"}}}
        ]}"#;
        assert_eq!(
            created_keys(event).unwrap(),
            vec!["enrollments/ann/my photo(1).jpg"]
        );
        assert!(created_keys(b"{}").unwrap().is_empty());
        assert!(created_keys(b"[1,2]").is_err());
        let bad =
            br#"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"a%zz"}}}]}"#;
        assert!(created_keys(bad).is_err());
        let bad =
            br#"{"Records":[{"eventName":"ObjectCreated:Put","s3":{"object":{"key":"a%ff"}}}]}"#;
        assert!(created_keys(bad).is_err());
    }
}
