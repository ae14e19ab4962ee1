//! `do_maintenance`: a work order's life, from creation to completion.

use pms_domain::ids::{ChecklistItemId, PartId, WorkOrderId};
use pms_domain::maintenance::lifecycle::change_work_order;
use pms_domain::maintenance::notes::Subject;
use pms_domain::maintenance::part::{Quantity, StockChange, change_stock};
use pms_domain::maintenance::work_order::{
    WorkOrderChange, assign_work_order, complete_checklist_item, create_work_order, log_hours,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Exec, load};
use crate::dto::notes::{AddNoteRequest, NoteView};
use crate::dto::parts::StockChangeView;
use crate::dto::work_orders::{
    AssignWorkOrderRequest, CancelWorkOrderRequest, ChecklistItemView, CompleteWorkOrderRequest,
    CreateWorkOrderRequest, DeferWorkOrderRequest, LogHoursRequest, LoggedHoursView, WorkOrderView,
};
use pms_domain::directory::Directory as _;
use pms_domain::identity::MembershipStatus;
use pms_domain::ids::UserId;

use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::state::AppState;
use crate::validation::required_paragraph;

/// The work order the action is about.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkOrderRef {
    pub work_order_id: Uuid,
}

impl WorkOrderRef {
    pub(super) fn id(&self) -> WorkOrderId {
        WorkOrderId::from_uuid(self.work_order_id)
    }
}

/// Declares a payload: the work order plus a REST request body's fields.
macro_rules! on_work_order {
    ($(#[$doc:meta])* $name:ident { $field:ident: $body:ty }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize, ToSchema)]
        pub struct $name {
            pub work_order_id: Uuid,
            #[serde(flatten)]
            pub $field: $body,
        }
    };
}

on_work_order!(
    /// A note on a work order.
    WorkOrderNote { note: AddNoteRequest }
);
on_work_order!(
    /// Hours worked on work in progress.
    WorkOrderHours { hours: LogHoursRequest }
);
on_work_order!(
    /// Who does the work (`null` to unassign).
    AssignWorkOrder { assignee: AssignWorkOrderRequest }
);
on_work_order!(
    /// How the work was done.
    CompleteWorkOrder { completion: CompleteWorkOrderRequest }
);
on_work_order!(
    /// Why and until when the work waits.
    DeferWorkOrder { deferral: DeferWorkOrderRequest }
);
on_work_order!(
    /// Why the work will not be done.
    CancelWorkOrder { cancellation: CancelWorkOrderRequest }
);

/// A checklist item to tick.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChecklistTick {
    pub work_order_id: Uuid,
    pub item_id: Uuid,
}

/// One part taken from stock for the work.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartLine {
    pub part_id: Uuid,
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
}

/// Parts taken from stock for a work order, all or none.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkOrderParts {
    pub work_order_id: Uuid,
    #[schema(min_items = 1, max_items = 50)]
    pub parts: Vec<PartLine>,
}

pub async fn create(x: &mut Exec<'_>, p: CreateWorkOrderRequest) -> Result<WorkOrderView, ApiError> {
    let new = p.validate()?;
    let work_order = create_work_order(x.tx, &x.actor, new, x.now).await.map_err(ApiError::from)?;
    Ok(WorkOrderView::from(&work_order))
}

pub async fn view(x: &mut Exec<'_>, p: WorkOrderRef) -> Result<WorkOrderView, ApiError> {
    Ok(WorkOrderView::from(&load::work_order(x, p.id()).await?))
}

async fn change(x: &mut Exec<'_>, id: Uuid, change: WorkOrderChange) -> Result<WorkOrderView, ApiError> {
    let id = WorkOrderId::from_uuid(id);
    let changed =
        change_work_order(x.tx, &x.actor, id, x.expected.clone(), change, x.now).await.map_err(ApiError::from)?;
    Ok(WorkOrderView::from(&changed))
}

pub async fn start(x: &mut Exec<'_>, p: WorkOrderRef) -> Result<WorkOrderView, ApiError> {
    change(x, p.work_order_id, WorkOrderChange::Start).await
}

pub async fn complete(x: &mut Exec<'_>, p: CompleteWorkOrder) -> Result<WorkOrderView, ApiError> {
    let notes = required_paragraph("completion_notes", &p.completion.completion_notes, 5000)?;
    change(x, p.work_order_id, WorkOrderChange::Complete { notes }).await
}

