//! `ApiJson<T>`: axum's JSON extractor with every rejection rendered as problem+json, and a
//! document with a key given twice in one object refused (serde would keep the last silently
//! wherever a body passes through a map, as action payloads do), as is NUL in any string.

use std::collections::HashSet;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::{DeserializeOwned, DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};

use crate::error::{ApiError, ErrorCode};

/// A JSON request body of type `T`. Rejections become `malformed_json` (400), `invalid_body`
/// (422), `unsupported_media_type` (415) or `payload_too_large` (413).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(request, state).await?;
        parse(&bytes).map(Self)
    }
}

/// The body of a request that says it is JSON.
pub(crate) async fn json_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    if !is_json(request.headers().get(axum::http::header::CONTENT_TYPE)) {
        return Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ));
    }
    Bytes::from_request(request, state).await.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge, "The request body is larger than the server accepts.")
        } else {
            ApiError::new(ErrorCode::BadRequest, "The request body could not be read.")
        }
    })
}

fn is_json(content_type: Option<&axum::http::HeaderValue>) -> bool {
    content_type.and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).is_some_and(|mime| {
        let mime = mime.trim().to_ascii_lowercase();
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
    })
}

/// A JSON body as `T`, refusing keys given twice in one object.
pub(crate) fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let Json(value) = Json::<T>::from_bytes(bytes).map_err(|rejection| match rejection {
        JsonRejection::JsonDataError(_) => shape_error::<T>(bytes),
        other => reject(&other),
    })?;
    let mut document = serde_json::Deserializer::from_slice(bytes);
    UniqueKeys.deserialize(&mut document).map_err(|e| ApiError::new(ErrorCode::InvalidBody, e.to_string()))?;
    Ok(value)
}

/// Walks a JSON document and fails on the first object that repeats a key.
#[derive(Debug, Clone, Copy)]
struct UniqueKeys;

impl<'de> DeserializeSeed<'de> for UniqueKeys {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    // PostgreSQL text cannot hold NUL, and no field of this API needs one.
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        if text.contains('\0') { Err(E::custom("text may not contain NUL characters")) } else { Ok(()) }
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        while items.next_element_seed(UniqueKeys)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = entries.next_key::<String>()? {
            self.visit_str::<A::Error>(&key)?;
            entries.next_value_seed(UniqueKeys)?;
            if let Some(key) = seen.replace(key) {
                return Err(A::Error::custom(format!("duplicate key `{key}` in an object")));
            }
        }
        Ok(())
    }
}

/// A body of the wrong shape: 422 `invalid_body`, naming the field when serde can tell which.
fn shape_error<T: DeserializeOwned>(bytes: &[u8]) -> ApiError {
    let mut document = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut document) {
        Ok(_) => ApiError::new(ErrorCode::InvalidBody, "The request body does not have the expected shape."),
        Err(error) => {
            let field = error.path().to_string();
            let message = error.inner().to_string();
            let detail = format!("{field}: {message}");
            // `.` is the document itself: a missing or unknown field, which the message names.
            let errors = if field == "." {
                Vec::new()
            } else {
                vec![crate::error::FieldError { field, code: "invalid".to_owned(), message }]
            };
            ApiError::invalid_body(detail, errors)
        }
    }
}

pub(crate) fn reject(rejection: &JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::new(ErrorCode::MalformedJson, "The request body is not valid JSON.")
        }
        // The serde message names the field and what was wrong with it; it describes only the
        // caller's own input.
        JsonRejection::JsonDataError(e) => ApiError::new(ErrorCode::InvalidBody, e.body_text()),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with `Content-Type: application/json`.",
        ),
        other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PayloadTooLarge, "The request body is larger than the server accepts.")
        }
        other => ApiError::new(ErrorCode::BadRequest, other.body_text()),
    }
}
