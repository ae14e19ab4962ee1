use uuid::Uuid;

use super::*;
use crate::maintenance::fault::FaultStatus;
use crate::maintenance::work_order::WorkOrderStatus;

fn equipment(code: &str, name: &str, status: EquipmentStatus) -> Record {
    Record {
        entity: EntityType::Equipment,
        id: Uuid::new_v4(),
        name: name.to_owned(),
        code: code.to_owned(),
        state: RecordState::Equipment(status),
        details: "Propulsion Caterpillar C32".to_owned(),
        maker: String::new(),
        model: String::new(),
        number: None,
        parent: None,
    }
}

fn part(number: &str, name: &str) -> Record {
    Record {
        entity: EntityType::Part,
        id: Uuid::new_v4(),
        name: name.to_owned(),
        code: number.to_owned(),
        state: RecordState::Stateless,
        details: String::new(),
        maker: String::new(),
        model: String::new(),
        number: None,
        parent: None,
    }
}

fn work_order(year: i32, sequence: u32, title: &str, description: &str) -> Record {
    let number = WorkOrderNumber { year, sequence };
    Record {
        entity: EntityType::WorkOrder,
        id: Uuid::new_v4(),
        name: title.to_owned(),
        code: format!("WO-{year}-{sequence:04}"),
        state: RecordState::WorkOrder(WorkOrderStatus::Planned),
        details: description.to_owned(),
        maker: String::new(),
        model: String::new(),
        number: Some(number),
        parent: None,
    }
}

fn fault(code: &str, title: &str) -> Record {
    Record {
        entity: EntityType::Fault,
        id: Uuid::new_v4(),
        name: title.to_owned(),
        code: code.to_owned(),
        state: RecordState::Fault(FaultStatus::Open),
        details: "Alarm on the bridge panel".to_owned(),
        maker: String::new(),
        model: String::new(),
        number: None,
        parent: None,
    }
}

fn fleet() -> Catalogue {
    Catalogue::new(vec![
        equipment("ME-P", "Port main engine", EquipmentStatus::Operational),
        equipment("ME-S", "Starboard main engine", EquipmentStatus::Operational),
        equipment("DG-1", "Generator 1", EquipmentStatus::Operational),
        equipment("DG-2", "Generator 2", EquipmentStatus::Operational),
        equipment("DG-3", "Generator 3 (old)", EquipmentStatus::Decommissioned),
        equipment("WM-1", "Watermaker 1", EquipmentStatus::Operational),
        equipment("WM-2", "Watermaker 2", EquipmentStatus::Operational),
        part("P-100", "Oil filter (Generator 1)"),
        part("P-200", "Oil filter (Generator 2)"),
        part("P-300", "Raw water pump impeller"),
        work_order(2025, 1, "Generator 2 oil change", "Drain, replace filter"),
        work_order(2026, 1, "Watermaker membranes", "Replace both membranes"),
        fault("E047", "Port main coolant temperature high"),
    ])
}

fn names<'a>(found: &[Named<'a>]) -> Vec<&'a str> {
    found.iter().map(|n| n.record.name.as_str()).collect()
}

#[test]
fn equipment_resolves_by_name_or_by_code_never_when_decommissioned() {
    let catalogue = fleet();
    assert_eq!(names(&catalogue.equipment_named("generator 2", "generator 2", 3))[0], "Generator 2");
    let by_code = catalogue.equipment_named("generator 2", "dg2", 3);
    assert_eq!((by_code[0].record.name.as_str(), by_code[0].score), ("Generator 2", 1.0));
    assert_eq!(names(&catalogue.equipment_named("port main engine", "port main", 1)), ["Port main engine"]);
    let generator_3 = catalogue.equipment_named("generator 3", "DG-3", 3);
    assert!(names(&generator_3).iter().all(|n| !n.contains("old")), "{:?}", names(&generator_3));
    assert!(catalogue.equipment_named("oil filter", "oil filter", 3).is_empty(), "parts are not equipment");
    assert!(catalogue.equipment_named("bow thruster", "bow thruster", 3).is_empty());
}

#[test]
fn an_ambiguous_name_scores_its_candidates_alike() {
    let catalogue = fleet();
    let found = catalogue.equipment_named("watermaker", "watermaker", 3);
    assert_eq!(names(&found), ["Watermaker 1", "Watermaker 2"]);
    assert!((found[0].score - found[1].score).abs() < 1e-9);
}

