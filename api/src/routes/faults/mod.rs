//! Faults: reported by anyone aboard; acknowledged, resolved, marked false alarms or reopened by
//! engineers and heads of department, one endpoint per transition.

mod dto;

use axum::Json;
use axum::http::{Method, Uri, header};
use axum::response::{IntoResponse, Response};
pub use dto::*;
use pms_domain::ids::{EquipmentId, FaultId};
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::fault::{
    FaultChange, FaultCode, FaultError, FaultFilter, FaultRepo as _, FaultSeverity, FaultStatus, change_fault,
    edit_fault, report_fault, require_handle,
};
use pms_domain::maintenance::paging::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, FieldError};
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::validation::Validation;

/// Path of one fault.
#[derive(Debug, Deserialize)]
pub struct FaultPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    fault_id: Uuid,
}

pub(crate) fn fault_error(error: FaultError) -> ApiError {
    match error {
        FaultError::Denied(denied) => denied.into(),
        FaultError::NotFound => ApiError::new(ErrorCode::NotFound, "No fault with this id on this yacht."),
        FaultError::EquipmentNotFound => ApiError::validation(vec![FieldError {
            field: "equipment_id".to_owned(),
            code: "not_found".to_owned(),
            message: error.to_string(),
        }]),
        FaultError::InvalidTransition { .. } => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
        FaultError::StaleVersion { .. } => ApiError::new(ErrorCode::PreconditionFailed, error.to_string()),
        FaultError::Store(e) => e.into(),
    }
}

/// Report a fault (`report_fault`; any member).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of reporting twice.")),
    request_body = ReportFaultRequest,
    responses((status = CREATED, description = "Reported; `Location` and `ETag` are set.", body = FaultView)),
)]
pub async fn report(
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<ReportFaultRequest>,
) -> Result<Response, ApiError> {
    let new = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let fault = report_fault(mutation.tx(), &ctx.actor(), new, crate::clock::now()).await.map_err(fault_error)?;
    let location = format!("/v1/yachts/{}/faults/{}", ctx.yacht, fault.id);
    mutation.commit(Answer::created(FaultView::from(&fault), location).with_etag(etag(fault.version))).await
}

