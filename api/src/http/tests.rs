//! The middleware stack and `ApiJson` exercised through a router, request by request.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use http_body_util::BodyExt as _;
use serde::Deserialize;
use serde_json::Value;
use tower::ServiceExt as _;

use super::json::ApiJson;
use super::layers;
use super::rate_limit::{Rate, RateLimitSettings, RateLimits};
use crate::config::{CorsOrigins, HttpSettings};

#[derive(Debug, Deserialize)]
struct Reading {
    #[allow(dead_code, reason = "only deserialised")]
    hours: u32,
}

async fn panics() -> &'static str {
    panic!("secret internals")
}

fn app() -> Router {
    let settings = HttpSettings {
        host: [127, 0, 0, 1].into(),
        port: 0,
        body_limit_bytes: 64,
        request_timeout: Duration::from_millis(100),
        connections: crate::config::ConnectionLimits {
            header_read_timeout: Duration::from_secs(1),
            max_connections: 16,
        },
        shutdown_grace: Duration::from_secs(1),
        cors: CorsOrigins::List(vec![header::HeaderValue::from_static("https://app.example.com")]),
        rate_limits: RateLimitSettings {
            per_ip: Rate { per_second: 1000.0, burst: 1000 },
            sign_in: Rate { per_second: 1000.0, burst: 1000 },
            per_user: Rate { per_second: 1000.0, burst: 1000 },
            trust_forwarded_for: false,
        },
    };
    let router = Router::new()
        .route("/readings", post(|ApiJson(_): ApiJson<Reading>| async { StatusCode::NO_CONTENT }))
        .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
        .route("/panics", get(panics));
    let limits = RateLimits::new(settings.rate_limits, None);
    layers::apply(router, &settings, limits)
}

async fn send(request: Request<Body>) -> (StatusCode, header::HeaderMap, Value) {
    let response = app().oneshot(request).await.expect("infallible");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (parts.status, parts.headers, json)
}

fn post_json(body: &'static str) -> Request<Body> {
    Request::post("/readings").header(header::CONTENT_TYPE, "application/json").body(Body::from(body)).expect("request")
}

#[tokio::test]
async fn body_rejections_are_problems_with_stable_codes() {
    let cases: [(Request<Body>, StatusCode, &str); 5] = [
        (post_json("{\"hours\": "), StatusCode::BAD_REQUEST, "malformed_json"),
        (post_json("{\"hours\": \"many\"}"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (post_json("{}"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (
            Request::post("/readings")
                .header(header::CONTENT_TYPE, "text/plain")
                .body(Body::from("{\"hours\":1}"))
                .expect("request"),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            Request::post("/readings")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(format!("{{\"hours\": 1, \"pad\": \"{}\"}}", "x".repeat(100))))
                .expect("request"),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ];
    for (request, status, code) in cases {
        let (got, headers, body) = send(request).await;
        assert_eq!(got, status, "{code}: {body}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(body["code"], code);
        assert_eq!(body["request_id"], headers["x-request-id"].to_str().expect("ascii"));
    }
    let (status, _, _) = send(post_json("{\"hours\": 12450}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a valid body passes");
}

#[tokio::test]
async fn the_invalid_body_detail_names_the_field() {
    let (_, _, body) = send(post_json("{\"hours\": -1}")).await;
    assert!(body["detail"].as_str().is_some_and(|d| d.contains("hours")), "{body}");
}

#[tokio::test]
async fn a_request_past_the_deadline_is_a_retryable_timeout() {
    let (status, headers, body) = send(Request::get("/slow").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], "timeout");
    assert_eq!(headers[header::RETRY_AFTER], "1");
}

#[tokio::test]
async fn a_panic_is_a_500_problem_that_hides_the_message() {
    let (status, _, body) = send(Request::get("/panics").body(Body::empty()).expect("request")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["code"], "internal_error");
    assert!(!body.to_string().contains("secret internals"));
}

#[tokio::test]
async fn cors_allows_configured_origins_only() {
    let preflight = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/readings")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type,idempotency-key")
            .body(Body::empty())
            .expect("request")
    };
    let (_, allowed, _) = send(preflight("https://app.example.com")).await;
    assert_eq!(allowed[header::ACCESS_CONTROL_ALLOW_ORIGIN], "https://app.example.com");
    let (_, refused, _) = send(preflight("https://evil.example")).await;
    assert!(refused.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
}
