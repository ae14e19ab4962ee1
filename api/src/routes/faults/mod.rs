//! Faults: reported by anyone aboard; acknowledged, resolved, marked false alarms or reopened by
//! engineers and heads of department, one endpoint per transition.

use axum::Json;
use axum::extract::State;
use axum::http::{Method, Uri, header};
use axum::response::{IntoResponse, Response};
use pms_domain::ids::{EquipmentId, FaultId};
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::fault::{FaultCode, FaultError, FaultFilter, FaultRepo as _, FaultSeverity, FaultStatus};
use pms_domain::maintenance::paging::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::application::faults::{
    self, CloseFault, EditFault, FalseAlarm, FalseAlarmRequest, FaultList, FaultRef, FaultView, ReportFaultRequest,
    ResolveFaultRequest, UpdateFaultRequest,
};
use crate::application::pipeline::{self, Guard, Request};
use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::idempotency::{IdempotencyKey, JsonBody, fingerprint};
use crate::http::path::ApiPath;
use crate::http::precondition::{IfMatch, etag};
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::state::AppState;
use crate::validation::Validation;
use pms_domain::actions::ActionName;

/// Path of one fault.
#[derive(Debug, Deserialize)]
pub struct FaultPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    fault_id: Uuid,
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<ReportFaultRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = body.value;
    let location = |view: &FaultView| format!("/v1/yachts/{}/faults/{}", ctx.yacht, view.id);
    pipeline::mutate(
        request,
        Guard::action(ActionName::ReportFault),
        async |x| faults::report(x, command).await,
        |view| {
            let (etag, location) = (etag(view.version), location(&view));
            Answer::created(view, location).with_etag(etag)
        },
    )
    .await
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
    let fault =
        tx.fault(FaultId::from_uuid(path.fault_id)).await?.ok_or_else(|| ApiError::from(FaultError::NotFound))?;
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<UpdateFaultRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = EditFault { fault_id: path.fault_id, edits: body.value };
    pipeline::mutate(request, Guard::Record, async |x| faults::edit(x, command).await, versioned).await
}

/// A changed fault, with its version as `ETag`.
fn versioned(view: FaultView) -> Answer<FaultView> {
    let etag = etag(view.version);
    Answer::ok(view).with_etag(etag)
}

/// The request of a transition without a body: its fingerprint is the method and path.
fn bodiless<'a>(
    state: &'a AppState,
    ctx: &'a TenantCtx,
    key: IdempotencyKey,
    expected: ExpectedVersion,
    method: &Method,
    uri: &Uri,
) -> Request<'a> {
    Request { state, ctx, key, fingerprint: fingerprint(method.as_str(), uri.path(), b""), expected }
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let request = bodiless(&state, &ctx, key, expected, &method, &uri);
    let command = FaultRef { fault_id: path.fault_id };
    pipeline::mutate(
        request,
        Guard::action(ActionName::AcknowledgeFault),
        async |x| faults::acknowledge(x, command).await,
        versioned,
    )
    .await
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<ResolveFaultRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = CloseFault { fault_id: path.fault_id, resolution: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::CloseFault),
        async |x| faults::close(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    body: JsonBody<FalseAlarmRequest>,
) -> Result<Response, ApiError> {
    let request = Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected };
    let command = FalseAlarm { fault_id: path.fault_id, reason: body.value };
    pipeline::mutate(
        request,
        Guard::action(ActionName::MarkFaultFalseAlarm),
        async |x| faults::false_alarm(x, command).await,
        versioned,
    )
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
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<FaultPath>,
    IfMatch(expected): IfMatch,
    key: IdempotencyKey,
    method: Method,
    uri: Uri,
) -> Result<Response, ApiError> {
    let request = bodiless(&state, &ctx, key, expected, &method, &uri);
    let command = FaultRef { fault_id: path.fault_id };
    pipeline::mutate(
        request,
        Guard::action(ActionName::ReopenFault),
        async |x| faults::reopen(x, command).await,
        versioned,
    )
    .await
}
