//! Request extractors whose failures are problem answers: JSON bodies, query strings, the
//! bearer token, the caller's address and photo uploads (multipart or JSON base64).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;
use lintas_core::app::{App, AppError, Photo, Principal};
use lintas_core::domain::{GeoPoint, Role};

/// A JSON body of type `T`.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_content_type(req.headers(), &["application/json"])?;
        let bytes = body_bytes(req, state).await?;
        serde_json::from_slice(&bytes).map(Json).map_err(|e| {
            ApiError(AppError::invalid(
                "invalid_json",
                format!("the JSON body is not valid: {e}"),
            ))
        })
    }
}

/// A `text/csv` body in UTF-8.
pub struct CsvBody(pub String);

impl<S: Send + Sync> FromRequest<S> for CsvBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        require_content_type(req.headers(), &["text/csv"])?;
        let bytes = body_bytes(req, state).await?;
        String::from_utf8(bytes.to_vec()).map(CsvBody).map_err(|_| {
            ApiError(AppError::invalid(
                "invalid_body",
                "the CSV body is not UTF-8 text",
            ))
        })
    }
}

/// A query string of type `T`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| Query(q.0))
            .map_err(|e| ApiError(AppError::invalid("invalid_query", e.body_text())))
    }
}

/// The caller, as the authorization layer checked it against the route table.
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| {
                ApiError(AppError::Internal(
                    "a handler that needs a caller is on a public route".into(),
                ))
            })
    }
}

/// The principal of the bearer token in `headers`, if its role is one of `roles`.
pub(crate) async fn principal_of(
    app: &App,
    headers: &HeaderMap,
    roles: &[Role],
) -> Result<Principal, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .ok_or_else(|| {
            AppError::unauthenticated(
                "missing_token",
                "send an access token as Authorization: Bearer",
            )
        })?;
    let principal = app.authenticate(token.trim()).await?;
    if !roles.contains(&principal.role) {
        return Err(ApiError(AppError::forbidden(
            "forbidden",
            "your role may not do this",
        )));
    }
    Ok(principal)
}

/// The network address of the client, as the platform reports it (never a client header).
#[derive(Clone, Debug)]
pub struct SourceAddress(pub String);

/// The client's address, when the platform provided one.
pub struct ClientAddress(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(
            parts.extensions.get::<SourceAddress>().map(|a| a.0.clone()),
        ))
    }
}

/// Text fields a photo form may carry besides the photos, the device and its location;
/// each route takes the ones it understands ([`PhotoForm::take`]) and refuses the rest
/// ([`PhotoForm::no_other_fields`]).
const FORM_FIELDS: [&str; 5] = [
    "challenge_id",
    "claim",
    "confirmation",
    "accept_printed",
    "look_alike_of",
];

/// Photos and punch details from `multipart/form-data` (file fields `photo`, text fields
/// `device`, `latitude`, `longitude` and those of [`FORM_FIELDS`]) or from JSON (`photo` or
/// `photos` as base64, and the same fields).
pub struct PhotoForm {
    /// Each photo, or why it could not be read.
    pub photos: Vec<Result<Photo, AppError>>,
    /// Device id.
    pub device: Option<String>,
    /// Device position.
    pub location: Option<GeoPoint>,
    /// The other text fields sent, by name.
    fields: Vec<(&'static str, String)>,
}

impl PhotoForm {
    /// Takes the text field `name`, if it was sent.
    pub fn take(&mut self, name: &str) -> Option<String> {
        let at = self.fields.iter().position(|(field, _)| *field == name)?;
        Some(self.fields.remove(at).1)
    }

    /// Takes the yes-or-no field `name` (`true` or `false`), if it was sent.
    pub fn take_flag(&mut self, name: &str) -> Result<Option<bool>, AppError> {
        self.take(name)
            .map(|value| match value.trim() {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(AppError::invalid(
                    "invalid_multipart",
                    format!("{name} must be true or false"),
                )),
            })
            .transpose()
    }

