//! Writes: conditional puts and deletes, transactions retried on conflicts between
//! transactions, and batch deletes that resend unprocessed items.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use aws_sdk_dynamodb::config::{AsyncSleep, SharedAsyncSleep};
use aws_sdk_dynamodb::types::{
    AttributeValue, Delete, DeleteRequest, Put, TransactWriteItem, WriteRequest,
};

use super::DynamoStore;
use super::codec::Item;
use super::error::{
    cancellation_reasons, from_sdk, from_transaction, is_transaction_conflict, unbuildable,
};
use super::keys::{Key, key_item};
use lintas_core::ports::StoreError;

/// Most writes in one `BatchWriteItem` call.
const BATCH_SIZE: usize = 25;
/// Most writes in one `TransactWriteItems` call.
pub(super) const TRANSACTION_SIZE: usize = 100;
/// Attempts at a transaction that keeps colliding with other transactions.
const TRANSACTION_ATTEMPTS: u32 = 6;
/// Attempts at a batch whose items keep coming back unprocessed.
const BATCH_ATTEMPTS: u32 = 8;
/// First pause before a retry; doubled on each further one.
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

/// A condition expression with its placeholders.
pub(super) struct Condition {
    expression: String,
    names: HashMap<String, String>,
    values: Item,
}

impl Condition {
    /// A condition without placeholders, or whose placeholders are added next.
    pub(super) fn new(expression: impl Into<String>) -> Self {
        Self {
            expression: expression.into(),
            names: HashMap::new(),
            values: Item::new(),
        }
    }

    /// The item must not exist yet.
    pub(super) fn absent() -> Self {
        Self::new("attribute_not_exists(PK)")
    }

    /// Binds the name placeholder `#placeholder` to `attribute`.
    pub(super) fn name(mut self, placeholder: &str, attribute: &str) -> Self {
        self.names
            .insert(placeholder.to_owned(), attribute.to_owned());
        self
    }

