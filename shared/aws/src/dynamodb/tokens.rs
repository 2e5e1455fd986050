//! Refresh tokens: one item per token hash with a TTL, found by family on the first index
//! and by employee on the second. Expired tokens are filtered out on read, as TTL deletion
//! can lag by days.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem};
use chrono::{DateTime, Utc};

use super::DynamoStore;
use super::codec::{Item, from_item, restore_expiry, set_expiry, to_item};
use super::error::{from_sdk, unbuildable};
use super::keys::{self, GSI1, GSI2, index_item, key_item};
use super::query::KeyQuery;
use lintas_core::domain::{Id, RefreshToken};
use lintas_core::ports::{StoreError, TokenStore};

/// Boolean attribute set when a token is revoked.
const REVOKED: &str = "revoked";

/// Days a revoked-family marker is kept: longer than any refresh token lives.
const FAMILY_MARKER_DAYS: i64 = 400;

#[async_trait]
impl TokenStore for DynamoStore {
    async fn put_refresh_token(&self, token: &RefreshToken) -> Result<(), StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(token_item(token)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(unbuildable)?;
        let family_live = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::revoked_family(&token.family))))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(unbuildable)?;
        let writes = vec![
            TransactWriteItem::builder().put(put).build(),
            TransactWriteItem::builder()
                .condition_check(family_live)
                .build(),
        ];
        // A failed condition (the token exists, or its family was revoked) is a `Conflict`.
        self.transact(writes).await
    }

    async fn refresh_token(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<RefreshToken>, StoreError> {
        let token = self
            .get(keys::refresh_token(id))
            .await?
            .map(decode_token)
            .transpose()?;
        Ok(token.filter(|token| token.expires_at > now))
    }

    async fn revoke_refresh_token(&self, id: &str) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::refresh_token(id))))
            .update_expression("SET #revoked = :yes")
            .condition_expression("attribute_exists(PK) AND #revoked = :no")
            .expression_attribute_names("#revoked", REVOKED)
            .expression_attribute_values(":yes", AttributeValue::Bool(true))
            .expression_attribute_values(":no", AttributeValue::Bool(false))
            .send()
            .await
            .map_err(from_sdk);
        match result {
            Ok(_) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn revoke_token_family(&self, family: &Id) -> Result<usize, StoreError> {
        // The marker first: a successor put from now on fails, and a token put before it but
        // not yet visible on the (eventually consistent) family index is refused at its use.
        let mut marker = key_item(keys::revoked_family(family));
        set_expiry(
            &mut marker,
            Utc::now() + chrono::Duration::days(FAMILY_MARKER_DAYS),
        );
        self.put(marker, None).await?;
        let members = self
            .query_all(&KeyQuery::index(GSI1, keys::token_family(family)))
            .await?;
        let mut revoked = 0;
        for member in members {
            let token = decode_token(member)?;
            if !token.revoked && self.revoke_refresh_token(&token.id).await? {
                revoked += 1;
            }
        }
        Ok(revoked)
    }

    async fn family_revoked(&self, family: &Id) -> Result<bool, StoreError> {
        Ok(self.get(keys::revoked_family(family)).await?.is_some())
    }

    async fn revoke_token_families_of(&self, employee: &Id) -> Result<usize, StoreError> {
        let mut families = std::collections::BTreeSet::new();
        for item in self
            .query_all(&KeyQuery::index(GSI2, keys::tokens_of(employee)))
            .await?
        {
            families.insert(decode_token(item)?.family);
        }
        let mut revoked = 0;
        for family in &families {
            revoked += self.revoke_token_family(family).await?;
        }
        Ok(revoked)
    }

    async fn delete_tokens_of(&self, employee: &Id) -> Result<(), StoreError> {
        self.delete_found(&KeyQuery::index(GSI2, keys::tokens_of(employee)))
            .await
            .map(drop)
    }
}

/// The token's item with its TTL, on the family and employee indexes.
pub(super) fn token_item(token: &RefreshToken) -> Result<Item, StoreError> {
    let mut item = to_item(token)?;
    set_expiry(&mut item, token.expires_at);
    item.extend(key_item(keys::refresh_token(&token.id)));
    index_item(
        &mut item,
        GSI1,
        (keys::token_family(&token.family), token.id.clone()),
    );
    index_item(
        &mut item,
        GSI2,
        (keys::tokens_of(&token.employee_id), token.id.clone()),
    );
    Ok(item)
}

pub(super) fn decode_token(mut item: Item) -> Result<RefreshToken, StoreError> {
    restore_expiry(&mut item)?;
    from_item(item)
}
