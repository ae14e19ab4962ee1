//! Work-order request and response bodies; schema constraints mirror the validators.

use chrono::{DateTime, NaiveDate, Utc};
use pms_domain::ids::{EquipmentId, FaultId, ScheduleId, UserId};
use pms_domain::maintenance::equipment::Hours;
use pms_domain::maintenance::text::line;
use pms_domain::maintenance::work_order::{
    ChecklistItem, FromFault, NewWorkOrder, Priority, TimeEntry, WorkOrder, WorkOrderEdits, WorkOrderKind,
    WorkOrderStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::application::faults::FaultView;
use crate::error::ApiError;
use crate::http::dates::CalendarDate;
use crate::http::patch::double_option;
use crate::validation::Validation;

mirror_enum!(
    /// Why the work exists.
    WorkOrderKindDto <-> WorkOrderKind { Scheduled, Corrective, Unplanned, Preventive }
);
mirror_enum!(
    /// How urgent the work is.
    PriorityDto <-> Priority { Routine, Important, Critical, Emergency }
);
mirror_enum!(
    /// Where a work order stands.
    WorkOrderStatusDto <-> WorkOrderStatus { Planned, InProgress, Completed, Deferred, Cancelled }
);

/// A work order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f2-3b00-7000-8000-000000000401", "number": "WO-2026-0014", "title": "Oil change DG-1",
    "description": null, "kind": "preventive", "priority": "routine", "status": "in_progress",
    "equipment_id": "0193a5f2-1c00-7000-8000-000000000102", "fault_id": null,
    "schedule_id": null, "assignee_id": "0193a5f2-0000-7000-8000-0000000000c3", "due_on": "2026-12-01", "hours_logged": 1.5,
    "completion_notes": null, "completed_by": null, "completed_at": null, "deferred_until": null,
    "status_reason": null, "created_by": "0193a5f2-0000-7000-8000-0000000000c2", "version": 3,
    "created_at": "2026-11-20T09:00:00Z", "updated_at": "2026-11-22T10:00:00Z"
}))]
pub struct WorkOrderView {
    pub id: Uuid,
    /// `WO-<year>-<sequence>`, unique on the yacht.
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub kind: WorkOrderKindDto,
    pub priority: PriorityDto,
    pub status: WorkOrderStatusDto,
    pub equipment_id: Option<Uuid>,
    pub fault_id: Option<Uuid>,
    /// The schedule that planned it.
    pub schedule_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub due_on: Option<NaiveDate>,
    pub hours_logged: f64,
    pub completion_notes: Option<String>,
    pub completed_by: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub deferred_until: Option<NaiveDate>,
    /// Why it was deferred or cancelled.
    pub status_reason: Option<String>,
    /// Who planned it; `00000000-0000-0000-0000-000000000000` is the scheduler.
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&WorkOrder> for WorkOrderView {
    fn from(w: &WorkOrder) -> Self {
        Self {
            id: w.id.as_uuid(),
            number: w.number.to_string(),
            title: w.title.clone(),
            description: w.description.clone(),
            kind: w.kind.into(),
            priority: w.priority.into(),
            status: w.status.into(),
            equipment_id: w.equipment.map(EquipmentId::as_uuid),
            fault_id: w.fault.map(FaultId::as_uuid),
            schedule_id: w.schedule.map(ScheduleId::as_uuid),
            assignee_id: w.assignee.map(UserId::as_uuid),
            due_on: w.due_on,
            hours_logged: w.hours_logged.as_f64(),
            completion_notes: w.completion_notes.clone(),
            completed_by: w.completed.map(|(u, _)| u.as_uuid()),
            completed_at: w.completed.map(|(_, at)| at),
            deferred_until: w.deferred_until,
            status_reason: w.status_reason.clone(),
            created_by: w.created_by.as_uuid(),
            version: w.version,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// One checklist item.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChecklistItemView {
    pub id: Uuid,
    pub work_order_id: Uuid,
    pub position: i32,
    pub text: String,
    pub done_by: Option<Uuid>,
    pub done_at: Option<DateTime<Utc>>,
}

impl From<&ChecklistItem> for ChecklistItemView {
    fn from(i: &ChecklistItem) -> Self {
        Self {
            id: i.id.as_uuid(),
            work_order_id: i.work_order.as_uuid(),
            position: i.position,
            text: i.text.clone(),
            done_by: i.done.map(|(u, _)| u.as_uuid()),
            done_at: i.done.map(|(_, at)| at),
        }
    }
}

/// A work order with its checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderDetail {
    #[serde(flatten)]
    pub work_order: WorkOrderView,
    pub checklist: Vec<ChecklistItemView>,
}

/// A page of work orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderList {
    pub items: Vec<WorkOrderView>,
    pub next_cursor: Option<String>,
}

/// Work to plan.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Oil change DG-1", "kind": "preventive", "priority": "routine", "equipment_id": "0193a5f2-1c00-7000-8000-000000000102", "due_on": "2026-12-01"}))]
pub struct CreateWorkOrderRequest {
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: String,
    #[schema(pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub description: Option<String>,
    /// `unplanned` when omitted.
    pub kind: Option<WorkOrderKindDto>,
    /// `routine` when omitted.
    pub priority: Option<PriorityDto>,
    pub equipment_id: Option<Uuid>,
    pub due_on: Option<CalendarDate>,
}

/// Changes to the details of unfinished work (a partial update): omitted fields stay as they
/// are; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"priority": "important", "due_on": "2026-12-05"}))]
#[allow(clippy::option_option, reason = "absent, null and a value mean different things")]
pub struct UpdateWorkOrderRequest {
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub description: Option<Option<String>>,
    pub priority: Option<PriorityDto>,
    #[serde(default, deserialize_with = "double_option")]
    pub equipment_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    pub due_on: Option<Option<CalendarDate>>,
}

impl UpdateWorkOrderRequest {
    pub fn validate(self) -> Result<WorkOrderEdits, ApiError> {
        let mut v = Validation::default();
        let title = self.title.as_deref().and_then(|t| v.check("title", "invalid", line(t, 200)));
        let description = self.description.map(|d| v.optional_paragraph("description", d.as_deref(), 5000));
        v.finish()?;
        Ok(WorkOrderEdits {
            title,
            description,
            priority: self.priority.map(Into::into),
            equipment: self.equipment_id.map(|e| e.map(EquipmentId::from_uuid)),
            due_on: self.due_on.map(|d| d.map(|d| d.0)),
        })
    }
}

/// A work order for a fault; omitted fields come from the fault.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FromFaultRequest {
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: Option<String>,
    pub priority: Option<PriorityDto>,
    pub due_on: Option<CalendarDate>,
    /// Create it even though another active work order already handles the fault.
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// The new work order and the fault it now handles.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkOrderFromFaultView {
    pub work_order: WorkOrderView,
    pub fault: FaultView,
}

