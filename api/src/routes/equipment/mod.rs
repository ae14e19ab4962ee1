//! Equipment: the yacht's system hierarchy, status and running hours.

pub use crate::dto::equipment::*;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pms_domain::actions::ActionName;
use pms_domain::ids::EquipmentId;
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::equipment::{
    Criticality, EquipmentError, EquipmentFilter, EquipmentRepo as _, EquipmentSort, EquipmentStatus, create_equipment,
    require_manage, update_equipment,
};
use pms_domain::maintenance::paging::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::application;
use crate::application::equipment::RunningHours;
use crate::application::pipeline::{self, Guard, Request};
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::state::AppState;
use crate::validation::Validation;

/// Path of one piece of equipment.
#[derive(Debug, Deserialize)]
pub struct EquipmentPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    equipment_id: Uuid,
}

impl EquipmentPath {
    fn id(&self) -> EquipmentId {
        EquipmentId::from_uuid(self.equipment_id)
    }
}

fn location(ctx: &TenantCtx, id: EquipmentId) -> String {
    format!("/v1/yachts/{}/equipment/{id}", ctx.yacht)
}

/// Register a piece of equipment (engineers and heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/equipment",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of creating twice.")),
    request_body = CreateEquipmentRequest,
    responses(
        (status = CREATED, description = "Registered; `Location` and `ETag` are set.", body = EquipmentView),
        (status = CONFLICT, description = "`equipment_code_taken`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create(
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<CreateEquipmentRequest>,
) -> Result<Response, ApiError> {
    require_manage(&ctx.actor())?;
    let new = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let created =
        create_equipment(mutation.tx(), &ctx.actor(), new, crate::clock::now()).await.map_err(ApiError::from)?;
    let answer =
        Answer::created(EquipmentView::from(&created), location(&ctx, created.id)).with_etag(etag(created.version));
    mutation.commit(answer).await
}

/// List filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EquipmentQuery {
    /// Comma-separated statuses, e.g. `failed,degraded`.
    status: Option<String>,
    /// Comma-separated criticalities, e.g. `high,critical`.
    criticality: Option<String>,
    /// Only the direct components of this equipment.
    parent_id: Option<Uuid>,
    /// Only equipment at the top of the tree.
    roots_only: Option<bool>,
    /// Exact system, case-insensitive, e.g. `Propulsion`.
    #[param(max_length = 100)]
    system: Option<String>,
    /// Words or part of a code or name; tolerates typos.
    #[param(max_length = 200)]
    q: Option<String>,
    /// `code` (default), `name` or `-updated_at` (most recently changed first).
    sort: Option<String>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

impl EquipmentQuery {
    fn validate(self, paging: &Paging) -> Result<(EquipmentFilter, PageRequest), ApiError> {
        let mut v = Validation::default();
        v.page_limit(self.limit);
        let text = v.search_query(self.q.as_deref());
        let filter = EquipmentFilter {
            status: comma_list(&mut v, "status", self.status.as_deref(), |s| EquipmentStatus::parse(s).ok()),
            criticality: comma_list(&mut v, "criticality", self.criticality.as_deref(), |c| Criticality::parse(c).ok()),
            parent: self.parent_id.map(EquipmentId::from_uuid),
            roots_only: self.roots_only.unwrap_or(false),
            system: self.system.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
            text,
            sort: match self.sort.as_deref() {
                None => EquipmentSort::default(),
                Some(raw) => v
                    .check("sort", "invalid", EquipmentSort::parse(raw).ok_or("must be code, name or -updated_at"))
                    .unwrap_or_default(),
            },
        };
        v.finish()?;
        let after = paging.after(self.cursor.as_deref())?;
        Ok((filter, PageRequest::new(self.limit, after)))
    }
}

/// List the yacht's equipment with filters, sorting and cursor paging.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/equipment",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), EquipmentQuery),
    responses(
        (status = OK, description = "A page of equipment.", body = EquipmentList),
    ),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<EquipmentQuery>,
) -> Result<Json<EquipmentList>, ApiError> {
    let (filter, page) = query.validate(&paging)?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.list_equipment(&filter, &page).await?;
    tx.commit().await?;
    Ok(Json(EquipmentList {
        items: page.items.iter().map(EquipmentView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

/// One piece of equipment; its `ETag` is its version.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/equipment/{equipment_id}",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("equipment_id" = Uuid, Path, description = "The equipment.")),
    responses(
        (status = OK, description = "The equipment.", body = EquipmentView, headers(("ETag" = String, description = "The version, for If-Match."))),
    ),
)]
pub async fn get(ctx: TenantCtx, ApiPath(path): ApiPath<EquipmentPath>) -> Result<Response, ApiError> {
    let mut tx = ctx.store.begin().await?;
    let equipment = tx.equipment(path.id()).await?.ok_or_else(|| ApiError::from(EquipmentError::NotFound))?;
    tx.commit().await?;
    Ok(([(header::ETAG, etag(equipment.version))], Json(EquipmentView::from(&equipment))).into_response())
}

/// Change equipment details (a partial update; `null` clears an optional field).
///
/// With `If-Match`, applies only if the equipment is still at that version (else 412).
#[utoipa::path(
    patch,
    path = "/v1/yachts/{yacht_id}/equipment/{equipment_id}",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("equipment_id" = Uuid, Path, description = "The equipment."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = UpdateEquipmentRequest,
    responses(
        (status = OK, description = "The updated equipment.", body = EquipmentView),
        (status = CONFLICT, description = "`equipment_code_taken` or `invalid_state_transition` (decommissioned).", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`: changed since that version.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<EquipmentPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<UpdateEquipmentRequest>,
) -> Result<Response, ApiError> {
    require_manage(&ctx.actor())?;
    let changes = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let updated = update_equipment(mutation.tx(), &ctx.actor(), path.id(), expected, changes, crate::clock::now())
        .await
        .map_err(ApiError::from)?;
    mutation.commit(Answer::ok(EquipmentView::from(&updated)).with_etag(etag(updated.version))).await
}

/// Set the operational status (`update_equipment_status`). Decommissioning is final.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/equipment/{equipment_id}/status",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("equipment_id" = Uuid, Path, description = "The equipment."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = SetEquipmentStatusRequest,
    responses(
        (status = OK, description = "The equipment with its new status.", body = EquipmentView),
        (status = CONFLICT, description = "`invalid_state_transition`: decommissioned equipment.", body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn set_status(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<EquipmentPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<SetEquipmentStatusRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = application::equipment::EquipmentStatus { equipment_id: path.equipment_id, status: body.value };
    let guard = Guard::action(ActionName::UpdateEquipmentStatus);
    pipeline::mutate(
        request,
        guard,
        async |x| application::equipment::set_status(x, command).await,
        |view| {
            let etag = etag(view.version);
            Answer::ok(view).with_etag(etag)
        },
    )
    .await
}

/// Record a running-hours meter reading (`record_running_hours`).
///
/// Readings never go down over time unless `is_reset` says the meter was reset or replaced.
/// Work that the new reading brings due on this equipment is planned at once.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/equipment/{equipment_id}/running-hours",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("equipment_id" = Uuid, Path, description = "The equipment."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of recording twice.")),
    request_body = RecordRunningHoursRequest,
    responses(
        (status = CREATED, description = "Recorded.", body = RecordedReadingView),
        (status = CONFLICT, description = "`running_hours_not_monotonic` or `invalid_state_transition` (decommissioned).", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn record_hours(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<EquipmentPath>,
    key: IdempotencyKey,
    body: JsonBody<RecordRunningHoursRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = RunningHours { equipment_id: path.equipment_id, reading: body.value };
    let guard = Guard::action(ActionName::RecordRunningHours);
    pipeline::mutate(
        request,
        guard,
        async |x| application::equipment::record_hours(x, command).await,
        |view| {
            let location = format!("/v1/yachts/{}/equipment/{}/running-hours", ctx.yacht, view.equipment.id);
            Answer::created(view, location)
        },
    )
    .await
}

/// Paging of a history list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// The equipment's meter readings, newest first.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/equipment/{equipment_id}/running-hours",
    tag = "equipment",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("equipment_id" = Uuid, Path, description = "The equipment."), HistoryQuery),
    responses(
        (status = OK, description = "A page of readings.", body = ReadingList),
    ),
)]
pub async fn readings(
    paging: Paging,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<EquipmentPath>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<ReadingList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    tx.equipment(path.id()).await?.ok_or_else(|| ApiError::from(EquipmentError::NotFound))?;
    let page = tx.readings(path.id(), &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(ReadingList {
        items: page.items.iter().map(ReadingView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}
