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

/// Declares the error catalogue once: variant, wire code, HTTP status and title.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = ($code:literal, $status:ident, $title:literal),)*) => {
        /// Stable, machine-readable error codes. The full catalogue; never reuse a code for a new
        /// meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        pub enum ErrorCode {
            $($(#[$doc])* #[serde(rename = $code)] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The HTTP status this code is always sent with.
            pub fn status(self) -> StatusCode {
                match self { $(Self::$variant => StatusCode::$status,)* }
            }

            /// A short, human-readable summary that does not vary between occurrences.
            pub fn title(self) -> &'static str {
                match self { $(Self::$variant => $title,)* }
            }

            /// The code as it appears in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }
        }
    };
}

error_codes! {
    /// The request is malformed in a way no more specific code describes.
    BadRequest = ("bad_request", BAD_REQUEST, "Bad request"),
    /// The body is not syntactically valid JSON.
    MalformedJson = ("malformed_json", BAD_REQUEST, "Malformed JSON"),
    /// The body is JSON but does not have the expected shape or types.
    InvalidBody = ("invalid_body", UNPROCESSABLE_ENTITY, "Invalid request body"),
    /// The `cursor` parameter is not a `next_cursor` this list gave for the same path, filters
    /// and sort (cursors are signed); start the list again without one.
    InvalidCursor = ("invalid_cursor", UNPROCESSABLE_ENTITY, "Invalid cursor"),
    /// One or more fields failed validation; see `errors`.
    ValidationFailed = ("validation_failed", UNPROCESSABLE_ENTITY, "Validation failed"),
    /// The body's media type is not accepted by this operation.
    UnsupportedMediaType = ("unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    /// The request target (path and query) is longer than the server reads.
    UriTooLong = ("uri_too_long", URI_TOO_LONG, "URI too long"),
    /// The body is larger than the configured limit.
    PayloadTooLarge = ("payload_too_large", PAYLOAD_TOO_LARGE, "Payload too large"),
    /// No bearer token, or one that is malformed, forged, expired or for a disabled account.
    Unauthorized = ("unauthorized", UNAUTHORIZED, "Authentication required"),
    /// Wrong email or password (deliberately not saying which).
    InvalidCredentials = ("invalid_credentials", UNAUTHORIZED, "Invalid credentials"),
    /// The refresh token is unknown, expired or revoked.
    InvalidRefreshToken = ("invalid_refresh_token", UNAUTHORIZED, "Invalid refresh token"),
    /// The refresh token had already been used; every session of its family is now revoked.
    RefreshTokenReused = ("refresh_token_reused", UNAUTHORIZED, "Refresh token reused"),
    /// The account is disabled.
    AccountDisabled = ("account_disabled", FORBIDDEN, "Account disabled"),
    /// Authenticated, but the caller's role does not allow this.
    Forbidden = ("forbidden", FORBIDDEN, "Forbidden"),
    /// The yacht is suspended by the platform; its data is read-only to nobody.
    YachtSuspended = ("yacht_suspended", FORBIDDEN, "Yacht suspended"),
    /// The caller's membership of this yacht is suspended or not yet accepted.
    MembershipInactive = ("membership_inactive", FORBIDDEN, "Membership inactive"),
    /// No resource exists at this path (or the caller may not know it exists).
    NotFound = ("not_found", NOT_FOUND, "Not found"),
    /// No micro-action has this name.
    ActionNotFound = ("action_not_found", NOT_FOUND, "Action not found"),
    /// The path exists but does not support this HTTP method.
    MethodNotAllowed = ("method_not_allowed", METHOD_NOT_ALLOWED, "Method not allowed"),
    /// The request conflicts with existing data (e.g. a duplicate unique value).
    Conflict = ("conflict", CONFLICT, "Conflict"),
    /// The record's current state does not allow this transition.
    InvalidStateTransition = ("invalid_state_transition", CONFLICT, "Invalid state transition"),
    /// `If-Match` names a version that is no longer current (or is not an ETag of this API).
    PreconditionFailed = ("precondition_failed", PRECONDITION_FAILED, "Precondition failed"),
    /// This `Idempotency-Key` was already used with a different request: the request conflicts
    /// with the one the key is bound to. (A retry while the first is in flight waits for it and
    /// gets its response.)
    IdempotencyKeyReused = ("idempotency_key_reused", CONFLICT, "Idempotency key reused"),
    /// Another piece of equipment already has this code.
    EquipmentCodeTaken = ("equipment_code_taken", CONFLICT, "Equipment code taken"),
    /// A running-hours reading would make the meter go down over time without a counter reset.
    RunningHoursNotMonotonic = ("running_hours_not_monotonic", CONFLICT, "Running hours not monotonic"),
    /// Another active work order already handles this fault; pass `allow_duplicate` to create one anyway.
    WorkOrderExistsForFault = ("work_order_exists_for_fault", CONFLICT, "Work order exists for fault"),
    /// Another of the schedule's work orders is open; a schedule has at most one open at a time.
    WorkOrderExistsForSchedule = ("work_order_exists_for_schedule", CONFLICT, "Work order exists for schedule"),
    /// Not enough stock on hand for the consumption.
    InsufficientStock = ("insufficient_stock", CONFLICT, "Insufficient stock"),
    /// A return of more of a part than was consumed on the work order and not returned since.
    ReturnExceedsIssued = ("return_exceeds_issued", CONFLICT, "Return exceeds what was issued"),
    /// Another part already has this part number or barcode.
    PartNumberTaken = ("part_number_taken", CONFLICT, "Part number taken"),
    /// The change would leave the yacht without an active captain, manager or admin.
    LastTenantAdmin = ("last_tenant_admin", CONFLICT, "Last tenant admin"),
    /// Too many failed sign-ins for this email address; retry after `Retry-After` seconds.
    TooManyAttempts = ("too_many_attempts", TOO_MANY_REQUESTS, "Too many attempts"),
    /// Too many requests from this client address or user; retry after `Retry-After` seconds.
    RateLimited = ("rate_limited", TOO_MANY_REQUESTS, "Too many requests"),
    /// The request took longer than the server's time limit; safe to retry with the same
    /// `Idempotency-Key`.
    Timeout = ("timeout", SERVICE_UNAVAILABLE, "Request timed out"),
    /// A dependency (such as the database) is unavailable; retry after `Retry-After` seconds.
    ServiceUnavailable = ("service_unavailable", SERVICE_UNAVAILABLE, "Service unavailable"),
    /// An unexpected server error; the `request_id` identifies it in the logs.
    InternalError = ("internal_error", INTERNAL_SERVER_ERROR, "Internal server error"),
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
        Self { code, detail: detail.into(), errors: Vec::new(), retry_after_secs: None, source: None }
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
    /// A 422 about one field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError { field: field.to_owned(), code: code.to_owned(), message: message.into() }])
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        Self { errors, ..Self::new(ErrorCode::ValidationFailed, "One or more fields are invalid.") }
    }

    /// A body of the wrong shape or types, with the fields at fault when known.
    pub fn invalid_body(detail: impl Into<Cow<'static, str>>, errors: Vec<FieldError>) -> Self {
        Self { errors, ..Self::new(ErrorCode::InvalidBody, detail) }
    }

    /// A page cursor this list did not issue for this request.
    pub fn invalid_cursor() -> Self {
        let errors = vec![FieldError {
            field: "cursor".to_owned(),
            code: "invalid".to_owned(),
            message: "must be a next_cursor this list returned for the same filters and sort".to_owned(),
        }];
        Self {
            errors,
            ..Self::new(ErrorCode::InvalidCursor, "The cursor does not continue this list; start again without it.")
        }
    }

    /// A record the request names (not its path) that does not exist: 404 `not_found`, with
    /// the field that named it.
    pub fn missing_reference(field: &str, message: String) -> Self {
        let errors = vec![FieldError { field: field.to_owned(), code: "not_found".to_owned(), message }];
        Self { errors, ..Self::new(ErrorCode::NotFound, "A record the request names does not exist.") }
    }

    /// For a request whose payload names records: a validation failure that is only about
    /// named records that do not exist becomes a 404, with the fields under `payload.`.
    #[must_use]
    pub fn missing_reference_as_not_found(self) -> Self {
        let only_missing = !self.errors.is_empty() && self.errors.iter().all(|e| e.code == "not_found");
        if self.code != ErrorCode::ValidationFailed || !only_missing {
            return self;
        }
        let errors =
            self.errors.into_iter().map(|e| FieldError { field: format!("payload.{}", e.field), ..e }).collect();
        Self { errors, ..Self::new(ErrorCode::NotFound, "A record the payload names does not exist on this yacht.") }
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
                tracing::error!(code = self.code.as_str(), error = format!("{source:#}"), "request failed");
            } else {
                tracing::warn!(code = self.code.as_str(), error = format!("{source:#}"), "request refused");
            }
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (self.code.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if self.code.status() == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after_secs {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<pms_domain::maintenance::Denied> for ApiError {
    fn from(denied: pms_domain::maintenance::Denied) -> Self {
        Self::new(ErrorCode::Forbidden, denied.to_string())
    }
}

impl From<pms_domain::store::StoreError> for ApiError {
    fn from(error: pms_domain::store::StoreError) -> Self {
        if error.is_invalid_cursor() {
            Self::invalid_cursor()
        } else if error.is_unavailable() {
            Self::unavailable("A database is unavailable; retry shortly.", 2, error)
        } else {
            Self::internal(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_their_str_form() {
        for &code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).expect("serialises"), serde_json::json!(code.as_str()));
        }
    }

    #[test]
    fn every_code_is_an_error_status_with_a_title() {
        for &code in ErrorCode::ALL {
            assert!(code.status().is_client_error() || code.status().is_server_error(), "{code:?}");
            assert!(!code.title().is_empty());
        }
    }

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let problem = ApiError::internal(anyhow::anyhow!("password=hunter2 in connection string")).problem();
        assert!(!problem.detail.contains("hunter2"));
        assert_eq!(problem.status, 500);
        assert_eq!(problem.problem_type, "urn:pipeline-core:problem:internal_error");
    }
}
