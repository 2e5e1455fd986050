//! Creating the table: keys, the two overloaded indexes, on-demand billing and TTL.

use std::time::Duration;

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification, TimeToLiveStatus,
};

use super::DynamoStore;
use super::error::{from_sdk, unbuildable};
use super::keys::{EXPIRES_AT, GSI1, GSI2, Index, PK, SK};
use lintas_core::ports::StoreError;

/// Longest wait for a new table to become active.
const CREATION_TIMEOUT: Duration = Duration::from_secs(300);

impl DynamoStore {
    /// Creates the table with its indexes, on-demand billing and TTL on `expires_at`, and
    /// waits until it is active. Succeeds without change when it already exists.
    pub async fn create_table(&self) -> Result<(), StoreError> {
        let mut request = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .key_schema(key(PK, KeyType::Hash)?)
            .key_schema(key(SK, KeyType::Range)?);
        for name in [PK, SK, GSI1.partition, GSI1.sort, GSI2.partition, GSI2.sort] {
            request = request.attribute_definitions(string_attribute(name)?);
        }
        for index in [GSI1, GSI2] {
            request = request.global_secondary_indexes(global_index(index)?);
        }
        match request.send().await {
            Ok(_) => {}
            Err(error) if error.code() == Some("ResourceInUseException") => {}
            Err(error) => return Err(from_sdk(error)),
        }
        self.client
            .wait_until_table_exists()
            .table_name(&self.table)
            .wait(CREATION_TIMEOUT)
            .await
            .map_err(|error| {
                StoreError::Unavailable(format!(
                    "table {} did not become active: {}",
                    self.table,
                    DisplayErrorContext(&error)
                ))
            })?;
        self.enable_time_to_live().await
    }

    async fn enable_time_to_live(&self) -> Result<(), StoreError> {
        let current = self
            .client
            .describe_time_to_live()
            .table_name(&self.table)
            .send()
            .await
            .map_err(from_sdk)?;
        let enabled = current.time_to_live_description().is_some_and(|ttl| {
            ttl.attribute_name() == Some(EXPIRES_AT)
                && matches!(
                    ttl.time_to_live_status(),
                    Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
                )
        });
        if enabled {
            return Ok(());
        }
        let specification = TimeToLiveSpecification::builder()
            .attribute_name(EXPIRES_AT)
            .enabled(true)
            .build()
            .map_err(unbuildable)?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(specification)
            .send()
            .await
            .map_err(from_sdk)?;
        Ok(())
    }
}

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, StoreError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .map_err(unbuildable)
}

fn string_attribute(name: &str) -> Result<AttributeDefinition, StoreError> {
    AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(ScalarAttributeType::S)
        .build()
        .map_err(unbuildable)
}

/// An index projecting whole items, so index queries need no second read.
fn global_index(index: Index) -> Result<GlobalSecondaryIndex, StoreError> {
    GlobalSecondaryIndex::builder()
        .index_name(index.name)
        .key_schema(key(index.partition, KeyType::Hash)?)
        .key_schema(key(index.sort, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(unbuildable)
}
