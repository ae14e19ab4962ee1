//! Work-order status changes, one endpoint per transition, and assignment.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::Response;

use super::{
    AssignWorkOrderRequest, CancelWorkOrderRequest, CompleteWorkOrderRequest, DeferWorkOrderRequest, WorkOrderPath,
    WorkOrderView,
};
use crate::application::pipeline::{self, Guard, Request};
use crate::application::work_orders::{
    self, AssignWorkOrder, CancelWorkOrder, CompleteWorkOrder, DeferWorkOrder, WorkOrderRef,
};
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::mutation::Answer;
use crate::state::AppState;
use pms_domain::actions::ActionName;

pub(super) fn body_fingerprint(method: &Method, uri: &Uri) -> [u8; 32] {
    fingerprint(method.as_str(), uri.path(), b"")
}

/// A changed work order, with its version as `ETag`.
fn versioned(view: WorkOrderView) -> Answer<WorkOrderView> {
    let etag = etag(view.version);
    Answer::ok(view).with_etag(etag)
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body_fingerprint(&method, &uri), expected };
    let command = WorkOrderRef { work_order_id: path.work_order_id };
    pipeline::mutate(
        request,
        Guard::action(ActionName::StartWorkOrder),
        async |x| work_orders::start(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<CompleteWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = CompleteWorkOrder { work_order_id: path.work_order_id, completion: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::MarkWorkOrderComplete),
        async |x| work_orders::complete(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<DeferWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = DeferWorkOrder { work_order_id: path.work_order_id, deferral: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::DeferWorkOrder),
        async |x| work_orders::defer(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<CancelWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = CancelWorkOrder { work_order_id: path.work_order_id, cancellation: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::CancelWorkOrder),
        async |x| work_orders::cancel(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body_fingerprint(&method, &uri), expected };
    let command = WorkOrderRef { work_order_id: path.work_order_id };
    pipeline::mutate(
        request,
        Guard::action(ActionName::ReopenWorkOrder),
        async |x| work_orders::reopen(x, command).await,
        versioned,
    )
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
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = AssignWorkOrder { work_order_id: path.work_order_id, assignee: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::AssignWorkOrder),
        async |x| work_orders::assign(x, command).await,
        versioned,
    )
    .await
}
