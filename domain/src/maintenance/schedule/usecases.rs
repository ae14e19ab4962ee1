//! Schedule use cases: define and change schedules, plan the work that has come due, and move a
//! schedule on when its work is done.
//!
//! Lock order, shared with the work-order use cases so that concurrent planners never deadlock:
//! a work order's row, then schedules (in id order), then the counter that numbers work orders,
//! then the audit chain head (taken by the first audit append).

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{Baseline, Interval, IntervalError, MeteredSchedule, Schedule, ScheduleRepo};
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, ScheduleId};
use crate::maintenance::ExpectedVersion;
use crate::maintenance::audit::{AuditEntry, AuditLog, EntityKind, Snapshot};
use crate::maintenance::equipment::{
    Equipment, EquipmentError, EquipmentRepo, EquipmentStatus, Hours, NewReading, RunningHoursReading,
    record_running_hours,
};
use crate::maintenance::work_order::{NewWorkOrder, Origin, Priority, WorkOrder, WorkOrderKind, WorkOrderRepo, insert};
use crate::maintenance::{Actor, Denied};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such schedule")]
    NotFound,
    #[error("the equipment does not exist")]
    EquipmentNotFound,
    #[error("decommissioned equipment gets no new schedules")]
    EquipmentDecommissioned,
    #[error(transparent)]
    Interval(#[from] IntervalError),
    #[error("an hours-only schedule needs the hours it was last done at, and the equipment has no meter reading")]
    NoMeterReading,
    #[error("the work cannot have been done in the future")]
    LastDoneInFuture,
    #[error("lead_days must be 0 to 365")]
    LeadDays,
    #[error("lead_hours must be 0 to 10,000")]
    LeadHours,
    #[error("the schedule changed since version {expected}; it is now at version {current}")]
    StaleVersion { expected: i32, current: i32 },
    #[error(transparent)]
    Equipment(EquipmentError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// When the work was last done, if not today at the equipment's current hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LastDone {
    pub on: Option<NaiveDate>,
    pub hours: Option<Hours>,
}

/// A schedule to define.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSchedule {
    pub equipment: EquipmentId,
    pub title: String,
    pub description: Option<String>,
    pub priority: Priority,
    pub every_days: Option<u32>,
    pub every_hours: Option<Hours>,
    pub last_done: LastDone,
    /// 7 when omitted.
    pub lead_days: Option<u32>,
    /// A tenth of the hours interval when omitted.
    pub lead_hours: Option<Hours>,
}

/// A partial change: `None` leaves a field as it is; for the interval, `Some(None)` drops that
/// measure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleChanges {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub priority: Option<Priority>,
    pub every_days: Option<Option<u32>>,
    pub every_hours: Option<Option<Hours>>,
    /// Corrects when the work was last done.
    pub last_done_on: Option<NaiveDate>,
    pub last_done_hours: Option<Option<Hours>>,
    pub lead_days: Option<u32>,
    pub lead_hours: Option<Hours>,
    pub active: Option<bool>,
}

/// May the actor define and change schedules (`schedule_maintenance`)? Heads of department.
pub fn require_schedule(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.role.is_hod(), "schedule maintenance")
}

/// Lead time in days when a schedule does not say.
pub const DEFAULT_LEAD_DAYS: u32 = 7;

fn check_lead(lead_days: u32, lead_hours: Hours) -> Result<(), ScheduleError> {
    if lead_days > Schedule::MAX_LEAD_DAYS {
        return Err(ScheduleError::LeadDays);
    }
    if lead_hours.tenths() > Schedule::MAX_LEAD_HOURS_TENTHS {
        return Err(ScheduleError::LeadHours);
    }
    Ok(())
}

/// An hours-only schedule can only come due if it knows the hours it counts from.
fn check_countable(schedule: &Schedule) -> Result<(), ScheduleError> {
    if schedule.interval.days().is_none() && schedule.baseline.hours.is_none() {
        return Err(ScheduleError::NoMeterReading);
    }
    Ok(())
}

