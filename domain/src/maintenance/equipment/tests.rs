use chrono::TimeZone as _;

use super::*;
use crate::identity::Role;
use crate::maintenance::ExpectedVersion;
use crate::maintenance::fake::FakeTx;
use crate::testkit::block_on;

fn actor(role: Role) -> Actor {
    Actor { user: UserId::generate(), role, request_id: None }
}

fn at(hour: u32) -> Timestamp {
    chrono::Utc.with_ymd_and_hms(2026, 11, 22, hour, 0, 0).single().expect("valid time")
}

fn new(code: &str, parent: Option<EquipmentId>) -> NewEquipment {
    NewEquipment {
        code: EquipmentCode::parse(code).expect("valid code"),
        parent,
        details: EquipmentDetails { name: format!("{code} name"), ..EquipmentDetails::default() },
        criticality: Criticality::High,
    }
}

fn create(tx: &mut FakeTx, code: &str, parent: Option<EquipmentId>) -> Equipment {
    block_on(create_equipment(tx, &actor(Role::ChiefEngineer), new(code, parent), at(8))).expect("created")
}

fn hours(h: f64) -> Hours {
    Hours::from_f64(h).expect("valid hours")
}

fn reading(h: f64, hour: u32, reset: bool) -> NewReading {
    NewReading { hours: hours(h), read_at: at(hour), is_reset: reset, note: None }
}

#[test]
fn creating_equipment_records_it_with_an_audit_entry() {
    let mut tx = FakeTx::default();
    let engine = create(&mut tx, "me-p", None);
    assert_eq!((engine.code.as_str(), engine.version, engine.status), ("ME-P", 1, EquipmentStatus::Operational));
    assert_eq!(tx.audit.len(), 1);
    assert_eq!(tx.audit[0].0, "equipment.created");
    assert!(tx.audit[0].1.is_none() && tx.audit[0].2.is_some());
}

#[test]
fn only_engineers_and_heads_of_department_change_equipment() {
    for role in Role::ALL {
        let mut tx = FakeTx::default();
        let result = block_on(create_equipment(&mut tx, &actor(role), new("DG-1", None), at(8)));
        assert_eq!(result.is_ok(), role.is_engineer() || role.is_hod(), "{role}");
        if result.is_err() {
            assert!(tx.equipment.is_empty() && tx.audit.is_empty(), "a refusal writes nothing");
        }
    }
}

#[test]
fn codes_are_unique_and_parents_must_exist() {
    let mut tx = FakeTx::default();
    create(&mut tx, "ME-P", None);
    let duplicate = block_on(create_equipment(&mut tx, &actor(Role::Engineer), new("me-p", None), at(8)));
    assert!(matches!(duplicate, Err(EquipmentError::CodeTaken(_))));
    let orphan =
        block_on(create_equipment(&mut tx, &actor(Role::Engineer), new("X-1", Some(EquipmentId::generate())), at(8)));
    assert!(matches!(orphan, Err(EquipmentError::ParentNotFound)));
    assert_eq!(tx.audit.len(), 1);
}

#[test]
fn equipment_cannot_be_moved_under_itself_or_its_components() {
    let mut tx = FakeTx::default();
    let engine = create(&mut tx, "ME-P", None);
    let turbo = create(&mut tx, "ME-P-TC", Some(engine.id));
    let engineer = actor(Role::Engineer);
    for parent in [engine.id, turbo.id] {
        let changes = EquipmentChanges { parent: Some(Some(parent)), ..EquipmentChanges::default() };
        let result = block_on(update_equipment(&mut tx, &engineer, engine.id, ExpectedVersion::ANY, changes, at(9)));
        assert!(matches!(result, Err(EquipmentError::ParentCycle)), "{parent}");
    }
}

