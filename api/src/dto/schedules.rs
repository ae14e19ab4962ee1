//! Schedule request and response bodies. Schema constraints mirror the validators.
#![allow(clippy::option_option, reason = "PATCH bodies distinguish absent, null and a value")]

use chrono::{DateTime, NaiveDate, Utc};
use pms_domain::maintenance::equipment::Hours;
use pms_domain::maintenance::schedule::{LastDone, MeteredSchedule, NewSchedule, Schedule, ScheduleChanges};
use pms_domain::maintenance::text::line;
use pms_domain::maintenance::work_order::{Priority, WorkOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::dates::CalendarDate;
use crate::http::patch::double_option;
use crate::routes::work_orders::{PriorityDto, WorkOrderStatusDto, WorkOrderView};
use crate::validation::Validation;

/// A planned-maintenance schedule and where it stands today.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f2-5c00-7000-8000-000000000601", "equipment_id": "0193a5f2-1c00-7000-8000-000000000102",
    "title": "DG-1 oil and filter change", "description": "Drain, replace filters, refill 40 L",
    "priority": "important", "every_days": 180, "every_hours": 500.0,
    "last_done_on": "2026-09-01", "last_done_hours": 4000.0, "lead_days": 7, "lead_hours": 50.0,
    "next_due_on": "2027-02-28", "next_due_hours": 4500.0, "current_hours": 4460.0,
    "due": true, "overdue": false, "active": true,
    "created_by": "0193a5f2-0000-7000-8000-0000000000c2", "version": 2,
    "created_at": "2026-09-01T09:00:00Z", "updated_at": "2026-09-01T09:00:00Z"
}))]
pub struct ScheduleView {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// The priority of the work orders it plans.
    pub priority: PriorityDto,
    pub every_days: Option<u32>,
    pub every_hours: Option<f64>,
    /// When the work was last done; the next due date counts from here.
    pub last_done_on: NaiveDate,
    /// The equipment's running hours when the work was last done.
    pub last_done_hours: Option<f64>,
    /// The work is planned this many days before its due date.
    pub lead_days: u32,
    /// The work is planned this many running hours before its due hours.
    pub lead_hours: f64,
    /// Next due by the calendar (absent for hours-only schedules).
    pub next_due_on: Option<NaiveDate>,
    /// Next due by the meter (absent without an hours interval or a meter baseline).
    pub next_due_hours: Option<f64>,
    /// The equipment's latest meter reading.
    pub current_hours: Option<f64>,
    /// Within its lead time by either measure: its work is (or is about to be) planned.
    pub due: bool,
    /// Past its due date or hours.
    pub overdue: bool,
    /// An inactive schedule plans nothing.
    pub active: bool,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ScheduleView {
    pub fn new(schedule: &Schedule, current_hours: Option<Hours>, today: NaiveDate) -> Self {
        let standing = schedule.standing(today, current_hours);
        Self {
            id: schedule.id.as_uuid(),
            equipment_id: schedule.equipment.as_uuid(),
            title: schedule.title.clone(),
            description: schedule.description.clone(),
            priority: schedule.priority.into(),
            every_days: schedule.interval.days(),
            every_hours: schedule.interval.hours().map(Hours::as_f64),
            last_done_on: schedule.baseline.on,
            last_done_hours: schedule.baseline.hours.map(Hours::as_f64),
            lead_days: schedule.lead_days,
            lead_hours: schedule.lead_hours.as_f64(),
            next_due_on: standing.next.on,
            next_due_hours: standing.next.at_hours.map(Hours::as_f64),
            current_hours: current_hours.map(Hours::as_f64),
            due: standing.due,
            overdue: standing.overdue,
            active: schedule.active,
            created_by: schedule.created_by.as_uuid(),
            version: schedule.version,
            created_at: schedule.created_at,
            updated_at: schedule.updated_at,
        }
    }

    pub fn metered(m: &MeteredSchedule, today: NaiveDate) -> Self {
        Self::new(&m.schedule, m.current_hours, today)
    }
}

/// A page of schedules.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleList {
    pub items: Vec<ScheduleView>,
    pub next_cursor: Option<String>,
}

/// The open work order a due schedule already planned.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedWorkSummary {
    pub id: Uuid,
    pub number: String,
    pub status: WorkOrderStatusDto,
    pub due_on: Option<NaiveDate>,
}

impl From<&WorkOrder> for PlannedWorkSummary {
    fn from(w: &WorkOrder) -> Self {
        Self { id: w.id.as_uuid(), number: w.number.to_string(), status: w.status.into(), due_on: w.due_on }
    }
}

/// A schedule that is due, with the work order it planned if any.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueScheduleView {
    pub schedule: ScheduleView,
    /// `null` until the scheduler (or a meter reading) plans the work.
    pub open_work_order: Option<PlannedWorkSummary>,
}

/// Every due schedule, overdue first, then by next due date.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueScheduleList {
    pub items: Vec<DueScheduleView>,
}