async fn audit<T: AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: Option<&Schedule>,
    after: &Schedule,
) -> Result<(), StoreError> {
    let snapshot = |s: &Schedule| Snapshot::of(s.clone());
    let entry = AuditEntry {
        action,
        entity: EntityKind::Schedule,
        entity_id: after.id.as_uuid(),
        before: before.map(snapshot),
        after: Some(snapshot(after)),
    };
    tx.append(actor, entry).await
}

async fn save<T: ScheduleRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: &Schedule,
    mut after: Schedule,
    now: Timestamp,
) -> Result<Schedule, StoreError> {
    after.version = before.version + 1;
    after.updated_at = now;
    tx.update_schedule(&after).await?;
    audit(tx, actor, action, Some(before), &after).await?;
    Ok(after)
}

/// Defines a schedule (heads of department). Unless told otherwise it counts from
/// today and the equipment's current meter reading, which it returns with the schedule.
pub async fn create_schedule<T: ScheduleRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewSchedule,
    now: Timestamp,
) -> Result<MeteredSchedule, ScheduleError> {
    require_schedule(actor)?;
    let interval = Interval::new(new.every_days, new.every_hours)?;
    let equipment = tx.equipment(new.equipment).await?.ok_or(ScheduleError::EquipmentNotFound)?;
    if equipment.status == EquipmentStatus::Decommissioned {
        return Err(ScheduleError::EquipmentDecommissioned);
    }
    let today = now.date_naive();
    let on = new.last_done.on.unwrap_or(today);
    if on > today {
        return Err(ScheduleError::LastDoneInFuture);
    }
    let lead_days = new.lead_days.unwrap_or(DEFAULT_LEAD_DAYS);
    let lead_hours = new.lead_hours.unwrap_or_else(|| Schedule::default_lead_hours(interval));
    check_lead(lead_days, lead_hours)?;
    let schedule = Schedule {
        id: ScheduleId::generate(),
        equipment: equipment.id,
        title: new.title,
        description: new.description,
        priority: new.priority,
        interval,
        baseline: Baseline { on, hours: new.last_done.hours.or(equipment.running_hours.map(|(h, _)| h)) },
        lead_days,
        lead_hours,
        active: true,
        created_by: actor.user,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    check_countable(&schedule)?;
    tx.insert_schedule(&schedule).await?;
    audit(tx, actor, "schedule.created", None, &schedule).await?;
    Ok(MeteredSchedule { schedule, current_hours: equipment.running_hours.map(|(h, _)| h) })
}

/// Changes a schedule's details, interval, lead time, baseline or whether it is active (heads of
/// department).
pub async fn update_schedule<T: ScheduleRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: ScheduleId,
    expected_version: ExpectedVersion,
    changes: ScheduleChanges,
    now: Timestamp,
) -> Result<Schedule, ScheduleError> {
    require_schedule(actor)?;
    let before = tx.schedule_for_update(id).await?.ok_or(ScheduleError::NotFound)?;
    if let Err(expected) = expected_version.check(before.version) {
        return Err(ScheduleError::StaleVersion { expected, current: before.version });
    }
    let ScheduleChanges {
        title,
        description,
        priority,
        every_days,
        every_hours,
        last_done_on,
        last_done_hours,
        lead_days,
        lead_hours,
        active,
    } = changes;
    let interval =
        Interval::new(every_days.unwrap_or(before.interval.days()), every_hours.unwrap_or(before.interval.hours()))?;
    let baseline = Baseline {
        on: last_done_on.unwrap_or(before.baseline.on),
        hours: last_done_hours.unwrap_or(before.baseline.hours),
    };
    if baseline.on > now.date_naive() {
        return Err(ScheduleError::LastDoneInFuture);
    }
    let after = Schedule {
        title: title.unwrap_or_else(|| before.title.clone()),
        description: description.unwrap_or_else(|| before.description.clone()),
        priority: priority.unwrap_or(before.priority),
        interval,
        baseline,
        lead_days: lead_days.unwrap_or(before.lead_days),
        lead_hours: lead_hours.unwrap_or(before.lead_hours),
        active: active.unwrap_or(before.active),
        ..before.clone()
    };
    check_lead(after.lead_days, after.lead_hours)?;
    check_countable(&after)?;
    if after == before {
        return Ok(before);
    }
    Ok(save(tx, actor, "schedule.updated", &before, after, now).await?)
}

