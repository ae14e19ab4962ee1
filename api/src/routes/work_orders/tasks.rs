//! Doing the work: hours logged and the checklist.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::Response;
use pms_domain::actions::ActionName;
use pms_domain::ids::WorkOrderId;
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::work_order::{add_checklist_item, require_technical};

use super::transitions::body_fingerprint;
use super::{
    AddChecklistItemRequest, ChecklistItemPath, ChecklistItemView, LogHoursRequest, LoggedHoursView, WorkOrderPath,
};
use crate::application::pipeline::{self, Guard, Request};
use crate::application::work_orders::{self, ChecklistTick, WorkOrderHours};
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::path::ApiPath;
use crate::mutation::Answer;
use crate::state::AppState;
use crate::validation::Validation;

/// Log hours of work on work in progress (`log_work_order_hours`).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/hours",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of logging twice.")),
    request_body = LogHoursRequest,
    responses(
        (status = CREATED, description = "Logged.", body = LoggedHoursView),
        (status = CONFLICT, description = "`invalid_state_transition`: the work is not in progress.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn hours(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    key: IdempotencyKey,
    body: JsonBody<LogHoursRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = WorkOrderHours { work_order_id: path.work_order_id, hours: body.value };
    let guard = Guard::action(ActionName::LogWorkOrderHours);
    pipeline::mutate(
        request,
        guard,
        async |x| work_orders::hours(x, command).await,
        |view| {
            let location = format!("/v1/yachts/{}/work-orders/{}", ctx.yacht, path.work_order_id);
            Answer::created(view, location)
        },
    )
    .await
}

/// Add a checklist item to open work.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/checklist",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of adding twice.")),
    request_body = AddChecklistItemRequest,
    responses(
        (status = CREATED, description = "Added at the end.", body = ChecklistItemView),
        (status = CONFLICT, description = "`invalid_state_transition`: completed or cancelled work.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn add_item(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<WorkOrderPath>,
    key: IdempotencyKey,
    body: JsonBody<AddChecklistItemRequest>,
) -> Result<Response, ApiError> {
    require_technical(&ctx.actor())?;
    let mut v = Validation::default();
    let text = v.check("text", "invalid", pms_domain::maintenance::text::line(&body.value.text, 500));
    v.finish()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let id = WorkOrderId::from_uuid(path.work_order_id);
    let item =
        add_checklist_item(mutation.tx(), &ctx.actor(), id, text.expect("validated")).await.map_err(ApiError::from)?;
    let location = format!("/v1/yachts/{}/work-orders/{id}", ctx.yacht);
    mutation.commit(Answer::created(ChecklistItemView::from(&item), location)).await
}

/// Tick a checklist item during the work (`mark_checklist_item_complete`; anyone aboard).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/checklist/{item_id}/complete",
    tag = "work orders",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("work_order_id" = Uuid, Path, description = "The work order."),
        ("item_id" = Uuid, Path, description = "The checklist item."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "Ticked (ticking a ticked item changes nothing).", body = ChecklistItemView),
        (status = CONFLICT, description = "`invalid_state_transition`: the work is not in progress.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn complete_item(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<ChecklistItemPath>,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let fingerprint = body_fingerprint(&method, &uri);
    let request = Request { state: &state, ctx: &ctx, key, fingerprint, expected: ExpectedVersion::ANY };
    let command = ChecklistTick { work_order_id: path.work_order_id, item_id: path.item_id };
    let guard = Guard::action(ActionName::MarkChecklistItemComplete);
    pipeline::mutate(request, guard, async |x| work_orders::tick(x, command).await, Answer::ok).await
}
