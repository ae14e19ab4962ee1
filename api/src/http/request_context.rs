//! The outermost per-request middleware: request id, tracing span, access log and metrics.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::request_id::{RequestId, X_REQUEST_ID};

/// Label for requests that matched no route, so unknown paths cannot explode metric cardinality.
const UNMATCHED_ROUTE: &str = "unmatched";

/// Wraps every request in a span carrying its id and route, logs its outcome once, records
/// `http_requests_total` and `http_request_duration_seconds`, and echoes `x-request-id`.
pub async fn request_context(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = RequestId::from_header(request.headers().get(X_REQUEST_ID));
    request.extensions_mut().insert(request_id.clone());
    let method = request.method().as_str().to_owned();
    let route = request.extensions().get::<MatchedPath>().map_or(UNMATCHED_ROUTE, MatchedPath::as_str).to_owned();

    let span = tracing::info_span!(
        "request",
        method = %method,
        route = %route,
        request_id = %request_id,
        yacht_id = tracing::field::Empty,
        user_id = tracing::field::Empty,
    );
    let mut response = request_id.clone().scope(next.run(request)).instrument(span.clone()).await;

    let status = response.status();
    let elapsed = started.elapsed();
    span.in_scope(|| {
        let latency_ms = elapsed.as_secs_f64() * 1000.0;
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), latency_ms, "request finished");
        } else {
            tracing::info!(status = status.as_u16(), latency_ms, "request finished");
        }
    });
    let labels = [("method", method), ("route", route), ("status", status.as_u16().to_string())];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());

    response.headers_mut().insert(X_REQUEST_ID, request_id.header_value());
    response
}
