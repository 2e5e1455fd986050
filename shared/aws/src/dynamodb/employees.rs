//! Employees; each e-mail is claimed by a separate item written in the same transaction,
//! which makes e-mails unique.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;

use super::DynamoStore;
use super::codec::{self, Item, from_item, to_item};
use super::keys::{self, ALL_EMPLOYEES, GSI1, index_item, key_item};
use super::query::KeyQuery;
use super::write::Condition;
use lintas_core::domain::{Employee, Id};
use lintas_core::ports::{EmployeeStore, Page, PageRequest, StoreError};

/// Attribute of an e-mail claim naming the employee holding the address.
const OWNER: &str = "employee_id";

#[async_trait]
impl EmployeeStore for DynamoStore {
    async fn create_employee(&self, employee: &Employee) -> Result<(), StoreError> {
        let mut writes =
            vec![self.put_in_transaction(employee_item(employee)?, Some(Condition::absent()))?];
        if let Some(address) = &employee.email {
            writes.push(self.put_in_transaction(
                email_claim(address, &employee.id),
                Some(Condition::absent()),
            )?);
        }
        self.transact(writes).await
    }

    async fn employee(&self, id: &Id) -> Result<Option<Employee>, StoreError> {
        self.get(keys::employee(id))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn employee_by_email(&self, email: &str) -> Result<Option<Employee>, StoreError> {
        let Some(claim) = self.get(keys::email(email)).await? else {
            return Ok(None);
        };
        let owner = Id::parse(codec::string(&claim, OWNER)?)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        self.employee(&owner).await
    }

    async fn update_employee(&self, employee: &Employee) -> Result<(), StoreError> {
        let expected = employee.version.checked_sub(1).ok_or_else(|| {
            StoreError::Invalid("an updated employee has a version of at least 1".to_owned())
        })?;
        let current = self
            .employee(&employee.id)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("employee {} is gone", employee.id)))?;
        if current.version != expected {
            return Err(StoreError::Conflict(format!(
                "employee {} is at version {}, not {expected}",
                employee.id, current.version
            )));
        }
        let mut writes =
            vec![self.put_in_transaction(employee_item(employee)?, Some(at_version(expected)))?];
        let old_email = current.email.map(|address| address.to_lowercase());
        let new_email = employee
            .email
            .as_ref()
            .map(|address| address.to_lowercase());
        if old_email != new_email {
            if let Some(old) = &old_email {
                writes.push(self.delete_in_transaction(
                    keys::email(old),
                    Some(unclaimed_or_owned_by(&employee.id)),
                )?);
            }
            if let Some(new) = &new_email {
                writes.push(self.put_in_transaction(
                    email_claim(new, &employee.id),
                    Some(Condition::absent()),
                )?);
            }
        }
        self.transact(writes).await
    }

    async fn delete_employee(&self, id: &Id) -> Result<bool, StoreError> {
        let Some(current) = self.employee(id).await? else {
            return Ok(false);
        };
        let mut writes = vec![
            self.delete_in_transaction(keys::employee(id), Some(at_version(current.version)))?,
        ];
        if let Some(address) = &current.email {
            writes.push(
                self.delete_in_transaction(keys::email(address), Some(unclaimed_or_owned_by(id)))?,
            );
        }
        self.transact(writes).await?;
        Ok(true)
    }

    async fn list_employees(&self, page: &PageRequest) -> Result<Page<Employee>, StoreError> {
        self.query_page(&KeyQuery::index(GSI1, ALL_EMPLOYEES), page, from_item)
            .await
    }
}

/// The employee's item, listed in id order on the first index.
pub(super) fn employee_item(employee: &Employee) -> Result<Item, StoreError> {
    let mut item = to_item(employee)?;
    item.extend(key_item(keys::employee(&employee.id)));
    index_item(
        &mut item,
        GSI1,
        (ALL_EMPLOYEES.to_owned(), employee.id.to_string()),
    );
    Ok(item)
}

/// The item reserving `address` for `owner`.
fn email_claim(address: &str, owner: &Id) -> Item {
    let mut item = key_item(keys::email(address));
    item.insert(OWNER.to_owned(), AttributeValue::S(owner.to_string()));
    item
}

/// The stored employee is at `version`.
fn at_version(version: u64) -> Condition {
    Condition::new("#version = :version")
        .name("#version", "version")
        .value(":version", AttributeValue::N(version.to_string()))
}

/// The e-mail claim is `owner`'s, or already gone.
fn unclaimed_or_owned_by(owner: &Id) -> Condition {
    Condition::new("attribute_not_exists(PK) OR #owner = :owner")
        .name("#owner", OWNER)
        .value(":owner", AttributeValue::S(owner.to_string()))
}
