//! Work-order use cases. Each loads what it changes under a row lock, applies the rules, and
//! writes the change with its audit entries in the caller's transaction.

use chrono::{Datelike as _, NaiveDate};

use super::{Priority, WorkOrder, WorkOrderAction, WorkOrderKind, WorkOrderNumber, WorkOrderRepo, WorkOrderStatus};
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, FaultId, ScheduleId, UserId, WorkOrderId};
use crate::maintenance::ExpectedVersion;
use crate::maintenance::audit::{AuditEntry, AuditLog, EntityKind, Snapshot};
use crate::maintenance::equipment::{EquipmentRepo, Hours};
use crate::maintenance::fault::{Fault, FaultAction, FaultChange, FaultRepo, FaultSeverity, save_fault, transition};
use crate::maintenance::{Actor, Denied};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WorkOrderError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such work order")]
    NotFound,
    #[error("no such fault")]
    FaultNotFound,
    #[error("the equipment does not exist")]
    EquipmentNotFound,
    #[error("no such checklist item on this work order")]
    ChecklistItemNotFound,
    #[error("a {from} work order cannot {action}")]
    InvalidTransition { from: WorkOrderStatus, action: &'static str },
    #[error("a {from} fault cannot get a work order")]
    FaultClosed { from: crate::maintenance::fault::FaultStatus },
    #[error("{number} already handles this fault; pass allow_duplicate to create another")]
    ExistsForFault { number: WorkOrderNumber },
    #[error("{number} is already open for this schedule; only one of a schedule's work orders may be open")]
    ExistsForSchedule { number: WorkOrderNumber },
    #[error("the work order changed since version {expected}; it is now at version {current}")]
    StaleVersion { expected: i32, current: i32 },
    #[error("an entry logs more than 0 and at most 24 hours")]
    InvalidHours,
    #[error("work is deferred until a date that has not passed")]
    DeferredUntilPast,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Work to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkOrder {
    pub title: String,
    pub description: Option<String>,
    pub kind: WorkOrderKind,
    pub priority: Priority,
    pub equipment: Option<EquipmentId>,
    pub due_on: Option<NaiveDate>,
}

/// A work order for a fault; omitted fields come from the fault.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FromFault {
    pub title: Option<String>,
    pub priority: Option<Priority>,
    pub due_on: Option<NaiveDate>,
    /// Create it even though another active work order already handles the fault.
    pub allow_duplicate: bool,
}

/// A status change with the detail it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkOrderChange {
    Start,
    Complete { notes: String },
    Defer { reason: String, until: Option<NaiveDate> },
    Cancel { reason: String },
    Reopen,
}

impl WorkOrderChange {
    const fn action(&self) -> WorkOrderAction {
        match self {
            Self::Start => WorkOrderAction::Start,
            Self::Complete { .. } => WorkOrderAction::Complete,
            Self::Defer { .. } => WorkOrderAction::Defer,
            Self::Cancel { .. } => WorkOrderAction::Cancel,
            Self::Reopen => WorkOrderAction::Reopen,
        }
    }
}

/// May the actor plan and do work (create, edit, log hours, add checklist items)? ENGINEERS ∪ HOD.
pub fn require_technical(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.is_technical(), "plan or do work orders")
}

/// May the actor assign work? Heads of department.
pub fn require_assign(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.role.is_hod(), "assign work orders")
}

fn snapshot(work_order: &WorkOrder) -> Snapshot {
    Snapshot::of(work_order.clone())
}

async fn audit<T: AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: Option<&WorkOrder>,
    after: &WorkOrder,
) -> Result<(), StoreError> {
    let entry = AuditEntry {
        action,
        entity: EntityKind::WorkOrder,
        entity_id: after.id.as_uuid(),
        before: before.map(snapshot),
        after: Some(snapshot(after)),
    };
    tx.append(actor, entry).await
}

/// What a new work order comes from, besides the people who plan it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Origin {
    pub fault: Option<FaultId>,
    pub schedule: Option<ScheduleId>,
}

pub(crate) async fn insert<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewWorkOrder,
    origin: Origin,
    now: Timestamp,
) -> Result<WorkOrder, StoreError> {
    let work_order = WorkOrder {
        id: WorkOrderId::generate(),
        number: tx.next_number(now.year()).await?,
        title: new.title,
        description: new.description,
        kind: new.kind,
        priority: new.priority,
        status: WorkOrderStatus::Planned,
        equipment: new.equipment,
        fault: origin.fault,
        schedule: origin.schedule,
        assignee: None,
        due_on: new.due_on,
        hours_logged: Hours::from_tenths(0).expect("zero hours"),
        completion_notes: None,
        completed: None,
        deferred_until: None,
        status_reason: None,
        created_by: actor.user,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    tx.insert_work_order(&work_order).await?;
    audit(tx, actor, "work_order.created", None, &work_order).await?;
    Ok(work_order)
}

/// Plans work (engineers and heads of department); the equipment, when named, must exist.
pub async fn create_work_order<T: WorkOrderRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewWorkOrder,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    require_technical(actor)?;
    if let Some(equipment) = new.equipment
        && tx.equipment(equipment).await?.is_none()
    {
        return Err(WorkOrderError::EquipmentNotFound);
    }
    Ok(insert(tx, actor, new, Origin::default(), now).await?)
}

