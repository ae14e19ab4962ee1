//! Purchase requests: ask for parts, approve or reject (heads of department), mark ordered, and
//! receive them into stock.

use axum::Json;
use axum::http::{Method, Uri};
use axum::response::Response;
use chrono::{DateTime, Utc};
use pms_domain::ids::{PartId, PurchaseRequestId, UserId};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::part::Quantity;
use pms_domain::maintenance::purchase::{
    PurchaseAction, PurchaseError, PurchaseRepo as _, PurchaseRequest, PurchaseStatus, advance_purchase,
    request_purchase,
};
use pms_domain::maintenance::text::optional_line;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, FieldError, Problem};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::etag;
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::routes::parts::part_error;
use crate::validation::Validation;

/// A purchase request.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseRequestView {
    pub id: Uuid,
    pub part_id: Uuid,
    pub quantity: f64,
    pub reason: Option<String>,
    /// `requested`, `approved`, `rejected`, `ordered` or `received`.
    pub status: &'static str,
    pub requested_by: Uuid,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub ordered_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&PurchaseRequest> for PurchaseRequestView {
    fn from(p: &PurchaseRequest) -> Self {
        Self {
            id: p.id.as_uuid(),
            part_id: p.part.as_uuid(),
            quantity: p.quantity.as_f64(),
            reason: p.reason.clone(),
            status: p.status.as_str(),
            requested_by: p.requested_by.as_uuid(),
            decided_by: p.decided.map(|(u, _)| UserId::as_uuid(u)),
            decided_at: p.decided.map(|(_, at)| at),
            decision_note: p.decision_note.clone(),
            ordered_at: p.ordered_at,
            received_at: p.received_at,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseRequestList {
    pub items: Vec<PurchaseRequestView>,
    pub next_cursor: Option<String>,
}

/// Parts to buy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"part_id": "0193a5f2-4c00-7000-8000-000000000501", "quantity": 10, "reason": "Below minimum after oil changes"}))]
pub struct CreatePurchaseRequest {
    pub part_id: Uuid,
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 1000)]
    pub reason: Option<String>,
}

/// A note on the decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 1000)]
    pub note: Option<String>,
}

/// Path of one purchase request.
#[derive(Debug, Deserialize)]
pub struct PurchasePath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    request_id: Uuid,
}

impl CreatePurchaseRequest {
    /// The part, how many and why.
    pub fn validate(&self) -> Result<(PartId, Quantity, Option<String>), ApiError> {
        let mut v = Validation::default();
        let quantity = v.check("quantity", "invalid", Quantity::from_f64(self.quantity));
        let reason = v.check("reason", "invalid", optional_line(self.reason.as_deref(), 1000)).flatten();
        v.finish()?;
        Ok((PartId::from_uuid(self.part_id), quantity.expect("validated"), reason))
    }
}

/// A decision's optional note.
pub(crate) fn decision_note(note: Option<&str>) -> Result<Option<String>, ApiError> {
    let mut v = Validation::default();
    let note = v.check("note", "invalid", optional_line(note, 1000)).flatten();
    v.finish()?;
    Ok(note)
}

pub(crate) fn purchase_error(error: PurchaseError) -> ApiError {
    match error {
        PurchaseError::Denied(denied) => denied.into(),
        PurchaseError::NotFound => {
            ApiError::new(ErrorCode::NotFound, "No purchase request with this id on this yacht.")
        }
        PurchaseError::PartNotFound => ApiError::validation(vec![FieldError {
            field: "part_id".to_owned(),
            code: "not_found".to_owned(),
            message: error.to_string(),
        }]),
        PurchaseError::ZeroQuantity => ApiError::validation(vec![FieldError {
            field: "quantity".to_owned(),
            code: "out_of_range".to_owned(),
            message: error.to_string(),
        }]),
        PurchaseError::InvalidTransition { .. } => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
        PurchaseError::Stock(e) => part_error(e),
        PurchaseError::Store(e) => e.into(),
    }
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
        .map_err(purchase_error)?;
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
        advance_purchase(mutation.tx(), &actor, id, action, note, crate::clock::now()).await.map_err(purchase_error)?;
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
