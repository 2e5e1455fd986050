//! The registry of every error code the API can send: its status and what it means. The
//! table in `docs/API.md` and the codes used in the source are both checked against it.

/// One error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorCode {
    /// The stable `code` of the problem answer.
    pub code: &'static str,
    /// Its HTTP status.
    pub status: u16,
    /// When it is sent.
    pub meaning: &'static str,
}

const fn code(code: &'static str, status: u16, meaning: &'static str) -> ErrorCode {
    ErrorCode {
        code,
        status,
        meaning,
    }
}

/// Every error code, by status.
pub const ERROR_CODES: &[ErrorCode] = &[
    code(
        "invalid_json",
        400,
        "the JSON body is not valid or not of the expected shape",
    ),
    code(
        "invalid_query",
        400,
        "a query parameter is missing or malformed",
    ),
    code("invalid_body", 400, "the body could not be read"),
    code(
        "invalid_id",
        400,
        "an id is not 1 to 64 letters, digits, `-` or `_`",
    ),
    code("invalid_multipart", 400, "the multipart form is malformed"),
    code(
        "not_a_kiosk",
        400,
        "a kiosk session was asked for an account that is not a kiosk",
    ),
    code(
        "unknown_field",
        400,
        "the form has a field this route does not take",
    ),
    code(
        "invalid_base64",
        400,
        "a photo in a JSON body is not valid base64",
    ),
    code(
        "invalid_photo_count",
        400,
        "too few or too many photos in one request",
    ),
    code(
        "weak_password",
        400,
        "the password breaks the password rules",
    ),
    code("invalid_email", 400, "the e-mail address is malformed"),
    code(
        "invalid_name",
        400,
        "the name is empty, too long or has control characters",
    ),
    code("invalid_staff_number", 400, "the staff number is malformed"),
    code(
        "invalid_on_roll",
        400,
        "a kiosk account cannot be on the attendance roll",
    ),
    code(
        "invalid_office",
        400,
        "the office settings are inconsistent",
    ),
    code("invalid_month", 400, "the month is not `YYYY-MM`"),
    code(
        "invalid_calendar",
        400,
        "a holiday or special period is malformed or outside the supported years",
    ),
    code(
        "invalid_schedule",
        400,
        "a schedule's day ends before it starts, is shorter than its grace, or has bad windows",
    ),
    code(
        "invalid_shift",
        400,
        "a shift lasts zero hours, is shorter than its grace, or has bad windows",
    ),
    code(
        "overlapping_assignment",
        400,
        "the roster entry shares a day with another entry of the employee",
    ),
    code(
        "invalid_rules",
        400,
        "the buckets are not increasing or a deduction is out of range",
    ),
    code(
        "invalid_date_range",
        400,
        "the date range is reversed or too long",
    ),
    code(
        "invalid_idempotency_key",
        400,
        "the `Idempotency-Key` is not 8 to 128 printable characters",
    ),
    code("invalid_device", 400, "the device id is malformed"),
    code(
        "location_required",
        400,
        "the office has a geofence and the punch sent no location",
    ),
    code(
        "invalid_location",
        400,
        "the latitude or longitude is out of range",
    ),
    code(
        "invalid_upload_key",
        400,
        "an uploaded key is not one issued for this enrollment or request",
    ),
    code(
        "invalid_request",
        400,
        "the store cannot take the request as given (e.g. a malformed cursor)",
    ),
    code(
        "claim_required",
        400,
        "this kiosk identifies by a claimed identity; send `claim`",
    ),
    code(
        "invalid_confirmation",
        400,
        "the kiosk confirmation is forged, malformed or another kiosk's",
    ),
    code(
        "confirmation_photo_mismatch",
        400,
        "the photo sent with a confirmation is not the one it was issued for",
    ),
    code(
        "invalid_look_alike",
        400,
        "an employee cannot be declared their own look-alike",
    ),
    code(
        "invalid_attendance_request",
        400,
        "a request's kind, days, punch time, reason or reference is malformed",
    ),
    code(
        "request_too_long",
        400,
        "a leave request covers more days than allowed (`LINTAS_REQUEST_MAX_DAYS`)",
    ),
    code(
        "correction_in_future",
        400,
        "a correction's punch time is in the future",
    ),
    code(
        "invalid_supervisor",
        400,
        "the supervisor is the employee themself, a kiosk or no employee",
    ),
    code(
        "invalid_admin_offices",
        400,
        "admin offices are set for an account that is not an admin, or name no office",
    ),
    code(
        "missing_token",
        401,
        "no `Authorization: Bearer` access token",
    ),
    code(
        "invalid_token",
        401,
        "the access token is forged, malformed or for another service",
    ),
    code(
        "token_expired",
        401,
        "the access token has expired; refresh it",
    ),
    code(
        "token_not_yet_valid",
        401,
        "the access token is not valid yet",
    ),
    code(
        "invalid_credentials",
        401,
        "the id or password is wrong (the same for unknown accounts)",
    ),
    code(
        "invalid_refresh_token",
        401,
        "the refresh token is unknown, expired or revoked",
    ),
    code(
        "token_revoked",
        401,
        "the token's account was suspended, changed, logged out or erased",
    ),
    code(
        "refresh_token_reused",
        401,
        "a used refresh token came back: its family is revoked",
    ),
    code(
        "forbidden",
        403,
        "the caller's role may not call this route, or not on this record",
    ),
    code("account_suspended", 403, "the account is suspended"),
    code(
        "own_access",
        403,
        "an admin cannot change their own role or status, or erase themself",
    ),
    code(
        "own_requests_only",
        403,
        "employees file requests for themselves only",
    ),
    code(
        "own_request",
        403,
        "nobody approves or rejects their own request",
    ),
    code(
        "not_requester",
        403,
        "only the requester withdraws a request",
    ),
    code(
        "global_admin_only",
        403,
        "an office-scoped admin asked for what only an admin of every office may do",
    ),
    code(
        "outside_geofence",
        403,
        "the punch comes from outside the office's geofence",
    ),
    code(
        "invalid_signature",
        403,
        "a local photo URL's signature is wrong or expired",
    ),
    code("not_found", 404, "the record does not exist"),
    code("route_not_found", 404, "no such route"),
    code("file_not_found", 404, "no such file of the web console"),
    code(
        "method_not_allowed",
        405,
        "the route does not take this method",
    ),
    code("conflict", 409, "the record changed or already exists"),
    code("employee_exists", 409, "the id or e-mail is taken"),
    code(
        "edit_conflict",
        409,
        "the employee changed since it was read; read it again",
    ),
    code("employee_suspended", 409, "the employee is suspended"),
    code("not_enrolled", 409, "the account has no enrolled face"),
    code(
        "face_already_enrolled",
        409,
        "the face is already enrolled as another employee",
    ),
    code(
        "last_active_admin",
        409,
        "the change would leave no active admin",
    ),
    code(
        "upload_used",
        409,
        "the upload URL was already used for a finished enrollment",
    ),
    code(
        "too_many_templates",
        409,
        "the employee has the most templates allowed",
    ),
    code(
        "already_resolved",
        409,
        "the flagged enrollment was already decided",
    ),
    code(
        "challenge_used",
        409,
        "the liveness challenge was already answered",
    ),
    code(
        "overlapping_request",
        409,
        "a pending or approved request already covers these days",
    ),
    code(
        "request_already_decided",
        409,
        "the request was approved, rejected or withdrawn first",
    ),
    code(
        "request_changed",
        409,
        "the request changed meanwhile (another document attached at once)",
    ),
    code(
        "payload_too_large",
        413,
        "the body is over 6 MB or a photo over 4 MB",
    ),
    code(
        "request_timeout",
        408,
        "the client did not send its request in time",
    ),
    code(
        "unsupported_media_type",
        415,
        "wrong content type, or a photo that is not JPEG, PNG or WebP",
    ),
    code("no_match", 422, "the face matches no enrolled employee"),
    code(
        "ambiguous_match",
        422,
        "the face matches two employees too closely to choose",
    ),
    code("face_mismatch", 422, "the selfie is not the caller's face"),
    code("unknown_office", 422, "the office does not exist"),
    code(
        "unknown_shift",
        422,
        "the roster entry names no existing shift",
    ),
    code(
        "unknown_employee",
        422,
        "an upload names an employee that does not exist",
    ),
    code(
        "photo_missing",
        422,
        "the uploaded photo is no longer in the bucket",
    ),
    code(
        "attachment_missing",
        422,
        "nothing was uploaded to the attachment key, or the upload expired",
    ),
    code(
        "invalid_attachment",
        422,
        "the uploaded file is not the PDF, JPEG or PNG its upload URL was signed for",
    ),
    code("empty_image", 422, "the photo has no bytes"),
    code(
        "too_many_pixels",
        422,
        "the photo declares more pixels than may be decoded",
    ),
    code(
        "image_too_small",
        422,
        "the photo is too small to hold a usable face",
    ),
    code("corrupt_image", 422, "the photo could not be decoded"),
    code("no_face", 422, "no face was found"),
    code(
        "multiple_faces",
        422,
        "several faces of similar size: whose punch is it?",
    ),
    code("face_too_small", 422, "the face is too small"),
    code("face_blurred", 422, "the face is blurred"),
    code("face_too_dark", 422, "the face is too dark"),
    code("face_overexposed", 422, "the face is overexposed"),
    code("pose_not_frontal", 422, "the face is not frontal"),
    code(
        "presentation_attack_suspected",
        422,
        "the photo looks like a print or a screen, not a live face",
    ),
    code(
        "liveness_unverifiable",
        422,
        "the photo is grayscale or the face too small to check its liveness",
    ),
    code(
        "replayed_photo",
        422,
        "the photo (or a copy of it) was already used for a punch",
    ),
    code(
        "challenge_not_found",
        422,
        "no such liveness challenge was issued to this account",
    ),
    code(
        "challenge_expired",
        422,
        "the liveness challenge has expired",
    ),
    code(
        "challenge_pose_mismatch",
        422,
        "a challenge photo does not show the head pose asked for",
    ),
    code(
        "challenge_frames_repeated",
        422,
        "two challenge photos are the same capture",
    ),
    code(
        "challenge_face_changed",
        422,
        "the challenge photos do not all show the same person",
    ),
    code(
        "confirmation_expired",
        422,
        "the kiosk confirmation has expired; take the photo again",
    ),
    code(
        "challenge_required",
        428,
        "this punch must answer a liveness challenge",
    ),
    code(
        "too_many_requests",
        429,
        "too many attempts; `Retry-After` says when to try again",
    ),
    code(
        "internal_error",
        500,
        "a fault of the service; the cause is logged, never sent",
    ),
    code(
        "service_unavailable",
        503,
        "a backend is unreachable or throttling; retry after `Retry-After`",
    ),
];

