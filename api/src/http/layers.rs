//! Assembles the middleware stack around the routes, outermost first:
//! request context → response headers (and the URI length) → CORS → problem+json safety net → rate limits → panic catcher → deadline →
//! body limit → the handler, as a task that runs to completion.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderName, Method, header};
use axum::middleware::{Next, from_fn};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::complete::run_to_completion;
use super::problem::{deadline, ensure_problem_json, panic_to_problem};
use super::rate_limit::{RateLimits, limit_by_ip};
use super::request_context::request_context;
use super::request_id::X_REQUEST_ID;
use crate::config::{CorsOrigins, HttpSettings};

/// Headers our API reads beyond the CORS-safelisted ones.
const IDEMPOTENCY_KEY: &str = "idempotency-key";
const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Wraps `router` in every cross-cutting layer. Layers added later run first.
pub fn apply<S>(router: Router<S>, http: &HttpSettings, limits: Arc<RateLimits>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let limit = http.request_timeout;
    let router = router
        .layer(from_fn(run_to_completion))
        .layer(DefaultBodyLimit::max(http.body_limit_bytes))
        .layer(from_fn(move |request: Request, next: Next| deadline(limit, request, next)))
        .layer(CatchPanicLayer::custom(panic_to_problem))
        .layer(from_fn(move |request: Request, next: Next| limit_by_ip(limits.clone(), request, next)))
        .layer(from_fn(ensure_problem_json));
    let router = match cors_layer(&http.cors) {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router.layer(from_fn(super::headers::response_headers)).layer(from_fn(request_context))
}

fn cors_layer(origins: &CorsOrigins) -> Option<CorsLayer> {
    let allow_origin = match origins {
        CorsOrigins::None => return None,
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(list.iter().cloned()),
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow_origin)
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                HeaderName::from_static(IDEMPOTENCY_KEY),
                HeaderName::from_static(X_REQUEST_ID),
            ])
            .expose_headers([
                header::ETAG,
                header::LOCATION,
                header::RETRY_AFTER,
                HeaderName::from_static(IDEMPOTENT_REPLAYED),
                HeaderName::from_static(X_REQUEST_ID),
            ])
            .max_age(Duration::from_secs(600)),
    )
}
