//! Entity linking, table-driven: which record a query names for an action.

use uuid::Uuid;

use super::*;
use crate::actions::find;
use crate::catalogue::Record;
use crate::detect::detect;
use crate::maintenance::equipment::EquipmentStatus;
use crate::maintenance::fault::FaultStatus;
use crate::maintenance::work_order::WorkOrderNumber;
use crate::maintenance::work_order::WorkOrderStatus;

struct Yacht {
    records: Vec<Record>,
}

impl Yacht {
    fn add(&mut self, entity: EntityType, code: &str, name: &str, state: RecordState, parent: Option<&str>) -> Uuid {
        let id = Uuid::new_v4();
        let parent = parent.map(|code| self.id(code));
        let number = code
            .strip_prefix("WO-2026-")
            .and_then(|n| n.parse().ok())
            .map(|sequence| WorkOrderNumber { year: 2026, sequence });
        self.records.push(Record {
            entity,
            id,
            name: name.to_owned(),
            code: code.to_owned(),
            state,
            details: String::new(),
            maker: String::new(),
            model: String::new(),
            number,
            parent,
        });
        id
    }

    fn id(&self, code: &str) -> Uuid {
        self.records.iter().find(|r| r.code == code).map_or_else(|| panic!("no {code}"), |r| r.id)
    }
}

fn yacht() -> Catalogue {
    use EntityType::{Equipment, Fault, WorkOrder};
    let ok = RecordState::Equipment(EquipmentStatus::Operational);
    let mut y = Yacht { records: Vec::new() };
    y.add(Equipment, "ME-P", "Port main engine", ok, None);
    y.add(Equipment, "ME-P-RWP", "Raw water pump", ok, Some("ME-P"));
    y.add(Equipment, "ME-S", "Starboard main engine", ok, None);
    y.add(Equipment, "DG-2", "Generator 2", ok, None);
    y.add(Equipment, "CH-1", "Chiller 1", ok, None);
    y.add(Equipment, "CH-2", "Chiller 2", ok, None);
    y.add(Fault, "E047", "Low oil pressure alarm", RecordState::Fault(FaultStatus::Open), Some("ME-P"));
    y.add(Fault, "SPN 110 FMI 0", "Coolant temperature high", RecordState::Fault(FaultStatus::Resolved), Some("DG-2"));
    y.add(Fault, "", "Chiller short cycling", RecordState::Fault(FaultStatus::Acknowledged), Some("CH-1"));
    y.add(Fault, "", "Raw water pump leaking", RecordState::Fault(FaultStatus::Open), Some("ME-P-RWP"));
    y.add(
        WorkOrder,
        "WO-2026-0001",
        "Chiller 2 overhaul",
        RecordState::WorkOrder(WorkOrderStatus::Planned),
        Some("CH-2"),
    );
    y.add(
        WorkOrder,
        "WO-2026-0002",
        "Generator 2 belt change",
        RecordState::WorkOrder(WorkOrderStatus::InProgress),
        Some("DG-2"),
    );
    y.add(
        WorkOrder,
        "WO-2026-0003",
        "Generator 2 oil change",
        RecordState::WorkOrder(WorkOrderStatus::Completed),
        Some("DG-2"),
    );
    y.add(
        WorkOrder,
        "WO-2026-0004",
        "Generator 2 oil change",
        RecordState::WorkOrder(WorkOrderStatus::Planned),
        Some("DG-2"),
    );
    y.add(
        WorkOrder,
        "WO-2026-0005",
        "Impeller replacement",
        RecordState::WorkOrder(WorkOrderStatus::Planned),
        Some("ME-P-RWP"),
    );
    Catalogue::new(y.records)
}

/// The code of the one record linked for `entity`, `Some("?")` when the link is ambiguous.
fn linked(catalogue: &Catalogue, query: &str, action: &str, entity: EntityType) -> Option<String> {
    let detection = detect(query);
    let links = catalogue.link(&detection, Some(find(action).expect("an action")));
    let link = links.iter().find(|l| l.entity == entity)?;
    Some(link.unambiguous().map_or_else(|| "?".to_owned(), |n| n.record.code.clone()))
}