    /// Fails when a field was sent that the route did not take.
    pub fn no_other_fields(&self) -> Result<(), AppError> {
        match self.fields.first() {
            Some((name, _)) => Err(AppError::invalid(
                "unknown_field",
                format!("this route does not take the form field {name:?}"),
            )),
            None => Ok(()),
        }
    }
}

/// The JSON shape of a [`PhotoForm`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoJson {
    #[serde(default)]
    photo: Option<String>,
    #[serde(default)]
    photos: Vec<String>,
    #[serde(default)]
    device: Option<String>,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    challenge_id: Option<String>,
    #[serde(default)]
    claim: Option<String>,
    #[serde(default)]
    confirmation: Option<String>,
    #[serde(default)]
    accept_printed: Option<bool>,
    #[serde(default)]
    look_alike_of: Option<String>,
}

impl PhotoJson {
    /// The text fields, in the names of [`FORM_FIELDS`].
    fn fields(&self) -> Vec<(&'static str, String)> {
        let [challenge, claim, confirmation, printed, look_alike] = FORM_FIELDS;
        [
            (challenge, self.challenge_id.clone()),
            (claim, self.claim.clone()),
            (confirmation, self.confirmation.clone()),
            (printed, self.accept_printed.map(|v| v.to_string())),
            (look_alike, self.look_alike_of.clone()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect()
    }
}

impl<S: Send + Sync> FromRequest<S> for PhotoForm
where
    Arc<App>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let max_bytes = Arc::<App>::from_ref(state).config().uploads.max_photo_bytes;
        let kind =
            require_content_type(req.headers(), &["multipart/form-data", "application/json"])?;
        let (encoded, device, latitude, longitude, fields) = if kind == "application/json" {
            let Json(body) = Json::<PhotoJson>::from_request(req, state).await?;
            let fields = body.fields();
            let mut encoded = body.photos;
            encoded.extend(body.photo);
            let photos = encoded
                .iter()
                .map(|text| decode_base64(text, max_bytes))
                .collect();
            (photos, body.device, body.latitude, body.longitude, fields)
        } else {
            read_multipart(req, state, max_bytes).await?
        };
        let location = match (latitude, longitude) {
            (Some(latitude), Some(longitude)) => Some(GeoPoint {
                latitude,
                longitude,
            }),
            (None, None) => None,
            _ => {
                return Err(ApiError(AppError::invalid(
                    "invalid_location",
                    "send both latitude and longitude, or neither",
                )));
            }
        };
        Ok(Self {
            photos: encoded,
            device,
            location,
            fields,
        })
    }
}

type FormParts = (
    Vec<Result<Photo, AppError>>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Vec<(&'static str, String)>,
);

async fn read_multipart<S: Send + Sync>(
    req: Request,
    state: &S,
    max_bytes: usize,
) -> Result<FormParts, ApiError> {
    let mut form = Multipart::from_request(req, state)
        .await
        .map_err(|e| AppError::invalid("invalid_multipart", e.body_text()))?;
    let (mut photos, mut device, mut latitude, mut longitude) = (Vec::new(), None, None, None);
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    let broken = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("the request body is too large".into())
        } else if caused_by_timeout(&e) {
            body_timed_out()
        } else {
            AppError::invalid("invalid_multipart", e.body_text())
        }
    };
    while let Some(field) = form.next_field().await.map_err(broken)? {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(broken)?;
        match name.as_str() {
            "photo" | "photos" => photos.push(Photo::new(bytes.to_vec(), max_bytes)),
            "device" => device = Some(text(&bytes, "device")?),
            "latitude" => latitude = Some(number(&bytes, "latitude")?),
            "longitude" => longitude = Some(number(&bytes, "longitude")?),
            other if FORM_FIELDS.contains(&other) && !fields.iter().any(|(n, _)| *n == other) => {
                let known = FORM_FIELDS
                    .into_iter()
                    .find(|known| *known == other)
                    .unwrap_or_default();
                fields.push((known, text(&bytes, known)?));
            }
            other => {
                return Err(ApiError(AppError::invalid(
                    "unknown_field",
                    format!("unexpected form field {other:?}"),
                )));
            }
        }
    }
    Ok((photos, device, latitude, longitude, fields))
}