/// What was done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteWorkOrderRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub completion_notes: String,
}

/// Why and until when the work waits.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeferWorkOrderRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub reason: String,
    pub until: Option<CalendarDate>,
}

/// Why the work is dropped.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelWorkOrderRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub reason: String,
}

/// Who does the work; `null` unassigns.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignWorkOrderRequest {
    /// An active member of the yacht.
    pub assignee_id: Option<Uuid>,
}

/// Hours of work to log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LogHoursRequest {
    /// More than 0 and at most 24, to a tenth.
    #[schema(minimum = 0.1, maximum = 24)]
    pub hours: f64,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 500)]
    pub note: Option<String>,
}

/// The logged entry and the work order's new total.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoggedHoursView {
    pub entry_id: Uuid,
    pub hours: f64,
    pub user_id: Uuid,
    pub note: Option<String>,
    pub logged_at: DateTime<Utc>,
    pub work_order: WorkOrderView,
}

impl LoggedHoursView {
    pub fn new(entry: &TimeEntry, work_order: &WorkOrder) -> Self {
        Self {
            entry_id: entry.id.as_uuid(),
            hours: entry.hours.as_f64(),
            user_id: entry.user.as_uuid(),
            note: entry.note.clone(),
            logged_at: entry.logged_at,
            work_order: work_order.into(),
        }
    }
}

/// A checklist item to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddChecklistItemRequest {
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 500
    )]
    pub text: String,
}

impl LogHoursRequest {
    /// The hours and the optional note.
    pub fn validate(&self) -> Result<(Hours, Option<String>), ApiError> {
        let mut v = Validation::default();
        let logged = v.check("hours", "invalid", Hours::from_f64(self.hours));
        let note = v
            .check("note", "invalid", pms_domain::maintenance::text::optional_line(self.note.as_deref(), 500))
            .flatten();
        v.finish()?;
        Ok((logged.expect("validated"), note))
    }
}

impl CreateWorkOrderRequest {
    pub fn validate(self) -> Result<NewWorkOrder, ApiError> {
        let mut v = Validation::default();
        let title = v.check("title", "invalid", line(&self.title, 200));
        let description = v.optional_paragraph("description", self.description.as_deref(), 5000);
        v.finish()?;
        Ok(NewWorkOrder {
            title: title.expect("validated"),
            description,
            kind: self.kind.map_or(WorkOrderKind::Unplanned, Into::into),
            priority: self.priority.map_or(Priority::Routine, Into::into),
            equipment: self.equipment_id.map(EquipmentId::from_uuid),
            due_on: self.due_on.map(|d| d.0),
        })
    }
}

impl FromFaultRequest {
    pub fn validate(self) -> Result<FromFault, ApiError> {
        let mut v = Validation::default();
        let title = self.title.as_deref().and_then(|t| v.check("title", "invalid", line(t, 200)));
        v.finish()?;
        Ok(FromFault {
            title,
            priority: self.priority.map(Into::into),
            due_on: self.due_on.map(|d| d.0),
            allow_duplicate: self.allow_duplicate,
        })
    }
}
