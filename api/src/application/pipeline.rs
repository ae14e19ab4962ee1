//! The one way a use case runs, from a REST route or from `/actions/execute`: the caller's role
//! against the registry before anything else, then the use case in a tenant transaction — with
//! its idempotency record when it changes data — and its answer committed with the change.

use axum::response::Response;
use pms_domain::actions::{ActionName, ActionSpec};
use pms_domain::maintenance::ExpectedVersion;
use serde::Serialize;

use super::Exec;
use crate::error::{ApiError, ErrorCode};
use crate::extract::TenantCtx;
use crate::http::idempotency::IdempotencyKey;
use crate::mutation::{Answer, Begun, Mutation};
use crate::state::AppState;

/// One request to run a use case: who, on which yacht, and how it may be retried.
#[derive(Debug)]
pub struct Request<'a> {
    pub state: &'a AppState,
    pub ctx: &'a TenantCtx,
    pub key: IdempotencyKey,
    /// The request's method, path and body, bound to the idempotency key.
    pub fingerprint: [u8; 32],
    /// The `If-Match` precondition on the record the use case changes (any, for actions).
    pub expected: ExpectedVersion,
}

/// Who may run a use case.
#[derive(Debug, Clone, Copy)]
pub enum Guard {
    /// The registry's rule for this action.
    Action(&'static ActionSpec),
    /// It depends on the record (its reporter, its state), so the domain use case decides.
    Record,
}

impl Guard {
    /// The registry's rule for `name`.
    pub fn action(name: ActionName) -> Self {
        Self::Action(name.spec())
    }
}

/// 403 unless the caller's role may run `spec`; says nothing about the records named.
pub fn authorize(ctx: &TenantCtx, spec: &ActionSpec) -> Result<(), ApiError> {
    if spec.allowed_for(ctx.role) {
        return Ok(());
    }
    Err(ApiError::new(ErrorCode::Forbidden, format!("Your role ({}) may not run `{}`.", ctx.role.as_str(), spec.name)))
}

fn check(ctx: &TenantCtx, guard: Guard) -> Result<(), ApiError> {
    match guard {
        Guard::Action(spec) => authorize(ctx, spec),
        Guard::Record => Ok(()),
    }
}

/// Runs a use case that changes data, once per idempotency key, and answers with what `answer`
/// makes of its result. A replayed key answers the first response without running anything.
pub async fn mutate<V, A: Serialize>(
    request: Request<'_>,
    guard: Guard,
    run: impl AsyncFnOnce(&mut Exec<'_>) -> Result<V, ApiError>,
    answer: impl FnOnce(V) -> Answer<A>,
) -> Result<Response, ApiError> {
    check(request.ctx, guard)?;
    let mut mutation = match Mutation::begin(request.ctx, request.key, request.fingerprint).await? {
        Begun::Replay(response) => return Ok(response),
        Begun::Fresh(mutation) => mutation,
    };
    let mut x = Exec {
        state: request.state,
        ctx: request.ctx,
        tx: mutation.tx(),
        actor: request.ctx.actor(),
        now: crate::clock::now(),
        expected: request.expected,
    };
    let value = run(&mut x).await?;
    mutation.commit(answer(value)).await
}

/// Runs a use case that only reads, in a transaction of its own.
pub async fn read<V>(
    state: &AppState,
    ctx: &TenantCtx,
    guard: Guard,
    run: impl AsyncFnOnce(&mut Exec<'_>) -> Result<V, ApiError>,
) -> Result<V, ApiError> {
    check(ctx, guard)?;
    let mut tx = ctx.store.begin().await?;
    let mut x =
        Exec { state, ctx, tx: &mut tx, actor: ctx.actor(), now: crate::clock::now(), expected: ExpectedVersion::ANY };
    let value = run(&mut x).await?;
    tx.commit().await?;
    Ok(value)
}