/// Fault list filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FaultQuery {
    /// Comma-separated statuses, e.g. `open,acknowledged`.
    status: Option<String>,
    /// Comma-separated severities, e.g. `high,critical`.
    severity: Option<String>,
    equipment_id: Option<Uuid>,
    /// A fault code, matched after normalising (`e047` finds `E047`).
    #[param(max_length = 40)]
    code: Option<String>,
    /// Words of the title, description or code; tolerates typos.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Reported at or after this time.
    reported_after: Option<chrono::DateTime<chrono::Utc>>,
    /// Reported before this time.
    reported_before: Option<chrono::DateTime<chrono::Utc>>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// List the yacht's faults, newest first.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/faults",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), FaultQuery),
    responses((status = OK, description = "A page of faults.", body = FaultList)),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<FaultQuery>,
) -> Result<Json<FaultList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let text = v.search_query(query.q.as_deref());
    let filter = FaultFilter {
        status: comma_list(&mut v, "status", query.status.as_deref(), |s| FaultStatus::parse(s).ok()),
        severity: comma_list(&mut v, "severity", query.severity.as_deref(), |s| FaultSeverity::parse(s).ok()),
        equipment: query.equipment_id.map(EquipmentId::from_uuid),
        code: query
            .code
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .and_then(|c| v.check("code", "invalid", FaultCode::parse(c))),
        text,
        reported_after: query.reported_after,
        reported_before: query.reported_before,
    };
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.list_faults(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(FaultList {
        items: page.items.iter().map(FaultView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

/// One fault; its `ETag` is its version.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault.")),
    responses((status = OK, description = "The fault.", body = FaultView, headers(("ETag" = String, description = "The version, for If-Match.")))),
)]
pub async fn get(ctx: TenantCtx, ApiPath(path): ApiPath<FaultPath>) -> Result<Response, ApiError> {
    let mut tx = ctx.store.begin().await?;
    let fault = tx.fault(FaultId::from_uuid(path.fault_id)).await?.ok_or_else(|| fault_error(FaultError::NotFound))?;
    tx.commit().await?;
    Ok(([(header::ETAG, etag(fault.version))], Json(FaultView::from(&fault))).into_response())
}

/// Correct an active fault's details (a partial update): engineers and heads of department, or
/// whoever reported it while it is still open.
///
/// With `If-Match`, applies only if the fault is still at that version (else 412).
#[utoipa::path(
    patch,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = UpdateFaultRequest,
    responses(
        (status = OK, description = "The corrected fault.", body = FaultView),
        (status = CONFLICT, description = "`invalid_state_transition`: a closed fault is not edited.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<UpdateFaultRequest>,
) -> Result<Response, ApiError> {
    // Who may edit depends on the fault (its reporter, while open): the use case decides.
    let edits = body.value.validate()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, body.fingerprint);
    let id = FaultId::from_uuid(path.fault_id);
    let fault =
        edit_fault(mutation.tx(), &ctx.actor(), id, expected, edits, crate::clock::now()).await.map_err(fault_error)?;
    mutation.commit(Answer::ok(FaultView::from(&fault)).with_etag(etag(fault.version))).await
}

/// Runs one transition as a mutation: role first, then the body's meaning, then the change.
async fn transition(
    ctx: TenantCtx,
    path: FaultPath,
    expected: ExpectedVersion,
    key: IdempotencyKey,
    request_fingerprint: [u8; 32],
    change: impl FnOnce() -> Result<FaultChange, ApiError>,
) -> Result<Response, ApiError> {
    require_handle(&ctx.actor())?;
    let change = change()?;
    let mut mutation = crate::begin_mutation!(&ctx, key, request_fingerprint);
    let fault = change_fault(
        mutation.tx(),
        &ctx.actor(),
        FaultId::from_uuid(path.fault_id),
        expected,
        change,
        crate::clock::now(),
    )
    .await
    .map_err(fault_error)?;
    mutation.commit(Answer::ok(FaultView::from(&fault)).with_etag(etag(fault.version))).await
}

/// Acknowledge a fault (`acknowledge_fault`): someone is on it.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}/acknowledge",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "Acknowledged.", body = FaultView),
        (status = CONFLICT, description = "`invalid_state_transition`: only an open fault can be acknowledged.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn acknowledge(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let print = fingerprint(method.as_str(), uri.path(), b"");
    transition(ctx, path, expected, key, print, || Ok(FaultChange::Acknowledge)).await
}

/// Resolve a fault (`close_fault`), saying how it was fixed.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}/resolve",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = ResolveFaultRequest,
    responses(
        (status = OK, description = "Resolved.", body = FaultView),
        (status = CONFLICT, description = "`invalid_state_transition`: already resolved or a false alarm.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn resolve(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<ResolveFaultRequest>,
) -> Result<Response, ApiError> {
    let resolution = body.value.resolution;
    transition(ctx, path, expected, key, body.fingerprint, || {
        Ok(FaultChange::Resolve { resolution: explanation("resolution", &resolution)? })
    })
    .await
}

/// Mark a fault a false alarm (`mark_fault_false_alarm`), saying why.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}/false-alarm",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    request_body = FalseAlarmRequest,
    responses(
        (status = OK, description = "Marked a false alarm.", body = FaultView),
        (status = CONFLICT, description = "`invalid_state_transition`: only open or acknowledged faults.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn false_alarm(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<FalseAlarmRequest>,
) -> Result<Response, ApiError> {
    let reason = body.value.reason;
    transition(ctx, path, expected, key, body.fingerprint, || {
        Ok(FaultChange::MarkFalseAlarm { reason: explanation("reason", &reason)? })
    })
    .await
}

/// Reopen a resolved fault or a false alarm (`reopen_fault`).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/faults/{fault_id}/reopen",
    tag = "faults",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("fault_id" = Uuid, Path, description = "The fault."),
        ("If-Match" = Option<String>, Header, description = "The ETag the change is based on."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response.")),
    responses(
        (status = OK, description = "Open again.", body = FaultView),
        (status = CONFLICT, description = "`invalid_state_transition`: the fault is still active.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, description = "`precondition_failed`.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reopen(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let print = fingerprint(method.as_str(), uri.path(), b"");
    transition(ctx, path, expected, key, print, || Ok(FaultChange::Reopen)).await
}
