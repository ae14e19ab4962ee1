//! `ApiJson<T>`: axum's JSON extractor with every rejection rendered as problem+json.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

use crate::error::{ApiError, ErrorCode};

/// A JSON request body of type `T`. Rejections become `malformed_json` (400), `invalid_body`
/// (422), `unsupported_media_type` (415) or `payload_too_large` (413).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(reject(&rejection)),
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
