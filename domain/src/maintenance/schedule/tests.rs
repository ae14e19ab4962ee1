//! Schedule arithmetic and use cases.

use chrono::TimeZone as _;
use proptest::prelude::*;

use super::*;
use crate::identity::Role;
use crate::maintenance::Actor;
use crate::maintenance::ExpectedVersion;
use crate::maintenance::equipment::{
    Criticality, Equipment, EquipmentCode, EquipmentDetails, NewEquipment, NewReading, create_equipment,
};
use crate::maintenance::fake::FakeTx;
use crate::maintenance::lifecycle::change_work_order;
use crate::maintenance::work_order::{WorkOrder, WorkOrderChange, WorkOrderError, WorkOrderKind, WorkOrderStatus};
use crate::testkit::block_on;

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

fn actor(role: Role) -> Actor {
    Actor { user: UserId::generate(), role, request_id: None }
}

fn chief() -> Actor {
    actor(Role::ChiefEngineer)
}

/// Noon on a day of November 2026.
fn on_day(day: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).single().expect("valid time")
}

fn equipment(tx: &mut FakeTx, meter: Option<f64>) -> Equipment {
    let new = NewEquipment {
        code: EquipmentCode::parse("DG-1").expect("code"),
        parent: None,
        details: EquipmentDetails { name: "Generator 1".to_owned(), ..EquipmentDetails::default() },
        criticality: Criticality::High,
    };
    let created = block_on(create_equipment(tx, &chief(), new, on_day(1))).expect("equipment");
    match meter {
        Some(h) => read(tx, created.id, h, 1),
        None => created,
    }
}

fn read(tx: &mut FakeTx, id: EquipmentId, h: f64, day: u32) -> Equipment {
    let reading = NewReading { hours: hours(h), read_at: on_day(day), is_reset: false, note: None };
    block_on(record_running_hours_and_plan(tx, &chief(), id, reading, on_day(day))).expect("reading").0
}

fn oil_change(equipment: EquipmentId, days: Option<u32>, every_hours: Option<f64>) -> NewSchedule {
    NewSchedule {
        equipment,
        title: "Oil and filter change".to_owned(),
        description: Some("Drain, replace filters, refill 40 L".to_owned()),
        priority: Priority::Important,
        every_days: days,
        every_hours: every_hours.map(hours),
        last_done: LastDone::default(),
        lead_days: None,
        lead_hours: None,
    }
}

fn define(tx: &mut FakeTx, new: NewSchedule) -> Schedule {
    block_on(create_schedule(tx, &chief(), new, on_day(1))).expect("schedule").schedule
}

fn plan_on(tx: &mut FakeTx, day: u32) -> Vec<WorkOrder> {
    block_on(plan_due_work(tx, &Actor::scheduler(), None, on_day(day))).expect("planned")
}

fn complete(tx: &mut FakeTx, id: crate::ids::WorkOrderId, day: u32) -> Result<WorkOrder, WorkOrderError> {
    block_on(change_work_order(tx, &chief(), id, ExpectedVersion::ANY, WorkOrderChange::Start, on_day(day)))?;
    let notes = WorkOrderChange::Complete { notes: "Done".to_owned() };
    block_on(change_work_order(tx, &chief(), id, ExpectedVersion::ANY, notes, on_day(day)))
}

#[test]
fn doing_the_work_moves_the_next_due_on_from_the_completion() {
    let schedule = Schedule {
        id: ScheduleId::generate(),
        equipment: EquipmentId::generate(),
        title: "Oil change".to_owned(),
        description: None,
        priority: Priority::Routine,
        interval: Interval::new(Some(90), Some(hours(250.0))).expect("interval"),
        baseline: Baseline { on: date(2026, 1, 1), hours: Some(hours(1000.0)) },
        lead_days: 0,
        lead_hours: hours(0.0),
        active: true,
        created_by: UserId::generate(),
        version: 1,
        created_at: on_day(1),
        updated_at: on_day(1),
    };
    let done = schedule.done(date(2026, 3, 10), Some(hours(1240.0)));
    assert_eq!((done.next_due().on, done.next_due().at_hours), (Some(date(2026, 6, 8)), Some(hours(1490.0))));
    let without_reading = done.clone().done(date(2026, 6, 1), None);
    assert_eq!(without_reading.next_due().at_hours, Some(hours(1490.0)), "keeps the last known meter baseline");
    let standing = done.standing(date(2026, 6, 9), Some(hours(1300.0)));
    assert!(standing.due && standing.overdue);
    let inactive = Schedule { active: false, ..done };
    assert!(!inactive.standing(date(2026, 6, 9), Some(hours(1300.0))).due, "an inactive schedule is never due");
}

