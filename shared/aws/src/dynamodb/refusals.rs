//! Refused face attempts: one partition sorted by time (read newest first), each item also
//! listed per employee on the second index, and dropped by TTL after the review period.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::DynamoStore;
use super::codec::{Item, from_item, restore_expiry, set_expiry, to_item};
use super::keys::{self, GSI2, REFUSALS, index_item, key_item, sortable_time};
use super::query::KeyQuery;
use lintas_core::domain::{Id, RefusedAttempt};
use lintas_core::ports::{Page, PageRequest, RefusalLog, StoreError};

#[async_trait]
impl RefusalLog for DynamoStore {
    async fn record_refusal(&self, refusal: &RefusedAttempt) -> Result<(), StoreError> {
        self.put(refusal_item(refusal)?, None).await
    }

    async fn refusals(
        &self,
        employee: Option<&Id>,
        now: DateTime<Utc>,
        page: &PageRequest,
    ) -> Result<Page<RefusedAttempt>, StoreError> {
        let query = match employee {
            Some(employee) => KeyQuery::index(GSI2, keys::refusals_of(employee)),
            None => KeyQuery::table(REFUSALS),
        };
        let mut found = self
            .query_page(&query.descending(), page, decode_refusal)
            .await?;
        // TTL deletes expired items only eventually.
        found.items.retain(|refusal| refusal.expires_at > now);
        Ok(found)
    }

    async fn delete_refusals_of(&self, employee: &Id) -> Result<Vec<String>, StoreError> {
        let query = KeyQuery::index(GSI2, keys::refusals_of(employee));
        let refusals = self
            .query_all(&query)
            .await?
            .into_iter()
            .map(decode_refusal)
            .collect::<Result<Vec<_>, _>>()?;
        let photos = refusals
            .iter()
            .filter_map(|refusal| refusal.photo_key.clone())
            .collect();
        self.delete_items(
            refusals
                .iter()
                .map(|refusal| keys::refusal(refusal.at, &refusal.id))
                .collect(),
        )
        .await?;
        Ok(photos)
    }
}

/// The refusal's item, in time order, listed under its employee, expiring after review.
pub(super) fn refusal_item(refusal: &RefusedAttempt) -> Result<Item, StoreError> {
    let mut item = to_item(refusal)?;
    set_expiry(&mut item, refusal.expires_at);
    item.extend(key_item(keys::refusal(refusal.at, &refusal.id)));
    if let Some(employee) = &refusal.employee_id {
        index_item(
            &mut item,
            GSI2,
            (
                keys::refusals_of(employee),
                format!("{}#{}", sortable_time(refusal.at), refusal.id),
            ),
        );
    }
    Ok(item)
}

pub(super) fn decode_refusal(mut item: Item) -> Result<RefusedAttempt, StoreError> {
    restore_expiry(&mut item)?;
    from_item(item)
}
