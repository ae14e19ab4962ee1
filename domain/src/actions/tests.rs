//! The registry agrees with DESIGN §5 and with the state machines and role rules of the use
//! cases it fronts.

use std::collections::HashSet;

use super::*;

/// DESIGN §5's table, cluster by cluster.
const DESIGNED: [(Cluster, &[&str]); 7] = [
    (
        Cluster::FixSomething,
        &[
            "report_fault",
            "acknowledge_fault",
            "diagnose_fault",
            "add_fault_note",
            "create_work_order_from_fault",
            "close_fault",
            "reopen_fault",
            "mark_fault_false_alarm",
            "view_fault_history",
            "suggest_parts",
        ],
    ),
    (
        Cluster::DoMaintenance,
        &[
            "create_work_order",
            "view_work_order",
            "start_work_order",
            "add_work_order_note",
            "add_parts_to_work_order",
            "log_work_order_hours",
            "assign_work_order",
            "mark_work_order_complete",
            "defer_work_order",
            "cancel_work_order",
            "reopen_work_order",
            "view_work_order_checklist",
            "mark_checklist_item_complete",
            "view_worklist",
            "view_work_order_history",
            "schedule_maintenance",
            "view_maintenance_due",
        ],
    ),
    (
        Cluster::ManageEquipment,
        &[
            "view_equipment_details",
            "view_equipment_history",
            "view_equipment_parts",
            "view_linked_faults",
            "add_equipment_note",
            "update_equipment_status",
            "record_running_hours",
        ],
    ),
    (
        Cluster::ControlInventory,
        &[
            "view_part_stock",
            "view_part_location",
            "view_part_usage",
            "log_part_usage",
            "receive_part",
            "adjust_stock",
            "order_part",
            "scan_part_barcode",
            "view_low_stock",
        ],
    ),
    (Cluster::CommunicateStatus, &["add_to_handover", "view_handover"]),
    (Cluster::ComplyAudit, &["view_audit_trail"]),
    (Cluster::ProcureSuppliers, &["view_purchase_requests", "approve_purchase_request"]),
];

/// DESIGN §5: heads of department only.
const HOD_ONLY: [&str; 8] = [
    "assign_work_order",
    "defer_work_order",
    "cancel_work_order",
    "reopen_work_order",
    "schedule_maintenance",
    "adjust_stock",
    "approve_purchase_request",
    "view_audit_trail",
];

/// DESIGN §5: mutations open to every role.
const EVERYONE_WRITES: [&str; 6] = [
    "add_fault_note",
    "add_work_order_note",
    "add_equipment_note",
    "add_to_handover",
    "report_fault",
    "mark_checklist_item_complete",
];

#[test]
fn the_registry_holds_exactly_the_designed_actions_in_their_clusters() {
    let names: Vec<&str> = ACTIONS.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len(), "names are unique");
    let designed: Vec<&str> = DESIGNED.iter().flat_map(|(_, names)| names.iter().copied()).collect();
    assert_eq!(names, designed, "the registry lists DESIGN §5's actions in its order");
    for (cluster, members) in DESIGNED {
        for name in members {
            assert_eq!(find(name).map(|a| a.cluster), Some(cluster), "{name}");
        }
    }
    for action in &ACTIONS {
        assert!(
            action.name.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{} is snake_case",
            action.name.as_str()
        );
        assert!(!action.label.is_empty() && action.description.ends_with('.'), "{} is described", action.name.as_str());
    }
}

#[test]
fn roles_follow_the_design_rule() {
    for action in &ACTIONS {
        let expected = if HOD_ONLY.contains(&action.name.as_str()) {
            Access::HeadOfDepartment
        } else if !action.side_effect.is_mutation() || EVERYONE_WRITES.contains(&action.name.as_str()) {
            Access::Everyone
        } else {
            Access::Technical
        };
        assert_eq!(action.access, expected, "{}", action.name.as_str());
    }
    let crew: Vec<&str> =
        for_role(Role::Crew).filter(|a| a.side_effect.is_mutation()).map(|a| a.name.as_str()).collect();
    let mut expected = EVERYONE_WRITES.to_vec();
    expected.sort_unstable();
    let mut crew_sorted = crew.clone();
    crew_sorted.sort_unstable();
    assert_eq!(crew_sorted, expected, "crew write only notes, handover, fault reports and checklist ticks");
    assert_eq!(for_role(Role::Captain).count(), ACTIONS.len(), "a head of department may run everything");
}

