use chrono::TimeZone as _;

use super::*;
use crate::identity::Role;
use crate::maintenance::Actor;
use crate::maintenance::ExpectedVersion;
use crate::maintenance::fake::FakeTx;
use crate::maintenance::fault::{Fault, FaultSeverity, FaultStatus, NewFault, report_fault};
use crate::maintenance::lifecycle::change_work_order;
use crate::testkit::block_on;

fn actor(role: Role) -> Actor {
    Actor { user: UserId::generate(), role, request_id: None }
}

fn at(hour: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).single().expect("valid time")
}

fn planned(title: &str) -> NewWorkOrder {
    NewWorkOrder {
        title: title.to_owned(),
        description: None,
        kind: WorkOrderKind::Preventive,
        priority: Priority::Routine,
        equipment: None,
        due_on: None,
    }
}

fn create(tx: &mut FakeTx, title: &str) -> WorkOrder {
    block_on(create_work_order(tx, &actor(Role::Engineer), planned(title), at(8))).expect("created")
}

fn change(tx: &mut FakeTx, role: Role, id: WorkOrderId, change: WorkOrderChange) -> Result<WorkOrder, WorkOrderError> {
    block_on(change_work_order(tx, &actor(role), id, ExpectedVersion::ANY, change, at(10)))
}

fn fault(tx: &mut FakeTx, severity: FaultSeverity) -> Fault {
    let new = NewFault {
        equipment: None,
        code: None,
        title: "Watermaker low output".to_owned(),
        description: None,
        severity,
    };
    block_on(report_fault(tx, &actor(Role::Crew), new, at(7))).expect("reported")
}

#[test]
fn numbers_are_parsed_leniently_and_printed_canonically() {
    for raw in ["WO-2026-0014", "wo-2026-14", "WO 2026 14", " WO-2026-000014 "] {
        assert_eq!(WorkOrderNumber::parse(raw).map(|n| n.to_string()), Ok("WO-2026-0014".to_owned()), "{raw}");
    }
    for bad in ["WO-26-14", "WO-2026", "2026-14", "WO-2026-0", "WO-2026-14-1", "WO-2026-1234567", "WX-2026-14"] {
        assert_eq!(WorkOrderNumber::parse(bad), Err(WorkOrderNumberError), "{bad}");
    }
    assert_eq!(WorkOrderNumber { year: 2026, sequence: 12345 }.to_string(), "WO-2026-12345");
}

#[test]
fn work_orders_are_numbered_per_year_and_start_planned() {
    let mut tx = FakeTx::default();
    let first = create(&mut tx, "Oil change DG-1");
    let second = create(&mut tx, "Oil change DG-2");
    assert_eq!(
        (first.number.to_string(), second.number.to_string()),
        ("WO-2026-0001".to_owned(), "WO-2026-0002".to_owned())
    );
    assert_eq!((first.status, first.version), (WorkOrderStatus::Planned, 1));
    let crew = block_on(create_work_order(&mut tx, &actor(Role::Crew), planned("x"), at(8)));
    assert!(matches!(crew, Err(WorkOrderError::Denied(_))));
}

#[test]
fn the_lifecycle_runs_through_start_complete_and_reopen() {
    let mut tx = FakeTx::default();
    let wo = create(&mut tx, "Replace impeller");
    let complete = || WorkOrderChange::Complete { notes: "Impeller replaced, tested".to_owned() };
    assert!(matches!(
        change(&mut tx, Role::Engineer, wo.id, complete()),
        Err(WorkOrderError::InvalidTransition { from: WorkOrderStatus::Planned, action: "complete" })
    ));
    change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Start).expect("started");
    let done = change(&mut tx, Role::Engineer, wo.id, complete()).expect("completed");
    assert_eq!(
        (done.status, done.completion_notes.as_deref(), done.version),
        (WorkOrderStatus::Completed, Some("Impeller replaced, tested"), 3)
    );
    assert!(
        matches!(change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Reopen), Err(WorkOrderError::Denied(_))),
        "reopening is for heads of department"
    );
    let reopened = change(&mut tx, Role::ChiefEngineer, wo.id, WorkOrderChange::Reopen).expect("reopened");
    assert_eq!((reopened.status, reopened.completed), (WorkOrderStatus::InProgress, None));
}

