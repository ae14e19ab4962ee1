//! The `Idempotency-Key` header and JSON bodies that carry their own fingerprint, so a retried
//! request can be recognised (same key, same body) or refused (same key, other body).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use super::json::reject;
use crate::error::{ApiError, ErrorCode};

/// The header clients send to make a mutation safe to retry.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// Set on a response that replays the first answer to a key.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// The request's `Idempotency-Key`, if it sent one: 1–255 visible ASCII characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(IDEMPOTENCY_KEY) else { return Ok(Self(None)) };
        value
            .to_str()
            .ok()
            .filter(|key| (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()))
            .map(|key| Self(Some(key.to_owned())))
            .ok_or_else(|| {
                ApiError::new(ErrorCode::BadRequest, "Idempotency-Key must be 1 to 255 visible ASCII characters.")
            })
    }
}

/// A JSON body of type `T` with the SHA-256 of its method, path and bytes.
#[derive(Debug, Clone)]
pub struct JsonBody<T> {
    pub value: T,
    pub fingerprint: [u8; 32],
}

/// The fingerprint of a request without a body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(body);
    hasher.finalize().into()
}

fn is_json(content_type: Option<&header::HeaderValue>) -> bool {
    content_type.and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).is_some_and(|mime| {
        let mime = mime.trim().to_ascii_lowercase();
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
    })
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        if !is_json(request.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "Send the body as JSON with `Content-Type: application/json`.",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ErrorCode::PayloadTooLarge, "The request body is larger than the server accepts.")
            } else {
                ApiError::new(ErrorCode::BadRequest, "The request body could not be read.")
            }
        })?;
        let Json(value) = Json::<T>::from_bytes(&bytes).map_err(|rejection| reject(&rejection))?;
        Ok(Self { value, fingerprint: fingerprint(&method, &path, &bytes) })
    }
}
