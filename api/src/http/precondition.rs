//! Optimistic concurrency: every versioned record has an `ETag` of its version; a write with
//! `If-Match` applies only to that version.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};

use crate::error::{ApiError, ErrorCode};

/// The ETag of a record version: `"7"`.
pub fn etag(version: i32) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// The version a write expects, from `If-Match`; `None` when absent or `*`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IfMatch(pub Option<i32>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else { return Ok(Self(None)) };
        let text = value.to_str().unwrap_or_default().trim();
        if text == "*" {
            return Ok(Self(None));
        }
        text.trim_start_matches("W/")
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .and_then(|version| version.parse::<i32>().ok())
            .filter(|version| *version > 0)
            .map(|version| Self(Some(version)))
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::PreconditionFailed,
                    "If-Match must be an ETag returned by this API, like \"3\".",
                )
            })
    }
}