#[test]
fn deferring_and_cancelling_are_for_heads_of_department() {
    let mut tx = FakeTx::default();
    let wo = create(&mut tx, "Repaint bilge");
    let defer =
        || WorkOrderChange::Defer { reason: "Awaiting paint".to_owned(), until: NaiveDate::from_ymd_opt(2026, 12, 1) };
    assert!(matches!(change(&mut tx, Role::Engineer, wo.id, defer()), Err(WorkOrderError::Denied(_))));
    let deferred = change(&mut tx, Role::Captain, wo.id, defer()).expect("deferred");
    assert_eq!(
        (deferred.status, deferred.deferred_until),
        (WorkOrderStatus::Deferred, NaiveDate::from_ymd_opt(2026, 12, 1))
    );
    let restarted = change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Start).expect("started again");
    assert_eq!((restarted.deferred_until, restarted.status_reason), (None, None));
    let cancelled =
        change(&mut tx, Role::ChiefOfficer, wo.id, WorkOrderChange::Cancel { reason: "Vessel sold".to_owned() })
            .expect("cancelled");
    assert_eq!(cancelled.status, WorkOrderStatus::Cancelled);
    assert!(matches!(
        change(&mut tx, Role::Captain, wo.id, WorkOrderChange::Start),
        Err(WorkOrderError::InvalidTransition { .. })
    ));
}

#[test]
fn a_work_order_from_a_fault_starts_its_handling_and_completing_it_resolves_the_fault() {
    let mut tx = FakeTx::default();
    let reported = fault(&mut tx, FaultSeverity::High);
    let (wo, linked) = block_on(create_work_order_from_fault(
        &mut tx,
        &actor(Role::Engineer),
        reported.id,
        FromFault::default(),
        at(9),
    ))
    .expect("created");
    assert_eq!((wo.kind, wo.priority, wo.fault), (WorkOrderKind::Corrective, Priority::Important, Some(reported.id)));
    assert_eq!(wo.title, "Fix: Watermaker low output");
    assert_eq!((linked.status, linked.work_order), (FaultStatus::InProgress, Some(wo.id)));

    let duplicate = block_on(create_work_order_from_fault(
        &mut tx,
        &actor(Role::Engineer),
        reported.id,
        FromFault::default(),
        at(9),
    ));
    assert!(matches!(duplicate, Err(WorkOrderError::ExistsForFault { number }) if number == wo.number));
    let forced = FromFault { allow_duplicate: true, ..FromFault::default() };
    block_on(create_work_order_from_fault(&mut tx, &actor(Role::Engineer), reported.id, forced, at(9)))
        .expect("an explicit override");

    change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Start).expect("started");
    change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Complete { notes: "Membrane flushed".to_owned() })
        .expect("completed");
    let resolved = tx.faults[&reported.id].clone();
    assert_eq!(resolved.status, FaultStatus::Resolved);
    assert_eq!(resolved.resolution.as_deref(), Some("Completed with WO-2026-0001: Membrane flushed"));
}

#[test]
fn closed_faults_get_no_work_order() {
    let mut tx = FakeTx::default();
    let reported = fault(&mut tx, FaultSeverity::Low);
    let mut closed = reported.clone();
    closed.status = FaultStatus::FalseAlarm;
    tx.faults.insert(closed.id, closed);
    let result = block_on(create_work_order_from_fault(
        &mut tx,
        &actor(Role::Engineer),
        reported.id,
        FromFault::default(),
        at(9),
    ));
    assert!(matches!(result, Err(WorkOrderError::FaultClosed { from: FaultStatus::FalseAlarm })));
    assert!(tx.work_orders.is_empty());
}

#[test]
fn hours_are_logged_on_work_in_progress_and_summed() {
    let mut tx = FakeTx::default();
    let wo = create(&mut tx, "Service stabilisers");
    let hours = |h: f64| Hours::from_f64(h).expect("hours");
    let log = |tx: &mut FakeTx, h: f64| block_on(log_hours(tx, &actor(Role::Engineer), wo.id, hours(h), None, at(11)));
    assert!(matches!(log(&mut tx, 1.0), Err(WorkOrderError::InvalidTransition { .. })), "not started yet");
    change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Start).expect("started");
    log(&mut tx, 1.5).expect("logged");
    let (after, _) = log(&mut tx, 2.25).expect("logged");
    assert_eq!(after.hours_logged, hours(3.8), "1.5 + 2.3 (rounded to a tenth)");
    assert!(matches!(log(&mut tx, 0.0), Err(WorkOrderError::InvalidHours)));
    assert!(matches!(log(&mut tx, 24.1), Err(WorkOrderError::InvalidHours)));
    assert_eq!(tx.time_entries.len(), 2);
}

#[test]
fn checklists_grow_while_open_and_anyone_ticks_items_during_the_work() {
    let mut tx = FakeTx::default();
    let wo = create(&mut tx, "Monthly fire pump test");
    let first = block_on(add_checklist_item(&mut tx, &actor(Role::Engineer), wo.id, "Check suction".to_owned()))
        .expect("added");
    let second = block_on(add_checklist_item(&mut tx, &actor(Role::Engineer), wo.id, "Run 10 minutes".to_owned()))
        .expect("added");
    assert_eq!((first.position, second.position), (1, 2));
    let deckhand = actor(Role::Crew);
    assert!(matches!(
        block_on(complete_checklist_item(&mut tx, &deckhand, wo.id, first.id, at(12))),
        Err(WorkOrderError::InvalidTransition { .. })
    ));
    change(&mut tx, Role::Engineer, wo.id, WorkOrderChange::Start).expect("started");
    let ticked = block_on(complete_checklist_item(&mut tx, &deckhand, wo.id, first.id, at(12))).expect("ticked");
    assert_eq!(ticked.done, Some((deckhand.user, at(12))));
    let again =
        block_on(complete_checklist_item(&mut tx, &actor(Role::Engineer), wo.id, first.id, at(13))).expect("no-op");
    assert_eq!(again.done, Some((deckhand.user, at(12))), "ticking twice keeps the first tick");
    let missing = block_on(complete_checklist_item(&mut tx, &deckhand, wo.id, ChecklistItemId::generate(), at(12)));
    assert!(matches!(missing, Err(WorkOrderError::ChecklistItemNotFound)));
}

