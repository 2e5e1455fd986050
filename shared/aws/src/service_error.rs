//! The one classification of AWS service failures, shared by the DynamoDB and S3 adapters:
//! the same error code means the same [`StoreError`] kind whichever service sent it.

use lintas_core::ports::StoreError;

/// The kind of store failure an AWS service error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A condition of the write failed.
    Conflict,
    /// Throttling, a server error or a timeout: retrying later may succeed.
    Unavailable,
    /// The request itself is malformed.
    Invalid,
    /// Access denied, a missing table or bucket, bad credentials, a denied key: an operator
    /// must fix the deployment.
    Misconfigured,
}

/// Classifies a service error from its `code` and HTTP `status`. Codes that are not known
/// are classified by status: 5xx is unavailable, anything else a fault of the deployment
/// (never the client's, so no backend text can reach a client as a 400).
pub(crate) fn classify(code: Option<&str>, status: u16) -> Kind {
    match code {
        Some("ConditionalCheckFailedException" | "TransactionConflictException") => Kind::Conflict,
        Some(
            "ProvisionedThroughputExceededException"
            | "RequestLimitExceeded"
            | "ThrottlingException"
            | "Throttling"
            | "SlowDown"
            | "RequestTimeout"
            | "ServiceUnavailable"
            | "InternalServerError"
            | "InternalError"
            | "LimitExceededException",
        ) => Kind::Unavailable,
        Some("ValidationException" | "SerializationException" | "InvalidArgument") => Kind::Invalid,
        Some(
            "AccessDenied"
            | "AccessDeniedException"
            | "ResourceNotFoundException"
            | "NoSuchBucket"
            | "UnrecognizedClientException"
            | "InvalidAccessKeyId"
            | "SignatureDoesNotMatch"
            | "InvalidSignatureException"
            | "MissingAuthenticationTokenException"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "KMS.AccessDeniedException"
            | "KMS.DisabledException"
            | "KMS.NotFoundException"
            | "KMSAccessDeniedException"
            | "KMSDisabledException"
            | "KMSNotFoundException",
        ) => Kind::Misconfigured,
        _ if status >= 500 => Kind::Unavailable,
        _ => Kind::Misconfigured,
    }
}

/// The store error of `kind`, with `detail` kept as its cause (logged, never sent).
pub(crate) fn store_error(kind: Kind, detail: String) -> StoreError {
    match kind {
        Kind::Conflict => StoreError::Conflict(detail),
        Kind::Unavailable => StoreError::Unavailable(detail),
        Kind::Invalid => StoreError::Invalid(detail),
        Kind::Misconfigured => StoreError::Misconfigured(detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code either adapter may meet, with the kind both must give it.
    const CASES: &[(&str, u16, Kind)] = &[
        ("ConditionalCheckFailedException", 400, Kind::Conflict),
        ("TransactionConflictException", 400, Kind::Conflict),
        (
            "ProvisionedThroughputExceededException",
            400,
            Kind::Unavailable,
        ),
        ("ThrottlingException", 400, Kind::Unavailable),
        ("SlowDown", 503, Kind::Unavailable),
        ("InternalError", 500, Kind::Unavailable),
        ("ValidationException", 400, Kind::Invalid),
        ("AccessDenied", 403, Kind::Misconfigured),
        ("AccessDeniedException", 400, Kind::Misconfigured),
        ("NoSuchBucket", 404, Kind::Misconfigured),
        ("ResourceNotFoundException", 400, Kind::Misconfigured),
        ("UnrecognizedClientException", 400, Kind::Misconfigured),
        ("InvalidAccessKeyId", 403, Kind::Misconfigured),
        ("SignatureDoesNotMatch", 403, Kind::Misconfigured),
        ("KMS.DisabledException", 400, Kind::Misconfigured),
        ("SomethingNew", 400, Kind::Misconfigured),
        ("SomethingNew", 502, Kind::Unavailable),
    ];

    #[test]
    fn every_known_code_has_one_kind_for_both_services() {
        for &(code, status, kind) in CASES {
            assert_eq!(classify(Some(code), status), kind, "{code} {status}");
        }
        assert_eq!(classify(None, 500), Kind::Unavailable);
        assert_eq!(classify(None, 403), Kind::Misconfigured);
    }
}
