//! Doing the work: hours logged and the checklist.

use super::usecases::{load, require_open, require_technical, save};
use super::{ChecklistItem, TimeEntry, WorkOrder, WorkOrderError, WorkOrderRepo, WorkOrderStatus};
use crate::auth::Timestamp;
use crate::ids::{ChecklistItemId, TimeEntryId, WorkOrderId};
use crate::maintenance::Actor;
use crate::maintenance::ExpectedVersion;
use crate::maintenance::audit::{AuditEntry, AuditLog, EntityKind, Snapshot};
use crate::maintenance::equipment::Hours;

/// Most hours one entry may log (a day), in tenths.
pub const MAX_HOURS_PER_ENTRY: i64 = 240;

/// Logs hours of work on an in-progress work order.
pub async fn log_hours<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    hours: Hours,
    note: Option<String>,
    now: Timestamp,
) -> Result<(WorkOrder, TimeEntry), WorkOrderError> {
    require_technical(actor)?;
    if hours.tenths() <= 0 || hours.tenths() > MAX_HOURS_PER_ENTRY {
        return Err(WorkOrderError::InvalidHours);
    }
    let before = load(tx, id, ExpectedVersion::ANY).await?;
    if before.status != WorkOrderStatus::InProgress {
        return Err(WorkOrderError::InvalidTransition { from: before.status, action: "log hours" });
    }
    let entry =
        TimeEntry { id: TimeEntryId::generate(), work_order: id, user: actor.user, hours, note, logged_at: now };
    tx.insert_time_entry(&entry).await?;
    let total =
        Hours::from_tenths(before.hours_logged.tenths() + hours.tenths()).map_err(|_| WorkOrderError::InvalidHours)?;
    let after = WorkOrder { hours_logged: total, ..before.clone() };
    let saved = save(tx, actor, "work_order.hours_logged", &before, after, now).await?;
    Ok((saved, entry))
}

/// Adds an item to the checklist of a work order that is not finished.
pub async fn add_checklist_item<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    text: String,
) -> Result<ChecklistItem, WorkOrderError> {
    require_technical(actor)?;
    let work_order = load(tx, id, ExpectedVersion::ANY).await?;
    require_open(&work_order, "get checklist items")?;
    let position = i32::try_from(tx.checklist(id).await?.len()).unwrap_or(i32::MAX - 1) + 1;
    let item = ChecklistItem { id: ChecklistItemId::generate(), work_order: id, position, text, done: None };
    tx.insert_checklist_item(&item).await?;
    let entry = AuditEntry {
        action: "checklist_item.added",
        entity: EntityKind::ChecklistItem,
        entity_id: item.id.as_uuid(),
        before: None,
        after: Some(Snapshot::of(item.clone())),
    };
    tx.append(actor, entry).await?;
    Ok(item)
}

/// Ticks a checklist item of an in-progress work order (anyone aboard may). Ticking a ticked
/// item changes nothing.
pub async fn complete_checklist_item<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    item_id: ChecklistItemId,
    now: Timestamp,
) -> Result<ChecklistItem, WorkOrderError> {
    let work_order = load(tx, id, ExpectedVersion::ANY).await?;
    if work_order.status != WorkOrderStatus::InProgress {
        return Err(WorkOrderError::InvalidTransition { from: work_order.status, action: "tick checklist items" });
    }
    let before =
        tx.checklist(id).await?.into_iter().find(|i| i.id == item_id).ok_or(WorkOrderError::ChecklistItemNotFound)?;
    if before.done.is_some() {
        return Ok(before);
    }
    let after = ChecklistItem { done: Some((actor.user, now)), ..before.clone() };
    tx.update_checklist_item(&after).await?;
    let entry = AuditEntry {
        action: "checklist_item.completed",
        entity: EntityKind::ChecklistItem,
        entity_id: after.id.as_uuid(),
        before: Some(Snapshot::of(before)),
        after: Some(Snapshot::of(after.clone())),
    };
    tx.append(actor, entry).await?;
    Ok(after)
}