#[test]
fn only_heads_of_department_assign_and_only_open_work() {
    let mut tx = FakeTx::default();
    let wo = create(&mut tx, "Change fuel filters");
    let engineer = UserId::generate();
    assert!(matches!(
        block_on(assign_work_order(
            &mut tx,
            &actor(Role::Engineer),
            wo.id,
            ExpectedVersion::ANY,
            Some(engineer),
            at(9)
        )),
        Err(WorkOrderError::Denied(_))
    ));
    let assigned = block_on(assign_work_order(
        &mut tx,
        &actor(Role::ChiefEngineer),
        wo.id,
        ExpectedVersion::one(1),
        Some(engineer),
        at(9),
    ))
    .expect("assigned");
    assert_eq!((assigned.assignee, assigned.version), (Some(engineer), 2));
    let stale =
        block_on(assign_work_order(&mut tx, &actor(Role::ChiefEngineer), wo.id, ExpectedVersion::one(1), None, at(9)));
    assert!(matches!(stale, Err(WorkOrderError::StaleVersion { expected: 1, current: 2 })));
    change(&mut tx, Role::Captain, wo.id, WorkOrderChange::Cancel { reason: "Duplicate".to_owned() })
        .expect("cancelled");
    let late = block_on(assign_work_order(&mut tx, &actor(Role::Captain), wo.id, ExpectedVersion::ANY, None, at(9)));
    assert!(matches!(late, Err(WorkOrderError::InvalidTransition { from: WorkOrderStatus::Cancelled, .. })));
}

#[test]
fn details_are_edited_while_the_work_is_open_and_unchanged_edits_write_nothing() {
    let mut tx = FakeTx::default();
    let work = create(&mut tx, "Oil change");
    let edits = WorkOrderEdits {
        title: Some("Oil and filter change".to_owned()),
        priority: Some(Priority::Important),
        due_on: Some(Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"))),
        ..WorkOrderEdits::default()
    };
    let edited = block_on(edit_work_order(
        &mut tx,
        &actor(Role::Engineer),
        work.id,
        ExpectedVersion::one(1),
        edits.clone(),
        at(9),
    ))
    .expect("edited");
    assert_eq!(
        (edited.title.as_str(), edited.priority, edited.version),
        ("Oil and filter change", Priority::Important, 2)
    );
    let audit = tx.audit.len();
    let again = block_on(edit_work_order(&mut tx, &actor(Role::Engineer), work.id, ExpectedVersion::ANY, edits, at(9)))
        .expect("no-op");
    assert_eq!((again.version, tx.audit.len()), (2, audit), "nothing changed, nothing written");

    let crew = block_on(edit_work_order(
        &mut tx,
        &actor(Role::Crew),
        work.id,
        ExpectedVersion::ANY,
        WorkOrderEdits::default(),
        at(9),
    ));
    assert!(matches!(crew, Err(WorkOrderError::Denied(_))));
    let stale = block_on(edit_work_order(
        &mut tx,
        &actor(Role::Engineer),
        work.id,
        ExpectedVersion::one(1),
        WorkOrderEdits::default(),
        at(9),
    ));
    assert!(matches!(stale, Err(WorkOrderError::StaleVersion { expected: 1, current: 2 })));
    let missing = WorkOrderEdits { equipment: Some(Some(EquipmentId::generate())), ..WorkOrderEdits::default() };
    let refused =
        block_on(edit_work_order(&mut tx, &actor(Role::Engineer), work.id, ExpectedVersion::ANY, missing, at(9)));
    assert!(matches!(refused, Err(WorkOrderError::EquipmentNotFound)));

    change(&mut tx, Role::Engineer, work.id, WorkOrderChange::Start).expect("started");
    change(&mut tx, Role::Engineer, work.id, WorkOrderChange::Complete { notes: "Done".to_owned() })
        .expect("completed");
    let finished = block_on(edit_work_order(
        &mut tx,
        &actor(Role::ChiefEngineer),
        work.id,
        ExpectedVersion::ANY,
        WorkOrderEdits::default(),
        at(11),
    ));
    assert!(matches!(finished, Err(WorkOrderError::InvalidTransition { from: WorkOrderStatus::Completed, .. })));
}
