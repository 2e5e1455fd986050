//! Photos in an S3 bucket.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::presigning::PresigningConfig;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use chrono::Utc;

use crate::service_error::{classify, store_error};
use lintas_core::ports::{
    GALLERY_SNAPSHOT_KEY, GallerySnapshots, PhotoStore, PresignedRequest, StoreError, check_object,
    check_photo_size,
};

type Result<T> = std::result::Result<T, StoreError>;

/// Photos stored as objects of one bucket, encrypted at rest (SSE-S3).
pub struct S3PhotoStore {
    client: Client,
    bucket: String,
    max_bytes: usize,
}

impl S3PhotoStore {
    /// A store on `bucket` that refuses photos larger than `max_bytes`.
    pub fn new(client: Client, bucket: impl Into<String>, max_bytes: usize) -> Self {
        Self {
            client,
            bucket: bucket.into(),
            max_bytes,
        }
    }

    /// Creates the bucket if it does not exist (tests and first deployments).
    pub async fn create_bucket(&self) -> Result<()> {
        match self
            .client
            .create_bucket()
            .bucket(&self.bucket)
            .send()
            .await
        {
            Ok(_) => Ok(()),
            Err(error)
                if matches!(
                    error.code(),
                    Some("BucketAlreadyOwnedByYou" | "BucketAlreadyExists")
                ) =>
            {
                Ok(())
            }
            Err(error) => Err(sdk_error(error)),
        }
    }
}

impl S3PhotoStore {
    /// Stores `bytes` under `key`, encrypted at rest.
    async fn put_object(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }

    /// The object under `key`, if any; `Invalid` when it is larger than `max_bytes` (read
    /// from its length before any of its body).
    async fn object(&self, key: &str, max_bytes: Option<usize>) -> Result<Option<Vec<u8>>> {
        match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(object) => {
                if let Some(max) = max_bytes {
                    let length = object.content_length().unwrap_or_default();
                    check_photo_size(u64::try_from(length).unwrap_or(u64::MAX), max)?;
                }
                let body = object
                    .body
                    .collect()
                    .await
                    .map_err(|e| StoreError::Unavailable(format!("reading {key}: {e}")))?;
                Ok(Some(body.into_bytes().to_vec()))
            }
            Err(error) if error.code() == Some("NoSuchKey") => Ok(None),
            Err(error) => Err(sdk_error(error)),
        }
    }

    /// Deletes the object under `key`; a missing object is not an error.
    async fn delete_object(&self, key: &str) -> Result<()> {
        self.client
            .delete_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
            .map_err(sdk_error)?;
        Ok(())
    }
}

#[async_trait]
impl GallerySnapshots for S3PhotoStore {
    async fn gallery_snapshot(&self) -> Result<Option<Vec<u8>>> {
        self.object(GALLERY_SNAPSHOT_KEY, None).await
    }

    async fn put_gallery_snapshot(&self, bytes: Vec<u8>) -> Result<()> {
        self.put_object(GALLERY_SNAPSHOT_KEY, bytes, "application/octet-stream")
            .await
    }

    async fn delete_gallery_snapshot(&self) -> Result<()> {
        self.delete_object(GALLERY_SNAPSHOT_KEY).await
    }
}

/// Maps SDK failures through the one AWS classification; transport failures are retryable.
fn sdk_error<E>(error: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let message = match &error {
        SdkError::ServiceError(service) => {
            let err = service.err();
            format!(
                "{}: {}",
                err.code().unwrap_or("error"),
                err.message().unwrap_or_default()
            )
        }
        other => format!("{other}"),
    };
    match &error {
        SdkError::ServiceError(service) => store_error(
            classify(service.err().code(), service.raw().status().as_u16()),
            message,
        ),
        SdkError::ConstructionFailure(_) => StoreError::Misconfigured(message),
        _ => StoreError::Unavailable(message),
    }
}

fn presigned(
    request: aws_sdk_s3::presigning::PresignedRequest,
    expires_in: Duration,
) -> Result<PresignedRequest> {
    let expires_at = Utc::now()
        + chrono::Duration::from_std(expires_in).map_err(|e| StoreError::Invalid(e.to_string()))?;
    Ok(PresignedRequest {
        method: request.method().to_owned(),
        url: request.uri().to_owned(),
        headers: request
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        expires_at,
    })
}

fn presigning(expires_in: Duration) -> Result<PresigningConfig> {
    PresigningConfig::expires_in(expires_in).map_err(|e| StoreError::Invalid(e.to_string()))
}

#[async_trait]
impl PhotoStore for S3PhotoStore {
    async fn put_photo(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<()> {
        check_object(key, content_type, Some(bytes.len()), self.max_bytes)?;
        self.put_object(key, bytes, content_type).await
    }

    async fn photo(&self, key: &str) -> Result<Option<Vec<u8>>> {
        self.object(key, Some(self.max_bytes)).await
    }

    async fn delete_photo(&self, key: &str) -> Result<()> {
        self.delete_object(key).await
    }

    async fn list_photos(&self, prefix: &str) -> Result<Vec<String>> {
        let mut keys = Vec::new();
        let mut pages = self
            .client
            .list_objects_v2()
            .bucket(&self.bucket)
            .prefix(prefix)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(sdk_error)?;
            keys.extend(
                page.contents()
                    .iter()
                    .filter_map(|o| o.key().map(str::to_owned)),
            );
        }
        keys.sort();
        Ok(keys)
    }

    async fn presign_put(
        &self,
        key: &str,
        content_type: &str,
        expires_in: Duration,
    ) -> Result<PresignedRequest> {
        check_object(key, content_type, None, self.max_bytes)?;
        let request = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .server_side_encryption(ServerSideEncryption::Aes256)
            .presigned(presigning(expires_in)?)
            .await
            .map_err(sdk_error)?;
        presigned(request, expires_in)
    }

    async fn presign_get(&self, key: &str, expires_in: Duration) -> Result<PresignedRequest> {
        let request = self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .presigned(presigning(expires_in)?)
            .await
            .map_err(sdk_error)?;
        presigned(request, expires_in)
    }
}
