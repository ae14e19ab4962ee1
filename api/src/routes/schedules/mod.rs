//! Planned-maintenance schedules: define them, see what is due, and plan the due work.

pub use crate::dto::schedules::*;
use axum::Json;
use axum::http::{Method, Uri, header};
use axum::response::{IntoResponse, Response};
use pms_domain::ids::{EquipmentId, ScheduleId};
use pms_domain::maintenance::equipment::EquipmentRepo as _;
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::schedule::{
    ScheduleError, ScheduleFilter, ScheduleRepo as _, ScheduleSort, create_schedule, plan_due_work, require_schedule,
    update_schedule,
};
use pms_domain::maintenance::work_order::require_technical;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::application::maintenance::due_schedules;
use crate::clock::today;
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::dates::CalendarDate;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::http::query::ApiQuery;
use crate::mutation::Answer;
use crate::routes::work_orders::WorkOrderView;
use crate::validation::Validation;

/// Path of one schedule.
#[derive(Debug, Deserialize)]
pub struct SchedulePath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    schedule_id: Uuid,
}

/// Define a schedule (`schedule_maintenance`; heads of department).
///
/// It counts from `last_done_on` / `last_done_hours`, by default today and the equipment's
/// current meter reading. The scheduler plans a work order when it comes due.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/schedules",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of creating twice.")),
    request_body = CreateScheduleRequest,
    responses((status = CREATED, description = "Defined; `Location` and `ETag` are set.", body = ScheduleView)),
)]
pub async fn create(
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<CreateScheduleRequest>,
) -> Result<Response, ApiError> {
    require_schedule(&ctx.actor())?;
    let new = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let created =
        create_schedule(mutation.tx(), &ctx.actor(), new, crate::clock::now()).await.map_err(ApiError::from)?;
    let location = format!("/v1/yachts/{}/schedules/{}", ctx.yacht, created.schedule.id);
    let view = ScheduleView::metered(&created, today());
    mutation.commit(Answer::created(view, location).with_etag(etag(created.schedule.version))).await
}

/// Schedule list filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScheduleQuery {
    equipment_id: Option<Uuid>,
    /// Only active (`true`) or inactive (`false`) schedules.
    active: Option<bool>,
    /// Next due by the calendar on or before this date.
    due_before: Option<CalendarDate>,
    /// Words of the title or description; tolerates typos.
    #[param(max_length = 200)]
    q: Option<String>,
    /// `next_due_on` (the default; hours-only schedules last), `title` or `-created_at`.
    sort: Option<String>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// List the yacht's schedules.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/schedules",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ScheduleQuery),
    responses((status = OK, description = "A page of schedules.", body = ScheduleList)),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<ScheduleQuery>,
) -> Result<Json<ScheduleList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let text = v.search_query(query.q.as_deref());
    let sort = match query.sort.as_deref() {
        None => ScheduleSort::default(),
        Some(raw) => v
            .check("sort", "invalid", ScheduleSort::parse(raw).ok_or("must be next_due_on, title or -created_at"))
            .unwrap_or_default(),
    };
    v.finish()?;
    let filter = ScheduleFilter {
        equipment: query.equipment_id.map(EquipmentId::from_uuid),
        active: query.active,
        due_before: query.due_before.map(|d| d.0),
        text,
        sort,
    };
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.list_schedules(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    let today = today();
    Ok(Json(ScheduleList {
        items: page.items.iter().map(|m| ScheduleView::metered(m, today)).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

/// Which due schedules to show.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueQuery {
    equipment_id: Option<Uuid>,
    /// Also show schedules due by the calendar within this many days, beyond their lead time
    /// (0 to 365, default 0).
    #[param(minimum = 0, maximum = 365)]
    within_days: Option<u32>,
}

/// The schedules that are due (`view_maintenance_due`): within their lead time by date or
/// running hours, overdue first, each with the work order it planned, if any.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/schedules/due",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), DueQuery),
    responses((status = OK, description = "Every due schedule (not paged: a yacht has at most a few hundred).", body = DueScheduleList)),
)]
pub async fn due(ctx: TenantCtx, ApiQuery(query): ApiQuery<DueQuery>) -> Result<Json<DueScheduleList>, ApiError> {
    let mut v = Validation::default();
    let within = query.within_days.unwrap_or(0);
    v.require(within <= 365, "within_days", "out_of_range", "must be 0 to 365");
    v.finish()?;
    let equipment = query.equipment_id.map(EquipmentId::from_uuid);
    let mut tx = ctx.store.begin().await?;
    let list = due_schedules(&mut tx, equipment, within).await?;
    tx.commit().await?;
    Ok(Json(list))
}

/// Plan the work that has come due now (engineers and heads of department).
///
/// The scheduler (`pipeline-core scheduler run`) does this for every yacht; this runs it for
/// one, at once. Running it again plans nothing twice: a schedule has at most one open work order.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/schedules/plan-due",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses((status = OK, description = "The work orders planned by this run (often none).", body = PlannedWorkList)),
)]
pub async fn plan_due(ctx: TenantCtx, key: IdempotencyKey, method: Method, uri: Uri) -> Result<Response, ApiError> {
    require_technical(&ctx.actor())?;
    let mut mutation = crate::begin_mutation!(&ctx, key, fingerprint(method.as_str(), uri.path(), b""));
    let planned =
        plan_due_work(mutation.tx(), &ctx.actor(), None, crate::clock::now()).await.map_err(ApiError::from)?;
    mutation.commit(Answer::ok(PlannedWorkList { items: planned.iter().map(WorkOrderView::from).collect() })).await
}

