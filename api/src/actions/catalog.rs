//! Every registry action bound to its payload type, its executor and a documented example. The
//! macro turns the table into the parsed call, its dispatch and the docs, so none of them can
//! leave an action out (and a test holds the table to the domain registry).

use serde_json::{Value, json};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::exec::Exec;
use super::{equipment, faults, inventory, maintenance, payload, status, work_orders};
use crate::error::{ApiError, ErrorCode};

/// One action's documentation: its payload schema (and the schemas it refers to) and an example.
#[allow(missing_debug_implementations, reason = "utoipa's schema types are not Debug without its debug feature")]
pub struct Documented {
    pub name: &'static str,
    pub payload: String,
    pub schema: RefOr<Schema>,
    pub references: Vec<(String, RefOr<Schema>)>,
    pub example: Value,
}

macro_rules! catalog {
    ($($variant:ident = $name:literal: $payload:ty => $run:path, $example:expr;)*) => {
        /// A parsed call of one action.
        #[derive(Debug)]
        pub enum Call {
            $($variant($payload),)*
        }

        /// The names of every action with an executor, in table order.
        pub const EXECUTABLE: &[&str] = &[$($name),*];

        impl Call {
            /// The payload of `name`, parsed into its type.
            pub fn parse(name: &str, payload: Value) -> Result<Self, ApiError> {
                match name {
                    $($name => Ok(Self::$variant(payload::parse(name, payload)?)),)*
                    _ => Err(ApiError::new(ErrorCode::ActionNotFound, format!("There is no action `{name}`."))),
                }
            }

            /// Runs the call; its result as JSON.
            pub async fn run(self, x: &mut Exec<'_>) -> Result<Value, ApiError> {
                match self {
                    $(Self::$variant(p) => payload::result($run(x, p).await?),)*
                }
            }
        }

        /// Every action's payload documentation, in table order.
        pub fn documented() -> Vec<Documented> {
            vec![$({
                let mut references = Vec::new();
                <$payload as ToSchema>::schemas(&mut references);
                Documented {
                    name: $name,
                    payload: <$payload as ToSchema>::name().into_owned(),
                    schema: <$payload as PartialSchema>::schema(),
                    references,
                    example: $example,
                }
            },)*]
        }
    };
}

const FAULT: &str = "0193a5f2-2a00-7000-8000-000000000301";
const WORK_ORDER: &str = "0193a5f2-3b00-7000-8000-000000000401";
const EQUIPMENT: &str = "0193a5f2-1c00-7000-8000-000000000101";
const PART: &str = "0193a5f2-4d00-7000-8000-000000000501";

