//! Work-order status changes, one endpoint per transition, and assignment.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::Response;
use pms_domain::directory::Directory as _;
use pms_domain::identity::MembershipStatus;
use pms_domain::ids::{UserId, WorkOrderId};
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::work_order::{
    WorkOrderAction, WorkOrderChange, assign_work_order, change_work_order, require_assign,
};

use super::{
    AssignWorkOrderRequest, CancelWorkOrderRequest, CompleteWorkOrderRequest, DeferWorkOrderRequest, WorkOrderPath,
    WorkOrderView, field, required_text, work_order_error,
};
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::mutation::Answer;
use crate::state::AppState;

pub(super) fn body_fingerprint(method: &Method, uri: &Uri) -> [u8; 32] {
    fingerprint(method.as_str(), uri.path(), b"")
}

/// The assignee, if any, once known to be an active member of the yacht.
pub(crate) async fn active_member(
    state: &AppState,
    ctx: &TenantCtx,
    assignee: Option<uuid::Uuid>,
) -> Result<Option<UserId>, ApiError> {
    let Some(user) = assignee.map(UserId::from_uuid) else { return Ok(None) };
    let access = state.directory.access(user, ctx.yacht).await?;
    if access.is_none_or(|a| a.membership_status != MembershipStatus::Active) {
        return Err(field("assignee_id", "not_a_member", "must be an active member of this yacht".to_owned()));
    }
    Ok(Some(user))
}

/// Runs one status change: the role first, then the body's meaning, then the change.
async fn status_change(
    ctx: TenantCtx,
    path: WorkOrderPath,
    expected: ExpectedVersion,
    key: IdempotencyKey,
    request_fingerprint: [u8; 32],
    action: WorkOrderAction,
    change: impl FnOnce() -> Result<WorkOrderChange, ApiError>,
) -> Result<Response, ApiError> {
    let actor = ctx.actor();
    actor.require(action.allowed_for(actor.role), "change this work order's status")?;
    let change = change()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, request_fingerprint);
    let id = WorkOrderId::from_uuid(path.work_order_id);
    let changed = change_work_order(mutation.tx(), &actor, id, expected, change, crate::clock::now())
        .await
        .map_err(work_order_error)?;
    mutation.commit(Answer::ok(WorkOrderView::from(&changed)).with_etag(etag(changed.version))).await
}

/// Start the work (`start_work_order`): from `planned` or `deferred`.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/start",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "In progress.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn start(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    status_change(ctx, path, expected, key, body_fingerprint(&method, &uri), WorkOrderAction::Start, || {
        Ok(WorkOrderChange::Start)
    })
    .await
}

/// Complete the work (`mark_work_order_complete`): from `in_progress`, with notes. Resolves the
/// fault it handles.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/complete",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = CompleteWorkOrderRequest,
    responses(
        (status = OK, description = "Completed.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`: only work in progress completes.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn complete(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<CompleteWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let notes = body.value.completion_notes;
    status_change(ctx, path, expected, key, body.fingerprint, WorkOrderAction::Complete, || {
        Ok(WorkOrderChange::Complete { notes: required_text("completion_notes", &notes, 5000)? })
    })
    .await
}

/// Defer the work (`defer_work_order`; heads of department): from `planned` or `in_progress`.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/defer",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = DeferWorkOrderRequest,
    responses(
        (status = OK, description = "Deferred.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn defer(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<DeferWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let DeferWorkOrderRequest { reason, until } = body.value;
    status_change(ctx, path, expected, key, body.fingerprint, WorkOrderAction::Defer, || {
        Ok(WorkOrderChange::Defer { reason: required_text("reason", &reason, 5000)?, until: until.map(|d| d.0) })
    })
    .await
}

/// Cancel the work (`cancel_work_order`; heads of department): unless completed or cancelled.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/cancel",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = CancelWorkOrderRequest,
    responses(
        (status = OK, description = "Cancelled.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn cancel(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<CancelWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let reason = body.value.reason;
    status_change(ctx, path, expected, key, body.fingerprint, WorkOrderAction::Cancel, || {
        Ok(WorkOrderChange::Cancel { reason: required_text("reason", &reason, 5000)? })
    })
    .await
}

/// Reopen completed work (`reopen_work_order`; heads of department): back to `in_progress`.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/reopen",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "In progress again.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`: only completed work reopens.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reopen(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    status_change(ctx, path, expected, key, body_fingerprint(&method, &uri), WorkOrderAction::Reopen, || {
        Ok(WorkOrderChange::Reopen)
    })
    .await
}

/// Assign the work to an active member, or unassign it (`assign_work_order`; heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/assign",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = AssignWorkOrderRequest,
    responses(
        (status = OK, description = "Assigned.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`: completed or cancelled work.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn assign(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<AssignWorkOrderRequest>,
) -> Result<Response, ApiError> {
    require_assign(&ctx.actor())?;
    let assignee = active_member(&state, &ctx, body.value.assignee_id).await?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let id = WorkOrderId::from_uuid(path.work_order_id);
    let updated = assign_work_order(mutation.tx(), &ctx.actor(), id, expected, assignee, crate::clock::now())
        .await
        .map_err(work_order_error)?;
    mutation.commit(Answer::ok(WorkOrderView::from(&updated)).with_etag(etag(updated.version))).await
}
