//! M/Y Aurora's maintenance data for the demo: a motor yacht's systems, the components and spares
//! each really has ([`super::kit`]), faults, work orders and a handover in every state, and
//! planned maintenance. Written through the same use cases as the API, so it is audited like any
//! other change.

use anyhow::Context as _;
use chrono::{Duration, Utc};
use pms_domain::ids::{EquipmentId, WorkOrderId};
use pms_domain::maintenance::Actor;
use pms_domain::maintenance::ExpectedVersion;
use pms_domain::maintenance::equipment::{
    Criticality, EquipmentCode, EquipmentDetails, EquipmentFilter, EquipmentRepo as _, Hours, NewEquipment, NewReading,
    create_equipment, record_running_hours,
};
use pms_domain::maintenance::fault::{FaultChange, FaultCode, FaultSeverity, NewFault, change_fault, report_fault};
use pms_domain::maintenance::lifecycle::change_work_order;
use pms_domain::maintenance::notes::{HandoverCategory, Subject, add_to_handover};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::part::{NewPart, PartNumber, Quantity, StockChange, change_stock, create_part};
use pms_domain::maintenance::work_order::{
    FromFault, NewWorkOrder, Priority, WorkOrderChange, WorkOrderKind, add_checklist_item, create_work_order,
    create_work_order_from_fault, log_hours,
};
use pms_infra::tenant::tx::TenantTx;

use super::kit::kit;

