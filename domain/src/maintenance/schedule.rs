//! Planned-maintenance schedules: every N days and/or every N running hours, whichever comes
//! first, counted from the last time the work was done.

use chrono::NaiveDate;

use super::equipment::Hours;
use crate::ids::{EquipmentId, ScheduleId};

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
}

/// A recurring piece of maintenance on one piece of equipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: ScheduleId,
    pub equipment: EquipmentId,
    pub title: String,
    pub interval: Interval,
    pub baseline: Baseline,
    pub active: bool,
}

impl Schedule {
    pub fn next_due(&self) -> NextDue {
        NextDue::after(self.baseline, self.interval)
    }

    /// The work was done on `on` at `hours`: the next due date and hours count on from there.
    #[must_use]
    pub fn done(mut self, on: NaiveDate, hours: Option<Hours>) -> Self {
        self.baseline = Baseline { on, hours: hours.or(self.baseline.hours) };
        self
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn hours(h: f64) -> Hours {
        Hours::from_f64(h).expect("hours")
    }

    #[test]
    fn an_interval_needs_days_or_hours_within_bounds() {
        assert_eq!(Interval::new(None, None), Err(IntervalError::Missing));
        assert_eq!(Interval::new(Some(0), None), Err(IntervalError::Days));
        assert_eq!(Interval::new(Some(3651), None), Err(IntervalError::Days));
        assert_eq!(Interval::new(None, Some(hours(0.0))), Err(IntervalError::Hours));
        assert!(Interval::new(Some(365), Some(hours(500.0))).is_ok());
    }

    #[test]
    fn whichever_comes_first_the_hours_or_the_date() {
        let interval = Interval::new(Some(180), Some(hours(500.0))).expect("interval");
        let next = NextDue::after(Baseline { on: date(2026, 1, 1), hours: Some(hours(12_000.0)) }, interval);
        assert_eq!((next.on, next.at_hours), (Some(date(2026, 6, 30)), Some(hours(12_500.0))));
        let none = hours(0.0);
        assert!(!next.is_due(date(2026, 3, 1), Some(hours(12_400.0)), 0, none), "neither reached");
        assert!(next.is_due(date(2026, 3, 1), Some(hours(12_500.0)), 0, none), "hours first");
        assert!(next.is_due(date(2026, 6, 30), Some(hours(12_100.0)), 0, none), "date first");
        assert!(next.is_due(date(2026, 6, 20), Some(hours(12_100.0)), 10, none), "within the lead time");
        assert!(next.is_due(date(2026, 3, 1), Some(hours(12_460.0)), 0, hours(50.0)), "within the lead hours");
    }

    #[test]
    fn without_a_meter_reading_only_the_calendar_counts() {
        let interval = Interval::new(Some(30), Some(hours(250.0))).expect("interval");
        let next = NextDue::after(Baseline { on: date(2026, 11, 1), hours: None }, interval);
        assert_eq!((next.on, next.at_hours), (Some(date(2026, 12, 1)), None));
        assert!(!next.is_due(date(2026, 11, 15), Some(hours(99_999.0)), 0, hours(0.0)));
    }

    #[test]
    fn doing_the_work_moves_the_next_due_on_from_the_completion() {
        let schedule = Schedule {
            id: ScheduleId::generate(),
            equipment: EquipmentId::generate(),
            title: "Oil change".to_owned(),
            interval: Interval::new(Some(90), Some(hours(250.0))).expect("interval"),
            baseline: Baseline { on: date(2026, 1, 1), hours: Some(hours(1000.0)) },
            active: true,
        };
        let done = schedule.done(date(2026, 3, 10), Some(hours(1240.0)));
        assert_eq!((done.next_due().on, done.next_due().at_hours), (Some(date(2026, 6, 8)), Some(hours(1490.0))));
        let without_reading = done.done(date(2026, 6, 1), None);
        assert_eq!(without_reading.next_due().at_hours, Some(hours(1490.0)), "keeps the last known meter baseline");
    }

    proptest! {
        /// The work is due exactly when the earlier of the two thresholds has been reached.
        #[test]
        fn due_is_exactly_whichever_threshold_comes_first(
            days in 1u32..400, every_tenths in 10i64..20_000, elapsed_days in 0i64..800,
            start_tenths in 0i64..1_000_000, run_tenths in 0i64..40_000,
        ) {
            let start = date(2026, 1, 1);
            let interval = Interval::new(Some(days), Some(Hours::from_tenths(every_tenths).expect("hours"))).expect("interval");
            let next = NextDue::after(Baseline { on: start, hours: Some(Hours::from_tenths(start_tenths).expect("hours")) }, interval);
            let today = start + chrono::Duration::days(elapsed_days);
            let now = Hours::from_tenths(start_tenths + run_tenths).expect("hours");
            let expected = elapsed_days >= i64::from(days) || run_tenths >= every_tenths;
            prop_assert_eq!(next.is_due(today, Some(now), 0, Hours::from_tenths(0).expect("zero")), expected);
        }
    }
}