#[test]
fn the_equipment_named_alongside_breaks_a_part_tie() {
    let catalogue = fleet();
    let found = catalogue.parts_named("oil filter", Some("generator 2"), 3);
    assert_eq!(names(&found)[0], "Oil filter (Generator 2)");
    assert!(found[0].score > found[1].score);
    assert_eq!(names(&catalogue.parts_named("p-300", None, 3)), ["Raw water pump impeller"]);
    assert_eq!(names(&catalogue.parts_named("impeller", None, 3)), ["Raw water pump impeller"]);
}

#[test]
fn a_makers_number_names_every_stock_line_carrying_it() {
    let catalogue = Catalogue::new(vec![
        part("GM32359/DG-1", "Fuel filter (Generator 1)"),
        part("GM32359/DG-2", "Fuel filter (Generator 2)"),
        part("GM16749", "Oil filter (Generator 1)"),
    ]);
    let codes = |found: &[Named<'_>]| found.iter().map(|n| n.record.code.clone()).collect::<Vec<_>>();
    let both = catalogue.parts_named("GM32359", None, 3);
    assert_eq!(codes(&both), ["GM32359/DG-1", "GM32359/DG-2"]);
    assert!((both[0].score - both[1].score).abs() < 1e-9, "neither is preferred");
    assert_eq!(codes(&catalogue.parts_named("GM32359", Some("Generator 2"), 3))[0], "GM32359/DG-2");
    assert_eq!(codes(&catalogue.parts_named("gm32359/dg-2", None, 1)), ["GM32359/DG-2"]);
    assert_eq!(codes(&catalogue.parts_named("GM-16749", None, 1)), ["GM16749"]);
}

#[test]
fn work_orders_resolve_by_full_number_or_latest_sequence() {
    let catalogue = fleet();
    assert_eq!(catalogue.work_order_numbered("2025-1").map(|r| r.name.as_str()), Some("Generator 2 oil change"));
    assert_eq!(catalogue.work_order_numbered("1").map(|r| r.name.as_str()), Some("Watermaker membranes"));
    assert_eq!(catalogue.work_order_numbered("2024-1"), None);
    assert_eq!(catalogue.work_order_numbered("x-1"), None);
    assert_eq!(catalogue.work_order_numbered("99"), None);
}

#[test]
fn records_rank_by_name_and_are_found_by_prefix_and_details() {
    let catalogue = fleet();
    let hits = catalogue.records_matching(&["generator".to_owned()], 10);
    assert!(hits.len() >= 5, "{hits:?}");
    assert_eq!(hits[0].record.entity, EntityType::Equipment);
    assert!(hits[0].title.starts_with("DG-"), "{}", hits[0].title);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));

    let hits = catalogue.records_matching(&["impel".to_owned()], 10);
    assert_eq!(hits.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(), ["P-300 Raw water pump impeller"]);
    let hits = catalogue.records_matching(&["membrane".to_owned()], 10);
    assert_eq!(hits[0].title, "WO-2026-0001 Watermaker membranes");
    let hits = catalogue.records_matching(&["caterpillar".to_owned()], 3);
    assert_eq!(hits.len(), 3, "details count too, and the limit holds");
    let hits = catalogue.records_matching(&["e047".to_owned()], 10);
    assert_eq!(hits[0].record.entity, EntityType::Fault);
    assert!(catalogue.records_matching(&[], 10).is_empty());
    assert!(catalogue.records_matching(&["zzz".to_owned()], 10).is_empty());
}

#[test]
fn more_terms_held_rank_higher() {
    let catalogue = fleet();
    let terms = ["oil".to_owned(), "filter".to_owned(), "generator".to_owned(), "2".to_owned()];
    let hits = catalogue.records_matching(&terms, 3);
    assert_eq!(hits[0].title, "P-200 Oil filter (Generator 2)");
}

#[test]
fn an_empty_catalogue_finds_nothing() {
    let catalogue = Catalogue::new(Vec::new());
    assert!(catalogue.is_empty());
    assert!(catalogue.equipment_named("generator", "generator", 3).is_empty());
    assert!(catalogue.records_matching(&["generator".to_owned()], 3).is_empty());
}
