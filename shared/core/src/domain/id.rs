//! Identifiers that are safe in keys and paths.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An identifier of 1 to 64 characters from `[A-Za-z0-9_-]`: safe as a DynamoDB key part, an
/// S3 key segment or a file name, so no user-supplied id can traverse a path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

/// A string that is not a valid [`Id`].
#[derive(Debug, thiserror::Error)]
#[error("invalid id {0:?}: use 1 to 64 letters, digits, '-' or '_'")]
pub struct InvalidId(pub String);

impl Id {
    /// Validates `value` as an id.
    pub fn parse(value: impl Into<String>) -> Result<Self, InvalidId> {
        let value = value.into();
        let valid = (1..=64).contains(&value.len())
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(value))
        } else {
            Err(InvalidId(value))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A fresh random id (UUID v4 without dashes).
pub fn new_id() -> Id {
    Id(uuid::Uuid::new_v4().simple().to_string())
}

impl TryFrom<String> for Id {
    type Error = InvalidId;
    fn try_from(value: String) -> Result<Self, InvalidId> {
        Self::parse(value)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_refuse_path_characters_and_bad_lengths() {
        assert!(Id::parse("emp-042_a").is_ok());
        for bad in ["", "../etc", "a/b", "a b", "ä", &"x".repeat(65)] {
            assert!(Id::parse(bad).is_err(), "{bad:?}");
        }
        assert!(serde_json::from_str::<Id>("\"../x\"").is_err());
        assert_eq!(new_id().as_str().len(), 32);
    }
}
