//! The `Idempotency-Key` header and JSON bodies that carry their own fingerprint, so a retried
//! request can be recognised (same key, same body) or refused (same key, other body).

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use super::json::{json_bytes, parse};
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

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        let bytes = json_bytes(request, state).await?;
        let value = parse(&bytes)?;
        Ok(Self { value, fingerprint: fingerprint(&method, &path, &bytes) })
    }
}