#[test]
fn a_new_schedule_counts_from_today_and_the_current_meter_with_default_lead_times() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    let schedule = define(&mut tx, oil_change(generator.id, Some(180), Some(500.0)));
    assert_eq!(schedule.baseline, Baseline { on: date(2026, 11, 1), hours: Some(hours(4_000.0)) });
    assert_eq!((schedule.lead_days, schedule.lead_hours), (DEFAULT_LEAD_DAYS, hours(50.0)));
    assert_eq!(schedule.next_due().at_hours, Some(hours(4_500.0)));
    assert_eq!(tx.audit.last().map(|a| a.0.as_str()), Some("schedule.created"));
}

#[test]
fn defining_a_schedule_is_refused_for_bad_input_and_writes_nothing() {
    let mut tx = FakeTx::default();
    let metered = equipment(&mut tx, Some(10.0));
    let crew =
        block_on(create_schedule(&mut tx, &actor(Role::Crew), oil_change(metered.id, Some(30), None), on_day(1)));
    assert!(matches!(crew, Err(ScheduleError::Denied(_))));
    let cases = [
        (oil_change(EquipmentId::generate(), Some(30), None), "equipment"),
        (oil_change(metered.id, None, None), "interval"),
        (
            NewSchedule {
                last_done: LastDone { on: Some(date(2026, 11, 2)), hours: None },
                ..oil_change(metered.id, Some(30), None)
            },
            "future",
        ),
        (NewSchedule { lead_days: Some(366), ..oil_change(metered.id, Some(30), None) }, "lead"),
    ];
    for (new, what) in cases {
        assert!(block_on(create_schedule(&mut tx, &chief(), new, on_day(1))).is_err(), "{what}");
    }
    assert!(tx.schedules.is_empty());

    let mut unmetered = FakeTx::default();
    let pump = equipment(&mut unmetered, None);
    let hours_only =
        block_on(create_schedule(&mut unmetered, &chief(), oil_change(pump.id, None, Some(250.0)), on_day(1)));
    assert!(matches!(hours_only, Err(ScheduleError::NoMeterReading)), "{hours_only:?}");
    let given = NewSchedule {
        last_done: LastDone { on: None, hours: Some(hours(0.0)) },
        ..oil_change(pump.id, None, Some(250.0))
    };
    assert!(
        block_on(create_schedule(&mut unmetered, &chief(), given, on_day(1))).is_ok(),
        "given the hours it was last done at"
    );
}

#[test]
fn due_work_is_planned_once_with_the_schedule_details() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    let schedule = define(&mut tx, NewSchedule { lead_days: Some(3), ..oil_change(generator.id, Some(10), None) });
    assert!(plan_on(&mut tx, 7).is_empty(), "due on the 11th, planned from the 8th");
    let planned = plan_on(&mut tx, 8);
    assert_eq!(planned.len(), 1);
    let work = &planned[0];
    assert_eq!(
        (work.kind, work.schedule, work.equipment),
        (WorkOrderKind::Scheduled, Some(schedule.id), Some(generator.id))
    );
    assert_eq!(
        (work.title.as_str(), work.priority, work.due_on),
        ("Oil and filter change", Priority::Important, Some(date(2026, 11, 11)))
    );
    assert_eq!(work.created_by, UserId::SCHEDULER);
    assert!(plan_on(&mut tx, 8).is_empty(), "running again plans nothing");
    assert!(plan_on(&mut tx, 20).is_empty(), "nor does it later, while the work is open");
    assert_eq!(tx.work_orders.len(), 1);
}

#[test]
fn inactive_schedules_plan_nothing() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    let schedule = define(&mut tx, oil_change(generator.id, Some(10), None));
    let off = ScheduleChanges { active: Some(false), ..ScheduleChanges::default() };
    block_on(update_schedule(&mut tx, &chief(), schedule.id, ExpectedVersion::one(1), off, on_day(2)))
        .expect("deactivated");
    assert!(plan_on(&mut tx, 30).is_empty());
}

