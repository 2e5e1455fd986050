//! Enrollment jobs, one item per photo key, listed by status on the first index and by
//! employee on the second.

use async_trait::async_trait;
use aws_sdk_dynamodb::types::AttributeValue;

use super::DynamoStore;
use super::codec::{Item, from_item, to_item};
use super::keys::{self, GSI1, GSI2, index_item, key_item};
use super::query::KeyQuery;
use super::write::Condition;
use lintas_core::domain::{EnrollmentJob, EnrollmentStatus, Id};
use lintas_core::ports::{EnrollmentJobStore, Page, PageRequest, StoreError};

#[async_trait]
impl EnrollmentJobStore for DynamoStore {
    async fn begin_enrollment(&self, job: &EnrollmentJob) -> Result<bool, StoreError> {
        match self.put(job_item(job)?, Some(Condition::absent())).await {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn finish_enrollment(&self, job: &EnrollmentJob) -> Result<(), StoreError> {
        self.put(job_item(job)?, None).await
    }

    async fn resolve_enrollment(&self, job: &EnrollmentJob) -> Result<(), StoreError> {
        let still_flagged = Condition::new("#status = :flagged")
            .name("#status", "status")
            .value(
                ":flagged",
                AttributeValue::S(EnrollmentStatus::Flagged.as_str().to_owned()),
            );
        self.put(job_item(job)?, Some(still_flagged)).await
    }

    async fn enrollment(&self, photo_key: &str) -> Result<Option<EnrollmentJob>, StoreError> {
        self.get(keys::enrollment(photo_key))
            .await?
            .map(from_item)
            .transpose()
    }

    async fn enrollments_by_status(
        &self,
        status: EnrollmentStatus,
        page: &PageRequest,
    ) -> Result<Page<EnrollmentJob>, StoreError> {
        let query = KeyQuery::index(GSI1, keys::enrollments_with(status)).descending();
        self.query_page(&query, page, from_item).await
    }

    async fn delete_enrollments_of(&self, employee: &Id) -> Result<usize, StoreError> {
        self.delete_found(&KeyQuery::index(GSI2, keys::enrollments_of(employee)))
            .await
    }
}

/// The job's item, listed under its status by time of last change.
pub(super) fn job_item(job: &EnrollmentJob) -> Result<Item, StoreError> {
    let mut item = to_item(job)?;
    item.extend(key_item(keys::enrollment(&job.photo_key)));
    let position = keys::enrollment_by_status(job.status, job.updated_at, &job.photo_key);
    index_item(&mut item, GSI1, position);
    let of_employee = (
        keys::enrollments_of(&job.employee_id),
        job.photo_key.clone(),
    );
    index_item(&mut item, GSI2, of_employee);
    Ok(item)
}
