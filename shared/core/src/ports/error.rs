//! Failures of a store, the same for every adapter.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness or version condition failed: the id or e-mail is taken, or the record
    /// changed since it was read.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The backend is unreachable, throttling or timing out; the operation may be retried.
    #[error("storage temporarily unavailable: {0}")]
    Unavailable(String),
    /// The request cannot be stored as given (e.g. a malformed page cursor).
    #[error("invalid request to storage: {0}")]
    Invalid(String),
    /// The backend refuses the operation for a reason of the deployment or of the service
    /// itself, not of the request: access denied, a missing table or bucket, bad credentials,
    /// a denied key, a query the backend rejects. Retrying does not help; an operator must.
    #[error("storage misconfigured: {0}")]
    Misconfigured(String),
    /// A stored record could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when retrying later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}