#[test]
fn faults_are_linked_by_code_in_any_spelling_or_by_their_words() {
    let catalogue = yacht();
    for (query, action, want) in [
        ("E047 on the port main", "acknowledge_fault", Some("E047")),
        ("ack e-047", "acknowledge_fault", Some("E047")),
        ("what does SPN 110 FMI 0 mean", "diagnose_fault", Some("SPN 110 FMI 0")),
        ("the chiller short cycling fault is fixed, close it", "close_fault", Some("")),
        ("note on the raw water pump leak: seal weeping", "add_fault_note", Some("")),
        ("close the bow thruster fault", "close_fault", None),
    ] {
        assert_eq!(linked(&catalogue, query, action, EntityType::Fault).as_deref(), want, "{query}");
    }
}

#[test]
fn work_orders_are_linked_by_number_or_by_title_in_the_state_the_action_needs() {
    let catalogue = yacht();
    for (query, action, want) in [
        ("scrap the chiller 2 overhaul job", "cancel_work_order", Some("WO-2026-0001")),
        ("the DG-2 belt change is done", "mark_work_order_complete", Some("WO-2026-0002")),
        ("start the generator 2 oil change", "start_work_order", Some("WO-2026-0004")),
        ("reopen the generator 2 oil change", "reopen_work_order", Some("WO-2026-0003")),
        ("impeller job on the port main is finished", "mark_work_order_complete", Some("WO-2026-0005")),
        ("log 2 hours on wo 2", "log_work_order_hours", Some("WO-2026-0002")),
        ("defer the watermaker service", "defer_work_order", None),
    ] {
        assert_eq!(linked(&catalogue, query, action, EntityType::WorkOrder).as_deref(), want, "{query}");
    }
}

#[test]
fn equipment_named_elsewhere_is_not_confused_with_the_record_meant() {
    let catalogue = yacht();
    // Chiller 1's fault, not chiller 2's job, for a fault action; and the other way round.
    assert_eq!(
        linked(&catalogue, "chiller 2 overhaul cancelled", "cancel_work_order", EntityType::WorkOrder).as_deref(),
        Some("WO-2026-0001")
    );
    assert_eq!(
        linked(&catalogue, "chiller 2 short cycling fault", "close_fault", EntityType::Fault),
        None,
        "not on chiller 2"
    );
}

#[test]
fn a_part_is_told_apart_by_the_equipment_named_with_it() {
    use EntityType::{Equipment, Part};
    let ok = RecordState::Equipment(EquipmentStatus::Operational);
    let mut y = Yacht { records: Vec::new() };
    y.add(Equipment, "DG-1", "Generator 1", ok, None);
    y.add(Equipment, "DG-2", "Generator 2", ok, None);
    y.add(Equipment, "WM-1", "Watermaker", ok, None);
    y.add(Part, "FF-1", "Fuel filter (Generator 1)", RecordState::Stateless, None);
    y.add(Part, "FF-2", "Fuel filter (Generator 2)", RecordState::Stateless, None);
    y.add(Part, "PF-5", "Pre-filter 5 micron (Watermaker)", RecordState::Stateless, None);
    let catalogue = Catalogue::new(y.records);
    for (query, want) in [
        ("used 2 fuel filters on generator 2", Some("FF-2")),
        ("fuel filter for DG1 used", Some("FF-1")),
        ("log a fuel filter used", Some("?")),
        ("used a pre-filter on the watermaker", Some("PF-5")),
    ] {
        assert_eq!(linked(&catalogue, query, "log_part_usage", Part).as_deref(), want, "{query}");
    }
}

#[test]
fn a_sub_assembly_is_meant_only_when_its_own_words_are_typed() {
    let ok = RecordState::Equipment(EquipmentStatus::Operational);
    let mut y = Yacht { records: Vec::new() };
    y.add(EntityType::Equipment, "AHU-1", "Air handler, main deck", ok, None);
    y.add(EntityType::Equipment, "AHU-1-SNS", "Air handler, main deck sensor set", ok, Some("AHU-1"));
    let catalogue = Catalogue::new(y.records);
    for (query, want) in
        [("new work order: clean the air handler coils", "AHU-1"), ("air handler sensor set reading high", "AHU-1-SNS")]
    {
        assert_eq!(
            linked(&catalogue, query, "create_work_order", EntityType::Equipment).as_deref(),
            Some(want),
            "{query}"
        );
    }
}