pub async fn defer(x: &mut Exec<'_>, p: DeferWorkOrder) -> Result<WorkOrderView, ApiError> {
    let reason = required_paragraph("reason", &p.deferral.reason, 5000)?;
    change(x, p.work_order_id, WorkOrderChange::Defer { reason, until: p.deferral.until.map(|d| d.0) }).await
}

pub async fn cancel(x: &mut Exec<'_>, p: CancelWorkOrder) -> Result<WorkOrderView, ApiError> {
    let reason = required_paragraph("reason", &p.cancellation.reason, 5000)?;
    change(x, p.work_order_id, WorkOrderChange::Cancel { reason }).await
}

pub async fn reopen(x: &mut Exec<'_>, p: WorkOrderRef) -> Result<WorkOrderView, ApiError> {
    change(x, p.work_order_id, WorkOrderChange::Reopen).await
}

pub async fn assign(x: &mut Exec<'_>, p: AssignWorkOrder) -> Result<WorkOrderView, ApiError> {
    let assignee = active_member(x.state, x.ctx, p.assignee.assignee_id).await?;
    let id = WorkOrderId::from_uuid(p.work_order_id);
    let updated =
        assign_work_order(x.tx, &x.actor, id, x.expected.clone(), assignee, x.now).await.map_err(ApiError::from)?;
    Ok(WorkOrderView::from(&updated))
}

pub async fn add_note_to(x: &mut Exec<'_>, p: WorkOrderNote) -> Result<NoteView, ApiError> {
    super::notes::add(x, Subject::WorkOrder(WorkOrderId::from_uuid(p.work_order_id)), p.note).await
}

pub async fn hours(x: &mut Exec<'_>, p: WorkOrderHours) -> Result<LoggedHoursView, ApiError> {
    let (logged, note) = p.hours.validate()?;
    let id = WorkOrderId::from_uuid(p.work_order_id);
    let (work_order, entry) = log_hours(x.tx, &x.actor, id, logged, note, x.now).await.map_err(ApiError::from)?;
    Ok(LoggedHoursView::new(&entry, &work_order))
}

pub async fn tick(x: &mut Exec<'_>, p: ChecklistTick) -> Result<ChecklistItemView, ApiError> {
    let id = WorkOrderId::from_uuid(p.work_order_id);
    let item = ChecklistItemId::from_uuid(p.item_id);
    let item = complete_checklist_item(x.tx, &x.actor, id, item, x.now).await.map_err(ApiError::from)?;
    Ok(ChecklistItemView::from(&item))
}

/// The stock taken for the work, one movement per part.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartsAdded {
    pub work_order_id: Uuid,
    pub movements: Vec<StockChangeView>,
}

pub async fn add_parts(x: &mut Exec<'_>, p: WorkOrderParts) -> Result<PartsAdded, ApiError> {
    if p.parts.is_empty() || p.parts.len() > 50 {
        return Err(ApiError::field("parts", "out_of_range", "give 1 to 50 parts".to_owned()));
    }
    let mut lines = Vec::with_capacity(p.parts.len());
    for (i, line) in p.parts.iter().enumerate() {
        let quantity = Quantity::from_f64(line.quantity).ok().filter(|q| !q.is_zero()).ok_or_else(|| {
            ApiError::field(&format!("parts[{i}].quantity"), "invalid", "must be more than zero".to_owned())
        })?;
        lines.push((PartId::from_uuid(line.part_id), quantity));
    }
    let work_order = Some(WorkOrderId::from_uuid(p.work_order_id));
    let mut movements = Vec::with_capacity(lines.len());
    for (part, quantity) in lines {
        let change = StockChange::Consume { quantity, work_order };
        let (part, movement) = change_stock(x.tx, &x.actor, part, change, None, x.now).await.map_err(ApiError::from)?;
        movements.push(StockChangeView { part: (&part).into(), movement: (&movement).into() });
    }
    Ok(PartsAdded { work_order_id: p.work_order_id, movements })
}

/// The assignee, if any, once known to be an active member of the yacht.
pub async fn active_member(
    state: &AppState,
    ctx: &TenantCtx,
    assignee: Option<uuid::Uuid>,
) -> Result<Option<UserId>, ApiError> {
    let Some(user) = assignee.map(UserId::from_uuid) else { return Ok(None) };
    let access = state.directory.access(user, ctx.yacht).await?;
    if access.is_none_or(|a| a.membership_status != MembershipStatus::Active) {
        return Err(ApiError::field(
            "assignee_id",
            "not_a_member",
            "must be an active member of this yacht".to_owned(),
        ));
    }
    Ok(Some(user))
}
