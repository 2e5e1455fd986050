//! Offices, one item each.

use async_trait::async_trait;

use super::DynamoStore;
use super::codec::{Item, from_item, to_item};
use super::keys::{self, key_item};
use lintas_core::domain::{Id, Office};
use lintas_core::ports::{OfficeStore, StoreError};

#[async_trait]
impl OfficeStore for DynamoStore {
    async fn put_office(&self, office: &Office) -> Result<(), StoreError> {
        self.put(office_item(office)?, None).await
    }

    async fn office(&self, id: &Id) -> Result<Option<Office>, StoreError> {
        self.get(keys::office(id)).await?.map(from_item).transpose()
    }
}

/// The office's item.
pub(super) fn office_item(office: &Office) -> Result<Item, StoreError> {
    let mut item = to_item(office)?;
    item.extend(key_item(keys::office(&office.id)));
    Ok(item)
}
