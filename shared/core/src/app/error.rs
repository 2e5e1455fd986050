//! What can go wrong in a use case, in terms a client can act on. The HTTP layer maps each
//! kind to one status in one place.

use std::time::Duration;

use crate::ports::StoreError;
use lintas_face::FaceError;

/// Why a use case failed. Every variant carries a stable machine-readable code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or breaks a rule.
    #[error("{message}")]
    Invalid {
        /// Stable code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No valid credentials were presented.
    #[error("{message}")]
    Unauthenticated {
        /// Stable code (`invalid_credentials`, `token_expired`, ...).
        code: &'static str,
        /// Why.
        message: String,
    },
    /// The caller is known but may not do this.
    #[error("{message}")]
    Forbidden {
        /// Stable code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// The thing asked for does not exist (or the caller may not know it does).
    #[error("{0} was not found")]
    NotFound(String),
    /// The request conflicts with the current state.
    #[error("{message}")]
    Conflict {
        /// Stable code.
        code: &'static str,
        /// What conflicts.
        message: String,
    },
    /// The body or a photo is larger than allowed.
    #[error("{0}")]
    TooLarge(String),
    /// The content type or image format is not accepted.
    #[error("{0}")]
    UnsupportedMedia(String),
    /// The photo was read but cannot be used (no face, poor quality, no match...).
    #[error("{message}")]
    Unprocessable {
        /// Stable code.
        code: &'static str,
        /// Why.
        message: String,
    },
    /// Too many attempts; try again after the given time.
    #[error("too many attempts; try again in {} seconds", retry_after.as_secs())]
    Throttled {
        /// When a new attempt may succeed.
        retry_after: Duration,
    },
    /// A backend is unavailable; the request may be retried.
    #[error("the service is temporarily unavailable: {0}")]
    Unavailable(String),
    /// A fault of the service itself.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An [`AppError::Invalid`].
    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }

    /// An [`AppError::Unprocessable`].
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unprocessable {
            code,
            message: message.into(),
        }
    }

    /// An [`AppError::Forbidden`].
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::Forbidden {
            code,
            message: message.into(),
        }
    }

    /// An [`AppError::Unauthenticated`].
    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code,
            message: message.into(),
        }
    }

    /// An [`AppError::Conflict`].
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// The wrong-credentials answer, the same whether or not the account exists.
    pub fn invalid_credentials() -> Self {
        Self::unauthenticated("invalid_credentials", "the id or password is wrong")
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { code, .. }
            | Self::Unauthenticated { code, .. }
            | Self::Forbidden { code, .. }
            | Self::Conflict { code, .. }
            | Self::Unprocessable { code, .. } => code,
            Self::NotFound(_) => "not_found",
            Self::TooLarge(_) => "payload_too_large",
            Self::UnsupportedMedia(_) => "unsupported_media_type",
            Self::Throttled { .. } => "too_many_requests",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(message) => Self::conflict("conflict", message),
            StoreError::Unavailable(message) => Self::Unavailable(message),
            StoreError::Invalid(message) => Self::invalid("invalid_request", message),
            StoreError::Corrupt(message) => Self::Internal(message),
        }
    }
}

impl From<FaceError> for AppError {
    fn from(error: FaceError) -> Self {
        match error {
            FaceError::ImageTooLarge { .. } => Self::TooLarge(error.to_string()),
            FaceError::UnsupportedFormat(_) => Self::UnsupportedMedia(error.to_string()),
            error if error.is_client_error() => Self::Unprocessable {
                code: error.code(),
                message: error.to_string(),
            },
            error => Self::Internal(format!("{}: {error}", error.code())),
        }
    }
}
