//! The executor table: every registry action bound to its payload type, the use case that runs
//! it and a documented example. The macro turns the table into the parsed call, its dispatch and
//! the docs, so none of them can leave an action out (and a test holds the table to the domain
//! registry).

use std::collections::HashMap;
use std::sync::OnceLock;

use pms_domain::actions::ActionName;
use serde_json::{Value, json};
use utoipa::{PartialSchema, ToSchema};

use super::payload::{self, Documented, PayloadSchema};
use crate::application::{Exec, Limit, equipment, faults, inventory, maintenance, status, work_orders};
use crate::error::ApiError;

macro_rules! executors {
    ($($variant:ident: $payload:ty => $run:path, $example:expr;)*) => {
        /// A parsed call of one action.
        #[derive(Debug)]
        pub enum Call {
            $($variant($payload),)*
        }

        /// Every action with an executor, in table order.
        pub const EXECUTABLE: &[ActionName] = &[$(ActionName::$variant),*];

        impl Call {
            /// The payload of `name`, parsed into its type. The match is exhaustive: an action
            /// of the registry without an executor does not compile.
            pub fn parse(name: ActionName, payload: Value) -> Result<Self, ApiError> {
                let schema = schemas().get(&name);
                match name {
                    $(ActionName::$variant => Ok(Self::$variant(payload::parse(name.as_str(), schema, payload)?)),)*
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
                    name: ActionName::$variant,
                    payload: <$payload as ToSchema>::name().into_owned(),
                    schema: <$payload as PartialSchema>::schema(),
                    references,
                    example: $example,
                }
            },)*]
        }
    };
}

/// The payload schema of every action, by name.
pub fn schemas() -> &'static HashMap<ActionName, PayloadSchema> {
    static SCHEMAS: OnceLock<HashMap<ActionName, PayloadSchema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| payload::compile(&documented()))
}

const FAULT: &str = "0193a5f2-2a00-7000-8000-000000000301";
const WORK_ORDER: &str = "0193a5f2-3b00-7000-8000-000000000401";
const EQUIPMENT: &str = "0193a5f2-1c00-7000-8000-000000000101";
const PART: &str = "0193a5f2-4d00-7000-8000-000000000501";