#[test]
fn updates_bump_the_version_and_refuse_a_stale_one() {
    let mut tx = FakeTx::default();
    let engine = create(&mut tx, "ME-P", None);
    let engineer = actor(Role::Engineer);
    let rename = |name: &str| EquipmentChanges {
        name: Some(name.to_owned()),
        system: Some(None),
        ..EquipmentChanges::default()
    };
    let renamed = block_on(update_equipment(
        &mut tx,
        &engineer,
        engine.id,
        ExpectedVersion::one(1),
        rename("Port main engine"),
        at(9),
    ))
    .expect("updated");
    assert_eq!((renamed.version, renamed.updated_at), (2, at(9)));
    let stale =
        block_on(update_equipment(&mut tx, &engineer, engine.id, ExpectedVersion::one(1), rename("Again"), at(10)));
    assert!(matches!(stale, Err(EquipmentError::StaleVersion { expected: 1, current: 2 })));
    let unchanged = block_on(update_equipment(
        &mut tx,
        &engineer,
        engine.id,
        ExpectedVersion::one(2),
        rename("Port main engine"),
        at(10),
    ))
    .expect("no-op");
    assert_eq!(unchanged.version, 2, "a change that changes nothing is not a new version");
    assert_eq!(tx.audit.len(), 2);
}

#[test]
fn decommissioned_equipment_is_frozen() {
    let mut tx = FakeTx::default();
    let pump = create(&mut tx, "BP-1", None);
    let engineer = actor(Role::Engineer);
    block_on(set_equipment_status(
        &mut tx,
        &engineer,
        pump.id,
        ExpectedVersion::ANY,
        EquipmentStatus::Decommissioned,
        at(9),
    ))
    .expect("decommissioned");
    for status in [EquipmentStatus::Operational, EquipmentStatus::Failed] {
        let result = block_on(set_equipment_status(&mut tx, &engineer, pump.id, ExpectedVersion::ANY, status, at(10)));
        assert!(matches!(result, Err(EquipmentError::Decommissioned)), "{status}");
    }
    let result = block_on(record_running_hours(&mut tx, &engineer, pump.id, reading(10.0, 10, false), at(11)));
    assert!(matches!(result, Err(EquipmentError::Decommissioned)));
}

#[test]
fn running_hours_go_up_over_time_unless_the_counter_was_reset() {
    let mut tx = FakeTx::default();
    let genset = create(&mut tx, "DG-1", None);
    let engineer = actor(Role::Engineer);
    let record = |tx: &mut FakeTx, r: NewReading| block_on(record_running_hours(tx, &engineer, genset.id, r, at(20)));

    let (updated, _) = record(&mut tx, reading(12_450.0, 9, false)).expect("first reading");
    assert_eq!(updated.running_hours, Some((hours(12_450.0), at(9))));
    assert!(matches!(record(&mut tx, reading(12_449.9, 10, false)), Err(EquipmentError::HoursNotMonotonic { .. })));
    assert!(matches!(record(&mut tx, reading(12_451.0, 8, false)), Err(EquipmentError::HoursNotMonotonic { .. })));

    let (backfilled, _) = record(&mut tx, reading(12_400.0, 8, false)).expect("an earlier, lower reading is history");
    assert_eq!(backfilled.running_hours, Some((hours(12_450.0), at(9))), "history does not move the meter");
    let (reset, _) = record(&mut tx, reading(3.5, 11, true)).expect("an explicit reset");
    assert_eq!(reset.running_hours, Some((hours(3.5), at(11))));
    assert_eq!(tx.readings.len(), 3);
}

#[test]
fn readings_from_the_future_are_refused() {
    let mut tx = FakeTx::default();
    let genset = create(&mut tx, "DG-2", None);
    let result =
        block_on(record_running_hours(&mut tx, &actor(Role::Engineer), genset.id, reading(1.0, 12, false), at(11)));
    assert!(matches!(result, Err(EquipmentError::ReadingInFuture)));
    assert!(tx.readings.is_empty());
}
