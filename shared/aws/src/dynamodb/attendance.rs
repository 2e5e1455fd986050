//! Attendance: one item per (employee, idempotency key), found by employee and date range
//! on the first index and by day on the second.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem};
use chrono::NaiveDate;

use super::DynamoStore;
use super::codec::{self, Item, from_item, to_item};
use super::error::unbuildable;
use super::keys::{self, ATTENDANCE_PREFIX, GSI1, GSI2, index_item, key_item};
use super::query::{KeyQuery, SortKey};
use lintas_core::domain::{AttendanceRecord, Id};
use lintas_core::ports::{AttendanceStore, Page, PageRequest, RecordOutcome, StoreError};

#[async_trait]
impl AttendanceStore for DynamoStore {
    async fn record_attendance(
        &self,
        record: &AttendanceRecord,
    ) -> Result<RecordOutcome, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(attendance_item(record)?))
            .condition_expression("attribute_not_exists(PK)")
            .build()
            .map_err(unbuildable)?;
        let mut owner = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::employee(&record.employee_id))))
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":active", AttributeValue::S("active".to_owned()));
        owner = if record.account_key.is_empty() {
            // An account stored before account keys existed has none, or an empty one.
            owner
                .condition_expression(
                    "#status = :active AND (attribute_not_exists(#account) OR #account = :account)",
                )
                .expression_attribute_values(":account", AttributeValue::S(String::new()))
        } else {
            owner
                .condition_expression("#status = :active AND #account = :account")
                .expression_attribute_values(
                    ":account",
                    AttributeValue::S(record.account_key.clone()),
                )
        }
        .expression_attribute_names("#account", "account_key");
        let writes = vec![
            TransactWriteItem::builder().put(put).build(),
            TransactWriteItem::builder()
                .condition_check(owner.build().map_err(unbuildable)?)
                .build(),
        ];
        let failure = match self.transact_telling_writes_apart(writes).await {
            Ok(()) => return Ok(RecordOutcome::Created),
            Err(failure) => failure,
        };
        match failure.reasons.as_deref() {
            // The record exists: a retry.
            Some([first, ..]) if first == "ConditionalCheckFailed" => {
                let existing = self
                    .get(keys::attendance(
                        &record.employee_id,
                        &record.idempotency_key,
                    ))
                    .await?
                    .ok_or_else(|| {
                        StoreError::Conflict("the existing punch was deleted meanwhile".to_owned())
                    })?;
                Ok(RecordOutcome::Existing(from_item(existing)?))
            }
            _ => Err(failure.error),
        }
    }

    async fn attendance_of(
        &self,
        employee: &Id,
        from: NaiveDate,
        to: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>, StoreError> {
        if from > to {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        }
        // Index sort keys are `<day>#<time>#<id>`; '~' sorts after every character in them.
        let days = SortKey::Between(format!("{from}#"), format!("{to}#~"));
        let query = KeyQuery::index(GSI1, keys::attendance_of(employee)).sort(days);
        self.query_page(&query, page, from_item).await
    }

    async fn attendance_on(
        &self,
        day: NaiveDate,
        page: &PageRequest,
    ) -> Result<Page<AttendanceRecord>, StoreError> {
        self.query_page(
            &KeyQuery::index(GSI2, keys::attendance_on(day)),
            page,
            from_item,
        )
        .await
    }

    async fn delete_attendance_of(&self, employee: &Id) -> Result<Vec<String>, StoreError> {
        let (partition, _) = keys::employee(employee);
        let query = KeyQuery::table(partition.clone())
            .sort(SortKey::BeginsWith(ATTENDANCE_PREFIX.to_owned()));
        let records = self.query_all(&query).await?;
        let mut sort_keys = Vec::with_capacity(records.len());
        let mut photo_keys = Vec::new();
        for item in records {
            sort_keys.push((
                partition.clone(),
                codec::string(&item, keys::SK)?.to_owned(),
            ));
            let record: AttendanceRecord = from_item(item)?;
            photo_keys.extend(record.photo_key);
        }
        self.delete_items(sort_keys).await?;
        Ok(photo_keys)
    }
}

/// The punch's item, on both indexes.
pub(super) fn attendance_item(record: &AttendanceRecord) -> Result<Item, StoreError> {
    let mut item = to_item(record)?;
    item.extend(key_item(keys::attendance(
        &record.employee_id,
        &record.idempotency_key,
    )));
    let (employee, day, at, id) = (&record.employee_id, record.local_day, record.at, &record.id);
    index_item(
        &mut item,
        GSI1,
        keys::attendance_by_employee(employee, day, at, id),
    );
    index_item(&mut item, GSI2, keys::attendance_by_day(day, at, id));
    Ok(item)
}
