use chrono::TimeZone as _;

use super::*;
use crate::identity::Role;
use crate::maintenance::ExpectedVersion;
use crate::maintenance::equipment::{Criticality, EquipmentCode, EquipmentDetails, NewEquipment, create_equipment};
use crate::maintenance::fake::FakeTx;
use crate::testkit::block_on;

fn actor(role: Role) -> Actor {
    Actor { user: UserId::generate(), role, request_id: None }
}

fn at(hour: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).single().expect("valid time")
}

fn new_fault(equipment: Option<EquipmentId>) -> NewFault {
    NewFault {
        equipment,
        code: Some(FaultCode::parse("e047").expect("valid code")),
        title: "Low oil pressure alarm".to_owned(),
        description: None,
        severity: FaultSeverity::High,
    }
}

fn engine(tx: &mut FakeTx) -> EquipmentId {
    let new = NewEquipment {
        code: EquipmentCode::parse("ME-P").expect("code"),
        parent: None,
        details: EquipmentDetails { name: "Port main engine".to_owned(), ..EquipmentDetails::default() },
        criticality: Criticality::Critical,
    };
    block_on(create_equipment(tx, &actor(Role::ChiefEngineer), new, at(7))).expect("engine").id
}

#[test]
fn fault_codes_are_normalised() {
    assert_eq!(FaultCode::parse(" spn 100   fmi 3 ").map(|c| c.to_string()), Ok("SPN 100 FMI 3".to_owned()));
    assert_eq!(FaultCode::parse("e047").map(|c| c.to_string()), Ok("E047".to_owned()));
    for bad in ["", "   ", "E047!", &"E".repeat(41), "É047"] {
        assert_eq!(FaultCode::parse(bad), Err(FaultCodeError), "{bad:?}");
    }
}

#[test]
fn anyone_aboard_reports_a_fault_on_existing_equipment() {
    let mut tx = FakeTx::default();
    let engine = engine(&mut tx);
    for role in Role::ALL {
        let fault = block_on(report_fault(&mut tx, &actor(role), new_fault(Some(engine)), at(8))).expect("reported");
        assert_eq!((fault.status, fault.version), (FaultStatus::Open, 1));
    }
    let ghost = block_on(report_fault(&mut tx, &actor(Role::Crew), new_fault(Some(EquipmentId::generate())), at(8)));
    assert!(matches!(ghost, Err(FaultError::EquipmentNotFound)));
    assert_eq!(tx.faults.len(), Role::ALL.len(), "the refused report wrote nothing");
}

#[test]
fn handling_a_fault_follows_the_lifecycle_and_is_audited() {
    let mut tx = FakeTx::default();
    let fault = block_on(report_fault(&mut tx, &actor(Role::Crew), new_fault(None), at(8))).expect("reported");
    let chief = actor(Role::ChiefEngineer);
    let change = |tx: &mut FakeTx, change: FaultChange, hour: u32| {
        block_on(change_fault(tx, &chief, fault.id, ExpectedVersion::ANY, change, at(hour)))
    };

    let acknowledged = change(&mut tx, FaultChange::Acknowledge, 9).expect("acknowledged");
    assert_eq!(
        (acknowledged.status, acknowledged.acknowledged),
        (FaultStatus::Acknowledged, Some((chief.user, at(9))))
    );
    let twice = change(&mut tx, FaultChange::Acknowledge, 9);
    assert!(matches!(
        twice,
        Err(FaultError::InvalidTransition { from: FaultStatus::Acknowledged, action: "acknowledge" })
    ));

    let resolved = change(&mut tx, FaultChange::Resolve { resolution: "Replaced the pressure sender".to_owned() }, 10)
        .expect("resolved");
    assert_eq!(
        (resolved.status, resolved.closed, resolved.version),
        (FaultStatus::Resolved, Some((chief.user, at(10))), 3)
    );
    assert!(matches!(
        change(&mut tx, FaultChange::MarkFalseAlarm { reason: "x".to_owned() }, 11),
        Err(FaultError::InvalidTransition { .. })
    ));

    let reopened = change(&mut tx, FaultChange::Reopen, 12).expect("reopened");
    assert_eq!(
        (reopened.status, reopened.closed.as_ref(), reopened.resolution.as_ref()),
        (FaultStatus::Open, None, None)
    );
    let actions: Vec<&str> = tx.audit.iter().map(|(action, _, _)| action.as_str()).collect();
    assert_eq!(actions, ["fault.reported", "fault.acknowledged", "fault.resolved", "fault.reopened"]);
}

