//! Operational endpoints: liveness, readiness and Prometheus metrics.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// How long readiness waits for the master database before calling it unreachable.
const READY_CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// Seconds a load balancer should wait before asking `/ready` again after a failure.
const READY_RETRY_AFTER_SECS: u32 = 5;

/// The process is up.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ok", "version": "0.1.0", "commit": "3f2c1ab"}))]
pub struct HealthView {
    /// Always `ok` when the process answers.
    pub status: &'static str,
    /// The service's version.
    pub version: &'static str,
    /// The git commit the binary was built from, when known at build time.
    pub commit: Option<&'static str>,
}

/// One dependency checked by readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessCheck {
    /// What was checked: `master_database`, and `shared_store` (Redis) when `REDIS_URL` is set.
    pub name: &'static str,
    /// `ok` when the check passed. Only `shared_store` may be `unreachable` in a 200: the instance
    /// then keeps rate limits and model answers in its own memory until Redis is back.
    #[schema(example = "ok")]
    pub status: &'static str,
    /// How long the check took.
    pub latency_ms: f64,
}

/// The service can take traffic.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "ready", "checks": [{"name": "master_database", "status": "ok", "latency_ms": 0.4}]}))]
pub struct ReadinessView {
    /// Always `ready` with status 200.
    pub status: &'static str,
    /// Each dependency checked.
    pub checks: Vec<ReadinessCheck>,
}

/// Liveness: answers as long as the process runs, without touching any dependency.
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses((status = OK, description = "The process is alive.", body = HealthView)),
)]
pub async fn health() -> Json<HealthView> {
    Json(HealthView {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        commit: option_env!("PIPELINE_CORE_GIT_COMMIT"),
    })
}

/// Readiness: the master database answers a query within two seconds (and how the shared Redis
/// store is doing, which does not decide readiness).
#[utoipa::path(
    get,
    path = "/ready",
    tag = "operations",
    responses(
        (status = OK, description = "Ready to serve requests.", body = ReadinessView),
        (status = SERVICE_UNAVAILABLE, description = "A dependency is unreachable; `Retry-After` says when to ask again.",
            body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying."))),
    ),
)]
pub async fn ready(State(state): State<AppState>) -> Result<Json<ReadinessView>, ApiError> {
    let started = Instant::now();
    let unreachable = |source: anyhow::Error| {
        ApiError::unavailable("The master database is unreachable.", READY_RETRY_AFTER_SECS, source)
    };
    match tokio::time::timeout(READY_CHECK_TIMEOUT, state.master.ping()).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Err(unreachable(e.into())),
        Err(_) => {
            return Err(unreachable(anyhow::anyhow!("master database ping timed out after {READY_CHECK_TIMEOUT:?}")));
        }
    }
    let mut checks = vec![ReadinessCheck { name: "master_database", status: "ok", latency_ms: elapsed_ms(started) }];
    if let Some(shared) = &state.shared {
        let started = Instant::now();
        let status = match shared.ping().await {
            Ok(()) => "ok",
            Err(error) => {
                tracing::warn!(%error, "readiness: the shared store (Redis) is unreachable");
                "unreachable"
            }
        };
        checks.push(ReadinessCheck { name: "shared_store", status, latency_ms: elapsed_ms(started) });
    }
    Ok(Json(ReadinessView { status: "ready", checks }))
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Prometheus metrics in the text exposition format: `http_requests_total` and
/// `http_request_duration_seconds` by method, route and status.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = OK, description = "Metrics in Prometheus text format.", body = String,
        content_type = "text/plain; version=0.0.4")),
)]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], state.metrics.render())
}
