//! Purchase requests: ask for parts, approve or reject (heads of department), mark ordered, and
//! receive them into stock.

use axum::Json;
use axum::http::{Method, Uri};
use axum::response::Response;
use pms_domain::ids::PurchaseRequestId;
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::purchase::{
    PurchaseAction, PurchaseRepo as _, PurchaseStatus, advance_purchase, request_purchase,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

pub use crate::dto::purchases::*;
use crate::error::{ApiError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::etag;
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::validation::Validation;

/// Path of one purchase request.
#[derive(Debug, Deserialize)]
pub struct PurchasePath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    request_id: Uuid,
}

/// Request parts (`order_part`; engineers and heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/purchase-requests",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of requesting twice.")),
    request_body = CreatePurchaseRequest,
    responses((status = CREATED, description = "Requested.", body = PurchaseRequestView)),
)]
pub async fn create(
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<CreatePurchaseRequest>,
) -> Result<Response, ApiError> {
    ctx.actor().require(ctx.actor().is_technical(), "order parts")?;
    let (part, quantity, reason) = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let request = request_purchase(mutation.tx(), &ctx.actor(), part, quantity, reason, crate::clock::now())
        .await
        .map_err(ApiError::from)?;
    let location = format!("/v1/yachts/{}/purchase-requests", ctx.yacht);
    mutation
        .commit(Answer::created(PurchaseRequestView::from(&request), location).with_etag(etag(request.version)))
        .await
}

/// Purchase-request filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PurchaseQuery {
    /// Comma-separated statuses, e.g. `requested,approved`.
    status: Option<String>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// Purchase requests, newest first (`view_purchase_requests`).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/purchase-requests",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), PurchaseQuery),
    responses((status = OK, description = "A page of purchase requests.", body = PurchaseRequestList)),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<PurchaseQuery>,
) -> Result<Json<PurchaseRequestList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let status = comma_list(&mut v, "status", query.status.as_deref(), |s| PurchaseStatus::parse(s).ok());
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.purchase_requests(&status, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(PurchaseRequestList {
        items: page.items.iter().map(PurchaseRequestView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

async fn advance(
    ctx: TenantCtx,
    path: PurchasePath,
    key: IdempotencyKey,
    request_fingerprint: [u8; 32],
    action: PurchaseAction,
    note: Option<String>,
) -> Result<Response, ApiError> {
    let actor = ctx.actor();
    actor.require(action.allowed(&actor), "move this purchase request on")?;
    let note = decision_note(note.as_deref())?;
    let mut mutation = crate::begin_mutation!(&ctx, key, request_fingerprint);
    let id = PurchaseRequestId::from_uuid(path.request_id);
    let request =
        advance_purchase(mutation.tx(), &actor, id, action, note, crate::clock::now()).await.map_err(ApiError::from)?;
    mutation.commit(Answer::ok(PurchaseRequestView::from(&request)).with_etag(etag(request.version))).await
}

/// Approve a requested purchase (`approve_purchase_request`; heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/purchase-requests/{request_id}/approve",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("request_id" = Uuid, Path, description = "The purchase request."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = DecisionRequest,
    responses(
        (status = OK, description = "Approved.", body = PurchaseRequestView),
        (status = CONFLICT, description = "`invalid_state_transition`: already decided.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn approve(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PurchasePath>,
    key: IdempotencyKey,
    body: JsonBody<DecisionRequest>,
) -> Result<Response, ApiError> {
    advance(ctx, path, key, body.fingerprint, PurchaseAction::Approve, body.value.note).await
}

/// Reject a requested purchase (heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/purchase-requests/{request_id}/reject",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("request_id" = Uuid, Path, description = "The purchase request."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = DecisionRequest,
    responses(
        (status = OK, description = "Rejected.", body = PurchaseRequestView),
        (status = CONFLICT, description = "`invalid_state_transition`: already decided.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reject(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PurchasePath>,
    key: IdempotencyKey,
    body: JsonBody<DecisionRequest>,
) -> Result<Response, ApiError> {
    advance(ctx, path, key, body.fingerprint, PurchaseAction::Reject, body.value.note).await
}

/// Mark an approved purchase as ordered from the supplier (heads of department).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/purchase-requests/{request_id}/ordered",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("request_id" = Uuid, Path, description = "The purchase request."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "Ordered.", body = PurchaseRequestView),
        (status = CONFLICT, description = "`invalid_state_transition`: not approved.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn ordered(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PurchasePath>,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    advance(ctx, path, key, fingerprint(method.as_str(), uri.path(), b""), PurchaseAction::MarkOrdered, None).await
}

/// Receive an ordered purchase: its quantity goes into stock through the ledger.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/purchase-requests/{request_id}/receive",
    tag = "parts",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("request_id" = Uuid, Path, description = "The purchase request."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of receiving twice.")),
    responses(
        (status = OK, description = "Received into stock.", body = PurchaseRequestView),
        (status = CONFLICT, description = "`invalid_state_transition`: not ordered.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn receive(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<PurchasePath>,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    advance(ctx, path, key, fingerprint(method.as_str(), uri.path(), b""), PurchaseAction::Receive, None).await
}