#[test]
fn crew_may_report_but_not_handle_faults() {
    let mut tx = FakeTx::default();
    let fault = block_on(report_fault(&mut tx, &actor(Role::Crew), new_fault(None), at(8))).expect("reported");
    for role in Role::ALL {
        let result = block_on(change_fault(
            &mut tx,
            &actor(role),
            fault.id,
            ExpectedVersion::ANY,
            FaultChange::Acknowledge,
            at(9),
        ));
        let allowed = role.is_engineer() || role.is_hod();
        assert!(matches!(result, Err(FaultError::Denied(_))) != allowed, "{role}");
        if let Ok(acknowledged) = result {
            // Put it back for the next role.
            tx.faults.insert(acknowledged.id, Fault { status: FaultStatus::Open, ..acknowledged });
        }
    }
}

#[test]
fn a_stale_version_is_refused() {
    let mut tx = FakeTx::default();
    let fault = block_on(report_fault(&mut tx, &actor(Role::Crew), new_fault(None), at(8))).expect("reported");
    let result = block_on(change_fault(
        &mut tx,
        &actor(Role::Engineer),
        fault.id,
        ExpectedVersion::one(7),
        FaultChange::Acknowledge,
        at(9),
    ));
    assert!(matches!(result, Err(FaultError::StaleVersion { expected: 7, current: 1 })));
}

#[test]
fn the_reporter_edits_an_open_fault_and_engineers_any_active_one() {
    let mut tx = FakeTx::default();
    let engine = engine(&mut tx);
    let reporter = actor(Role::Crew);
    let fault = block_on(report_fault(&mut tx, &reporter, new_fault(None), at(8))).expect("reported");
    let edits = FaultEdits {
        title: Some("Low oil pressure, port main".to_owned()),
        equipment: Some(Some(engine)),
        code: Some(None),
        ..FaultEdits::default()
    };
    let edited =
        block_on(edit_fault(&mut tx, &reporter, fault.id, ExpectedVersion::one(1), edits, at(9))).expect("edited");
    assert_eq!(
        (edited.title.as_str(), edited.equipment, edited.code.as_ref(), edited.version),
        ("Low oil pressure, port main", Some(engine), None, 2)
    );
    assert_eq!(tx.audit.last().map(|a| a.0.as_str()), Some("fault.edited"));

    let other_crew =
        block_on(edit_fault(&mut tx, &actor(Role::Crew), fault.id, ExpectedVersion::ANY, FaultEdits::default(), at(9)));
    assert!(matches!(other_crew, Err(FaultError::Denied(_))), "someone else's report");
    let stale =
        block_on(edit_fault(&mut tx, &reporter, fault.id, ExpectedVersion::one(1), FaultEdits::default(), at(9)));
    assert!(matches!(stale, Err(FaultError::StaleVersion { expected: 1, current: 2 })));
    let missing = FaultEdits { equipment: Some(Some(EquipmentId::generate())), ..FaultEdits::default() };
    let refused = block_on(edit_fault(&mut tx, &reporter, fault.id, ExpectedVersion::ANY, missing, at(9)));
    assert!(matches!(refused, Err(FaultError::EquipmentNotFound)));

    let engineer = actor(Role::Engineer);
    block_on(change_fault(&mut tx, &engineer, fault.id, ExpectedVersion::ANY, FaultChange::Acknowledge, at(10)))
        .expect("acknowledged");
    let by_reporter =
        block_on(edit_fault(&mut tx, &reporter, fault.id, ExpectedVersion::ANY, FaultEdits::default(), at(10)));
    assert!(matches!(by_reporter, Err(FaultError::Denied(_))), "no longer open");
    let severity = FaultEdits { severity: Some(FaultSeverity::Critical), ..FaultEdits::default() };
    assert!(block_on(edit_fault(&mut tx, &engineer, fault.id, ExpectedVersion::ANY, severity, at(10))).is_ok());

    let resolve = FaultChange::Resolve { resolution: "Sensor replaced".to_owned() };
    block_on(change_fault(&mut tx, &engineer, fault.id, ExpectedVersion::ANY, resolve, at(11))).expect("resolved");
    let closed =
        block_on(edit_fault(&mut tx, &engineer, fault.id, ExpectedVersion::ANY, FaultEdits::default(), at(11)));
    assert!(matches!(closed, Err(FaultError::InvalidTransition { from: FaultStatus::Resolved, .. })));
}
