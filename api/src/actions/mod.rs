//! Micro-actions over HTTP: the registry filtered to the caller (and to a record's state), and
//! executing one by name with a typed payload. Every action is a thin entry over a use case the
//! REST routes also call.

mod dispatch;
mod docs;
pub mod executors;
pub mod payload;
#[cfg(test)]
mod tests;

use axum::Json;
use axum::extract::State;
use axum::response::Response;
pub use docs::ActionCall;
use pms_domain::actions::{self, ActionSpec, EntityType, RecordState};
use pms_domain::directory::Directory as _;
use pms_domain::identity::MembershipStatus;
use pms_domain::ids::{EquipmentId, FaultId, PartId, PurchaseRequestId, ScheduleId, WorkOrderId, YachtId};
use pms_domain::maintenance::equipment::EquipmentRepo as _;
use pms_domain::maintenance::fault::FaultRepo as _;
use pms_domain::maintenance::part::PartRepo as _;
use pms_domain::maintenance::purchase::PurchaseRepo as _;
use pms_domain::maintenance::schedule::ScheduleRepo as _;
use pms_domain::maintenance::work_order::WorkOrderRepo as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use self::dispatch::{ExecuteRequest, ExecuteResponse};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{AuthUser, TenantCtx, no_such_yacht};
use crate::http::idempotency::{IdempotencyKey, JsonBody};
use crate::http::query::ApiQuery;
use crate::state::AppState;

/// Which record to offer actions for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// `fault`, `work_order`, `equipment`, `part`, `purchase_request` or `schedule`; with
    /// `entity_id`.
    entity_type: Option<String>,
    entity_id: Option<Uuid>,
}

/// One action the caller may run.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionView {
    pub name: &'static str,
    pub label: &'static str,
    pub cluster: &'static str,
    pub entity_type: &'static str,
    /// `read_only`, `mutation_light` or `mutation_heavy`.
    pub side_effect: &'static str,
    pub description: &'static str,
    /// JSON Schema of the payload, self-contained.
    #[schema(value_type = Object)]
    pub payload_schema: Value,
    /// For a record's actions: its id, under the payload field that takes it.
    #[schema(value_type = Option<Object>)]
    pub prefill: Option<Value>,
}

/// The actions on offer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActionList {
    /// The caller's role on this yacht.
    pub role: &'static str,
    pub actions: Vec<ActionView>,
}

fn view(spec: &'static ActionSpec, record: Option<Uuid>) -> ActionView {
    let schema = executors::schemas().get(&spec.name).map_or(Value::Null, |s| s.schema.clone());
    ActionView {
        name: spec.name.as_str(),
        label: spec.label,
        cluster: spec.cluster.as_str(),
        entity_type: spec.entity.as_str(),
        side_effect: spec.side_effect.as_str(),
        description: spec.description,
        payload_schema: schema,
        prefill: record.map(|id| serde_json::json!({ id_field(spec.entity): id })),
    }
}

/// The payload field naming a record of `entity`.
pub(crate) fn id_field(entity: EntityType) -> String {
    format!("{}_id", entity.as_str())
}

const RECORD_TYPES: [EntityType; 6] = [
    EntityType::Fault,
    EntityType::WorkOrder,
    EntityType::Equipment,
    EntityType::Part,
    EntityType::PurchaseRequest,
    EntityType::Schedule,
];

async fn record_state(ctx: &TenantCtx, entity: EntityType, id: Uuid) -> Result<RecordState, ApiError> {
    let mut tx = ctx.store.begin().await?;
    let state = match entity {
        EntityType::Fault => tx.fault(FaultId::from_uuid(id)).await?.map(|f| RecordState::Fault(f.status)),
        EntityType::WorkOrder => {
            tx.work_order(WorkOrderId::from_uuid(id)).await?.map(|w| RecordState::WorkOrder(w.status))
        }
        EntityType::Equipment => {
            tx.equipment(EquipmentId::from_uuid(id)).await?.map(|e| RecordState::Equipment(e.status))
        }
        EntityType::Part => tx.part(PartId::from_uuid(id)).await?.map(|_| RecordState::Stateless),
        EntityType::Schedule => tx.schedule(ScheduleId::from_uuid(id)).await?.map(|_| RecordState::Stateless),
        EntityType::PurchaseRequest => {
            tx.purchase_request(PurchaseRequestId::from_uuid(id)).await?.map(|p| RecordState::PurchaseRequest(p.status))
        }
        EntityType::HandoverItem | EntityType::AuditEntry => None,
    };
    tx.commit().await?;
    state.ok_or_else(|| {
        ApiError::new(ErrorCode::NotFound, format!("No {} with this id on this yacht.", entity.as_str()))
    })
}