/// One schedule; its `ETag` is its version.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/schedules/{schedule_id}",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("schedule_id" = Uuid, Path, description = "The schedule.")),
    responses((status = OK, description = "The schedule.", body = ScheduleView, headers(("ETag" = String, description = "The version, for If-Match.")))),
)]
pub async fn get(ctx: TenantCtx, ApiPath(path): ApiPath<SchedulePath>) -> Result<Response, ApiError> {
    let mut tx = ctx.store.begin().await?;
    let id = ScheduleId::from_uuid(path.schedule_id);
    let schedule = tx.schedule(id).await?.ok_or_else(|| ApiError::from(ScheduleError::NotFound))?;
    let hours = tx.equipment(schedule.equipment).await?.and_then(|e| e.running_hours).map(|(h, _)| h);
    tx.commit().await?;
    let view = ScheduleView::new(&schedule, hours, today());
    Ok(([(header::ETAG, etag(schedule.version))], Json(view)).into_response())
}

/// Change a schedule (a partial update; heads of department): its details, interval, lead time, when it was last
/// done, or whether it is active.
///
/// With `If-Match`, applies only if the schedule is still at that version (else 412).
#[utoipa::path(
    patch,
    path = "/v1/yachts/{yacht_id}/schedules/{schedule_id}",
    tag = "schedules",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("schedule_id" = Uuid, Path, description = "The schedule."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = UpdateScheduleRequest,
    responses(
        (status = OK, description = "The updated schedule.", body = ScheduleView),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`: changed since that version.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<SchedulePath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<UpdateScheduleRequest>,
) -> Result<Response, ApiError> {
    require_schedule(&ctx.actor())?;
    let changes = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let id = ScheduleId::from_uuid(path.schedule_id);
    let updated = update_schedule(mutation.tx(), &ctx.actor(), id, expected, changes, crate::clock::now())
        .await
        .map_err(ApiError::from)?;
    let hours = mutation.tx().equipment(updated.equipment).await?.and_then(|e| e.running_hours).map(|(h, _)| h);
    let view = ScheduleView::new(&updated, hours, today());
    mutation.commit(Answer::ok(view).with_etag(etag(updated.version))).await
}
