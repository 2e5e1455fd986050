//! Face templates in one gallery partition, embeddings as little-endian `f32` binaries, and
//! the gallery version counter bumped in the same transaction as every change.

use async_trait::async_trait;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};

use super::DynamoStore;
use super::codec::{self, Item, to_item};
use super::error::unbuildable;
use super::keys::{self, GALLERY_SEGMENTS, TEMPLATE_PREFIX, key_item};
use super::query::{KeyQuery, SortKey};
use super::write::{Condition, TRANSACTION_SIZE};
use chrono::{DateTime, Utc};
use lintas_core::domain::{FaceTemplate, Id};
use lintas_core::ports::{Page, PageRequest, StoreError, TemplateStore};
use lintas_face::embedding::{Embedding, ModelId};
use lintas_face::quality::QualityReport;

/// Binary attribute holding the embedding vector.
const EMBEDDING: &str = "embedding";
/// String attribute holding the embedding's model id.
const MODEL: &str = "model";
/// Number attribute of the gallery version counter.
const VERSION: &str = "version";

#[async_trait]
impl TemplateStore for DynamoStore {
    async fn add_template(&self, template: &FaceTemplate) -> Result<u64, StoreError> {
        let put = self.put_in_transaction(template_item(template)?, Some(Condition::absent()))?;
        self.transact(vec![put, self.bump_gallery_version()?])
            .await?;
        // A transaction returns no values: the strongly consistent read that follows sees
        // this write's version or a later one, which the gallery cache handles alike.
        self.gallery_version().await
    }

    async fn templates_of(&self, employee: &Id) -> Result<Vec<FaceTemplate>, StoreError> {
        self.query_all(&templates_of(employee))
            .await?
            .into_iter()
            .map(decode_template)
            .collect()
    }

    async fn delete_template(&self, employee: &Id, template: &Id) -> Result<bool, StoreError> {
        let delete = self.delete_in_transaction(
            keys::template(employee, template),
            Some(Condition::new("attribute_exists(PK)")),
        )?;
        match self
            .transact(vec![delete, self.bump_gallery_version()?])
            .await
        {
            Ok(()) => Ok(true),
            Err(StoreError::Conflict(_)) => Ok(false),
            Err(error) => Err(error),
        }
    }

    async fn delete_templates_of(&self, employee: &Id) -> Result<usize, StoreError> {
        let partition = keys::gallery_segment(keys::segment_of(employee));
        let found = self.query_all(&templates_of(employee)).await?;
        let sort_keys = found
            .iter()
            .map(|item| codec::string(item, keys::SK).map(str::to_owned))
            .collect::<Result<Vec<_>, _>>()?;
        for chunk in sort_keys.chunks(TRANSACTION_SIZE - 1) {
            let mut writes = chunk
                .iter()
                .map(|sort| self.delete_in_transaction((partition.clone(), sort.clone()), None))
                .collect::<Result<Vec<_>, _>>()?;
            writes.push(self.bump_gallery_version()?);
            self.transact(writes).await?;
        }
        Ok(sort_keys.len())
    }

    fn gallery_segments(&self) -> u32 {
        GALLERY_SEGMENTS
    }

    async fn gallery_segment(
        &self,
        segment: u32,
        page: &PageRequest,
    ) -> Result<Page<FaceTemplate>, StoreError> {
        if segment >= GALLERY_SEGMENTS {
            return Err(StoreError::Invalid(format!(
                "gallery segment {segment} of {GALLERY_SEGMENTS}"
            )));
        }
        let gallery = KeyQuery::table(keys::gallery_segment(segment))
            .sort(SortKey::BeginsWith(TEMPLATE_PREFIX.to_owned()));
        self.query_page(&gallery, page, decode_template).await
    }

    async fn gallery_version(&self) -> Result<u64, StoreError> {
        let Some(counter) = self.get(keys::gallery_version()).await? else {
            return Ok(0);
        };
        match counter.get(VERSION) {
            Some(AttributeValue::N(number)) => number
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("gallery version {number:?}"))),
            _ => Err(StoreError::Corrupt(
                "gallery version counter without a number".to_owned(),
            )),
        }
    }
}

impl DynamoStore {
    /// The transactional `ADD 1` to the gallery version counter.
    fn bump_gallery_version(&self) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(&self.table)
            .set_key(Some(key_item(keys::gallery_version())))
            .update_expression("ADD #version :one")
            .expression_attribute_names("#version", VERSION)
            .expression_attribute_values(":one", AttributeValue::N("1".to_owned()))
            .build()
            .map_err(unbuildable)?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}

/// The query of one employee's templates.
fn templates_of(employee: &Id) -> KeyQuery {
    KeyQuery::table(keys::gallery_segment(keys::segment_of(employee)))
        .sort(SortKey::BeginsWith(keys::templates_of(employee)))
}

/// The template's item, its embedding as binary plus the model id.
pub(super) fn template_item(template: &FaceTemplate) -> Result<Item, StoreError> {
    let mut item = to_item(template)?;
    let embedding = &template.embedding;
    item.insert(
        EMBEDDING.to_owned(),
        AttributeValue::B(Blob::new(embedding.to_le_bytes())),
    );
    item.insert(
        MODEL.to_owned(),
        AttributeValue::S(embedding.model().as_str().to_owned()),
    );
    item.extend(key_item(keys::template(
        &template.employee_id,
        &template.id,
    )));
    Ok(item)
}

pub(super) fn decode_template(mut item: Item) -> Result<FaceTemplate, StoreError> {
    let model = match item.remove(MODEL) {
        Some(AttributeValue::S(model)) => ModelId::new(model),
        _ => {
            return Err(StoreError::Corrupt(
                "template without a model id".to_owned(),
            ));
        }
    };
    let bytes = match item.remove(EMBEDDING) {
        Some(AttributeValue::B(bytes)) => bytes.into_inner(),
        _ => {
            return Err(StoreError::Corrupt(
                "template without a binary embedding".to_owned(),
            ));
        }
    };
    let embedding = Embedding::from_le_bytes(model, &bytes)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let fields: TemplateFields = codec::from_item(item)?;
    Ok(FaceTemplate {
        id: fields.id,
        employee_id: fields.employee_id,
        embedding,
        quality: fields.quality,
        photo_key: fields.photo_key,
        created_at: fields.created_at,
    })
}

/// Every field of a stored template but the embedding, which is decoded from its binary.
#[derive(serde::Deserialize)]
struct TemplateFields {
    id: Id,
    employee_id: Id,
    quality: QualityReport,
    photo_key: String,
    created_at: DateTime<Utc>,
}
