//! One error type for every HTTP failure, rendered as RFC 9457 `application/problem+json`.
//!
//! Each error carries a stable [`ErrorCode`] from a single catalogue so clients can branch on
//! `code` rather than on wording. Internal causes are logged once, inside the request span, and
//! never sent to the client.

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::request_id::current_request_id;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Stable, machine-readable error codes. The full catalogue; never reuse a code for a new meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed in a way no more specific code describes.
    BadRequest,
    /// The body is not syntactically valid JSON.
    MalformedJson,
    /// The body is JSON but does not have the expected shape or types.
    InvalidBody,
    /// One or more fields failed validation; see `errors`.
    ValidationFailed,
    /// The body's media type is not accepted by this operation.
    UnsupportedMediaType,
    /// The body is larger than the configured limit.
    PayloadTooLarge,
    /// No resource exists at this path (or the caller may not know it exists).
    NotFound,
    /// The path exists but does not support this HTTP method.
    MethodNotAllowed,
    /// The request took longer than the server's time limit; safe to retry with the same
    /// `Idempotency-Key`.
    Timeout,
    /// A dependency (such as the database) is unavailable; retry after `Retry-After` seconds.
    ServiceUnavailable,
    /// An unexpected server error; the `request_id` identifies it in the logs.
    InternalError,
}

impl ErrorCode {
    /// The HTTP status this code is always sent with.
    pub fn status(self) -> StatusCode {
        match self {
            Self::BadRequest | Self::MalformedJson => StatusCode::BAD_REQUEST,
            Self::InvalidBody | Self::ValidationFailed => StatusCode::UNPROCESSABLE_ENTITY,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Timeout | Self::ServiceUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short, human-readable summary that does not vary between occurrences.
    pub fn title(self) -> &'static str {
        match self {
            Self::BadRequest => "Bad request",
            Self::MalformedJson => "Malformed JSON",
            Self::InvalidBody => "Invalid request body",
            Self::ValidationFailed => "Validation failed",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::PayloadTooLarge => "Payload too large",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::Timeout => "Request timed out",
            Self::ServiceUnavailable => "Service unavailable",
            Self::InternalError => "Internal server error",
        }
    }

    /// The code as it appears in JSON.
    pub fn as_str(self) -> &'static str {
        // Kept in step with the serde names by `codes_serialise_as_their_str_form`.
        match self {
            Self::BadRequest => "bad_request",
            Self::MalformedJson => "malformed_json",
            Self::InvalidBody => "invalid_body",
            Self::ValidationFailed => "validation_failed",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Timeout => "timeout",
            Self::ServiceUnavailable => "service_unavailable",
            Self::InternalError => "internal_error",
        }
    }
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON path of the field, e.g. `payload.quantity`.
    #[schema(example = "email")]
    pub field: String,
    /// Stable reason code, e.g. `required`, `too_long`, `invalid_format`.
    #[schema(example = "invalid_format")]
    pub code: String,
    /// Human-readable explanation.
    #[schema(example = "must be an email address")]
    pub message: String,
}

/// An RFC 9457 problem document; the body of every error response.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:pipeline-core:problem:not_found",
    "title": "Not found",
    "status": 404,
    "detail": "No route matches this path.",
    "code": "not_found",
    "request_id": "0193a5f2-8c1e-7d3a-9b7e-2f4c1d0e5a6b"
}))]
pub struct Problem {
    /// A URN identifying the problem type: `urn:pipeline-core:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// The request id (also in the `x-request-id` header), for support and logs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Per-field validation errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// An error on its way to becoming a problem+json response.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    detail: Cow<'static, str>,
    errors: Vec<FieldError>,
    retry_after_secs: Option<u32>,
    source: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Self {
            code,
            detail: detail.into(),
            errors: Vec::new(),
            retry_after_secs: None,
            source: None,
        }
    }

    /// A server-side failure; `source` is logged, never shown.
    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        Self {
            source: Some(source.into()),
            ..Self::new(
                ErrorCode::InternalError,
                "An unexpected error occurred; quote the request id when reporting it.",
            )
        }
    }

    /// A dependency is down; the client should retry after `retry_after_secs`.
    pub fn unavailable(
        detail: impl Into<Cow<'static, str>>,
        retry_after_secs: u32,
        source: impl Into<anyhow::Error>,
    ) -> Self {
        Self {
            retry_after_secs: Some(retry_after_secs),
            source: Some(source.into()),
            ..Self::new(ErrorCode::ServiceUnavailable, detail)
        }
    }

    /// Field-level validation failures.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self {
            errors,
            ..Self::new(
                ErrorCode::ValidationFailed,
                "One or more fields are invalid.",
            )
        }
    }

    #[must_use]
    pub fn with_retry_after(mut self, secs: u32) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The problem document this error renders as.
    pub fn problem(&self) -> Problem {
        Problem {
            problem_type: format!("urn:pipeline-core:problem:{}", self.code.as_str()),
            title: self.code.title().to_owned(),
            status: self.code.status().as_u16(),
            detail: self.detail.to_string(),
            code: self.code,
            request_id: current_request_id(),
            errors: self.errors.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(source) = &self.source {
            if self.code.status().is_server_error() {
                tracing::error!(
                    code = self.code.as_str(),
                    error = format!("{source:#}"),
                    "request failed"
                );
            } else {
                tracing::warn!(
                    code = self.code.as_str(),
                    error = format!("{source:#}"),
                    "request refused"
                );
            }
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.code.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(secs) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [ErrorCode; 11] = [
        ErrorCode::BadRequest,
        ErrorCode::MalformedJson,
        ErrorCode::InvalidBody,
        ErrorCode::ValidationFailed,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::PayloadTooLarge,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Timeout,
        ErrorCode::ServiceUnavailable,
        ErrorCode::InternalError,
    ];

    #[test]
    fn codes_serialise_as_their_str_form() {
        for code in ALL {
            assert_eq!(
                serde_json::to_value(code).expect("serialises"),
                serde_json::json!(code.as_str())
            );
        }
    }

    #[test]
    fn every_code_is_an_error_status_with_a_title() {
        for code in ALL {
            assert!(
                code.status().is_client_error() || code.status().is_server_error(),
                "{code:?}"
            );
            assert!(!code.title().is_empty());
        }
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let problem =
            ApiError::internal(anyhow::anyhow!("password=hunter2 in connection string")).problem();
        assert!(!problem.detail.contains("hunter2"));
        assert_eq!(problem.status, 500);
        assert_eq!(
            problem.problem_type,
            "urn:pipeline-core:problem:internal_error"
        );
    }
}