/// How urgent the work for a fault of this severity is.
pub const fn priority_for(severity: FaultSeverity) -> Priority {
    match severity {
        FaultSeverity::Critical => Priority::Critical,
        FaultSeverity::High => Priority::Important,
        FaultSeverity::Medium | FaultSeverity::Low => Priority::Routine,
    }
}

/// Creates the corrective work order for a fault and moves the fault to `in_progress`. Refused
/// while another active work order handles the fault, unless `allow_duplicate`.
pub async fn create_work_order_from_fault<T: WorkOrderRepo + FaultRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    fault_id: FaultId,
    from: FromFault,
    now: Timestamp,
) -> Result<(WorkOrder, Fault), WorkOrderError> {
    require_technical(actor)?;
    // The fault's row lock makes two concurrent requests for it take turns.
    let fault = tx.fault_for_update(fault_id).await?.ok_or(WorkOrderError::FaultNotFound)?;
    if !fault.status.is_active() {
        return Err(WorkOrderError::FaultClosed { from: fault.status });
    }
    if let Some(existing) = tx.active_work_order_for_fault(fault_id).await?
        && !from.allow_duplicate
    {
        return Err(WorkOrderError::ExistsForFault { number: existing.number });
    }
    let new = NewWorkOrder {
        title: from.title.unwrap_or_else(|| format!("Fix: {}", fault.title)),
        description: fault.description.clone(),
        kind: WorkOrderKind::Corrective,
        priority: from.priority.unwrap_or(priority_for(fault.severity)),
        equipment: fault.equipment,
        due_on: from.due_on,
    };
    let work_order = insert(tx, actor, new, Origin { fault: Some(fault_id), schedule: None }, now).await?;
    let mut linked = match FaultAction::StartWork.next(fault.status) {
        Some(status) => crate::maintenance::fault::Fault { status, ..fault.clone() },
        None => fault.clone(),
    };
    linked.work_order = Some(work_order.id);
    let fault = save_fault(tx, actor, "fault.work_started", &fault, linked, now).await.map_err(fault_error)?;
    Ok((work_order, fault))
}

fn fault_error(error: crate::maintenance::fault::FaultError) -> WorkOrderError {
    use crate::maintenance::fault::FaultError;
    match error {
        FaultError::Store(e) => WorkOrderError::Store(e),
        FaultError::Denied(d) => WorkOrderError::Denied(d),
        FaultError::NotFound => WorkOrderError::FaultNotFound,
        other => WorkOrderError::Store(StoreError::new(std::io::Error::other(other.to_string()))),
    }
}

pub(super) async fn load<T: WorkOrderRepo>(
    tx: &mut T,
    id: WorkOrderId,
    expected_version: ExpectedVersion,
) -> Result<WorkOrder, WorkOrderError> {
    let current = tx.work_order_for_update(id).await?.ok_or(WorkOrderError::NotFound)?;
    match expected_version.check(current.version) {
        Err(expected) => Err(WorkOrderError::StaleVersion { expected, current: current.version }),
        Ok(()) => Ok(current),
    }
}

pub(super) async fn save<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: &WorkOrder,
    mut after: WorkOrder,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    after.version = before.version + 1;
    after.updated_at = now;
    tx.update_work_order(&after).await?;
    audit(tx, actor, action, Some(before), &after).await?;
    Ok(after)
}

/// A status change checked against the role, the version and the state machine, not yet
/// written ([`apply_transition`] writes it).
#[derive(Debug)]
pub struct Transition {
    before: WorkOrder,
    action: WorkOrderAction,
    status: WorkOrderStatus,
    change: WorkOrderChange,
}

impl Transition {
    pub fn before(&self) -> &WorkOrder {
        &self.before
    }

    pub fn action(&self) -> WorkOrderAction {
        self.action
    }
}