/// Moves a schedule on after its work was done on `on` at `hours`. The caller holds the
/// schedule's row lock.
pub async fn mark_done<T: ScheduleRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    schedule: Schedule,
    on: NaiveDate,
    hours: Option<Hours>,
    now: Timestamp,
) -> Result<Schedule, StoreError> {
    let after = schedule.clone().done(on, hours);
    save(tx, actor, "schedule.done", &schedule, after, now).await
}

/// Plans a work order for every locked schedule that is due and has no open one. Returns the
/// work orders planned.
async fn plan<T: WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    locked: Vec<MeteredSchedule>,
    equipment: Option<EquipmentId>,
    now: Timestamp,
) -> Result<Vec<WorkOrder>, ScheduleError> {
    let today = now.date_naive();
    let due: Vec<_> = locked
        .into_iter()
        .filter_map(|m| {
            let standing = m.schedule.standing(today, m.current_hours);
            standing.due.then_some((m.schedule, standing))
        })
        .collect();
    if due.is_empty() {
        return Ok(Vec::new());
    }
    let open: HashSet<ScheduleId> =
        tx.active_scheduled_work_orders(equipment).await?.into_iter().filter_map(|w| w.schedule).collect();
    let mut planned = Vec::new();
    for (schedule, standing) in due.into_iter().filter(|(s, _)| !open.contains(&s.id)) {
        // Not yet due by the calendar, so due by the meter: that means now.
        let lead = chrono::Days::new(u64::from(schedule.lead_days));
        let due_on = match standing.next.on {
            Some(on) if on <= today + lead => Some(on),
            _ => Some(today),
        };
        let new = NewWorkOrder {
            title: schedule.title.clone(),
            description: schedule.description.clone(),
            kind: WorkOrderKind::Scheduled,
            priority: schedule.priority,
            equipment: Some(schedule.equipment),
            due_on,
        };
        let origin = Origin { fault: None, schedule: Some(schedule.id) };
        planned.push(insert(tx, actor, new, origin, now).await?);
    }
    Ok(planned)
}

/// Plans the work that has come due on the yacht (or on one piece of equipment). Running it
/// again, or concurrently, plans nothing twice: each schedule has at most one open work order.
/// No role check: planning due work is a consequence of the schedules, not a decision.
pub async fn plan_due_work<T: ScheduleRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    equipment: Option<EquipmentId>,
    now: Timestamp,
) -> Result<Vec<WorkOrder>, ScheduleError> {
    let locked = tx.active_schedules_for_update(equipment).await?;
    plan(tx, actor, locked, equipment, now).await
}

/// Records a meter reading and at once plans the work it brought due on that equipment.
pub async fn record_running_hours_and_plan<T: EquipmentRepo + ScheduleRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: EquipmentId,
    reading: NewReading,
    now: Timestamp,
) -> Result<(Equipment, RunningHoursReading, Vec<WorkOrder>), ScheduleError> {
    // Schedules first: the reading's audit entry takes the chain head.
    let locked = tx.active_schedules_for_update(Some(id)).await?;
    let (equipment, recorded) =
        record_running_hours(tx, actor, id, reading, now).await.map_err(ScheduleError::Equipment)?;
    let hours = equipment.running_hours.map(|(h, _)| h);
    let metered = locked.into_iter().map(|m| MeteredSchedule { current_hours: hours, ..m }).collect();
    let planned = plan(tx, actor, metered, Some(id), now).await?;
    Ok((equipment, recorded, planned))
}
