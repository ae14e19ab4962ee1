//! Work orders: numbered per yacht and year, with a lifecycle, an assignee, a checklist and the
//! hours logged against them; one created from a fault starts its handling and completing it
//! resolves the fault.

mod state;
mod tasks;
mod usecases;

use std::fmt;

use chrono::NaiveDate;
pub use state::WorkOrderAction;
pub use tasks::*;
pub use usecases::*;

use super::equipment::Hours;
use super::paging::{Page, PageRequest};
use crate::auth::Timestamp;
use crate::ids::{ChecklistItemId, EquipmentId, FaultId, ScheduleId, TimeEntryId, UserId, WorkOrderId};
use crate::maintenance::audit::{Audited, EntityKind};
use crate::store::StoreError;

text_enum!(
    /// Why the work exists.
    WorkOrderKind { Scheduled = "scheduled", Corrective = "corrective", Unplanned = "unplanned", Preventive = "preventive" }
);

text_enum!(
    /// How urgent the work is.
    Priority { Routine = "routine", Important = "important", Critical = "critical", Emergency = "emergency" }
);

text_enum!(
    /// Where a work order stands.
    WorkOrderStatus {
        Planned = "planned",
        InProgress = "in_progress",
        Completed = "completed",
        Deferred = "deferred",
        Cancelled = "cancelled",
    }
);

impl WorkOrderStatus {
    /// Work still to be done (a fault's work order in one of these blocks another).
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Planned | Self::InProgress | Self::Deferred)
    }
}

/// `WO-<year>-<sequence>`, unique per yacht: `WO-2026-0014`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkOrderNumber {
    pub year: i32,
    pub sequence: u32,
}

/// Not a work-order number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must look like WO-2026-0014")]
pub struct WorkOrderNumberError;

impl WorkOrderNumber {
    /// Accepts `WO-2026-0014`, `wo-2026-14` and `WO 2026 14`.
    pub fn parse(raw: &str) -> Result<Self, WorkOrderNumberError> {
        let upper = raw.trim().to_uppercase();
        let rest = upper.strip_prefix("WO").ok_or(WorkOrderNumberError)?;
        let mut parts = rest.split(['-', ' ']).filter(|p| !p.is_empty());
        let (Some(year), Some(sequence), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(WorkOrderNumberError);
        };
        let digits = |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !digits(year, 4) || !digits(sequence, 6) {
            return Err(WorkOrderNumberError);
        }
        let number = Self {
            year: year.parse().map_err(|_| WorkOrderNumberError)?,
            sequence: sequence.parse().map_err(|_| WorkOrderNumberError)?,
        };
        if number.sequence == 0 { Err(WorkOrderNumberError) } else { Ok(number) }
    }
}

impl fmt::Display for WorkOrderNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WO-{}-{:04}", self.year, self.sequence)
    }
}

/// A work order.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkOrder {
    pub id: WorkOrderId,
    pub number: WorkOrderNumber,
    pub title: String,
    pub description: Option<String>,
    pub kind: WorkOrderKind,
    pub priority: Priority,
    pub status: WorkOrderStatus,
    pub equipment: Option<EquipmentId>,
    pub fault: Option<FaultId>,
    /// The schedule that planned it.
    pub schedule: Option<ScheduleId>,
    pub assignee: Option<UserId>,
    pub due_on: Option<NaiveDate>,
    /// Sum of the hours logged against it.
    pub hours_logged: Hours,
    pub completion_notes: Option<String>,
    pub completed: Option<(UserId, Timestamp)>,
    pub deferred_until: Option<NaiveDate>,
    /// Why it was deferred or cancelled.
    pub status_reason: Option<String>,
    pub created_by: UserId,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for WorkOrder {
    fn kind(&self) -> EntityKind {
        EntityKind::WorkOrder
    }
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub id: ChecklistItemId,
    pub work_order: WorkOrderId,
    pub position: i32,
    pub text: String,
    pub done: Option<(UserId, Timestamp)>,
}

impl Audited for ChecklistItem {
    fn kind(&self) -> EntityKind {
        EntityKind::ChecklistItem
    }
}

/// Hours logged against a work order.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeEntry {
    pub id: TimeEntryId,
    pub work_order: WorkOrderId,
    pub user: UserId,
    pub hours: Hours,
    pub note: Option<String>,
    pub logged_at: Timestamp,
}

/// How to order work-order lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkOrderSort {
    #[default]
    Newest,
    /// Soonest due first; those without a due date last.
    DueSoonest,
    Number,
}

impl WorkOrderSort {
    pub const ALL: [Self; 3] = [Self::Newest, Self::DueSoonest, Self::Number];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "-created_at",
            Self::DueSoonest => "due_on",
            Self::Number => "number",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Which work orders to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WorkOrderFilter {
    pub status: Vec<WorkOrderStatus>,
    pub priority: Vec<Priority>,
    pub equipment: Option<EquipmentId>,
    pub fault: Option<FaultId>,
    pub schedule: Option<ScheduleId>,
    pub assignee: Option<UserId>,
    pub due_before: Option<NaiveDate>,
    pub due_after: Option<NaiveDate>,
    pub text: Option<String>,
    pub sort: WorkOrderSort,
}

/// Work-order storage within one yacht's transaction.
pub trait WorkOrderRepo: Send {
    fn work_order(&mut self, id: WorkOrderId) -> impl Future<Output = Result<Option<WorkOrder>, StoreError>> + Send;
    fn work_order_for_update(
        &mut self,
        id: WorkOrderId,
    ) -> impl Future<Output = Result<Option<WorkOrder>, StoreError>> + Send;
    /// The next number of `year` on this yacht, never handed out twice.
    fn next_number(&mut self, year: i32) -> impl Future<Output = Result<WorkOrderNumber, StoreError>> + Send;
    fn insert_work_order(&mut self, work_order: &WorkOrder) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn update_work_order(&mut self, work_order: &WorkOrder) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// A planned, in-progress or deferred work order for the fault, if any.
    fn active_work_order_for_fault(
        &mut self,
        fault: FaultId,
    ) -> impl Future<Output = Result<Option<WorkOrder>, StoreError>> + Send;
    /// The planned, in-progress and deferred work orders that schedules planned (for one piece
    /// of equipment, or all).
    fn active_scheduled_work_orders(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> impl Future<Output = Result<Vec<WorkOrder>, StoreError>> + Send;
    fn list_work_orders(
        &mut self,
        filter: &WorkOrderFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<WorkOrder>, StoreError>> + Send;
    /// The checklist in order.
    fn checklist(
        &mut self,
        work_order: WorkOrderId,
    ) -> impl Future<Output = Result<Vec<ChecklistItem>, StoreError>> + Send;
    fn insert_checklist_item(&mut self, item: &ChecklistItem) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn update_checklist_item(&mut self, item: &ChecklistItem) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn insert_time_entry(&mut self, entry: &TimeEntry) -> impl Future<Output = Result<(), StoreError>> + Send;
}

#[cfg(test)]
mod tests;