    /// Binds the value placeholder `:placeholder` to `value`.
    pub(super) fn value(mut self, placeholder: &str, value: AttributeValue) -> Self {
        self.values.insert(placeholder.to_owned(), value);
        self
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Item> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

impl DynamoStore {
    /// Writes `item`, replacing any item with its key, if `condition` holds.
    pub(super) async fn put(
        &self,
        item: Item,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .set_condition_expression(condition.as_ref().map(|c| c.expression.clone()))
            .set_expression_attribute_names(condition.as_ref().and_then(Condition::names))
            .set_expression_attribute_values(condition.as_ref().and_then(Condition::values))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(())
    }

    /// Deletes the item with `key` if `condition` holds; `Conflict` when it does not.
    pub(super) async fn delete(
        &self,
        key: Key,
        condition: Option<Condition>,
    ) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_item(key)))
            .set_condition_expression(condition.as_ref().map(|c| c.expression.clone()))
            .set_expression_attribute_names(condition.as_ref().and_then(Condition::names))
            .set_expression_attribute_values(condition.as_ref().and_then(Condition::values))
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(())
    }

    /// A transactional put of `item` if `condition` holds.
    pub(super) fn put_in_transaction(
        &self,
        item: Item,
        condition: Option<Condition>,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .set_condition_expression(condition.as_ref().map(|c| c.expression.clone()))
            .set_expression_attribute_names(condition.as_ref().and_then(Condition::names))
            .set_expression_attribute_values(condition.as_ref().and_then(Condition::values))
            .build()
            .map_err(unbuildable)?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// A transactional delete of the item with `key` if `condition` holds.
    pub(super) fn delete_in_transaction(
        &self,
        key: Key,
        condition: Option<Condition>,
    ) -> Result<TransactWriteItem, StoreError> {
        let delete = Delete::builder()
            .table_name(&self.table)
            .set_key(Some(key_item(key)))
            .set_condition_expression(condition.as_ref().map(|c| c.expression.clone()))
            .set_expression_attribute_names(condition.as_ref().and_then(Condition::names))
            .set_expression_attribute_values(condition.as_ref().and_then(Condition::values))
            .build()
            .map_err(unbuildable)?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// Runs `writes` (at most [`TRANSACTION_SIZE`]) all or nothing; `Conflict` when a
    /// condition fails. Collisions with other transactions are retried with backoff.
    pub(super) async fn transact(&self, writes: Vec<TransactWriteItem>) -> Result<(), StoreError> {
        self.transact_telling_writes_apart(writes)
            .await
            .map_err(|failure| failure.error)
    }

    /// As [`DynamoStore::transact`], also giving the cancellation code of each write when
    /// conditions cancelled the transaction, for callers whose writes fail for different
    /// reasons.
    pub(super) async fn transact_telling_writes_apart(
        &self,
        writes: Vec<TransactWriteItem>,
    ) -> Result<(), TransactionFailure> {
        let mut attempt = 0;
        loop {
            let result = self
                .client
                .transact_write_items()
                .set_transact_items(Some(writes.clone()))
                .send()
                .await;
            match result {
                Ok(_) => return Ok(()),
                Err(error)
                    if is_transaction_conflict(&error) && attempt + 1 < TRANSACTION_ATTEMPTS =>
                {
                    pause(self.client.config().sleep_impl(), attempt).await;
                    attempt += 1;
                }
                Err(error) => {
                    return Err(TransactionFailure {
                        reasons: cancellation_reasons(&error),
                        error: from_transaction(error),
                    });
                }
            }
        }
    }

    /// Deletes the items with `keys` in batches, resending whatever DynamoDB leaves
    /// unprocessed.
    pub(super) async fn delete_items(&self, keys: Vec<Key>) -> Result<(), StoreError> {
        let requests = keys
            .into_iter()
            .map(|key| {
                let delete = DeleteRequest::builder()
                    .set_key(Some(key_item(key)))
                    .build()
                    .map_err(unbuildable)?;
                Ok(WriteRequest::builder().delete_request(delete).build())
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for batch in requests.chunks(BATCH_SIZE) {
            write_until_processed(
                batch.to_vec(),
                self.client.config().sleep_impl(),
                |pending| self.write_batch(pending),
            )
            .await?;
        }
        Ok(())
    }

    /// Sends one `BatchWriteItem`; returns the requests left unprocessed.
    async fn write_batch(
        &self,
        requests: Vec<WriteRequest>,
    ) -> Result<Vec<WriteRequest>, StoreError> {
        let output = self
            .client
            .batch_write_item()
            .request_items(&self.table, requests)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(output
            .unprocessed_items
            .and_then(|mut unprocessed| unprocessed.remove(&self.table))
            .unwrap_or_default())
    }
}

/// Sends `pending` with `send` until nothing comes back unprocessed, pausing longer before
/// each resend; `Unavailable` when items are still left after [`BATCH_ATTEMPTS`].
async fn write_until_processed<SendBatch, BatchSent>(
    mut pending: Vec<WriteRequest>,
    sleep: Option<SharedAsyncSleep>,
    mut send: SendBatch,
) -> Result<(), StoreError>
where
    SendBatch: FnMut(Vec<WriteRequest>) -> BatchSent,
    BatchSent: Future<Output = Result<Vec<WriteRequest>, StoreError>>,
{
    for attempt in 0..BATCH_ATTEMPTS {
        if attempt > 0 {
            pause(sleep.clone(), attempt - 1).await;
        }
        pending = send(pending).await?;
        if pending.is_empty() {
            return Ok(());
        }
    }
    Err(StoreError::Unavailable(format!(
        "{} batched writes still unprocessed after {BATCH_ATTEMPTS} attempts",
        pending.len()
    )))
}

/// Waits before retry number `attempt` (from 0), if the client has a sleep implementation.
async fn pause(sleep: Option<SharedAsyncSleep>, attempt: u32) {
    if let Some(sleep) = sleep {
        sleep.sleep(FIRST_BACKOFF * 2u32.pow(attempt.min(6))).await;
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// Runs a future that never waits (the fakes below never do).
    fn run_ready<T>(future: impl Future<Output = T>) -> T {
        match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(value) => value,
            Poll::Pending => panic!("the future waited"),
        }
    }

    fn requests(count: usize) -> Vec<WriteRequest> {
        (0..count)
            .map(|n| {
                let key = key_item((format!("P{n}"), "S".to_owned()));
                let delete = DeleteRequest::builder().set_key(Some(key)).build().unwrap();
                WriteRequest::builder().delete_request(delete).build()
            })
            .collect()
    }

    #[test]
    fn unprocessed_batch_items_are_resent_until_done() {
        let mut sent = Vec::new();
        let result = run_ready(write_until_processed(requests(5), None, |pending| {
            sent.push(pending.len());
            let unprocessed = pending.into_iter().skip(2).collect();
            async move { Ok(unprocessed) }
        }));
        assert!(result.is_ok());
        assert_eq!(sent, [5, 3, 1]);
    }

    #[test]
    fn batches_that_never_complete_are_unavailable() {
        let mut calls = 0;
        let result = run_ready(write_until_processed(requests(2), None, |pending| {
            calls += 1;
            async move { Ok(pending) }
        }));
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
        assert_eq!(calls, BATCH_ATTEMPTS);
    }

    #[test]
    fn batch_failures_stop_the_resending() {
        let result = run_ready(write_until_processed(requests(2), None, |_| async {
            Err(StoreError::Unavailable("down".into()))
        }));
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
    }
}

/// Why a transaction did not commit.
#[derive(Debug)]
pub(super) struct TransactionFailure {
    /// Each write's cancellation code (`None` for the ones that passed), when the
    /// transaction was cancelled.
    pub(super) reasons: Option<Vec<String>>,
    /// The failure, classified as for any transaction.
    pub(super) error: StoreError,
}

/// Attribute of a version item.
const GUARD_VERSION: &str = "version";

impl DynamoStore {
    /// The version stored at `key` (an item that guards a collection, such as one
    /// employee's requests), if it was ever written.
    pub(super) async fn guard_version(&self, key: Key) -> Result<Option<u64>, StoreError> {
        let Some(item) = self.get(key.clone()).await? else {
            return Ok(None);
        };
        match item.get(GUARD_VERSION) {
            Some(AttributeValue::N(n)) => n
                .parse()
                .map(Some)
                .map_err(|_| StoreError::Corrupt(format!("version {n:?} at {key:?}"))),
            _ => Err(StoreError::Corrupt(format!(
                "a version item without a number at {key:?}"
            ))),
        }
    }

    /// The transaction write that moves the version at `key` on from `read`, conditional on
    /// it still being `read`: a transaction that adds to the guarded collection with it
    /// fails when another addition landed after the collection was read and checked.
    pub(super) fn guard_bump(
        &self,
        key: Key,
        read: Option<u64>,
    ) -> Result<TransactWriteItem, StoreError> {
        let unchanged = match read {
            Some(v) => Condition::new("#v = :v")
                .name("#v", GUARD_VERSION)
                .value(":v", AttributeValue::N(v.to_string())),
            None => Condition::absent(),
        };
        let mut bump = Item::from([(
            GUARD_VERSION.to_owned(),
            AttributeValue::N((read.unwrap_or(0) + 1).to_string()),
        )]);
        bump.extend(key_item(key));
        self.put_in_transaction(bump, Some(unchanged))
    }
}
