//! The safety net that turns every error the framework produces on its own (unknown route,
//! wrong method, a panic, a deadline) into the same problem+json our handlers send.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode, PROBLEM_JSON};

/// Rewrites any error response that is not already problem+json, keeping its status and `Allow`.
pub async fn ensure_problem_json(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem_json(&response) {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "No route matches this path."),
        StatusCode::METHOD_NOT_ALLOWED => {
            (ErrorCode::MethodNotAllowed, "This path does not support the request's method; see the Allow header.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::PayloadTooLarge, "The request body is larger than the server accepts.")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UnsupportedMediaType, "The request body's media type is not accepted here.")
        }
        StatusCode::UNPROCESSABLE_ENTITY => (ErrorCode::InvalidBody, "The request body could not be processed."),
        s if s.is_server_error() => {
            (ErrorCode::InternalError, "An unexpected error occurred; quote the request id when reporting it.")
        }
        _ => (ErrorCode::BadRequest, "The request could not be understood."),
    };
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut rewritten = ApiError::new(code, detail).into_response();
    if let Some(allow) = allow {
        rewritten.headers_mut().insert(header::ALLOW, allow);
    }
    rewritten
}

fn is_problem_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON))
}

/// Stops a request that runs past `limit` with a retryable 503 `timeout` problem.
pub async fn deadline(limit: Duration, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(ErrorCode::Timeout, format!("The request did not finish within {} seconds.", limit.as_secs()))
                .with_retry_after(1)
                .into_response()
        }
    }
}

/// Renders a caught panic as a 500 problem; the panic message goes to the log only.
#[allow(clippy::needless_pass_by_value, reason = "the signature CatchPanicLayer calls")]
pub fn panic_to_problem(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("non-string panic payload");
    ApiError::internal(anyhow::anyhow!("handler panicked: {message}")).into_response()
}
