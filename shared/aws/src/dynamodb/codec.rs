//! Records to items and back: each serde field becomes a native attribute (strings, numbers,
//! booleans, maps, lists); `None` fields are left out.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use super::keys::{EXPIRES_AT, EXPIRES_AT_EXACT, sortable_time};
use lintas_core::ports::StoreError;

/// A DynamoDB item.
pub(super) type Item = HashMap<String, AttributeValue>;

/// The fields of `record` (a struct) as attributes.
pub(super) fn to_item<T: Serialize>(record: &T) -> Result<Item, StoreError> {
    match serde_json::to_value(record) {
        Ok(Value::Object(fields)) => Ok(to_attributes(fields)),
        Ok(other) => Err(StoreError::Invalid(format!(
            "only structs can be stored, not {other}"
        ))),
        Err(error) => Err(StoreError::Invalid(format!("unstorable record: {error}"))),
    }
}

/// The record stored in `item`; key and other extra attributes are ignored.
pub(super) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, StoreError> {
    from_fields(to_fields(item)?)
}

/// The attributes of `item` as JSON fields, to complete before [`from_fields`].
pub(super) fn to_fields(item: Item) -> Result<Map<String, Value>, StoreError> {
    item.into_iter()
        .map(|(name, attribute)| {
            let value = to_value(attribute)
                .map_err(|why| StoreError::Corrupt(format!("attribute {name}: {why}")))?;
            Ok((name, value))
        })
        .collect()
}

/// The record made of `fields`.
pub(super) fn from_fields<T: DeserializeOwned>(
    fields: Map<String, Value>,
) -> Result<T, StoreError> {
    serde_json::from_value(Value::Object(fields))
        .map_err(|error| StoreError::Corrupt(format!("undecodable item: {error}")))
}

/// Replaces the serde `expires_at` of a record with the TTL attribute (epoch seconds,
/// rounded up so TTL never deletes early) and keeps the exact instant beside it.
pub(super) fn set_expiry(item: &mut Item, expires_at: DateTime<Utc>) {
    let seconds = expires_at.timestamp() + i64::from(expires_at.timestamp_subsec_nanos() > 0);
    item.insert(
        EXPIRES_AT.to_owned(),
        AttributeValue::N(seconds.to_string()),
    );
    item.insert(
        EXPIRES_AT_EXACT.to_owned(),
        AttributeValue::S(sortable_time(expires_at)),
    );
}

/// Undoes [`set_expiry`] so the record's `expires_at` decodes exactly.
pub(super) fn restore_expiry(item: &mut Item) -> Result<(), StoreError> {
    let exact = item
        .remove(EXPIRES_AT_EXACT)
        .ok_or_else(|| StoreError::Corrupt(format!("item without {EXPIRES_AT_EXACT}")))?;
    item.insert(EXPIRES_AT.to_owned(), exact);
    Ok(())
}

/// The string attribute `name` of `item`.
pub(super) fn string<'a>(item: &'a Item, name: &str) -> Result<&'a str, StoreError> {
    match item.get(name) {
        Some(AttributeValue::S(value)) => Ok(value),
        _ => Err(StoreError::Corrupt(format!(
            "item without string attribute {name}"
        ))),
    }
}

fn to_attributes(fields: Map<String, Value>) -> Item {
    fields
        .into_iter()
        .filter_map(|(name, value)| to_attribute(value).map(|attribute| (name, attribute)))
        .collect()
}

fn to_attribute(value: Value) -> Option<AttributeValue> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(flag) => AttributeValue::Bool(flag),
        Value::Number(number) => AttributeValue::N(number.to_string()),
        Value::String(text) => AttributeValue::S(text),
        Value::Array(values) => AttributeValue::L(
            values
                .into_iter()
                .map(|value| to_attribute(value).unwrap_or(AttributeValue::Null(true)))
                .collect(),
        ),
        Value::Object(fields) => AttributeValue::M(to_attributes(fields)),
    })
}

fn to_value(attribute: AttributeValue) -> Result<Value, String> {
    Ok(match attribute {
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::Bool(flag) => Value::Bool(flag),
        AttributeValue::N(number) => Value::Number(parse_number(&number)?),
        AttributeValue::S(text) => Value::String(text),
        AttributeValue::L(values) => {
            Value::Array(values.into_iter().map(to_value).collect::<Result<_, _>>()?)
        }
        AttributeValue::M(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(name, attribute)| Ok((name, to_value(attribute)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => return Err(format!("unexpected attribute type {other:?}")),
    })
}

fn parse_number(text: &str) -> Result<Number, String> {
    if let Ok(integer) = text.parse::<i64>() {
        return Ok(integer.into());
    }
    if let Ok(integer) = text.parse::<u64>() {
        return Ok(integer.into());
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .ok_or_else(|| format!("not a number: {text:?}"))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        score: f32,
        big: u64,
        note: Option<String>,
        tags: Vec<u8>,
        at: DateTime<Utc>,
        nested: Option<Nested>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Nested {
        flag: bool,
        ratio: f64,
    }

    #[test]
    fn records_round_trip_through_native_attributes() {
        let sample = Sample {
            name: "x".into(),
            score: 0.1,
            big: u64::MAX,
            note: None,
            tags: vec![1, 7],
            at: DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap(),
            nested: Some(Nested {
                flag: true,
                ratio: -2.5e-7,
            }),
        };
        let item = to_item(&sample).unwrap();
        assert!(!item.contains_key("note"));
        assert!(matches!(item.get("nested"), Some(AttributeValue::M(_))));
        assert_eq!(from_item::<Sample>(item).unwrap(), sample);
    }

    #[test]
    fn undecodable_items_are_corrupt() {
        let item = Item::from([("name".into(), AttributeValue::N("1".into()))]);
        assert!(matches!(
            from_item::<Sample>(item),
            Err(StoreError::Corrupt(_))
        ));
        let item = Item::from([("name".into(), AttributeValue::N("x".into()))]);
        assert!(matches!(
            from_item::<Sample>(item),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn expiry_is_rounded_up_for_ttl_and_kept_exactly() {
        let at = DateTime::from_timestamp(100, 1).unwrap();
        let mut item = Item::new();
        set_expiry(&mut item, at);
        assert_eq!(item.get(EXPIRES_AT), Some(&AttributeValue::N("101".into())));
        restore_expiry(&mut item).unwrap();
        let restored: DateTime<Utc> =
            serde_json::from_value(to_value(item.remove(EXPIRES_AT).unwrap()).unwrap()).unwrap();
        assert_eq!(restored, at);
    }
}