catalog! {
    ReportFault = "report_fault": crate::routes::faults::ReportFaultRequest => faults::report,
        json!({"equipment_id": EQUIPMENT, "code": "E047", "title": "Low oil pressure alarm", "severity": "high"});
    AcknowledgeFault = "acknowledge_fault": faults::FaultRef => faults::acknowledge, json!({"fault_id": FAULT});
    DiagnoseFault = "diagnose_fault": faults::FaultRef => faults::diagnose, json!({"fault_id": FAULT});
    AddFaultNote = "add_fault_note": faults::FaultNote => faults::add_fault_note,
        json!({"fault_id": FAULT, "body": "Sender reads 0.8 bar at idle; gauge on the engine shows 3.2 bar."});
    CreateWorkOrderFromFault = "create_work_order_from_fault": faults::FaultWorkOrder => faults::work_order_from_fault,
        json!({"fault_id": FAULT, "priority": "important", "due_on": "2026-11-25"});
    CloseFault = "close_fault": faults::CloseFault => faults::close,
        json!({"fault_id": FAULT, "resolution": "Replaced the oil pressure sender; alarm cleared on test run."});
    ReopenFault = "reopen_fault": faults::FaultRef => faults::reopen, json!({"fault_id": FAULT});
    MarkFaultFalseAlarm = "mark_fault_false_alarm": faults::FalseAlarm => faults::false_alarm,
        json!({"fault_id": FAULT, "reason": "Sensor cable chafed; reading recovered once re-terminated."});
    ViewFaultHistory = "view_fault_history": faults::FaultHistory => faults::history,
        json!({"equipment_id": EQUIPMENT, "limit": 20});
    SuggestParts = "suggest_parts": faults::SuggestParts => faults::suggest_parts, json!({"fault_id": FAULT});
    CreateWorkOrder = "create_work_order": crate::routes::work_orders::CreateWorkOrderRequest => work_orders::create,
        json!({"title": "Generator 2 oil and filter change", "equipment_id": EQUIPMENT, "priority": "routine", "due_on": "2026-12-01"});
    ViewWorkOrder = "view_work_order": work_orders::WorkOrderRef => work_orders::view, json!({"work_order_id": WORK_ORDER});
    StartWorkOrder = "start_work_order": work_orders::WorkOrderRef => work_orders::start, json!({"work_order_id": WORK_ORDER});
    AddWorkOrderNote = "add_work_order_note": work_orders::WorkOrderNote => work_orders::add_note_to,
        json!({"work_order_id": WORK_ORDER, "body": "Waiting for the seal kit before reassembly."});
    AddPartsToWorkOrder = "add_parts_to_work_order": work_orders::WorkOrderParts => work_orders::add_parts,
        json!({"work_order_id": WORK_ORDER, "parts": [{"part_id": PART, "quantity": 2}]});
    LogWorkOrderHours = "log_work_order_hours": work_orders::WorkOrderHours => work_orders::hours,
        json!({"work_order_id": WORK_ORDER, "hours": 1.5, "note": "Drained and refilled"});
    AssignWorkOrder = "assign_work_order": work_orders::AssignWorkOrder => work_orders::assign,
        json!({"work_order_id": WORK_ORDER, "assignee_id": "0193a5f2-0000-7000-8000-0000000000c3"});
    MarkWorkOrderComplete = "mark_work_order_complete": work_orders::CompleteWorkOrder => work_orders::complete,
        json!({"work_order_id": WORK_ORDER, "completion_notes": "Oil and both filters changed, no leaks on test run."});
    DeferWorkOrder = "defer_work_order": work_orders::DeferWorkOrder => work_orders::defer,
        json!({"work_order_id": WORK_ORDER, "reason": "Yard period next month", "until": "2026-12-15"});
    CancelWorkOrder = "cancel_work_order": work_orders::CancelWorkOrder => work_orders::cancel,
        json!({"work_order_id": WORK_ORDER, "reason": "Duplicate of WO-2026-0041"});
    ReopenWorkOrder = "reopen_work_order": work_orders::WorkOrderRef => work_orders::reopen,
        json!({"work_order_id": WORK_ORDER});
    ViewWorkOrderChecklist = "view_work_order_checklist": work_orders::WorkOrderRef => maintenance::checklist,
        json!({"work_order_id": WORK_ORDER});
    MarkChecklistItemComplete = "mark_checklist_item_complete": work_orders::ChecklistTick => work_orders::tick,
        json!({"work_order_id": WORK_ORDER, "item_id": "0193a5f2-3c00-7000-8000-000000000411"});
    ViewWorklist = "view_worklist": maintenance::Horizon => maintenance::worklist, json!({"within_days": 7});
    ViewWorkOrderHistory = "view_work_order_history": work_orders::WorkOrderRef => maintenance::history,
        json!({"work_order_id": WORK_ORDER});
    ScheduleMaintenance = "schedule_maintenance": crate::routes::schedules::CreateScheduleRequest => maintenance::schedule,
        json!({"equipment_id": EQUIPMENT, "title": "Oil and filter change", "every_days": 180, "every_hours": 250.0});
    ViewMaintenanceDue = "view_maintenance_due": maintenance::MaintenanceDue => maintenance::due,
        json!({"within_days": 14});
    ViewEquipmentDetails = "view_equipment_details": equipment::EquipmentRef => equipment::details,
        json!({"equipment_id": EQUIPMENT});
    ViewEquipmentHistory = "view_equipment_history": equipment::EquipmentHistory => equipment::history,
        json!({"equipment_id": EQUIPMENT, "limit": 50});
    ViewEquipmentParts = "view_equipment_parts": equipment::EquipmentRef => equipment::parts,
        json!({"equipment_id": EQUIPMENT});
    ViewLinkedFaults = "view_linked_faults": equipment::EquipmentRef => equipment::linked_faults,
        json!({"equipment_id": EQUIPMENT});
    AddEquipmentNote = "add_equipment_note": equipment::EquipmentNote => equipment::add_equipment_note,
        json!({"equipment_id": EQUIPMENT, "body": "Slight weep at the raw-water pump seal; monitoring."});
    UpdateEquipmentStatus = "update_equipment_status": equipment::EquipmentStatus => equipment::set_status,
        json!({"equipment_id": EQUIPMENT, "status": "degraded"});
    RecordRunningHours = "record_running_hours": equipment::RunningHours => equipment::record_hours,
        json!({"equipment_id": EQUIPMENT, "hours": 12450.5, "note": "Noon reading"});
    ViewPartStock = "view_part_stock": inventory::PartRef => inventory::stock, json!({"part_id": PART});
    ViewPartLocation = "view_part_location": inventory::PartRef => inventory::location, json!({"part_id": PART});
    ViewPartUsage = "view_part_usage": inventory::PartUsageQuery => inventory::usage, json!({"part_id": PART, "limit": 20});
    LogPartUsage = "log_part_usage": inventory::PartMovement => inventory::log_usage,
        json!({"part_id": PART, "quantity": 1, "work_order_id": WORK_ORDER, "note": "Fuel filter, DG2"});
    ReceivePart = "receive_part": inventory::PartReceipt => inventory::receive,
        json!({"part_id": PART, "quantity": 12, "note": "Delivery from Palma agent"});
    AdjustStock = "adjust_stock": inventory::StockCount => inventory::adjust,
        json!({"part_id": PART, "counted": 7, "reason": "Quarterly stock count"});
    OrderPart = "order_part": crate::routes::purchases::CreatePurchaseRequest => inventory::order,
        json!({"part_id": PART, "quantity": 10, "reason": "Below minimum after the 500 h service"});
    ScanPartBarcode = "scan_part_barcode": inventory::Barcode => inventory::scan, json!({"barcode": "4006381333931"});
    ViewLowStock = "view_low_stock": super::Limit => inventory::low_stock, json!({"limit": 50});
    AddToHandover = "add_to_handover": crate::routes::notes::AddHandoverRequest => status::add_handover,
        json!({"summary": "Port stabiliser fin hydraulic leak: WO-2026-0031 awaiting seal kit.", "category": "urgent"});
    ViewHandover = "view_handover": status::HandoverQuery => status::handover,
        json!({"category": ["urgent", "watch"], "since": "2026-11-15T00:00:00Z"});
    ViewAuditTrail = "view_audit_trail": status::AuditQuery => status::audit_trail,
        json!({"entity_type": "work_order", "entity_id": WORK_ORDER});
    ViewPurchaseRequests = "view_purchase_requests": status::PurchaseQuery => status::purchase_requests,
        json!({"status": ["requested"]});
    ApprovePurchaseRequest = "approve_purchase_request": status::Approval => status::approve,
        json!({"purchase_request_id": "0193a5f2-5e00-7000-8000-000000000601", "note": "Approved within budget"});
}
