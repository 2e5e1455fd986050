//! Reads: single items by key, and key queries page by page or in full.

use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;

use super::DynamoStore;
use super::codec::{self, Item};
use super::cursor;
use super::error::from_sdk;
use super::keys::{Index, Key, PK, SK, key_item};
use lintas_core::ports::{Page, PageRequest, StoreError};

/// Which sort keys of a partition a query reads.
pub(super) enum SortKey {
    /// All of them.
    Any,
    /// Those starting with this text.
    BeginsWith(String),
    /// Those from the first to the second text, both included.
    Between(String, String),
}

/// A query of one partition of the table or of an index.
pub(super) struct KeyQuery {
    index: Option<Index>,
    partition: String,
    sort: SortKey,
    newest_first: bool,
}

impl KeyQuery {
    /// Every item of a table partition (read strongly consistent).
    pub(super) fn table(partition: impl Into<String>) -> Self {
        Self {
            index: None,
            partition: partition.into(),
            sort: SortKey::Any,
            newest_first: false,
        }
    }

    /// Every item of an index partition (eventually consistent, as indexes are).
    pub(super) fn index(index: Index, partition: impl Into<String>) -> Self {
        Self {
            index: Some(index),
            ..Self::table(partition)
        }
    }

    /// Restricts the sort keys read.
    pub(super) fn sort(self, sort: SortKey) -> Self {
        Self { sort, ..self }
    }

    /// Reads in descending sort key order.
    pub(super) fn descending(self) -> Self {
        Self {
            newest_first: true,
            ..self
        }
    }

    /// The attributes making up an item's position in this query, for cursors.
    fn position_attributes(&self) -> Vec<&'static str> {
        match self.index {
            None => vec![PK, SK],
            Some(index) => vec![PK, SK, index.partition, index.sort],
        }
    }
}

impl DynamoStore {
    /// The item with `key`, read strongly consistent.
    pub(super) async fn get(&self, key: Key) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_item(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(output.item)
    }

    /// The page of `query` that `page` asks for, decoded by `decode`. Pages are exact: one
    /// more item than asked for is read to tell whether another page follows.
    pub(super) async fn query_page<T>(
        &self,
        query: &KeyQuery,
        page: &PageRequest,
        decode: impl Fn(Item) -> Result<T, StoreError>,
    ) -> Result<Page<T>, StoreError> {
        let limit = page.effective_limit() as usize;
        let positions = query.position_attributes();
        let mut start = match &page.cursor {
            Some(text) => Some(cursor::decode(text, &positions)?),
            None => None,
        };
        let mut items: Vec<Item> = Vec::new();
        loop {
            let wanted = i32::try_from(limit + 1 - items.len()).unwrap_or(i32::MAX);
            let output = self
                .query_request(query, start)
                .limit(wanted)
                .send()
                .await
                .map_err(from_sdk)?;
            items.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if items.len() > limit || start.is_none() {
                break;
            }
        }
        let more = items.len() > limit;
        items.truncate(limit);
        let next = match items.last() {
            Some(last) if more => Some(cursor::encode(last, &positions)?),
            _ => None,
        };
        let items = items.into_iter().map(decode).collect::<Result<_, _>>()?;
        Ok(Page { items, next })
    }

    /// Deletes every item `query` finds (by their table keys); returns how many there were.
    pub(super) async fn delete_found(&self, query: &KeyQuery) -> Result<usize, StoreError> {
        let keys = self
            .query_all(query)
            .await?
            .iter()
            .map(|item| {
                Ok((
                    codec::string(item, PK)?.to_owned(),
                    codec::string(item, SK)?.to_owned(),
                ))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let count = keys.len();
        self.delete_items(keys).await?;
        Ok(count)
    }

    /// Every item `query` finds, following DynamoDB's pages.
    pub(super) async fn query_all(&self, query: &KeyQuery) -> Result<Vec<Item>, StoreError> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let output = self
                .query_request(query, start)
                .send()
                .await
                .map_err(from_sdk)?;
            items.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(items);
            }
        }
    }

    fn query_request(&self, query: &KeyQuery, start: Option<Item>) -> QueryFluentBuilder {
        let (partition, sort) = match query.index {
            None => (PK, SK),
            Some(index) => (index.partition, index.sort),
        };
        let request = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(query.index.map(|index| index.name.to_owned()))
            .consistent_read(query.index.is_none())
            .scan_index_forward(!query.newest_first)
            .set_exclusive_start_key(start)
            .expression_attribute_names("#pk", partition)
            .expression_attribute_values(":pk", AttributeValue::S(query.partition.clone()));
        match &query.sort {
            SortKey::Any => request.key_condition_expression("#pk = :pk"),
            SortKey::BeginsWith(prefix) => request
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#sk", sort)
                .expression_attribute_values(":prefix", AttributeValue::S(prefix.clone())),
            SortKey::Between(low, high) => request
                .key_condition_expression("#pk = :pk AND #sk BETWEEN :low AND :high")
                .expression_attribute_names("#sk", sort)
                .expression_attribute_values(":low", AttributeValue::S(low.clone()))
                .expression_attribute_values(":high", AttributeValue::S(high.clone())),
        }
    }
}
