//! Planned-maintenance schedules: every N days and/or every N running hours, whichever comes
//! first, counted from the last time the work was done. A due schedule becomes a work order;
//! completing that work order moves the schedule on.

mod usecases;

use chrono::NaiveDate;
pub use usecases::*;

use super::equipment::Hours;
use super::paging::{Page, PageRequest};
use super::work_order::Priority;
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, ScheduleId, UserId};
use crate::maintenance::audit::{Audited, EntityKind};
use crate::store::StoreError;

/// How often the work recurs: by calendar, by running hours, or both (whichever comes first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    days: Option<u32>,
    hours: Option<Hours>,
}

/// An interval that cannot recur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntervalError {
    #[error("give every N days, every N running hours, or both")]
    Missing,
    #[error("days must be 1 to 3650")]
    Days,
    #[error("hours must be more than 0 and at most 100,000")]
    Hours,
}

impl Interval {
    const MAX_DAYS: u32 = 3650;
    const MAX_HOURS_TENTHS: i64 = 1_000_000;

    pub fn new(days: Option<u32>, hours: Option<Hours>) -> Result<Self, IntervalError> {
        if days.is_none() && hours.is_none() {
            return Err(IntervalError::Missing);
        }
        if days.is_some_and(|d| !(1..=Self::MAX_DAYS).contains(&d)) {
            return Err(IntervalError::Days);
        }
        if hours.is_some_and(|h| !(1..=Self::MAX_HOURS_TENTHS).contains(&h.tenths())) {
            return Err(IntervalError::Hours);
        }
        Ok(Self { days, hours })
    }

    pub const fn days(self) -> Option<u32> {
        self.days
    }

    pub const fn hours(self) -> Option<Hours> {
        self.hours
    }
}

/// When the work was last done: the date, and the equipment's running hours then (if it has a
/// meter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Baseline {
    pub on: NaiveDate,
    pub hours: Option<Hours>,
}

/// When the work is next due, by each measure the interval has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextDue {
    pub on: Option<NaiveDate>,
    pub at_hours: Option<Hours>,
}

impl NextDue {
    /// Counts the interval on from the baseline. An hours interval needs a meter reading at the
    /// baseline; without one, only the calendar counts.
    pub fn after(baseline: Baseline, interval: Interval) -> Self {
        let on = interval.days.and_then(|days| baseline.on.checked_add_days(chrono::Days::new(u64::from(days))));
        let at_hours = interval
            .hours
            .zip(baseline.hours)
            .and_then(|(every, last)| Hours::from_tenths(last.tenths().saturating_add(every.tenths())).ok());
        Self { on, at_hours }
    }

    /// Due when either measure is reached, whichever comes first: the date has come (within
    /// `lead_days` of it) or the meter has reached the hours (within `lead_hours` of them).
    pub fn is_due(self, today: NaiveDate, current_hours: Option<Hours>, lead_days: u32, lead_hours: Hours) -> bool {
        let by_date = self.on.is_some_and(|on| {
            on.checked_sub_days(chrono::Days::new(u64::from(lead_days))).is_none_or(|start| today >= start)
        });
        let by_hours = self
            .at_hours
            .zip(current_hours)
            .is_some_and(|(due, now)| now.tenths().saturating_add(lead_hours.tenths()) >= due.tenths());
        by_date || by_hours
    }

    /// Past due: the date has gone by or the meter has passed the hours.
    pub fn is_overdue(self, today: NaiveDate, current_hours: Option<Hours>) -> bool {
        self.on.is_some_and(|on| today > on)
            || self.at_hours.zip(current_hours).is_some_and(|(due, now)| now.tenths() >= due.tenths())
    }
}

/// A recurring piece of maintenance on one piece of equipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: ScheduleId,
    pub equipment: EquipmentId,
    pub title: String,
    pub description: Option<String>,
    /// The priority of the work orders it plans.
    pub priority: Priority,
    pub interval: Interval,
    pub baseline: Baseline,
    /// Plan the work this many days before the date it is due.
    pub lead_days: u32,
    /// Plan the work this many running hours before the hours it is due at.
    pub lead_hours: Hours,
    /// An inactive schedule plans nothing.
    pub active: bool,
    pub created_by: UserId,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for Schedule {
    fn kind(&self) -> EntityKind {
        EntityKind::Schedule
    }
}

