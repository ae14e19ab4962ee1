//! Notes on equipment, faults and work orders, and the crew-change handover (anyone aboard).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use pms_domain::actions::ActionName;
use pms_domain::ids::{EquipmentId, FaultId, WorkOrderId};
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::notes::{HandoverCategory, HandoverFilter, NoteError, NoteRepo as _, Subject};
use pms_domain::maintenance::paging::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::application::pipeline::{self, Guard, Request};
use crate::application::{notes, status};
pub use crate::dto::notes::*;
use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::dates::DateTimeUtc;
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::path::ApiPath;
use crate::http::query::{ApiQuery, comma_list};
use crate::mutation::Answer;
use crate::state::AppState;
use crate::validation::Validation;

async fn post_note(
    state: AppState,
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<AddNoteRequest>,
    subject: Subject,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let note = body.value;
    let guard = Guard::action(notes::action(subject));
    pipeline::mutate(
        request,
        guard,
        async |x| notes::add(x, subject, note).await,
        |view| {
            let collection = match subject {
                Subject::Equipment(_) => "equipment",
                Subject::Fault(_) => "faults",
                Subject::WorkOrder(_) => "work-orders",
            };
            Answer::created(view, format!("/v1/yachts/{}/{collection}/{}/notes", ctx.yacht, subject.id()))
        },
    )
    .await
}

async fn get_notes(
    paging: Paging,
    ctx: TenantCtx,
    query: NoteQuery,
    subject: Subject,
) -> Result<Json<NoteList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    if !pms_domain::maintenance::notes::subject_exists(&mut tx, subject).await? {
        return Err(ApiError::from(NoteError::SubjectNotFound(subject.kind())));
    }
    let page = tx.notes(subject, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(NoteList {
        items: page.items.iter().map(NoteView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}

macro_rules! note_routes {
    ($post:ident, $get:ident, $path:literal, $param:ident, $param_name:literal, $id:ident, $subject:ident, $post_doc:literal, $get_doc:literal) => {
        /// Path of the record a note is about.
        #[derive(Debug, Deserialize)]
        pub struct $id {
            #[allow(dead_code, reason = "read by TenantCtx")]
            yacht_id: Uuid,
            $param: Uuid,
        }

        #[doc = $post_doc]
        #[utoipa::path(
            post,
            path = $path,
            description = $post_doc,
            tag = "notes",
            security(("bearer" = [])),
            params(("yacht_id" = Uuid, Path, description = "The yacht."), ($param_name = Uuid, Path, description = "The record."),
                ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of adding twice.")),
            request_body = AddNoteRequest,
            responses((status = CREATED, description = "Added.", body = NoteView)),
        )]
        pub async fn $post(State(state): State<AppState>, ctx: TenantCtx, ApiPath(path): ApiPath<$id>, key: IdempotencyKey, body: JsonBody<AddNoteRequest>) -> Result<Response, ApiError> {
            post_note(state, ctx, key, body, Subject::$subject($subject::from_uuid(path.$param))).await
        }

        #[doc = $get_doc]
        #[utoipa::path(
            get,
            path = $path,
            description = $get_doc,
            tag = "notes",
            security(("bearer" = [])),
            params(("yacht_id" = Uuid, Path, description = "The yacht."), ($param_name = Uuid, Path, description = "The record."), NoteQuery),
            responses((status = OK, description = "A page of notes.", body = NoteList)),
        )]
        pub async fn $get(paging: Paging, ctx: TenantCtx, ApiPath(path): ApiPath<$id>, ApiQuery(query): ApiQuery<NoteQuery>) -> Result<Json<NoteList>, ApiError> {
            get_notes(paging, ctx, query, Subject::$subject($subject::from_uuid(path.$param))).await
        }
    };
}

use EquipmentId as Equipment;
use FaultId as Fault;
use WorkOrderId as WorkOrder;

note_routes!(
    add_equipment_note,
    equipment_notes,
    "/v1/yachts/{yacht_id}/equipment/{equipment_id}/notes",
    equipment_id,
    "equipment_id",
    EquipmentNotePath,
    Equipment,
    "Add a note to equipment (`add_equipment_note`; anyone aboard).",
    "The notes on equipment, newest first."
);
note_routes!(
    add_fault_note,
    fault_notes,
    "/v1/yachts/{yacht_id}/faults/{fault_id}/notes",
    fault_id,
    "fault_id",
    FaultNotePath,
    Fault,
    "Add a note to a fault (`add_fault_note`; anyone aboard).",
    "The notes on a fault, newest first."
);
note_routes!(
    add_work_order_note,
    work_order_notes,
    "/v1/yachts/{yacht_id}/work-orders/{work_order_id}/notes",
    work_order_id,
    "work_order_id",
    WorkOrderNotePath,
    WorkOrder,
    "Add a note to a work order (`add_work_order_note`; anyone aboard).",
    "The notes on a work order, newest first."
);

/// Paging of notes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoteQuery {
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// Add an item to the handover (`add_to_handover`; anyone aboard).
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/handover",
    tag = "notes",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry return the first response instead of adding twice.")),
    request_body = AddHandoverRequest,
    responses((status = CREATED, description = "Added.", body = HandoverItemView)),
)]
pub async fn add_handover(
    State(state): State<AppState>,
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<AddHandoverRequest>,
) -> Result<Response, ApiError> {
    let request =
        Request { state: &state, ctx: &ctx, key, fingerprint: body.fingerprint, expected: ExpectedVersion::ANY };
    let command = body.value;
    let guard = Guard::action(ActionName::AddToHandover);
    pipeline::mutate(
        request,
        guard,
        async |x| status::add_handover(x, command).await,
        |view| Answer::created(view, format!("/v1/yachts/{}/handover", ctx.yacht)),
    )
    .await
}

/// Handover filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HandoverQuery {
    /// Comma-separated categories, e.g. `urgent,watch`.
    category: Option<String>,
    /// Items added at or after this time (the last crew change).
    since: Option<DateTimeUtc>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// The handover, newest first (`view_handover`).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/handover",
    tag = "notes",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), HandoverQuery),
    responses((status = OK, description = "A page of handover items.", body = HandoverList)),
)]
pub async fn handover(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<HandoverQuery>,
) -> Result<Json<HandoverList>, ApiError> {
    let mut v = Validation::default();
    v.page_limit(query.limit);
    let filter = HandoverFilter {
        category: comma_list(&mut v, "category", query.category.as_deref(), |c| HandoverCategory::parse(c).ok()),
        since: query.since.map(|t| t.0),
    };
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let mut tx = ctx.store.begin().await?;
    let page = tx.handover(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(HandoverList {
        items: page.items.iter().map(HandoverItemView::from).collect(),
        next_cursor: paging.next(page.next.as_ref()),
    }))
}
