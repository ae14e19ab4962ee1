//! Work orders: planning, one endpoint per status change, assignment, hours and checklists.

mod tasks;
mod transitions;

pub use crate::dto::work_orders::*;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pms_domain::actions::ActionName;
use pms_domain::ids::{EquipmentId, FaultId, ScheduleId, UserId, WorkOrderId};
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::work_order::{
    Priority, WorkOrderError, WorkOrderFilter, WorkOrderRepo as _, WorkOrderSort, WorkOrderStatus, edit_work_order,
    require_technical,
};
use serde::Deserialize;
pub use tasks::*;
pub use transitions::*;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::application;
use crate::application::faults::FaultWorkOrder;
use crate::application::pipeline::{self, Guard, Request};
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::dates::CalendarDate;
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::state::AppState;
use crate::validation::Validation;

/// Path of one work order.
#[derive(Debug, Deserialize)]
pub struct WorkOrderPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    work_order_id: Uuid,
}

/// Path of one checklist item.
#[derive(Debug, Deserialize)]
#[allow(clippy::struct_field_names, reason = "named after the path parameters")]
pub struct ChecklistItemPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    work_order_id: Uuid,
    item_id: Uuid,
}

/// Path of the fault a work order is created for.
#[derive(Debug, Deserialize)]
pub struct FaultWorkOrderPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    fault_id: Uuid,
}

/// Plan work (`create_work_order`; engineers and heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of creating twice.")),
    request_body = CreateWorkOrderRequest,
    responses((status = CREATED, description = "Planned; `Location` and `ETag` are set.", body = WorkOrderView)),
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<CreateWorkOrderRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = body.value;
    let guard = Guard::action(ActionName::CreateWorkOrder);
    pipeline::mutate(
        request,
        guard,
        async |x| application::work_orders::create(x, command).await,
        |view| {
            let (etag, location) = (etag(view.version), format!("/v1/yachts/{}/work-orders/{}", ctx.yacht, view.id));
            Answer::created(view, location).with_etag(etag)
        },
    )
    .await
}

/// Create the corrective work order for a fault (`create_work_order_from_fault`).
///
/// Moves the fault to `in_progress`. Refused with 409 `work_order_exists_for_fault` while another
/// active work order handles the fault, unless `allow_duplicate` is true.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}/work-order",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of creating twice.")),
    request_body = FromFaultRequest,
    responses(
        (status = CREATED, description = "Created, with the fault it now handles.", body = WorkOrderFromFaultView),
        (status = CONFLICT, description = "`work_order_exists_for_fault`, or `invalid_state_transition` for a closed fault.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn from_fault(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultWorkOrderPath>,
    key: IdempotencyKey,
    body: JsonBody<FromFaultRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = FaultWorkOrder { fault_id: path.fault_id, work_order: body.value };
    let guard = Guard::action(ActionName::CreateWorkOrderFromFault);
    pipeline::mutate(
        request,
        guard,
        async |x| application::faults::work_order_from_fault(x, command).await,
        |view| {
            let location = format!("/v1/yachts/{}/work-orders/{}", ctx.yacht, view.work_order.id);
            Answer::created(view, location)
        },
    )
    .await
}

/// Work-order list filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkOrderQuery {
    /// Comma-separated statuses, e.g. `planned,in_progress`.
    status: Option<String>,
    /// Comma-separated priorities, e.g. `critical,emergency`.
    priority: Option<String>,
    equipment_id: Option<Uuid>,
    fault_id: Option<Uuid>,
    /// Only the work orders this schedule planned.
    schedule_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    /// Due before this date.
    due_before: Option<CalendarDate>,
    /// Due on or after this date.
    due_after: Option<CalendarDate>,
    /// Words of the title, description or number; tolerates typos.
    #[param(max_length = 200)]
    q: Option<String>,
    /// `-created_at` (newest first, the default), `due_on` (soonest first, undated last) or `number`.
    sort: Option<String>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// List the yacht's work orders.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/work-orders",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), WorkOrderQuery),
    responses((status = OK, description = "A page of work orders.", body = WorkOrderList)),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<WorkOrderQuery>,
) -> Result<Json<WorkOrderList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let text = v.search_query(query.q.as_deref());
    let sort = match query.sort.as_deref() {
        None => WorkOrderSort::default(),
        Some(raw) => v
            .check("sort", "invalid", WorkOrderSort::parse(raw).ok_or("must be -created_at, due_on or number"))
            .unwrap_or_default(),
    };
    let filter = WorkOrderFilter {
        status: comma_list(&mut v, "status", query.status.as_deref(), |s| WorkOrderStatus::parse(s).ok()),
        priority: comma_list(&mut v, "priority", query.priority.as_deref(), |p| Priority::parse(p).ok()),
        equipment: query.equipment_id.map(EquipmentId::from_uuid),
        fault: query.fault_id.map(FaultId::from_uuid),
        schedule: query.schedule_id.map(ScheduleId::from_uuid),
        assignee: query.assignee_id.map(UserId::from_uuid),
        due_before: query.due_before.map(|d| d.0),
        due_after: query.due_after.map(|d| d.0),
        text,
        sort,
    };
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.list_work_orders(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(WorkOrderList {
        items: page.items.iter().map(WorkOrderView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

/// One work order with its checklist; its `ETag` is its version.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order.")),
    responses((status = OK, description = "The work order.", body = WorkOrderDetail, headers(("ETag" = String, description = "The version, for If-Match.")))),
)]
pub async fn get(ctx: TenantCtx, ApiPath(path): ApiPath<WorkOrderPath>) -> Result<Response, ApiError> {
    let id = WorkOrderId::from_uuid(path.work_order_id);
    let mut tx = ctx.store.begin().await?;
    let work_order = tx.work_order(id).await?.ok_or_else(|| ApiError::from(WorkOrderError::NotFound))?;
    let checklist = tx.checklist(id).await?;
    tx.commit().await?;
    let detail =
        WorkOrderDetail { work_order: (&work_order).into(), checklist: checklist.iter().map(Into::into).collect() };
    Ok(([(header::ETAG, etag(work_order.version))], Json(detail)).into_response())
}

/// Change the details of unfinished work (a partial update; engineers and heads of department).
///
/// With `If-Match`, applies only if the work order is still at that version (else 412).
#[utoipa::path(
    patch,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = UpdateWorkOrderRequest,
    responses(
        (status = OK, description = "The updated work order.", body = WorkOrderView),
        (status = CONFLICT, description = "`invalid_state_transition`: completed or cancelled work is not edited.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<UpdateWorkOrderRequest>,
) -> Result<Response, ApiError> {
    require_technical(&ctx.actor())?;
    let edits = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let id = WorkOrderId::from_uuid(path.work_order_id);
    let updated = edit_work_order(mutation.tx(), &ctx.actor(), id, expected, edits, crate::clock::now())
        .await
        .map_err(ApiError::from)?;
    mutation.commit(Answer::ok(WorkOrderView::from(&updated)).with_etag(etag(updated.version))).await
}
