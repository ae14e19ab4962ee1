//! `do_maintenance` views and planning: checklists, my worklist, a work order's history, what
//! maintenance is due, and new schedules.

use pms_domain::ids::EquipmentId;
use pms_domain::maintenance::audit::{AuditFilter, AuditTrail as _, EntityKind};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::schedule::create_schedule;
use pms_domain::maintenance::work_order::{WorkOrderFilter, WorkOrderRepo as _, WorkOrderSort, WorkOrderStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::Exec;
use super::load;
use super::work_orders::WorkOrderRef;
use std::collections::HashMap;

use pms_domain::ids::ScheduleId;
use pms_domain::maintenance::schedule::ScheduleRepo as _;
use pms_infra::tenant::tx::TenantTx;

use crate::clock::today;
use crate::dto::audit::AuditEntryView;
use crate::dto::schedules::{CreateScheduleRequest, DueScheduleList, DueScheduleView, ScheduleView};
use crate::dto::work_orders::{ChecklistItemView, WorkOrderView};
use crate::error::ApiError;

/// A work order's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistView {
    pub work_order: WorkOrderView,
    pub items: Vec<ChecklistItemView>,
    pub done: usize,
}

pub async fn checklist(x: &mut Exec<'_>, p: WorkOrderRef) -> Result<ChecklistView, ApiError> {
    let work_order = load::work_order(x, p.id()).await?;
    let items = x.tx.checklist(work_order.id).await?;
    Ok(ChecklistView {
        work_order: WorkOrderView::from(&work_order),
        done: items.iter().filter(|i| i.done.is_some()).count(),
        items: items.iter().map(ChecklistItemView::from).collect(),
    })
}

/// How far ahead "due soon" looks.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Horizon {
    /// Days ahead, 0 to 365 (default 7).
    #[schema(minimum = 0, maximum = 365)]
    pub within_days: Option<u32>,
}

impl Horizon {
    fn days(&self) -> Result<u32, ApiError> {
        match self.within_days.unwrap_or(7) {
            days @ 0..=365 => Ok(days),
            _ => Err(ApiError::field("within_days", "out_of_range", "must be 0 to 365".to_owned())),
        }
    }
}

/// The caller's work: assigned to them, overdue, due soon.
#[derive(Debug, Serialize, ToSchema)]
pub struct Worklist {
    /// Open work assigned to the caller, soonest due first.
    pub assigned_to_me: Vec<WorkOrderView>,
    /// Planned or in-progress work past its due date.
    pub overdue: Vec<WorkOrderView>,
    /// Planned or in-progress work due within the horizon.
    pub due_soon: Vec<WorkOrderView>,
}

const WORKLIST_LIMIT: u32 = 50;

pub async fn worklist(x: &mut Exec<'_>, p: Horizon) -> Result<Worklist, ApiError> {
    let days = p.days()?;
    let today = today();
    let active = vec![WorkOrderStatus::Planned, WorkOrderStatus::InProgress];
    let page = PageRequest::new(Some(WORKLIST_LIMIT), None);
    let soonest = |filter: WorkOrderFilter| WorkOrderFilter { sort: WorkOrderSort::DueSoonest, ..filter };
    let mine = soonest(WorkOrderFilter {
        status: vec![WorkOrderStatus::Planned, WorkOrderStatus::InProgress, WorkOrderStatus::Deferred],
        assignee: Some(x.actor.user),
        ..WorkOrderFilter::default()
    });
    let overdue =
        soonest(WorkOrderFilter { status: active.clone(), due_before: Some(today), ..WorkOrderFilter::default() });
    let due_soon = soonest(WorkOrderFilter {
        status: active,
        due_after: Some(today),
        due_before: Some(today + chrono::Days::new(u64::from(days) + 1)),
        ..WorkOrderFilter::default()
    });
    let mut views = Vec::with_capacity(3);
    for filter in [mine, overdue, due_soon] {
        let found = x.tx.list_work_orders(&filter, &page).await?;
        views.push(found.items.iter().map(WorkOrderView::from).collect::<Vec<_>>());
    }
    let due_soon = views.pop().unwrap_or_default();
    let overdue = views.pop().unwrap_or_default();
    let assigned_to_me = views.pop().unwrap_or_default();
    Ok(Worklist { assigned_to_me, overdue, due_soon })
}

/// Every recorded change to a work order, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderHistory {
    pub work_order: WorkOrderView,
    pub changes: Vec<AuditEntryView>,
}

pub async fn history(x: &mut Exec<'_>, p: WorkOrderRef) -> Result<WorkOrderHistory, ApiError> {
    let work_order = load::work_order(x, p.id()).await?;
    let filter = AuditFilter {
        entity: Some(EntityKind::WorkOrder),
        entity_id: Some(work_order.id.as_uuid()),
        user: None,
        from: None,
        to: None,
    };
    let page = x.tx.entries(&filter, &PageRequest::new(Some(100), None)).await?;
    Ok(WorkOrderHistory {
        work_order: WorkOrderView::from(&work_order),
        changes: page.items.into_iter().map(Into::into).collect(),
    })
}

pub async fn schedule(x: &mut Exec<'_>, p: CreateScheduleRequest) -> Result<ScheduleView, ApiError> {
    let new = p.validate()?;
    let created = create_schedule(x.tx, &x.actor, new, x.now).await.map_err(ApiError::from)?;
    Ok(ScheduleView::metered(&created, today()))
}

/// Which due maintenance to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintenanceDue {
    /// Only this equipment's schedules.
    pub equipment_id: Option<Uuid>,
    /// Also what comes due within this many days, 0 to 365 (default 7).
    #[schema(minimum = 0, maximum = 365)]
    pub within_days: Option<u32>,
}

pub async fn due(x: &mut Exec<'_>, p: MaintenanceDue) -> Result<DueScheduleList, ApiError> {
    let days = Horizon { within_days: p.within_days }.days()?;
    due_schedules(x.tx, p.equipment_id.map(EquipmentId::from_uuid), days).await
}

/// The active schedules due now or within `within` days, overdue first, each with its open
/// work order.
pub async fn due_schedules(
    tx: &mut TenantTx,
    equipment: Option<EquipmentId>,
    within: u32,
) -> Result<DueScheduleList, ApiError> {
    let schedules = tx.active_schedules(equipment).await?;
    let open: HashMap<ScheduleId, _> = tx
        .active_scheduled_work_orders(equipment)
        .await?
        .into_iter()
        .filter_map(|w| w.schedule.map(|s| (s, w)))
        .collect();
    let today = today();
    let horizon = today + chrono::Days::new(u64::from(within));
    let mut items: Vec<DueScheduleView> = schedules
        .iter()
        .filter(|m| {
            let standing = m.schedule.standing(today, m.current_hours);
            standing.due || standing.next.on.is_some_and(|on| on <= horizon)
        })
        .map(|m| DueScheduleView {
            schedule: ScheduleView::metered(m, today),
            open_work_order: open.get(&m.schedule.id).map(Into::into),
        })
        .collect();
    items.sort_by(|a, b| {
        let key = |d: &DueScheduleView| (!d.schedule.overdue, d.schedule.next_due_on.unwrap_or(chrono::NaiveDate::MAX));
        key(a).cmp(&key(b)).then_with(|| a.schedule.id.cmp(&b.schedule.id))
    });
    Ok(DueScheduleList { items })
}