/// The registered code `code`, if any.
pub fn error_code(code: &str) -> Option<&'static ErrorCode> {
    ERROR_CODES.iter().find(|entry| entry.code == code)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The `| code | status | meaning |` rows of the error table in `docs/API.md`.
    fn documented() -> Vec<(String, u16)> {
        let doc = include_str!("../../../docs/API.md");
        doc.lines()
            .skip_while(|line| !line.starts_with("| code | status | meaning |"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let code = cells[1].trim_matches('`').to_owned();
                (code, cells[2].parse().unwrap_or(0))
            })
            .collect()
    }

    #[test]
    fn the_documented_error_table_is_the_registry() {
        let registry: Vec<(String, u16)> = ERROR_CODES
            .iter()
            .map(|entry| (entry.code.to_owned(), entry.status))
            .collect();
        assert_eq!(documented(), registry);
        let unique: BTreeSet<&str> = ERROR_CODES.iter().map(|entry| entry.code).collect();
        assert_eq!(
            unique.len(),
            ERROR_CODES.len(),
            "no code is registered twice"
        );
    }

    /// Every `"code"` given to an error constructor in the source of the service crates.
    fn codes_in_source() -> BTreeSet<(String, Option<u16>)> {
        let sources = [
            include_str!("../../core/src/app/auth.rs"),
            include_str!("../../core/src/app/employees.rs"),
            include_str!("../../core/src/app/kiosk.rs"),
            include_str!("../../core/src/app/liveness.rs"),
            include_str!("../../core/src/app/tokens.rs"),
            include_str!("../../core/src/app/enrollment.rs"),
            include_str!("../../core/src/app/error.rs"),
            include_str!("../../core/src/app/offices.rs"),
            include_str!("../../core/src/app/passwords.rs"),
            include_str!("../../core/src/app/photo.rs"),
            include_str!("../../core/src/app/punch.rs"),
            include_str!("../../core/src/app/reports.rs"),
            include_str!("../../core/src/domain/office.rs"),
            include_str!("../../face/src/error.rs"),
            include_str!("extract.rs"),
            include_str!("handlers/attendance.rs"),
            include_str!("lib.rs"),
            include_str!("../../local/src/photo_routes.rs"),
        ];
        let constructors = [
            ("invalid(", Some(400)),
            ("unauthenticated(", Some(401)),
            ("forbidden(", Some(403)),
            ("conflict(", Some(409)),
            ("unprocessable(", Some(422)),
            ("plain(", None),
            ("=> \"", None),
        ];
        let mut found = BTreeSet::new();
        for source in sources {
            for (constructor, status) in constructors {
                for (at, _) in source.match_indices(constructor) {
                    let rest = &source[at + constructor.len()..];
                    let rest = if constructor == "=> \"" {
                        rest
                    } else {
                        let start = rest.trim_start();
                        let start = start
                            .strip_prefix("StatusCode::")
                            .and_then(|s| s.split_once(',').map(|(_, r)| r.trim_start()))
                            .unwrap_or(start);
                        match start.strip_prefix('"') {
                            Some(rest) => rest,
                            None => continue,
                        }
                    };
                    let code: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                        .collect();
                    if rest[code.len()..].starts_with('"') && code.contains('_') {
                        found.insert((code, status));
                    }
                }
            }
        }
        found
    }

    #[test]
    fn every_code_the_source_sends_is_registered_with_its_status() {
        // Face engine codes of service faults answer `internal_error`; a few face codes
        // answer with the status of the kind they map to.
        let mapped = [
            "image_too_large",
            "unsupported_image_format",
            "model_mismatch",
            "model_unavailable",
            "inference_failed",
        ];
        let found = codes_in_source();
        assert!(found.len() > 40, "the scan finds the codes: {found:?}");
        for (code, status) in found {
            if mapped.contains(&code.as_str()) {
                continue;
            }
            let entry = error_code(&code).unwrap_or_else(|| panic!("{code} is not registered"));
            if let Some(status) = status {
                assert_eq!(entry.status, status, "{code}");
            }
        }
    }
}