impl Schedule {
    /// Most days of lead time.
    pub const MAX_LEAD_DAYS: u32 = 365;
    /// Most running hours of lead time, in tenths.
    pub const MAX_LEAD_HOURS_TENTHS: i64 = 100_000;

    pub fn next_due(&self) -> NextDue {
        NextDue::after(self.baseline, self.interval)
    }

    /// Where the schedule stands today with the equipment's meter at `current_hours`.
    pub fn standing(&self, today: NaiveDate, current_hours: Option<Hours>) -> Standing {
        let next = self.next_due();
        Standing {
            next,
            due: self.active && next.is_due(today, current_hours, self.lead_days, self.lead_hours),
            overdue: self.active && next.is_overdue(today, current_hours),
        }
    }

    /// The work was done on `on` at `hours`: the next due date and hours count on from there.
    #[must_use]
    pub fn done(mut self, on: NaiveDate, hours: Option<Hours>) -> Self {
        self.baseline = Baseline { on, hours: hours.or(self.baseline.hours) };
        self
    }

    /// The default lead time in hours: a tenth of the hours interval, so hour-based work is
    /// planned before the meter gets there.
    pub fn default_lead_hours(interval: Interval) -> Hours {
        let tenths = interval.hours().map_or(0, |h| h.tenths() / 10);
        Hours::from_tenths(tenths.min(Self::MAX_LEAD_HOURS_TENTHS)).expect("within the meter range")
    }
}

/// Where a schedule stands: when it is next due, whether its work should be planned now
/// (`due`, within the lead time) and whether it is past due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub next: NextDue,
    pub due: bool,
    pub overdue: bool,
}

/// A schedule with its equipment's current meter reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeteredSchedule {
    pub schedule: Schedule,
    pub current_hours: Option<Hours>,
}

/// How to order schedule lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScheduleSort {
    /// Soonest next due date first; hours-only schedules last.
    #[default]
    NextDue,
    Title,
    Newest,
}

impl ScheduleSort {
    pub const ALL: [Self; 3] = [Self::NextDue, Self::Title, Self::Newest];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NextDue => "next_due_on",
            Self::Title => "title",
            Self::Newest => "-created_at",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Which schedules to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScheduleFilter {
    pub equipment: Option<EquipmentId>,
    pub active: Option<bool>,
    /// Next due by date on or before this day.
    pub due_before: Option<NaiveDate>,
    /// Words of the title or description.
    pub text: Option<String>,
    pub sort: ScheduleSort,
}

/// Schedule storage within one yacht's transaction.
pub trait ScheduleRepo: Send {
    fn schedule(&mut self, id: ScheduleId) -> impl Future<Output = Result<Option<Schedule>, StoreError>> + Send;
    fn schedule_for_update(
        &mut self,
        id: ScheduleId,
    ) -> impl Future<Output = Result<Option<Schedule>, StoreError>> + Send;
    fn insert_schedule(&mut self, schedule: &Schedule) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn update_schedule(&mut self, schedule: &Schedule) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// A page of schedules, each with its equipment's meter.
    fn list_schedules(
        &mut self,
        filter: &ScheduleFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<MeteredSchedule>, StoreError>> + Send;
    /// The active schedules (of one piece of equipment, or all), each with its equipment's meter.
    fn active_schedules(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> impl Future<Output = Result<Vec<MeteredSchedule>, StoreError>> + Send;
    /// As [`ScheduleRepo::active_schedules`], locking the schedules (in id order, so that
    /// concurrent planners take turns instead of deadlocking).
    fn active_schedules_for_update(
        &mut self,
        equipment: Option<EquipmentId>,
    ) -> impl Future<Output = Result<Vec<MeteredSchedule>, StoreError>> + Send;
}

#[cfg(test)]
mod tests;