/// The actions the caller may run (`?entity_type=&entity_id=`: those a record's current state
/// allows, with its id prefilled), each with its payload's JSON Schema.
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/actions",
    tag = "actions",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ActionQuery),
    responses((status = OK, description = "The actions on offer, in registry order.", body = ActionList)),
)]
pub async fn list(ctx: TenantCtx, ApiQuery(query): ApiQuery<ActionQuery>) -> Result<Json<ActionList>, ApiError> {
    let actions = match (query.entity_type.as_deref(), query.entity_id) {
        (None, None) => actions::for_role(ctx.role).map(|spec| view(spec, None)).collect(),
        (Some(raw), Some(id)) => {
            let entity = RECORD_TYPES.into_iter().find(|e| e.as_str() == raw).ok_or_else(|| {
                let types = RECORD_TYPES.map(EntityType::as_str).join(", ");
                ApiError::field("entity_type", "invalid", format!("must be one of: {types}"))
            })?;
            let state = record_state(&ctx, entity, id).await?;
            actions::offered_for(ctx.role, entity, state).map(|spec| view(spec, Some(id))).collect()
        }
        _ => {
            return Err(ApiError::field(
                "entity_id",
                "incomplete",
                "give entity_type and entity_id together".to_owned(),
            ));
        }
    };
    Ok(Json(ActionList { role: ctx.role.as_str(), actions }))
}

/// Run a micro-action on this yacht.
///
/// The role is checked first (403 says nothing about the payload's ids), then the payload (422
/// with a field error per mistake, under `payload.`), then the record's state (409). A
/// mutation honours `Idempotency-Key` and writes its audit entry; a read writes nothing but the
/// execution log, which records every run with its outcome and duration.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/actions/execute",
    tag = "actions",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried mutation return the first response.")),
    request_body = ActionCall,
    responses(
        (status = OK, description = "Done; `result` is the created or changed record, or the view.", body = ExecuteResponse),
        (status = CONFLICT, description = "`invalid_state_transition`, `work_order_exists_for_fault`, `insufficient_stock`…", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn execute(
    State(state): State<AppState>,
    ctx: TenantCtx,
    key: IdempotencyKey,
    body: JsonBody<ExecuteRequest>,
) -> Result<Response, ApiError> {
    if body.value.context.yacht_id.is_some_and(|y| y != ctx.yacht.as_uuid()) {
        return Err(ApiError::field(
            "context.yacht_id",
            "mismatch",
            "must be the yacht in the path, or omitted".to_owned(),
        ));
    }
    dispatch::execute(&state, &ctx, key, body.fingerprint, body.value).await
}

/// Run a micro-action on the yacht in `context.yacht_id`, or on the caller's only yacht.
///
/// The same as `POST /v1/yachts/{yacht_id}/actions/execute`, for clients that keep the yacht in
/// the body. A yacht the caller is not a member of is 404.
#[utoipa::path(
    post,
    path = "/v1/actions/execute",
    tag = "actions",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried mutation return the first response.")),
    request_body = ActionCall,
    responses(
        (status = OK, description = "Done; `result` is the created or changed record, or the view.", body = ExecuteResponse),
        (status = FORBIDDEN, description = "`forbidden` (the caller's role may not run the action), `yacht_suspended` or `membership_inactive`.", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "`not_found`: no such yacht for you, or a record the payload names is not on it (`errors` says which field); `action_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, description = "`invalid_state_transition`, `work_order_exists_for_fault`, `insufficient_stock`…", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`validation_failed`: a bad payload, or `context.yacht_id` missing while you belong to several yachts.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn execute_anywhere(
    State(state): State<AppState>,
    user: AuthUser,
    key: IdempotencyKey,
    body: JsonBody<ExecuteRequest>,
) -> Result<Response, ApiError> {
    let yacht = match body.value.context.yacht_id {
        Some(yacht) => YachtId::from_uuid(yacht),
        None => only_yacht(&state, user, "context.yacht_id").await?,
    };
    let ctx = TenantCtx::resolve(&state, user.id, yacht).await?;
    dispatch::execute(&state, &ctx, key, body.fingerprint, body.value).await
}

/// The caller's only active yacht; several are a 422 on `field`, none a 404.
pub(crate) async fn only_yacht(state: &AppState, user: AuthUser, field: &str) -> Result<YachtId, ApiError> {
    let memberships = state.directory.memberships(user.id).await?;
    let active: Vec<YachtId> =
        memberships.iter().filter(|m| m.status == MembershipStatus::Active).map(|m| m.yacht_id).collect();
    match active.as_slice() {
        [] => Err(no_such_yacht()),
        [only] => Ok(*only),
        several => {
            Err(ApiError::field(field, "required", format!("you belong to {} yachts; say which", several.len())))
        }
    }
}
