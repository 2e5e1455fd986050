//! Liveness challenges: one item each, expiring with the challenge, used at most once by a
//! conditional update; listed per owner on the second index for erasure.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use super::DynamoStore;
use super::codec::{Item, from_item, restore_expiry, set_expiry, to_item};
use super::error::from_sdk;
use super::keys::{self, GSI2, index_item, key_item};
use super::query::KeyQuery;
use super::write::Condition;
use lintas_core::domain::{Challenge, Id};
use lintas_core::ports::{ChallengeStore, StoreError};

/// Attribute set when the challenge is used.
const USED_AT: &str = "used_at";

#[async_trait]
impl ChallengeStore for DynamoStore {
    async fn put_challenge(&self, challenge: &Challenge) -> Result<(), StoreError> {
        self.put(challenge_item(challenge)?, Some(Condition::absent()))
            .await
    }

    async fn challenge(&self, id: &Id) -> Result<Option<Challenge>, StoreError> {
        self.get(keys::challenge(id))
            .await?
            .map(decode_challenge)
            .transpose()
    }

    async fn use_challenge(&self, id: &Id, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let at = serde_json::to_value(at)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or_else(|| StoreError::Invalid("an unstorable time".into()))?;
        let used = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::challenge(id))))
            .update_expression("SET #used = :at")
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(#used)")
            .expression_attribute_names("#used", USED_AT)
            .expression_attribute_values(":at", AttributeValue::S(at))
            .send()
            .await
            .map_err(from_sdk);
        match used {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn delete_challenges_of(&self, owner: &Id) -> Result<(), StoreError> {
        self.delete_found(&KeyQuery::index(GSI2, keys::challenges_of(owner)))
            .await?;
        Ok(())
    }
}

/// The challenge's item, expiring with it, listed under its owner.
pub(super) fn challenge_item(challenge: &Challenge) -> Result<Item, StoreError> {
    let mut item = to_item(challenge)?;
    set_expiry(&mut item, challenge.expires_at);
    item.extend(key_item(keys::challenge(&challenge.id)));
    index_item(
        &mut item,
        GSI2,
        (
            keys::challenges_of(&challenge.owner),
            challenge.id.to_string(),
        ),
    );
    Ok(item)
}

pub(super) fn decode_challenge(mut item: Item) -> Result<Challenge, StoreError> {
    restore_expiry(&mut item)?;
    from_item(item)
}
