//! Spare parts and their stock ledger: register, receive, consume (on a work order), return,
//! adjust to a count, low-stock list and barcode lookup.

pub use crate::dto::parts::*;
use axum::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pms_domain::ids::{PartId, WorkOrderId};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::part::{
    PartError, PartFilter, PartRepo as _, StockChange, change_stock, create_part, require_adjust, require_stock,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::path::ApiPath;
use crate::http::precondition::etag;
use crate::http::query::ApiQuery;
use crate::mutation::Answer;
use crate::validation::Validation;

/// Path of one part.
#[derive(Debug, Deserialize)]
pub struct PartPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    part_id: Uuid,
}

/// Register a spare part (engineers and heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/parts",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of creating twice.")),
    request_body = CreatePartRequest,
    responses(
        (status = CREATED, description = "Registered with nothing on hand.", body = PartView),
        (status = CONFLICT, description = "`part_number_taken`: the number or barcode is in use.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create(
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<CreatePartRequest>,
) -> Result<Response, ApiError> {
    require_stock(&ctx.actor())?;
    let new = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let part = create_part(mutation.tx(), &ctx.actor(), new, crate::clock::now()).await.map_err(ApiError::from)?;
    let location = format!("/v1/yachts/{}/parts/{}", ctx.yacht, part.id);
    mutation.commit(Answer::created(PartView::from(&part), location).with_etag(etag(part.version))).await
}

/// Part list filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartQuery {
    /// Words of the number, name, manufacturer or barcode; tolerates typos.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only parts at or below their minimum (`view_low_stock`).
    low_stock: Option<bool>,
    /// The part with exactly this barcode (`scan_part_barcode`).
    #[param(max_length = 100)]
    barcode: Option<String>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// List parts by number.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/parts",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), PartQuery),
    responses((status = OK, description = "A page of parts.", body = PartList)),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<PartQuery>,
) -> Result<Json<PartList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let text = v.search_query(query.q.as_deref());
    v.finish()?;
    let filter = PartFilter {
        text,
        low_stock_only: query.low_stock.unwrap_or(false),
        barcode: query.barcode.map(|b| b.trim().to_owned()).filter(|b| !b.is_empty()),
    };
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.list_parts(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(PartList {
        items: page.items.iter().map(PartView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

/// One part and its stock.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part.")),
    responses((status = OK, description = "The part.", body = PartView, headers(("ETag" = String, description = "The version.")))),
)]
pub async fn get(ctx: TenantCtx, ApiPath(path): ApiPath<PartPath>) -> Result<Response, ApiError> {
    let mut tx = ctx.store.begin().await?;
    let part = tx.part(PartId::from_uuid(path.part_id)).await?.ok_or_else(|| ApiError::from(PartError::NotFound))?;
    tx.commit().await?;
    Ok(([(header::ETAG, etag(part.version))], Json(PartView::from(&part))).into_response())
}

async fn stock_change(
    ctx: TenantCtx,
    path: PartPath,
    key: IdempotencyKey,
    request_fingerprint: [u8; 32],
    change: StockChange,
    note: Option<String>,
) -> Result<Response, ApiError> {
    let mut mutation = crate::begin_mutation!(&ctx, key, request_fingerprint);
    let (part, movement) =
        change_stock(mutation.tx(), &ctx.actor(), PartId::from_uuid(path.part_id), change, note, crate::clock::now())
            .await
            .map_err(ApiError::from)?;
    let view = StockChangeView { part: (&part).into(), movement: (&movement).into() };
    mutation.commit(Answer::ok(view).with_etag(etag(part.version))).await
}

/// Receive stock (`receive_part`).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}/receive",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of receiving twice.")),
    request_body = ReceiveStockRequest,
    responses((status = OK, description = "Received.", body = StockChangeView)),
)]
pub async fn receive(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PartPath>,
    key: IdempotencyKey,
    body: JsonBody<ReceiveStockRequest>,
) -> Result<Response, ApiError> {
    require_stock(&ctx.actor())?;
    let (quantity, note) = movement(body.value.quantity, body.value.note.as_deref())?;
    stock_change(ctx, path, key, body.fingerprint, StockChange::Receive { quantity }, note).await
}

/// Consume stock (`log_part_usage`, `add_parts_to_work_order`), optionally on a work order.
///
/// Refused with 409 `insufficient_stock` when fewer are on hand; two consumptions of the last
/// unit never both succeed.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}/consume",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of consuming twice.")),
    request_body = ConsumeStockRequest,
    responses(
        (status = OK, description = "Consumed.", body = StockChangeView),
        (status = CONFLICT, description = "`insufficient_stock`, or `invalid_state_transition` for a finished work order.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn consume(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PartPath>,
    key: IdempotencyKey,
    body: JsonBody<ConsumeStockRequest>,
) -> Result<Response, ApiError> {
    require_stock(&ctx.actor())?;
    let (quantity, note) = movement(body.value.quantity, body.value.note.as_deref())?;
    let work_order = body.value.work_order_id.map(WorkOrderId::from_uuid);
    stock_change(ctx, path, key, body.fingerprint, StockChange::Consume { quantity, work_order }, note).await
}

/// Return unused stock from the work order it was issued to.
///
/// At most what was consumed on that work order and not yet returned (409
/// `return_exceeds_issued` otherwise); stock that did not come from a work order is received
/// (`…/receive`) or counted (`…/adjust`).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}/return",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = ReturnStockRequest,
    responses(
        (status = OK, description = "Returned to stock.", body = StockChangeView),
        (status = CONFLICT, description = "`return_exceeds_issued`: more than the work order holds of this part.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn return_stock(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PartPath>,
    key: IdempotencyKey,
    body: JsonBody<ReturnStockRequest>,
) -> Result<Response, ApiError> {
    require_stock(&ctx.actor())?;
    let (quantity, note) = movement(body.value.quantity, body.value.note.as_deref())?;
    let work_order = WorkOrderId::from_uuid(body.value.work_order_id);
    stock_change(ctx, path, key, body.fingerprint, StockChange::Return { quantity, work_order }, note).await
}

/// Set stock to a counted quantity (`adjust_stock`; heads of department, with a reason).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}/adjust",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = AdjustStockRequest,
    responses((status = OK, description = "Adjusted; the movement records the difference.", body = StockChangeView)),
)]
pub async fn adjust(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PartPath>,
    key: IdempotencyKey,
    body: JsonBody<AdjustStockRequest>,
) -> Result<Response, ApiError> {
    require_adjust(&ctx.actor())?;
    let (change, reason) = body.value.validate()?;
    stock_change(ctx, path, key, body.fingerprint, change, Some(reason)).await
}

/// Paging of the ledger.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementQuery {
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// The part's stock ledger, newest first (`view_part_usage`).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/parts/{part_id}/movements",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("part_id" = Uuid, Path, description = "The part."), MovementQuery),
    responses((status = OK, description = "A page of movements.", body = MovementList)),
)]
pub async fn movements(
    paging: Paging,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PartPath>,
    ApiQuery(query): ApiQuery<MovementQuery>,
) -> Result<Json<MovementList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let id = PartId::from_uuid(path.part_id);
    let mut tx = ctx.store.begin().await?;
    tx.part(id).await?.ok_or_else(|| ApiError::from(PartError::NotFound))?;
    let page = tx.movements(id, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(MovementList {
        items: page.items.iter().map(MovementView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}
