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
    /// The client took too long to send its request.
    #[error("{0}")]
    TimedOut(String),
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
    /// The request must first meet a precondition (e.g. answer a liveness challenge).
    #[error("{message}")]
    PreconditionRequired {
        /// Stable code.
        code: &'static str,
        /// What is required.
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
            | Self::PreconditionRequired { code, .. }
            | Self::Unprocessable { code, .. } => code,
            Self::NotFound(_) => "not_found",
            Self::TooLarge(_) => "payload_too_large",
            Self::TimedOut(_) => "request_timeout",
            Self::UnsupportedMedia(_) => "unsupported_media_type",
            Self::Throttled { .. } => "too_many_requests",
            Self::Unavailable(_) => "service_unavailable",
            Self::Internal(_) => "internal_error",
        }
    }
}

/// Store failures become public answers here and only here: a client error gets a fixed
/// public message (the backend's text is logged, never sent); a fault of the service keeps
/// its cause for the log.
impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(cause) => {
                tracing::info!(%cause, "store conflict");
                Self::conflict(
                    "conflict",
                    "the record changed or already exists; read it again and retry",
                )
            }
            StoreError::Invalid(cause) => {
                tracing::info!(%cause, "request refused by the store");
                Self::invalid("invalid_request", "the request cannot be stored as given")
            }
            StoreError::Unavailable(cause) => Self::Unavailable(cause),
            StoreError::Misconfigured(cause) => {
                Self::Internal(format!("storage misconfigured: {cause}"))
            }
            StoreError::Corrupt(cause) => {
                Self::Internal(format!("stored data is corrupt: {cause}"))
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_send_only_public_messages() {
        let secret = "ConditionalCheckFailedException on table prod-lintas-7f3a";
        for error in [
            StoreError::Conflict(secret.into()),
            StoreError::Invalid(secret.into()),
        ] {
            let public = AppError::from(error);
            assert!(!public.to_string().contains("prod-lintas"), "{public}");
        }
        for error in [
            StoreError::Misconfigured("AccessDenied: bucket lintas-photos".into()),
            StoreError::Corrupt("bad json".into()),
        ] {
            assert!(matches!(AppError::from(error), AppError::Internal(_)));
        }
        assert!(matches!(
            AppError::from(StoreError::Unavailable("throttled".into())),
            AppError::Unavailable(_)
        ));
    }
}