#[test]
fn reads_are_named_as_reads() {
    for action in &ACTIONS {
        let reads = ["view_", "diagnose_", "suggest_", "scan_"].iter().any(|p| action.name.as_str().starts_with(p));
        assert_eq!(!action.side_effect.is_mutation(), reads, "{}", action.name.as_str());
    }
}

#[test]
fn work_order_transitions_agree_with_the_lifecycle_and_its_role_rules() {
    let pairs = [
        ("start_work_order", WorkOrderAction::Start),
        ("mark_work_order_complete", WorkOrderAction::Complete),
        ("defer_work_order", WorkOrderAction::Defer),
        ("cancel_work_order", WorkOrderAction::Cancel),
        ("reopen_work_order", WorkOrderAction::Reopen),
    ];
    for (name, transition) in pairs {
        let action = find(name).expect(name);
        for role in Role::ALL {
            assert_eq!(action.allowed_for(role), transition.allowed_for(role), "{name} for {role:?}");
        }
        for &status in WorkOrderStatus::ALL {
            let state = RecordState::WorkOrder(status);
            assert_eq!(action.enabled.allows(state), transition.next(status).is_some(), "{name} when {status}");
        }
    }
}

#[test]
fn fault_transitions_agree_with_the_lifecycle() {
    let pairs = [
        ("acknowledge_fault", FaultAction::Acknowledge),
        ("close_fault", FaultAction::Resolve),
        ("mark_fault_false_alarm", FaultAction::MarkFalseAlarm),
        ("reopen_fault", FaultAction::Reopen),
    ];
    for (name, transition) in pairs {
        let action = find(name).expect(name);
        for &status in FaultStatus::ALL {
            assert_eq!(action.enabled.allows(RecordState::Fault(status)), transition.next(status).is_some(), "{name}");
        }
    }
    let from_fault = find("create_work_order_from_fault").expect("registered");
    for &status in FaultStatus::ALL {
        assert_eq!(from_fault.enabled.allows(RecordState::Fault(status)), status.is_active(), "{status}");
    }
}

#[test]
fn a_record_offers_only_what_its_state_and_the_role_allow() {
    let offered = |role, entity, state| offered_for(role, entity, state).map(|a| a.name.as_str()).collect::<Vec<_>>();
    let completed =
        offered(Role::ChiefEngineer, EntityType::WorkOrder, RecordState::WorkOrder(WorkOrderStatus::Completed));
    assert!(!completed.contains(&"start_work_order") && !completed.contains(&"log_work_order_hours"), "{completed:?}");
    assert!(completed.contains(&"reopen_work_order") && completed.contains(&"view_work_order"));
    let in_progress =
        offered(Role::Engineer, EntityType::WorkOrder, RecordState::WorkOrder(WorkOrderStatus::InProgress));
    assert!(in_progress.contains(&"mark_work_order_complete") && in_progress.contains(&"log_work_order_hours"));
    assert!(!in_progress.contains(&"defer_work_order"), "engineers do not defer");
    let decommissioned =
        offered(Role::Captain, EntityType::Equipment, RecordState::Equipment(EquipmentStatus::Decommissioned));
    assert!(!decommissioned.contains(&"record_running_hours") && decommissioned.contains(&"view_equipment_history"));
    assert!(!Enablement::WorkOrderOpen.allows(RecordState::Fault(FaultStatus::Open)), "a rule about work orders");
    let approved =
        offered(Role::Captain, EntityType::PurchaseRequest, RecordState::PurchaseRequest(PurchaseStatus::Approved));
    assert!(approved.is_empty(), "{approved:?}");
    let requested =
        offered(Role::Captain, EntityType::PurchaseRequest, RecordState::PurchaseRequest(PurchaseStatus::Requested));
    assert_eq!(requested, ["approve_purchase_request"]);
    let open_fault = offered(Role::Crew, EntityType::Fault, RecordState::Fault(FaultStatus::Open));
    assert!(!open_fault.contains(&"report_fault"), "creating a fault is not something done to a fault");
}