fn text(bytes: &Bytes, name: &str) -> Result<String, AppError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| AppError::invalid("invalid_multipart", format!("{name} is not UTF-8 text")))
}

fn number(bytes: &Bytes, name: &str) -> Result<f64, AppError> {
    text(bytes, name)?
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| AppError::invalid("invalid_location", format!("{name} is not a number")))
}

/// A photo sent as base64 (standard or URL-safe, optionally as a `data:` URL).
fn decode_base64(text: &str, max_bytes: usize) -> Result<Photo, AppError> {
    let payload = match text.split_once(";base64,") {
        Some((prefix, payload)) if prefix.starts_with("data:") => payload,
        _ => text,
    };
    let payload: String = payload
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    if payload.len() / 4 * 3 > max_bytes + 3 {
        return Err(AppError::TooLarge(format!(
            "the photo is larger than {max_bytes} bytes"
        )));
    }
    let bytes = STANDARD
        .decode(&payload)
        .or_else(|_| URL_SAFE.decode(&payload))
        .map_err(|_| AppError::invalid("invalid_base64", "a photo is not valid base64"))?;
    Photo::new(bytes, max_bytes)
}

/// The body, or `TooLarge` past the router's limit.
async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::TooLarge("the request body is too large".into())
        } else if caused_by_timeout(&rejection) {
            body_timed_out()
        } else {
            AppError::invalid("invalid_body", rejection.body_text())
        }
    })
}

/// Reads a body of at most `max` bytes: `TooLarge` past it, `TimedOut` when the client was
/// too slow, `invalid_body` when the connection broke.
pub async fn read_body(body: axum::body::Body, max: usize) -> Result<Bytes, AppError> {
    axum::body::to_bytes(body, max).await.map_err(|error| {
        if caused_by(&error, |e| e.is::<http_body_util::LengthLimitError>()) {
            AppError::TooLarge(format!("the body is larger than {max} bytes"))
        } else if caused_by_timeout(&error) {
            body_timed_out()
        } else {
            AppError::invalid("invalid_body", "the body could not be read")
        }
    })
}

fn body_timed_out() -> AppError {
    AppError::TimedOut("the request body was not received in time".into())
}

/// True when a body timeout is somewhere in `error`'s chain of causes.
fn caused_by_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    caused_by(error, |e| e.is::<tower_http::timeout::TimeoutError>())
}

/// True when `test` holds for `error` or any of its causes.
fn caused_by(
    error: &(dyn std::error::Error + 'static),
    test: impl Fn(&(dyn std::error::Error + 'static)) -> bool,
) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if test(error) {
            return true;
        }
        current = error.source();
    }
    false
}

/// The request's media type if it is one of `accepted`, else `UnsupportedMedia`.
fn require_content_type(
    headers: &HeaderMap,
    accepted: &[&'static str],
) -> Result<&'static str, AppError> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = declared
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    accepted
        .iter()
        .find(|kind| **kind == essence)
        .copied()
        .ok_or_else(|| {
            AppError::UnsupportedMedia(format!("send the body as {}", accepted.join(" or ")))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_photos_are_decoded_in_every_usual_form() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        for text in [
            STANDARD.encode(png),
            URL_SAFE.encode(png),
            format!("data:image/png;base64,{}", STANDARD.encode(png)),
        ] {
            let photo = decode_base64(&text, 100).unwrap();
            assert_eq!(photo.bytes().as_slice(), png);
        }
        assert_eq!(
            decode_base64("***", 100).unwrap_err().code(),
            "invalid_base64"
        );
        let big = STANDARD.encode(vec![0u8; 300]);
        assert_eq!(
            decode_base64(&big, 100).unwrap_err().code(),
            "payload_too_large"
        );
    }

    #[test]
    fn content_types_are_matched_on_their_essence() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "Application/JSON; charset=utf-8".parse().unwrap(),
        );
        assert_eq!(
            require_content_type(&headers, &["application/json"]).unwrap(),
            "application/json"
        );
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(
            require_content_type(&headers, &["application/json"])
                .unwrap_err()
                .code(),
            "unsupported_media_type"
        );
    }
}
