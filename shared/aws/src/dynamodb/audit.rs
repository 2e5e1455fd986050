//! The audit trail: one partition sorted by time, read newest first.

use async_trait::async_trait;

use super::DynamoStore;
use super::codec::{Item, from_item, to_item};
use super::keys::{self, AUDIT, key_item};
use super::query::KeyQuery;
use lintas_core::domain::AuditEvent;
use lintas_core::ports::{AuditLog, Page, PageRequest, StoreError};

#[async_trait]
impl AuditLog for DynamoStore {
    async fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError> {
        self.put(audit_item(event)?, None).await
    }

    async fn audit_events(&self, page: &PageRequest) -> Result<Page<AuditEvent>, StoreError> {
        self.query_page(&KeyQuery::table(AUDIT).descending(), page, from_item)
            .await
    }
}

/// The event's item, in time order on the table.
pub(super) fn audit_item(event: &AuditEvent) -> Result<Item, StoreError> {
    let mut item = to_item(event)?;
    item.extend(key_item(keys::audit_event(event.at, &event.id)));
    Ok(item)
}
