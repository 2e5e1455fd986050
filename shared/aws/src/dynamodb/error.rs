//! SDK failures as [`StoreError`]s.

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{BuildError, DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;

use crate::service_error::{classify, store_error};
use lintas_core::ports::StoreError;

/// Maps a failed request through the one AWS classification ([`classify`]); transport
/// trouble is `Unavailable`.
pub(super) fn from_sdk<E>(error: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let detail = DisplayErrorContext(&error).to_string();
    match &error {
        SdkError::ServiceError(service) => store_error(
            classify(service.err().code(), service.raw().status().as_u16()),
            detail,
        ),
        SdkError::ConstructionFailure(_) => StoreError::Misconfigured(detail),
        _ => StoreError::Unavailable(detail),
    }
}

/// Like [`from_sdk`], reading why a transaction was cancelled: a failed condition of any
/// of its writes is a `Conflict`.
pub(super) fn from_transaction(
    error: SdkError<TransactWriteItemsError, HttpResponse>,
) -> StoreError {
    // A write that cannot be stored makes the request invalid, whatever the conditions of
    // the other writes said.
    match cancellation_codes(&error) {
        Some(codes) if codes.contains(&"ValidationError") => {
            StoreError::Invalid(DisplayErrorContext(&error).to_string())
        }
        Some(codes) if codes.contains(&"ConditionalCheckFailed") => {
            StoreError::Conflict(DisplayErrorContext(&error).to_string())
        }
        Some(_) => StoreError::Unavailable(DisplayErrorContext(&error).to_string()),
        None => from_sdk(error),
    }
}

/// True when a transaction was cancelled only because another one touched the same items,
/// so running it again may succeed.
pub(super) fn is_transaction_conflict(
    error: &SdkError<TransactWriteItemsError, HttpResponse>,
) -> bool {
    cancellation_codes(error).is_some_and(|codes| {
        codes.contains(&"TransactionConflict")
            && codes
                .iter()
                .all(|code| matches!(*code, "TransactionConflict" | "None"))
    })
}

/// The cancellation code of each write of a cancelled transaction (`None` for the ones
/// that passed).
pub(super) fn cancellation_reasons(
    error: &SdkError<TransactWriteItemsError, HttpResponse>,
) -> Option<Vec<String>> {
    cancellation_codes(error).map(|codes| codes.into_iter().map(str::to_owned).collect())
}

/// The cancellation reason of each write, when the transaction was cancelled.
fn cancellation_codes(
    error: &SdkError<TransactWriteItemsError, HttpResponse>,
) -> Option<Vec<&str>> {
    match error.as_service_error()? {
        TransactWriteItemsError::TransactionCanceledException(cancelled) => Some(
            cancelled
                .cancellation_reasons()
                .iter()
                .map(|reason| reason.code().unwrap_or("None"))
                .collect(),
        ),
        _ => None,
    }
}

/// A request the SDK refused to build (a required field missing).
pub(super) fn unbuildable(error: BuildError) -> StoreError {
    StoreError::Misconfigured(format!("unbuildable DynamoDB request: {error}"))
}
