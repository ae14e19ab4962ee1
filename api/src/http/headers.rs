//! Headers every response carries: no MIME sniffing, no referrer, no framing, a content security
//! policy (Swagger UI's own under `/docs`, nothing at all for the JSON API), and `no-store` on
//! the sign-in routes, whose bodies hold tokens. Also the longest URI we read.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, ErrorCode};

/// Longer request targets get 414: no route of ours needs more than a few hundred bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Swagger UI loads its scripts, styles and the spec from us; its React styles are inline and
/// its icons data URIs.
const DOCS_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";
/// JSON is never a document to render.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub async fn response_headers(request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let path = request.uri().path();
    let docs = path == "/docs" || path.starts_with("/docs/");
    let sign_in = path.starts_with("/v1/auth/");
    let mut response = if target > MAX_URI_BYTES {
        ApiError::new(ErrorCode::UriTooLong, format!("The request target is longer than {MAX_URI_BYTES} bytes."))
            .into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let policy = if docs { DOCS_POLICY } else { API_POLICY };
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    if sign_in {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