#[test]
fn a_meter_reading_past_the_hours_plans_the_work_at_once_due_today() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    define(&mut tx, NewSchedule { lead_hours: Some(hours(0.0)), ..oil_change(generator.id, Some(180), Some(500.0)) });
    let reading = NewReading { hours: hours(4_499.0), read_at: on_day(5), is_reset: false, note: None };
    let (_, _, planned) =
        block_on(record_running_hours_and_plan(&mut tx, &chief(), generator.id, reading, on_day(5))).expect("read");
    assert!(planned.is_empty(), "one hour short");
    let reading = NewReading { hours: hours(4_500.0), read_at: on_day(6), is_reset: false, note: None };
    let (_, _, planned) =
        block_on(record_running_hours_and_plan(&mut tx, &chief(), generator.id, reading, on_day(6))).expect("read");
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].due_on, Some(date(2026, 11, 6)), "due by the meter means due now");
}

#[test]
fn completing_the_work_moves_the_schedule_on_from_that_day_and_meter() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    let schedule = define(&mut tx, oil_change(generator.id, Some(10), Some(500.0)));
    let work = plan_on(&mut tx, 5).pop().expect("planned");
    read(&mut tx, generator.id, 4_120.0, 9);
    complete(&mut tx, work.id, 9).expect("completed");
    let moved = tx.schedules[&schedule.id].clone();
    assert_eq!(moved.baseline, Baseline { on: date(2026, 11, 9), hours: Some(hours(4_120.0)) });
    assert_eq!(moved.version, 2);
    assert!(tx.audit.iter().any(|a| a.0 == "schedule.done"));
    assert!(plan_on(&mut tx, 10).is_empty(), "next due on the 19th");
    assert_eq!(plan_on(&mut tx, 12).len(), 1, "planned within the lead time of the 19th");
}

#[test]
fn cancelled_work_is_planned_again_while_due_and_reopening_never_makes_two_open() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    define(&mut tx, oil_change(generator.id, Some(10), None));
    let first = plan_on(&mut tx, 5).pop().expect("planned");
    let cancel = WorkOrderChange::Cancel { reason: "Duplicate of a yard job".to_owned() };
    block_on(change_work_order(&mut tx, &chief(), first.id, ExpectedVersion::ANY, cancel, on_day(5)))
        .expect("cancelled");
    let second = plan_on(&mut tx, 6).pop().expect("planned again");
    assert_eq!(tx.work_orders[&first.id].status, WorkOrderStatus::Cancelled);
    complete(&mut tx, second.id, 6).expect("completed");
    let third = plan_on(&mut tx, 10).pop().expect("due on the 16th, planned from the 9th");
    let reopened = block_on(change_work_order(
        &mut tx,
        &chief(),
        second.id,
        ExpectedVersion::ANY,
        WorkOrderChange::Reopen,
        on_day(10),
    ));
    assert!(
        matches!(reopened, Err(WorkOrderError::ExistsForSchedule { number }) if number == third.number),
        "{reopened:?}"
    );
    assert_eq!(tx.work_orders[&second.id].status, WorkOrderStatus::Completed);
}

#[test]
fn updating_a_schedule_checks_version_and_interval_and_skips_no_op_changes() {
    let mut tx = FakeTx::default();
    let generator = equipment(&mut tx, Some(4_000.0));
    let schedule = define(&mut tx, oil_change(generator.id, Some(10), Some(500.0)));
    let audit_before = tx.audit.len();
    let stale = block_on(update_schedule(
        &mut tx,
        &chief(),
        schedule.id,
        ExpectedVersion::one(7),
        ScheduleChanges::default(),
        on_day(2),
    ));
    assert!(matches!(stale, Err(ScheduleError::StaleVersion { expected: 7, current: 1 })));
    let neither = ScheduleChanges { every_days: Some(None), every_hours: Some(None), ..ScheduleChanges::default() };
    let refused = block_on(update_schedule(&mut tx, &chief(), schedule.id, ExpectedVersion::ANY, neither, on_day(2)));
    assert!(matches!(refused, Err(ScheduleError::Interval(IntervalError::Missing))));
    let same = ScheduleChanges { title: Some(schedule.title.clone()), ..ScheduleChanges::default() };
    let unchanged = block_on(update_schedule(&mut tx, &chief(), schedule.id, ExpectedVersion::ANY, same, on_day(2)))
        .expect("no-op");
    assert_eq!((unchanged.version, tx.audit.len()), (1, audit_before));
    let hours_only = ScheduleChanges { every_days: Some(None), ..ScheduleChanges::default() };
    let changed =
        block_on(update_schedule(&mut tx, &chief(), schedule.id, ExpectedVersion::one(1), hours_only, on_day(2)))
            .expect("changed");
    assert_eq!((changed.interval.days(), changed.version, changed.next_due().on), (None, 2, None));
    assert_eq!(tx.audit.last().map(|a| a.0.as_str()), Some("schedule.updated"));
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
