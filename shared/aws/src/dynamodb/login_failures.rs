//! Failed-login counters: one item per key with a TTL at the end of its window, counted
//! with atomic `ADD`s; a new window replaces an ended one only if it really ended.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use chrono::{DateTime, Utc};

use super::DynamoStore;
use super::codec::{Item, from_item, restore_expiry, set_expiry, to_item};
use super::error::from_sdk;
use super::keys::{self, EXPIRES_AT_EXACT, key_item, sortable_time};
use super::write::Condition;
use lintas_core::domain::LoginFailures;
use lintas_core::ports::{LoginFailureStore, StoreError};

/// Number attribute of the counter.
const COUNT: &str = "count";
/// Rounds of "increment a live window, else start a new one" before giving up; only
/// concurrent window starts make a round fail.
const ATTEMPTS: usize = 5;

#[async_trait]
impl LoginFailureStore for DynamoStore {
    async fn record_login_failure(
        &self,
        key: &str,
        now: DateTime<Utc>,
        window_end: DateTime<Utc>,
    ) -> Result<LoginFailures, StoreError> {
        for _ in 0..ATTEMPTS {
            match self.count_in_live_window(key, now).await {
                Err(StoreError::Conflict(_)) => {}
                counted => return counted,
            }
            let fresh = LoginFailures {
                key: key.to_owned(),
                count: 1,
                expires_at: window_end,
            };
            let no_live_window = Condition::new("attribute_not_exists(PK) OR #end <= :now")
                .name("#end", EXPIRES_AT_EXACT)
                .value(":now", AttributeValue::S(sortable_time(now)));
            match self.put(counter_item(&fresh)?, Some(no_live_window)).await {
                Err(StoreError::Conflict(_)) => {}
                started => return started.map(|()| fresh),
            }
        }
        Err(StoreError::Conflict(format!(
            "the failed-login counter {key:?} kept changing"
        )))
    }

    async fn login_failures(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LoginFailures>, StoreError> {
        let counter = self
            .get(keys::login_failures(key))
            .await?
            .map(decode_counter)
            .transpose()?;
        Ok(counter.filter(|counter| counter.expires_at > now))
    }

    async fn release_login_attempt(&self, key: &str) -> Result<(), StoreError> {
        let released = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::login_failures(key))))
            .update_expression("ADD #count :minus_one")
            .condition_expression("attribute_exists(PK) AND #count > :zero")
            .expression_attribute_names("#count", COUNT)
            .expression_attribute_values(":minus_one", AttributeValue::N("-1".to_owned()))
            .expression_attribute_values(":zero", AttributeValue::N("0".to_owned()))
            .send()
            .await
            .map_err(from_sdk);
        match released {
            // Nothing to take back: no counter, or already at zero.
            Ok(_) | Err(StoreError::Conflict(_)) => Ok(()),
            Err(error) => Err(error),
        }
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::login_failures(key))))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(())
    }
}

impl DynamoStore {
    /// Adds one to the counter of `key` if its window is still open at `now`; `Conflict`
    /// when there is no such window.
    async fn count_in_live_window(
        &self,
        key: &str,
        now: DateTime<Utc>,
    ) -> Result<LoginFailures, StoreError> {
        let output = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::login_failures(key))))
            .update_expression("ADD #count :one")
            .condition_expression("attribute_exists(PK) AND #end > :now")
            .expression_attribute_names("#count", COUNT)
            .expression_attribute_names("#end", EXPIRES_AT_EXACT)
            .expression_attribute_values(":one", AttributeValue::N("1".to_owned()))
            .expression_attribute_values(":now", AttributeValue::S(sortable_time(now)))
            .return_values(ReturnValue::AllNew)
            .send()
            .await
            .map_err(from_sdk)?;
        let counter = output.attributes.ok_or_else(|| {
            StoreError::Corrupt("the incremented counter was not returned".to_owned())
        })?;
        decode_counter(counter)
    }
}

/// The counter's item, expiring with its window.
fn counter_item(counter: &LoginFailures) -> Result<Item, StoreError> {
    let mut item = to_item(counter)?;
    set_expiry(&mut item, counter.expires_at);
    item.extend(key_item(keys::login_failures(&counter.key)));
    Ok(item)
}

fn decode_counter(mut item: Item) -> Result<LoginFailures, StoreError> {
    restore_expiry(&mut item)?;
    from_item(item)
}
