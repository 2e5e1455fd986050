//! The DynamoDB adapter: every record store in one table (single-table design, see
//! `docs/DATA_MODEL.md`), with conditional writes for uniqueness, idempotency and
//! optimistic locking.

mod attendance;
mod audit;
mod calendars;
mod challenges;
mod codec;
mod cursor;
mod employees;
mod enrollments;
mod error;
#[cfg(test)]
mod golden;
mod keys;
mod login_failures;
mod offices;
mod query;
mod refusals;
mod requests;
mod schema;
mod templates;
mod tokens;
mod write;

/// All LINTAS records in one DynamoDB table.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: aws_sdk_dynamodb::Client,
    table: String,
}

impl DynamoStore {
    /// A store over `table`, which [`DynamoStore::create_table`] can create.
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }
}