/// Code, name, system, criticality, maker, model, running hours (if metered).
type MainItem = (&'static str, &'static str, &'static str, Criticality, &'static str, &'static str, Option<f64>);

/// The main equipment.
const MAIN: [MainItem; 22] = [
    ("ME-P", "Port main engine", "Propulsion", Criticality::Critical, "MTU", "16V 2000 M96L", Some(12_450.5)),
    ("ME-S", "Starboard main engine", "Propulsion", Criticality::Critical, "MTU", "16V 2000 M96L", Some(12_398.0)),
    ("GB-P", "Port gearbox", "Propulsion", Criticality::Critical, "ZF", "ZF 3050", None),
    ("GB-S", "Starboard gearbox", "Propulsion", Criticality::Critical, "ZF", "ZF 3050", None),
    ("DG-1", "Generator 1", "Electrical", Criticality::High, "Kohler", "99EFOZ", Some(8_750.0)),
    ("DG-2", "Generator 2", "Electrical", Criticality::High, "Kohler", "99EFOZ", Some(8_812.0)),
    ("DG-3", "Emergency generator", "Electrical", Criticality::Critical, "Northern Lights", "M944W3", Some(1_204.0)),
    ("STAB-P", "Port stabiliser fin", "Stabilisers", Criticality::High, "Naiad", "Multisea II", None),
    ("STAB-S", "Starboard stabiliser fin", "Stabilisers", Criticality::High, "Naiad", "Multisea II", None),
    ("HPU-1", "Stabiliser hydraulic power unit", "Stabilisers", Criticality::High, "Naiad", "HPU 300", Some(6_120.0)),
    ("WM-1", "Watermaker 1", "Fresh water", Criticality::Medium, "Sea Recovery", "Aqua Whisper 1800", Some(3_410.0)),
    ("WM-2", "Watermaker 2", "Fresh water", Criticality::Medium, "Sea Recovery", "Aqua Whisper 1800", Some(3_388.0)),
    ("CH-1", "Chiller 1", "HVAC", Criticality::Medium, "Dometic", "Chiller 60K", Some(9_930.0)),
    ("CH-2", "Chiller 2", "HVAC", Criticality::Medium, "Dometic", "Chiller 60K", Some(9_871.0)),
    ("AHU-1", "Air handler, main deck", "HVAC", Criticality::Low, "Heinen & Hopman", "AHU-M", None),
    ("FP-1", "Fire pump 1", "Safety", Criticality::Critical, "Azcue", "CA 50/6", None),
    ("FP-2", "Emergency fire pump", "Safety", Criticality::Critical, "Azcue", "CA 40/5", None),
    ("FS-1", "Fuel separator", "Fuel", Criticality::Medium, "Alfa Laval", "MIB 303", Some(4_210.0)),
    ("STP-1", "Sewage treatment plant", "Sanitation", Criticality::Medium, "Hamann", "HL-Cont 07", None),
    ("WL-1", "Anchor windlass", "Deck", Criticality::High, "Lewmar", "V9", None),
    ("CR-1", "Tender davit crane", "Deck", Criticality::Medium, "Nautical Structures", "CR-4", None),
    ("TND-1", "Tender outboard", "Tenders", Criticality::Medium, "Yamaha", "F250", Some(640.0)),
];

fn hours(value: f64) -> Hours {
    Hours::from_f64(value).expect("demo hours are valid")
}

fn quantity(value: u32) -> Quantity {
    Quantity::from_f64(f64::from(value)).expect("demo quantities are valid")
}

/// Seeds Aurora's maintenance data unless she has equipment already. Returns whether it seeded.
pub async fn seed(tx: &mut TenantTx, chief: &Actor) -> anyhow::Result<bool> {
    let any = tx.list_equipment(&EquipmentFilter::default(), &PageRequest::new(Some(1), None)).await?;
    if !any.items.is_empty() {
        return Ok(false);
    }
    let now = crate::clock::now();
    let mut mains = Vec::new();
    let mut meters = Vec::new();
    for (code, name, system, criticality, maker, model, metered) in MAIN {
        let details = EquipmentDetails {
            name: name.to_owned(),
            system: Some(system.to_owned()),
            location: Some(if system == "Deck" || system == "Tenders" { "Foredeck" } else { "Engine room" }.to_owned()),
            manufacturer: Some(maker.to_owned()),
            model: Some(model.to_owned()),
            serial_number: None,
        };
        let new = NewEquipment { code: EquipmentCode::parse(code)?, parent: None, details, criticality };
        let main = create_equipment(tx, chief, new, now).await.with_context(|| format!("equipment {code}"))?;
        for (suffix, component) in kit(code).0 {
            let details = EquipmentDetails {
                name: format!("{name} {component}"),
                system: Some(system.to_owned()),
                ..EquipmentDetails::default()
            };
            let new = NewEquipment {
                code: EquipmentCode::parse(&format!("{code}-{suffix}"))?,
                parent: Some(main.id),
                details,
                criticality: Criticality::Medium,
            };
            create_equipment(tx, chief, new, now).await?;
        }
        if let Some(reading) = metered {
            let read =
                NewReading { hours: hours(reading), read_at: now, is_reset: false, note: Some("Noon log".to_owned()) };
            record_running_hours(tx, chief, main.id, read, now).await?;
        }
        mains.push((code, main.id));
        meters.push((code, main.id, metered));
    }
    seed_spares(tx, chief, now).await?;
    let repair = seed_faults(tx, chief, &mains, now).await?;
    seed_work_orders(tx, chief, &mains, now).await?;
    seed_handover(tx, chief, &mains, repair, now).await?;
    super::schedules::seed(tx, chief, &meters, now).await?;
    Ok(true)
}

async fn seed_spares(tx: &mut TenantTx, chief: &Actor, now: chrono::DateTime<Utc>) -> anyhow::Result<()> {
    let mut index = 0_u32;
    for (m, (code, name, _, _, maker, ..)) in MAIN.iter().enumerate() {
        let spares = kit(code).1;
        // Twins carry the same maker's numbers; the stock line says which one it is fitted to.
        let twin = MAIN.iter().any(|other| other.0 != *code && std::ptr::eq(kit(other.0).1, spares));
        for (s, (what, maker_number, unit, minimum, reorder)) in spares.iter().enumerate() {
            let number = if twin { format!("{maker_number}/{code}") } else { (*maker_number).to_owned() };
            let new = NewPart {
                number: PartNumber::parse(&number)?,
                name: format!("{what} ({name})"),
                manufacturer: Some((*maker).to_owned()),
                unit: (*unit).to_owned(),
                location: Some(format!("Store {}{}", ["A", "B", "C", "D"][m % 4], s % 6 + 1)),
                barcode: Some(format!("400{:010}", 6_381_000 + index)),
                minimum_quantity: quantity(*minimum),
                reorder_quantity: quantity(*reorder),
            };
            let part = create_part(tx, chief, new, now).await.with_context(|| format!("part {number}"))?;
            // Deterministic stock: some at zero, some below their minimum, most comfortable.
            let on_hand = (index * 7) % 9;
            if on_hand > 0 {
                change_stock(
                    tx,
                    chief,
                    part.id,
                    StockChange::Receive { quantity: quantity(on_hand) },
                    Some("Opening stock".to_owned()),
                    now,
                )
                .await?;
            }
            index += 1;
        }
    }
    Ok(())
}

fn find(mains: &[(&str, EquipmentId)], code: &str) -> Option<EquipmentId> {
    mains.iter().find(|(c, _)| *c == code).map(|(_, id)| *id)
}

async fn seed_faults(
    tx: &mut TenantTx,
    chief: &Actor,
    mains: &[(&str, EquipmentId)],
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<WorkOrderId> {
    let fault = |equipment: &str, code: Option<&str>, title: &str, severity| NewFault {
        equipment: find(mains, equipment),
        code: code.map(|c| FaultCode::parse(c).expect("demo fault codes are valid")),
        title: title.to_owned(),
        description: None,
        severity,
    };
    let oil = report_fault(
        tx,
        chief,
        fault("ME-P", Some("E047"), "Low oil pressure alarm at 1,400 rpm", FaultSeverity::High),
        now,
    )
    .await?;
    change_fault(tx, chief, oil.id, ExpectedVersion::ANY, FaultChange::Acknowledge, now).await?;
    let (repair, _) = create_work_order_from_fault(tx, chief, oil.id, FromFault::default(), now).await?;
    change_work_order(tx, chief, repair.id, ExpectedVersion::ANY, WorkOrderChange::Start, now).await?;
    for step in ["Check oil level and grade", "Replace oil pressure sender", "Test run at 1,400 rpm"] {
        add_checklist_item(tx, chief, repair.id, step.to_owned()).await?;
    }
    log_hours(tx, chief, repair.id, hours(1.5), Some("Diagnosis".to_owned()), now).await?;
    report_fault(
        tx,
        chief,
        fault("DG-2", Some("SPN 110 FMI 0"), "Coolant temperature high", FaultSeverity::Critical),
        now,
    )
    .await?;
    report_fault(tx, chief, fault("CH-1", None, "Compressor short cycling", FaultSeverity::Medium), now).await?;
    let permeate =
        report_fault(tx, chief, fault("WM-1", None, "Low permeate output", FaultSeverity::Medium), now).await?;
    change_fault(
        tx,
        chief,
        permeate.id,
        ExpectedVersion::ANY,
        FaultChange::Resolve { resolution: "Membranes flushed and pre-filters changed.".to_owned() },
        now,
    )
    .await?;
    let fin =
        report_fault(tx, chief, fault("STAB-P", Some("ALM-12"), "Fin angle sensor fault", FaultSeverity::High), now)
            .await?;
    change_fault(
        tx,
        chief,
        fin.id,
        ExpectedVersion::ANY,
        FaultChange::MarkFalseAlarm { reason: "Chafed sensor cable; re-terminated.".to_owned() },
        now,
    )
    .await?;

    Ok(repair.id)
}

async fn seed_work_orders(
    tx: &mut TenantTx,
    chief: &Actor,
    mains: &[(&str, EquipmentId)],
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let planned = |title: &str, equipment: &str, kind, priority, due_days: i64| NewWorkOrder {
        title: title.to_owned(),
        description: None,
        kind,
        priority,
        equipment: find(mains, equipment),
        due_on: Some((now + Duration::days(due_days)).date_naive()),
    };
    create_work_order(
        tx,
        chief,
        planned("Oil change DG-1", "DG-1", WorkOrderKind::Preventive, Priority::Routine, 7),
        now,
    )
    .await?;
    create_work_order(
        tx,
        chief,
        planned("Replace raw water impellers ME-S", "ME-S", WorkOrderKind::Preventive, Priority::Important, 20),
        now,
    )
    .await?;
    let serviced = create_work_order(
        tx,
        chief,
        planned("Service watermaker HP pump", "WM-2", WorkOrderKind::Scheduled, Priority::Routine, -3),
        now,
    )
    .await?;
    change_work_order(tx, chief, serviced.id, ExpectedVersion::ANY, WorkOrderChange::Start, now).await?;
    change_work_order(
        tx,
        chief,
        serviced.id,
        ExpectedVersion::ANY,
        WorkOrderChange::Complete { notes: "HP pump oil changed, valves checked.".to_owned() },
        now,
    )
    .await?;
    let bilge = create_work_order(
        tx,
        chief,
        planned("Repaint engine room bilge", "ME-P", WorkOrderKind::Unplanned, Priority::Routine, 30),
        now,
    )
    .await?;
    let until = Some((now + Duration::days(60)).date_naive());
    change_work_order(
        tx,
        chief,
        bilge.id,
        ExpectedVersion::ANY,
        WorkOrderChange::Defer { reason: "Awaiting yard period".to_owned(), until },
        now,
    )
    .await?;
    let davit = create_work_order(
        tx,
        chief,
        planned("Replace davit wire", "CR-1", WorkOrderKind::Corrective, Priority::Important, 10),
        now,
    )
    .await?;
    change_work_order(
        tx,
        chief,
        davit.id,
        ExpectedVersion::ANY,
        WorkOrderChange::Cancel { reason: "Crane replaced under warranty".to_owned() },
        now,
    )
    .await?;

    Ok(())
}

async fn seed_handover(
    tx: &mut TenantTx,
    chief: &Actor,
    mains: &[(&str, EquipmentId)],
    repair: WorkOrderId,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let handover = [
        (
            Some(Subject::WorkOrder(repair)),
            "Port main oil pressure: sender being replaced, see the work order.",
            HandoverCategory::Urgent,
        ),
        (
            find(mains, "DG-2").map(Subject::Equipment),
            "Generator 2 ran hot twice this week; watch coolant temperature.",
            HandoverCategory::Watch,
        ),
        (None, "Fresh water tanks full; watermaker 2 serviced.", HandoverCategory::Completed),
    ];
    for (subject, summary, category) in handover {
        add_to_handover(tx, chief, subject, summary.to_owned(), category, now).await?;
    }
    Ok(())
}