executors! {
    ReportFault: crate::application::faults::ReportFaultRequest => faults::report,
        json!({"equipment_id": EQUIPMENT, "code": "E047", "title": "Low oil pressure alarm", "severity": "high"});
    AcknowledgeFault: faults::FaultRef => faults::acknowledge, json!({"fault_id": FAULT});
    DiagnoseFault: faults::FaultRef => faults::diagnose, json!({"fault_id": FAULT});
    AddFaultNote: faults::FaultNote => faults::add_fault_note,
        json!({"fault_id": FAULT, "body": "Sender reads 0.8 bar at idle; gauge on the engine shows 3.2 bar."});
    CreateWorkOrderFromFault: faults::FaultWorkOrder => faults::work_order_from_fault,
        json!({"fault_id": FAULT, "priority": "important", "due_on": "2026-11-25"});
    CloseFault: faults::CloseFault => faults::close,
        json!({"fault_id": FAULT, "resolution": "Replaced the oil pressure sender; alarm cleared on test run."});
    ReopenFault: faults::FaultRef => faults::reopen, json!({"fault_id": FAULT});
    MarkFaultFalseAlarm: faults::FalseAlarm => faults::false_alarm,
        json!({"fault_id": FAULT, "reason": "Sensor cable chafed; reading recovered once re-terminated."});
    ViewFaultHistory: faults::FaultHistory => faults::history,
        json!({"equipment_id": EQUIPMENT, "limit": 20});
    SuggestParts: faults::SuggestParts => faults::suggest_parts, json!({"fault_id": FAULT});
    CreateWorkOrder: crate::dto::work_orders::CreateWorkOrderRequest => work_orders::create,
        json!({"title": "Generator 2 oil and filter change", "equipment_id": EQUIPMENT, "priority": "routine", "due_on": "2026-12-01"});
    ViewWorkOrder: work_orders::WorkOrderRef => work_orders::view, json!({"work_order_id": WORK_ORDER});
    StartWorkOrder: work_orders::WorkOrderRef => work_orders::start, json!({"work_order_id": WORK_ORDER});
    AddWorkOrderNote: work_orders::WorkOrderNote => work_orders::add_note_to,
        json!({"work_order_id": WORK_ORDER, "body": "Waiting for the seal kit before reassembly."});
    AddPartsToWorkOrder: work_orders::WorkOrderParts => work_orders::add_parts,
        json!({"work_order_id": WORK_ORDER, "parts": [{"part_id": PART, "quantity": 2}]});
    LogWorkOrderHours: work_orders::WorkOrderHours => work_orders::hours,
        json!({"work_order_id": WORK_ORDER, "hours": 1.5, "note": "Drained and refilled"});
    AssignWorkOrder: work_orders::AssignWorkOrder => work_orders::assign,
        json!({"work_order_id": WORK_ORDER, "assignee_id": "0193a5f2-0000-7000-8000-0000000000c3"});
    MarkWorkOrderComplete: work_orders::CompleteWorkOrder => work_orders::complete,
        json!({"work_order_id": WORK_ORDER, "completion_notes": "Oil and both filters changed, no leaks on test run."});
    DeferWorkOrder: work_orders::DeferWorkOrder => work_orders::defer,
        json!({"work_order_id": WORK_ORDER, "reason": "Yard period next month", "until": "2026-12-15"});
    CancelWorkOrder: work_orders::CancelWorkOrder => work_orders::cancel,
        json!({"work_order_id": WORK_ORDER, "reason": "Duplicate of WO-2026-0041"});
    ReopenWorkOrder: work_orders::WorkOrderRef => work_orders::reopen,
        json!({"work_order_id": WORK_ORDER});
    ViewWorkOrderChecklist: work_orders::WorkOrderRef => maintenance::checklist,
        json!({"work_order_id": WORK_ORDER});
    MarkChecklistItemComplete: work_orders::ChecklistTick => work_orders::tick,
        json!({"work_order_id": WORK_ORDER, "item_id": "0193a5f2-3c00-7000-8000-000000000411"});
    ViewWorklist: maintenance::Horizon => maintenance::worklist, json!({"within_days": 7});
    ViewWorkOrderHistory: work_orders::WorkOrderRef => maintenance::history,
        json!({"work_order_id": WORK_ORDER});
    ScheduleMaintenance: crate::dto::schedules::CreateScheduleRequest => maintenance::schedule,
        json!({"equipment_id": EQUIPMENT, "title": "Oil and filter change", "every_days": 180, "every_hours": 250.0});
    ViewMaintenanceDue: maintenance::MaintenanceDue => maintenance::due,
        json!({"within_days": 14});
    ViewEquipmentDetails: equipment::EquipmentRef => equipment::details,
        json!({"equipment_id": EQUIPMENT});
    ViewEquipmentHistory: equipment::EquipmentHistory => equipment::history,
        json!({"equipment_id": EQUIPMENT, "limit": 50});
    ViewEquipmentParts: equipment::EquipmentRef => equipment::parts,
        json!({"equipment_id": EQUIPMENT});
    ViewLinkedFaults: equipment::EquipmentRef => equipment::linked_faults,
        json!({"equipment_id": EQUIPMENT});
    AddEquipmentNote: equipment::EquipmentNote => equipment::add_equipment_note,
        json!({"equipment_id": EQUIPMENT, "body": "Slight weep at the raw-water pump seal; monitoring."});
    UpdateEquipmentStatus: equipment::EquipmentStatus => equipment::set_status,
        json!({"equipment_id": EQUIPMENT, "status": "degraded"});
    RecordRunningHours: equipment::RunningHours => equipment::record_hours,
        json!({"equipment_id": EQUIPMENT, "hours": 12450.5, "note": "Noon reading"});
    ViewPartStock: inventory::PartRef => inventory::stock, json!({"part_id": PART});
    ViewPartLocation: inventory::PartRef => inventory::location, json!({"part_id": PART});
    ViewPartUsage: inventory::PartUsageQuery => inventory::usage, json!({"part_id": PART, "limit": 20});
    LogPartUsage: inventory::PartMovement => inventory::log_usage,
        json!({"part_id": PART, "quantity": 1, "work_order_id": WORK_ORDER, "note": "Fuel filter, DG2"});
    ReceivePart: inventory::PartReceipt => inventory::receive,
        json!({"part_id": PART, "quantity": 12, "note": "Delivery from Palma agent"});
    AdjustStock: inventory::StockCount => inventory::adjust,
        json!({"part_id": PART, "counted": 7, "reason": "Quarterly stock count"});
    OrderPart: crate::dto::purchases::CreatePurchaseRequest => inventory::order,
        json!({"part_id": PART, "quantity": 10, "reason": "Below minimum after the 500 h service"});
    ScanPartBarcode: inventory::Barcode => inventory::scan, json!({"barcode": "4006381333931"});
    ViewLowStock: Limit => inventory::low_stock, json!({"limit": 50});
    AddToHandover: crate::dto::notes::AddHandoverRequest => status::add_handover,
        json!({"summary": "Port stabiliser fin hydraulic leak: WO-2026-0031 awaiting seal kit.", "category": "urgent"});
    ViewHandover: status::HandoverQuery => status::handover,
        json!({"category": ["urgent", "watch"], "since": "2026-11-15T00:00:00Z"});
    ViewAuditTrail: status::AuditQuery => status::audit_trail,
        json!({"entity_type": "work_order", "entity_id": WORK_ORDER});
    ViewPurchaseRequests: status::PurchaseQuery => status::purchase_requests,
        json!({"status": ["requested"]});
    ApprovePurchaseRequest: status::Approval => status::approve,
        json!({"purchase_request_id": "0193a5f2-5e00-7000-8000-000000000601", "note": "Approved within budget"});
}