/// Loads the work order under its row lock and checks `change` may run on it.
pub async fn check_transition<T: WorkOrderRepo>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    expected_version: ExpectedVersion,
    change: WorkOrderChange,
) -> Result<Transition, WorkOrderError> {
    let action = change.action();
    actor.require(action.allowed_for(actor.role), "change this work order's status")?;
    let before = load(tx, id, expected_version).await?;
    let status = action
        .next(before.status)
        .ok_or(WorkOrderError::InvalidTransition { from: before.status, action: action.as_str() })?;
    Ok(Transition { before, action, status, change })
}

/// Writes a checked transition with its audit entry.
pub async fn apply_transition<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    transition: Transition,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    let Transition { before, status, change, .. } = transition;
    // Only deferred work has a date it waits until.
    let mut after = WorkOrder { status, deferred_until: None, ..before.clone() };
    let audit_action = match change {
        WorkOrderChange::Start => {
            after.status_reason = None;
            "work_order.started"
        }
        WorkOrderChange::Complete { notes } => {
            after.completion_notes = Some(notes);
            after.completed = Some((actor.user, now));
            "work_order.completed"
        }
        WorkOrderChange::Defer { reason, until } => {
            // Ship's time may be as far as 12 hours behind UTC: refuse only what is past everywhere.
            let earliest_today = (now - chrono::Duration::hours(12)).date_naive();
            if until.is_some_and(|until| until < earliest_today) {
                return Err(WorkOrderError::DeferredUntilPast);
            }
            after.status_reason = Some(reason);
            after.deferred_until = until;
            "work_order.deferred"
        }
        WorkOrderChange::Cancel { reason } => {
            after.status_reason = Some(reason);
            "work_order.cancelled"
        }
        WorkOrderChange::Reopen => {
            after.completed = None;
            "work_order.reopened"
        }
    };
    save(tx, actor, audit_action, &before, after, now).await
}

/// Resolves the fault a completed work order handled, if it is still active.
pub async fn resolve_handled_fault<T: FaultRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    saved: &WorkOrder,
    now: Timestamp,
) -> Result<(), WorkOrderError> {
    if let Some(fault_id) = saved.fault
        && let Some(fault) = tx.fault_for_update(fault_id).await?
        && fault.status.is_active()
    {
        let notes = saved.completion_notes.clone().unwrap_or_default();
        let resolution = format!("Completed with {}: {notes}", saved.number);
        let resolved = transition(&fault, actor, FaultChange::Resolve { resolution }, now).map_err(fault_error)?;
        save_fault(tx, actor, "fault.resolved", &fault, resolved, now).await.map_err(fault_error)?;
    }
    Ok(())
}

/// A partial edit of a work order's details: `None` leaves a field as it is, `Some(None)`
/// clears an optional one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkOrderEdits {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub priority: Option<Priority>,
    pub equipment: Option<Option<EquipmentId>>,
    pub due_on: Option<Option<NaiveDate>>,
}

/// Edits the details of work that is not finished (engineers and heads of department).
pub async fn edit_work_order<T: WorkOrderRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    expected_version: ExpectedVersion,
    edits: WorkOrderEdits,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    require_technical(actor)?;
    let before = load(tx, id, expected_version).await?;
    require_open(&before, "be edited")?;
    if let Some(Some(equipment)) = edits.equipment
        && tx.equipment(equipment).await?.is_none()
    {
        return Err(WorkOrderError::EquipmentNotFound);
    }
    let WorkOrderEdits { title, description, priority, equipment, due_on } = edits;
    let after = WorkOrder {
        title: title.unwrap_or_else(|| before.title.clone()),
        description: description.unwrap_or_else(|| before.description.clone()),
        priority: priority.unwrap_or(before.priority),
        equipment: equipment.unwrap_or(before.equipment),
        due_on: due_on.unwrap_or(before.due_on),
        ..before.clone()
    };
    if after == before {
        return Ok(before);
    }
    save(tx, actor, "work_order.edited", &before, after, now).await
}

pub(super) fn require_open(work_order: &WorkOrder, action: &'static str) -> Result<(), WorkOrderError> {
    if work_order.status.is_active() {
        Ok(())
    } else {
        Err(WorkOrderError::InvalidTransition { from: work_order.status, action })
    }
}

/// Assigns (or, with `None`, unassigns) a work order that is not finished. The caller checks that
/// the assignee is an active member of the yacht.
pub async fn assign_work_order<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: WorkOrderId,
    expected_version: ExpectedVersion,
    assignee: Option<UserId>,
    now: Timestamp,
) -> Result<WorkOrder, WorkOrderError> {
    require_assign(actor)?;
    let before = load(tx, id, expected_version).await?;
    require_open(&before, "be assigned")?;
    if before.assignee == assignee {
        return Ok(before);
    }
    let after = WorkOrder { assignee, ..before.clone() };
    save(tx, actor, "work_order.assigned", &before, after, now).await
}