#[test]
fn a_note_goes_on_the_job_or_fault_its_title_names_not_on_the_machine() {
    let catalogue = yacht();
    for (query, want) in [
        ("note on the generator 2 belt change: tension checked", "add_work_order_note"),
        ("note for WO-2026-0005: impeller vanes cracked", "add_work_order_note"),
        ("note on the chiller short cycling: thermostat swapped", "add_fault_note"),
        ("note on generator 2: small oil weep at the sump", "add_equipment_note"),
        ("note on chiller 2: condenser fins dirty", "add_equipment_note"),
        ("note on generator 2: oil weep at the belt guard", "add_equipment_note"),
    ] {
        let mut detection = detect(query);
        let equipment_note = find("add_equipment_note").expect("an action");
        // Whatever the detector made of the words, a note on equipment is what is retargeted.
        detection.candidates = vec![crate::detect::Candidate::new(equipment_note, 0.9)];
        catalogue.retarget_note(query, &mut detection);
        let names: Vec<&str> = detection.candidates.iter().map(|c| c.action.name.as_str()).collect();
        assert_eq!(names[0], want, "{query}: {names:?}");
        assert!(names.contains(&"add_equipment_note"), "the machine's note stays a candidate: {query}");
    }
}

fn yacht_with_makes() -> Catalogue {
    let ok = RecordState::Equipment(EquipmentStatus::Operational);
    let mut y = Yacht { records: Vec::new() };
    for (code, name, maker, model) in [
        ("GB-P", "Port gearbox", "ZF", "ZF 3050"),
        ("GB-S", "Starboard gearbox", "ZF", "ZF 3050"),
        ("DG-1", "Generator 1", "Kohler", "99EFOZ"),
        ("DG-2", "Generator 2", "Kohler", "99EFOZ"),
        ("DG-3", "Emergency generator", "Northern Lights", "M944W3"),
        ("FS-1", "Fuel separator", "Alfa Laval", "MIB 303"),
    ] {
        y.add(EntityType::Equipment, code, name, ok, None);
        let record = y.records.last_mut().expect("just added");
        record.maker = maker.to_owned();
        record.model = model.to_owned();
    }
    Catalogue::new(y.records)
}

#[test]
fn equipment_is_named_by_its_maker_or_model() {
    let catalogue = yacht_with_makes();
    for (query, want) in [
        ("Alfa Laval specs", Some("FS-1")),
        ("MIB 303 manual", Some("FS-1")),
        ("M944W3 oil capacity", Some("DG-3")),
        ("the northern lights generator", Some("DG-3")),
        ("the Kohler genset", Some("?")),
        ("ZF 3050", Some("?")),
        ("DG-2 oil change", Some("DG-2")),
        ("used 3050 litres of fuel", None),
    ] {
        let detection = detect(query);
        let links = catalogue.link(&detection, None);
        let link = links.iter().find(|l| l.entity == EntityType::Equipment);
        let got = link.map(|l| l.unambiguous().map_or_else(|| "?".to_owned(), |n| n.record.code.clone()));
        assert_eq!(got.as_deref(), want, "{query}: {links:?}");
    }
}

#[test]
fn a_line_naming_only_a_make_asks_to_see_that_equipment() {
    let catalogue = yacht_with_makes();
    let proposed = |query: &str| {
        let mut detection = detect(query);
        detection.candidates.clear();
        catalogue.propose_by_make(&mut detection);
        detection.top().map(|c| c.action.name.as_str())
    };
    assert_eq!(proposed("MIB 303"), Some("view_equipment_details"));
    assert_eq!(proposed("Northern Lights"), Some("view_equipment_details"));
    assert_eq!(proposed("never mind the MIB 303"), None, "a retraction stays silent");
    assert_eq!(proposed("what a lovely morning"), None);
}
