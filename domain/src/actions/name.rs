//! Every micro-action's name, as a closed set: a rule, an executor or a route that names an
//! action which does not exist does not compile.

use std::fmt;

macro_rules! action_names {
    ($($variant:ident = $name:literal,)*) => {
        /// A micro-action's name; [`ActionName::as_str`] is its stable `snake_case` wire form.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ActionName {
            $($variant,)*
        }

        impl ActionName {
            /// Every action, in registry order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// The action called `raw` on the wire.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

action_names! {
    ReportFault = "report_fault",
    AcknowledgeFault = "acknowledge_fault",
    DiagnoseFault = "diagnose_fault",
    AddFaultNote = "add_fault_note",
    CreateWorkOrderFromFault = "create_work_order_from_fault",
    CloseFault = "close_fault",
    ReopenFault = "reopen_fault",
    MarkFaultFalseAlarm = "mark_fault_false_alarm",
    ViewFaultHistory = "view_fault_history",
    SuggestParts = "suggest_parts",
    CreateWorkOrder = "create_work_order",
    ViewWorkOrder = "view_work_order",
    StartWorkOrder = "start_work_order",
    AddWorkOrderNote = "add_work_order_note",
    AddPartsToWorkOrder = "add_parts_to_work_order",
    LogWorkOrderHours = "log_work_order_hours",
    AssignWorkOrder = "assign_work_order",
    MarkWorkOrderComplete = "mark_work_order_complete",
    DeferWorkOrder = "defer_work_order",
    CancelWorkOrder = "cancel_work_order",
    ReopenWorkOrder = "reopen_work_order",
    ViewWorkOrderChecklist = "view_work_order_checklist",
    MarkChecklistItemComplete = "mark_checklist_item_complete",
    ViewWorklist = "view_worklist",
    ViewWorkOrderHistory = "view_work_order_history",
    ScheduleMaintenance = "schedule_maintenance",
    ViewMaintenanceDue = "view_maintenance_due",
    ViewEquipmentDetails = "view_equipment_details",
    ViewEquipmentHistory = "view_equipment_history",
    ViewEquipmentParts = "view_equipment_parts",
    ViewLinkedFaults = "view_linked_faults",
    AddEquipmentNote = "add_equipment_note",
    UpdateEquipmentStatus = "update_equipment_status",
    RecordRunningHours = "record_running_hours",
    ViewPartStock = "view_part_stock",
    ViewPartLocation = "view_part_location",
    ViewPartUsage = "view_part_usage",
    LogPartUsage = "log_part_usage",
    ReceivePart = "receive_part",
    AdjustStock = "adjust_stock",
    OrderPart = "order_part",
    ScanPartBarcode = "scan_part_barcode",
    ViewLowStock = "view_low_stock",
    AddToHandover = "add_to_handover",
    ViewHandover = "view_handover",
    ViewAuditTrail = "view_audit_trail",
    ViewPurchaseRequests = "view_purchase_requests",
    ApprovePurchaseRequest = "approve_purchase_request",
}

impl fmt::Display for ActionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
