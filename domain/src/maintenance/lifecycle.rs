//! Use cases that span aggregates: a work order's transitions, which move its schedule on when
//! it is completed and resolve the fault it handled. Above both `work_order` and `schedule`, so
//! neither names the other back.

use super::audit::AuditLog;
use super::equipment::EquipmentRepo;
use super::fault::FaultRepo;
use super::schedule::{ScheduleRepo, mark_done};
use super::work_order::{
    WorkOrder, WorkOrderAction, WorkOrderChange, WorkOrderError, WorkOrderRepo, apply_transition, check_transition,
    resolve_handled_fault,
};
use super::{Actor, ExpectedVersion};
use crate::auth::Timestamp;
use crate::ids::WorkOrderId;

/// Starts, completes, defers, cancels or reopens a work order. Completing it resolves its fault
/// if that is still active and moves its schedule on to count from today and the equipment's
/// current hours.
pub async fn change_work_order<T: WorkOrderRepo + FaultRepo + ScheduleRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    expected_version: ExpectedVersion,
    change: WorkOrderChange,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    let transition = check_transition(tx, actor, id, expected_version, change).await?;
    let action = transition.action();
    // Lock the schedule before the first audit append takes the chain head, the order in which
    // the scheduler takes them too.
    let schedule = match transition.before().schedule {
        Some(schedule_id) if matches!(action, WorkOrderAction::Complete | WorkOrderAction::Reopen) => {
            tx.schedule_for_update(schedule_id).await?
        }
        _ => None,
    };
    if action == WorkOrderAction::Reopen
        && let Some(schedule) = &schedule
        && let Some(open) = tx
            .active_scheduled_work_orders(Some(schedule.equipment))
            .await?
            .into_iter()
            .find(|w| w.schedule == Some(schedule.id))
    {
        return Err(WorkOrderError::ExistsForSchedule { number: open.number });
    }
    let saved = apply_transition(tx, actor, transition, now).await?;
    if action == WorkOrderAction::Complete {
        if let Some(schedule) = schedule {
            let hours = tx.equipment(schedule.equipment).await?.and_then(|e| e.running_hours).map(|(h, _)| h);
            mark_done(tx, actor, schedule, now.date_naive(), hours, now).await?;
        }
        resolve_handled_fault(tx, actor, &saved, now).await?;
    }
    Ok(saved)
}
