//! Requests: in the employee's partition by first day, beside a request version that makes
//! "no two live requests collide" atomic, with a pointer item from the request's id; the
//! pending ones on the second index by filing time, the approved ones on the first by last
//! day. An approval writes its correction punch in the same transaction.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};
use chrono::NaiveDate;

use super::DynamoStore;
use super::attendance::attendance_item;
use super::codec::{Item, from_item, to_item};
use super::error::unbuildable;
use super::keys::{self, GSI1, GSI2, index_item, key_item, sortable_time};
use super::query::{KeyQuery, SortKey};
use super::write::Condition;
use lintas_core::domain::{AttendanceRecord, AttendanceRequest, Id, RequestStatus};
use lintas_core::ports::{RequestStore, StoreError};

/// Attribute of the version of a request.
const VERSION: &str = "version";
/// Attributes of the pointer item.
const EMPLOYEE: &str = "employee_id";
const FROM: &str = "from";
/// Rounds of "read the requests, check, write if unchanged" before giving up.
const FILE_ATTEMPTS: usize = 5;

#[async_trait]
impl RequestStore for DynamoStore {
    async fn file_request(&self, request: &AttendanceRequest) -> Result<(), StoreError> {
        let employee = &request.employee_id;
        for _ in 0..FILE_ATTEMPTS {
            let version = self.guard_version(keys::request_version(employee)).await?;
            let existing = self.requests_of(employee).await?;
            if let Some(other) = existing.iter().find(|r| r.collides_with(request)) {
                return Err(StoreError::Conflict(format!(
                    "request {} shares a day with the new one",
                    other.id
                )));
            }
            // The version moves with the write: a request filed meanwhile fails the
            // condition and the check is made again.
            let writes = vec![
                self.guard_bump(keys::request_version(employee), version)?,
                self.put_in_transaction(request_item(request)?, Some(Condition::absent()))?,
                self.put_in_transaction(pointer_item(request), Some(Condition::absent()))?,
            ];
            match self.transact(writes).await {
                Err(StoreError::Conflict(_)) => continue,
                done => return done,
            }
        }
        Err(StoreError::Conflict(format!(
            "the requests of {employee} kept changing"
        )))
    }

    async fn request(&self, id: &Id) -> Result<Option<AttendanceRequest>, StoreError> {
        let Some(pointer) = self.get(keys::request_pointer(id)).await? else {
            return Ok(None);
        };
        let text = |name: &str| match pointer.get(name) {
            Some(AttributeValue::S(text)) => Ok(text.clone()),
            _ => Err(StoreError::Corrupt(format!(
                "request pointer {id} without {name}"
            ))),
        };
        let employee = Id::parse(&text(EMPLOYEE)?)
            .map_err(|e| StoreError::Corrupt(format!("request pointer {id}: {e}")))?;
        let from: NaiveDate = text(FROM)?
            .parse()
            .map_err(|e| StoreError::Corrupt(format!("request pointer {id}: {e}")))?;
        self.get(keys::request(&employee, from, id))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn requests_of(&self, employee: &Id) -> Result<Vec<AttendanceRequest>, StoreError> {
        let query = KeyQuery::table(keys::employee(employee).0)
            .sort(SortKey::BeginsWith(keys::REQUEST_PREFIX.to_owned()));
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn pending_requests(&self) -> Result<Vec<AttendanceRequest>, StoreError> {
        let query = KeyQuery::index(GSI2, keys::PENDING_REQUESTS);
        self.query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    async fn approved_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttendanceRequest>, StoreError> {
        // Listed by last day: those ending on or after `from`, less those starting after `to`.
        let query = KeyQuery::index(GSI1, keys::APPROVED_REQUESTS)
            .sort(SortKey::Between(from.to_string(), "~".to_owned()));
        let found: Vec<AttendanceRequest> = self
            .query_all(&query)
            .await?
            .into_iter()
            .map(from_item)
            .collect::<Result<_, _>>()?;
        Ok(found.into_iter().filter(|r| r.from <= to).collect())
    }

    async fn update_request(
        &self,
        request: &AttendanceRequest,
        punch: Option<&AttendanceRecord>,
    ) -> Result<(), StoreError> {
        let previous = request.version.saturating_sub(1);
        let unchanged = Condition::new("#v = :v")
            .name("#v", VERSION)
            .value(":v", AttributeValue::N(previous.to_string()));
        let employee = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::employee(&request.employee_id))))
            .condition_expression("attribute_exists(PK)")
            .build()
            .map_err(unbuildable)?;
        let mut writes = vec![
            self.put_in_transaction(request_item(request)?, Some(unchanged))?,
            TransactWriteItem::builder()
                .condition_check(employee)
                .build(),
        ];
        if let Some(punch) = punch {
            writes
                .push(self.put_in_transaction(attendance_item(punch)?, Some(Condition::absent()))?);
        }
        self.transact(writes).await
    }

    async fn delete_requests_of(&self, employee: &Id) -> Result<(), StoreError> {
        let mut found = Vec::new();
        for request in self.requests_of(employee).await? {
            found.push(keys::request(employee, request.from, &request.id));
            found.push(keys::request_pointer(&request.id));
        }
        found.push(keys::request_version(employee));
        self.delete_items(found).await
    }
}

/// The item of a request, on the index of its status while pending or approved.
pub(super) fn request_item(request: &AttendanceRequest) -> Result<Item, StoreError> {
    let mut item = to_item(request)?;
    item.extend(key_item(keys::request(
        &request.employee_id,
        request.from,
        &request.id,
    )));
    match request.status {
        RequestStatus::Pending => index_item(
            &mut item,
            GSI2,
            (
                keys::PENDING_REQUESTS.to_owned(),
                format!("{}#{}", sortable_time(request.filed_at), request.id),
            ),
        ),
        RequestStatus::Approved => index_item(
            &mut item,
            GSI1,
            (
                keys::APPROVED_REQUESTS.to_owned(),
                format!("{}#{}#{}", request.to, request.employee_id, request.id),
            ),
        ),
        RequestStatus::Rejected | RequestStatus::Cancelled => {}
    }
    Ok(item)
}

/// The item that finds a request from its id.
fn pointer_item(request: &AttendanceRequest) -> Item {
    let mut item = Item::from([
        (
            EMPLOYEE.to_owned(),
            AttributeValue::S(request.employee_id.to_string()),
        ),
        (FROM.to_owned(), AttributeValue::S(request.from.to_string())),
    ]);
    item.extend(key_item(keys::request_pointer(&request.id)));
    item
}