/// The work orders planned by a run.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedWorkList {
    pub items: Vec<WorkOrderView>,
}

/// A schedule to define. Give `every_days`, `every_hours` or both (whichever comes first).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "equipment_id": "0193a5f2-1c00-7000-8000-000000000102", "title": "DG-1 oil and filter change",
    "every_days": 180, "every_hours": 500, "priority": "important"
}))]
pub struct CreateScheduleRequest {
    pub equipment_id: Uuid,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: String,
    #[schema(pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub description: Option<String>,
    /// `routine` when omitted.
    pub priority: Option<PriorityDto>,
    #[schema(minimum = 1, maximum = 3650)]
    pub every_days: Option<u32>,
    /// Running hours, to a tenth.
    #[schema(minimum = 0.1, maximum = 100_000)]
    pub every_hours: Option<f64>,
    /// Today when omitted; not in the future.
    pub last_done_on: Option<CalendarDate>,
    /// The equipment's current meter reading when omitted.
    #[schema(minimum = 0, maximum = 9_999_999.9)]
    pub last_done_hours: Option<f64>,
    /// 7 when omitted.
    #[schema(minimum = 0, maximum = 365)]
    pub lead_days: Option<u32>,
    /// A tenth of `every_hours` when omitted.
    #[schema(minimum = 0, maximum = 10_000)]
    pub lead_hours: Option<f64>,
}

/// A partial update: omitted fields stay as they are; `null` drops `every_days` or
/// `every_hours` (one must remain) or clears the description.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"every_hours": 750, "lead_hours": 50}))]
pub struct UpdateScheduleRequest {
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
    #[schema(minimum = 1, maximum = 3650)]
    pub every_days: Option<Option<u32>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(minimum = 0.1, maximum = 100_000)]
    pub every_hours: Option<Option<f64>>,
    /// Corrects when the work was last done; not in the future.
    pub last_done_on: Option<CalendarDate>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(minimum = 0, maximum = 9_999_999.9)]
    pub last_done_hours: Option<Option<f64>>,
    #[schema(minimum = 0, maximum = 365)]
    pub lead_days: Option<u32>,
    #[schema(minimum = 0, maximum = 10_000)]
    pub lead_hours: Option<f64>,
    /// `false` stops the schedule planning work.
    pub active: Option<bool>,
}

fn hours_field(v: &mut Validation, field: &str, raw: f64, positive: bool) -> Option<Hours> {
    let hours = v.check(field, "out_of_range", Hours::from_f64(raw).map_err(|_| "must be 0 to 9,999,999.9"))?;
    if positive && hours.tenths() == 0 {
        v.require(false, field, "out_of_range", "must be more than 0");
        return None;
    }
    Some(hours)
}

impl CreateScheduleRequest {
    pub fn validate(self) -> Result<NewSchedule, ApiError> {
        let mut v = Validation::default();
        let title = v.check("title", "invalid", line(&self.title, 200));
        let description = v.optional_paragraph("description", self.description.as_deref(), 5000);
        let every_hours = self.every_hours.and_then(|h| hours_field(&mut v, "every_hours", h, true));
        let last_done_hours = self.last_done_hours.and_then(|h| hours_field(&mut v, "last_done_hours", h, false));
        let lead_hours = self.lead_hours.and_then(|h| hours_field(&mut v, "lead_hours", h, false));
        v.finish()?;
        Ok(NewSchedule {
            equipment: pms_domain::ids::EquipmentId::from_uuid(self.equipment_id),
            title: title.expect("validated"),
            description,
            priority: self.priority.map_or(Priority::Routine, Into::into),
            every_days: self.every_days,
            every_hours,
            last_done: LastDone { on: self.last_done_on.map(|d| d.0), hours: last_done_hours },
            lead_days: self.lead_days,
            lead_hours,
        })
    }
}

impl UpdateScheduleRequest {
    pub fn validate(self) -> Result<ScheduleChanges, ApiError> {
        let mut v = Validation::default();
        let title = self.title.as_deref().and_then(|t| v.check("title", "invalid", line(t, 200)));
        let description = self.description.map(|d| v.optional_paragraph("description", d.as_deref(), 5000));
        let every_hours = self.every_hours.map(|h| h.and_then(|h| hours_field(&mut v, "every_hours", h, true)));
        let last_done_hours =
            self.last_done_hours.map(|h| h.and_then(|h| hours_field(&mut v, "last_done_hours", h, false)));
        let lead_hours = self.lead_hours.and_then(|h| hours_field(&mut v, "lead_hours", h, false));
        v.finish()?;
        Ok(ScheduleChanges {
            title,
            description,
            priority: self.priority.map(Into::into),
            every_days: self.every_days,
            every_hours,
            last_done_on: self.last_done_on.map(|d| d.0),
            last_done_hours,
            lead_days: self.lead_days,
            lead_hours,
            active: self.active,
        })
    }
}
