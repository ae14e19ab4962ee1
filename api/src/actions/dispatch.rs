//! Running one micro-action: the role before anything else, then the payload, then the use case
//! in a tenant transaction (with its idempotency record when it changes data), and always an
//! execution-log entry.

use std::time::Instant;

use axum::Json;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use pms_domain::actions::{self, ActionSpec};
use pms_domain::maintenance::ExpectedVersion;
use pms_infra::tenant::executions::{self, Execution, Outcome};
use pms_infra::tenant::tx::TenantTx;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::executors::Call;
use crate::application::Exec;
use crate::application::pipeline::{self, Guard, Request};
use crate::error::{ApiError, ErrorCode};
use crate::extract::TenantCtx;
use crate::http::idempotency::IdempotencyKey;
use crate::mutation::Answer;
use crate::state::AppState;

/// Where the action runs.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionContext {
    /// The yacht; on `/v1/actions/execute` it may be omitted when the caller belongs to one yacht
    /// only. On the yacht's own path it must be that yacht, if given.
    pub yacht_id: Option<Uuid>,
}

/// Run a micro-action. `payload` is the action's own (see `ActionCall` for each one's shape).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecuteRequest {
    pub action: String,
    #[serde(default)]
    pub context: ActionContext,
    #[serde(default)]
    pub payload: Option<Value>,
}

/// The outcome of a successful execution.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "status": "success", "action": "start_work_order", "execution_id": "0193a5f2-7a00-7000-8000-000000000001",
    "result": {"id": "0193a5f2-3b00-7000-8000-000000000401", "number": "WO-2026-0042", "status": "in_progress"}
}))]
pub struct ExecuteResponse {
    /// Always `success`; failures are problem+json documents.
    pub status: &'static str,
    pub action: &'static str,
    /// The execution-log entry of this run.
    pub execution_id: Uuid,
    /// The created or changed record, or the read view.
    #[schema(value_type = Object)]
    pub result: Value,
}

/// Runs `request` as `ctx`'s caller and logs the execution, whatever its outcome.
pub async fn execute(
    state: &AppState,
    ctx: &TenantCtx,
    key: IdempotencyKey,
    fingerprint: [u8; 32],
    request: ExecuteRequest,
) -> Result<Response, ApiError> {
    let spec = actions::find(&request.action)
        .ok_or_else(|| ApiError::new(ErrorCode::ActionNotFound, format!("There is no action `{}`.", request.action)))?;
    let started = Instant::now();
    let started_at = crate::clock::now();
    let id = Uuid::now_v7();
    let outcome = attempt(state, ctx, key, fingerprint, spec, id, started, started_at, request.payload).await;
    if let Err(error) = &outcome {
        // The action's transaction is gone with its error; the refusal is logged on its own.
        let failed = log_failure(ctx, spec, id, started, started_at, error).await;
        if let Err(e) = failed {
            tracing::warn!(error = ?e, action = spec.name.as_str(), "could not log a failed execution");
        }
    }
    outcome
}

#[allow(clippy::too_many_arguments, reason = "one execution's inputs, passed once")]
async fn attempt(
    state: &AppState,
    ctx: &TenantCtx,
    key: IdempotencyKey,
    fingerprint: [u8; 32],
    spec: &'static ActionSpec,
    id: Uuid,
    started: Instant,
    started_at: DateTime<Utc>,
    payload: Option<Value>,
) -> Result<Response, ApiError> {
    // The role before the payload: a 403 says nothing about the payload's ids.
    pipeline::authorize(ctx, spec)?;
    let call = Call::parse(spec.name, payload.unwrap_or_else(|| Value::Object(serde_json::Map::new())))?;
    let run = async |x: &mut Exec<'_>| {
        let result = call.run(x).await.map_err(ApiError::missing_reference_as_not_found)?;
        log_success(x.tx, ctx, spec, id, started, started_at).await?;
        Ok(response(spec, id, result))
    };
    if spec.side_effect.is_mutation() {
        let request = Request { state, ctx, key, fingerprint, expected: ExpectedVersion::ANY };
        pipeline::mutate(request, Guard::Action(spec), run, Answer::ok).await
    } else {
        Ok(Json(pipeline::read(state, ctx, Guard::Action(spec), run).await?).into_response())
    }
}

fn response(spec: &'static ActionSpec, id: Uuid, result: Value) -> ExecuteResponse {
    ExecuteResponse { status: "success", action: spec.name.as_str(), execution_id: id, result }
}

fn elapsed_us(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_micros()).unwrap_or(i64::MAX)
}

async fn log_success(
    tx: &mut TenantTx,
    ctx: &TenantCtx,
    spec: &ActionSpec,
    id: Uuid,
    started: Instant,
    started_at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let request_id = crate::http::request_id::current_request_id();
    let execution = Execution {
        id,
        action: spec.name.as_str(),
        user: ctx.user,
        outcome: Outcome::Success,
        error_code: None,
        status: 200,
        duration_us: elapsed_us(started),
        request_id: request_id.as_deref(),
        started_at,
    };
    executions::record(tx, &execution).await?;
    Ok(())
}

async fn log_failure(
    ctx: &TenantCtx,
    spec: &ActionSpec,
    id: Uuid,
    started: Instant,
    started_at: DateTime<Utc>,
    error: &ApiError,
) -> Result<(), ApiError> {
    let code = error.code();
    let status = code.status().as_u16();
    let outcome = if status >= 500 { Outcome::Failed } else { Outcome::Refused };
    let request_id = crate::http::request_id::current_request_id();
    let execution = Execution {
        id,
        action: spec.name.as_str(),
        user: ctx.user,
        outcome,
        error_code: Some(code.as_str()),
        status,
        duration_us: elapsed_us(started),
        request_id: request_id.as_deref(),
        started_at,
    };
    let mut tx = ctx.store.begin().await?;
    executions::record(&mut tx, &execution).await?;
    tx.commit().await?;
    Ok(())
}
