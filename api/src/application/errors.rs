//! What each domain error means to a client: its status, code and the field it is about. One
//! place, so a REST route and a micro-action answer the same mistake the same way.

use pms_domain::maintenance::equipment::EquipmentError;
use pms_domain::maintenance::fault::FaultError;
use pms_domain::maintenance::notes::NoteError;
use pms_domain::maintenance::part::PartError;
use pms_domain::maintenance::purchase::PurchaseError;
use pms_domain::maintenance::schedule::ScheduleError;
use pms_domain::maintenance::work_order::WorkOrderError;

use crate::error::{ApiError, ErrorCode};

impl From<PurchaseError> for ApiError {
    fn from(error: PurchaseError) -> Self {
        match error {
            PurchaseError::Denied(denied) => denied.into(),
            PurchaseError::NotFound => {
                ApiError::new(ErrorCode::NotFound, "No purchase request with this id on this yacht.")
            }
            PurchaseError::PartNotFound => ApiError::field("part_id", "not_found", error.to_string()),
            PurchaseError::ZeroQuantity => ApiError::field("quantity", "out_of_range", error.to_string()),
            PurchaseError::InvalidTransition { .. } => {
                ApiError::new(ErrorCode::InvalidStateTransition, error.to_string())
            }
            PurchaseError::Stock(e) => ApiError::from(e),
            PurchaseError::Store(e) => e.into(),
        }
    }
}

impl From<ScheduleError> for ApiError {
    fn from(error: ScheduleError) -> Self {
        match error {
            ScheduleError::Denied(denied) => denied.into(),
            ScheduleError::NotFound => ApiError::new(ErrorCode::NotFound, "No schedule with this id on this yacht."),
            ScheduleError::EquipmentNotFound => ApiError::field("equipment_id", "not_found", error.to_string()),
            ScheduleError::EquipmentDecommissioned => {
                ApiError::field("equipment_id", "decommissioned", error.to_string())
            }
            ScheduleError::Interval(interval) => {
                use pms_domain::maintenance::schedule::IntervalError;
                let name = match interval {
                    IntervalError::Missing | IntervalError::Days => "every_days",
                    IntervalError::Hours => "every_hours",
                };
                ApiError::field(name, "invalid", interval.to_string())
            }
            ScheduleError::NoMeterReading => ApiError::field("last_done_hours", "required", error.to_string()),
            ScheduleError::LastDoneInFuture => ApiError::field("last_done_on", "in_future", error.to_string()),
            ScheduleError::LeadDays => ApiError::field("lead_days", "out_of_range", error.to_string()),
            ScheduleError::LeadHours => ApiError::field("lead_hours", "out_of_range", error.to_string()),
            ScheduleError::StaleVersion { .. } => ApiError::new(ErrorCode::PreconditionFailed, error.to_string()),
            ScheduleError::Equipment(e) => ApiError::from(e),
            ScheduleError::Store(e) => e.into(),
        }
    }
}

impl From<FaultError> for ApiError {
    fn from(error: FaultError) -> Self {
        match error {
            FaultError::Denied(denied) => denied.into(),
            FaultError::NotFound => ApiError::new(ErrorCode::NotFound, "No fault with this id on this yacht."),
            FaultError::EquipmentNotFound => ApiError::field("equipment_id", "not_found", error.to_string()),
            FaultError::InvalidTransition { .. } => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
            FaultError::StaleVersion { .. } => ApiError::new(ErrorCode::PreconditionFailed, error.to_string()),
            FaultError::Store(e) => e.into(),
        }
    }
}

impl From<NoteError> for ApiError {
    fn from(error: NoteError) -> Self {
        match error {
            NoteError::SubjectNotFound(_) => ApiError::new(ErrorCode::NotFound, error.to_string()),
            NoteError::Store(e) => e.into(),
        }
    }
}

impl From<PartError> for ApiError {
    fn from(error: PartError) -> Self {
        match error {
            PartError::Denied(denied) => denied.into(),
            PartError::NotFound => ApiError::new(ErrorCode::NotFound, "No part with this id on this yacht."),
            PartError::NumberTaken(_) => {
                ApiError::new(ErrorCode::PartNumberTaken, "Another part already has this number or barcode.")
            }
            PartError::InsufficientStock { .. } => ApiError::new(ErrorCode::InsufficientStock, error.to_string()),
            PartError::ZeroQuantity | PartError::Overflow => {
                ApiError::field("quantity", "out_of_range", error.to_string())
            }
            PartError::WorkOrderNotFound => ApiError::field("work_order_id", "not_found", error.to_string()),
            PartError::WorkOrderClosed => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
            PartError::ReturnExceedsIssued { .. } => ApiError::new(ErrorCode::ReturnExceedsIssued, error.to_string()),
            PartError::Store(e) => e.into(),
        }
    }
}

impl From<WorkOrderError> for ApiError {
    fn from(error: WorkOrderError) -> Self {
        match error {
            WorkOrderError::Denied(denied) => denied.into(),
            WorkOrderError::NotFound => ApiError::new(ErrorCode::NotFound, "No work order with this id on this yacht."),
            WorkOrderError::FaultNotFound => ApiError::new(ErrorCode::NotFound, "No fault with this id on this yacht."),
            WorkOrderError::ChecklistItemNotFound => {
                ApiError::new(ErrorCode::NotFound, "No such checklist item on this work order.")
            }
            WorkOrderError::EquipmentNotFound => ApiError::field("equipment_id", "not_found", error.to_string()),
            WorkOrderError::InvalidHours => ApiError::field("hours", "out_of_range", error.to_string()),
            WorkOrderError::DeferredUntilPast => ApiError::field("until", "out_of_range", error.to_string()),
            WorkOrderError::InvalidTransition { .. } | WorkOrderError::FaultClosed { .. } => {
                ApiError::new(ErrorCode::InvalidStateTransition, error.to_string())
            }
            WorkOrderError::ExistsForFault { .. } => {
                ApiError::new(ErrorCode::WorkOrderExistsForFault, error.to_string())
            }
            WorkOrderError::ExistsForSchedule { .. } => {
                ApiError::new(ErrorCode::WorkOrderExistsForSchedule, error.to_string())
            }
            WorkOrderError::StaleVersion { .. } => ApiError::new(ErrorCode::PreconditionFailed, error.to_string()),
            WorkOrderError::Store(e) => e.into(),
        }
    }
}

impl From<EquipmentError> for ApiError {
    fn from(error: EquipmentError) -> Self {
        match error {
            EquipmentError::Denied(denied) => denied.into(),
            EquipmentError::NotFound => ApiError::new(ErrorCode::NotFound, "No equipment with this id on this yacht."),
            EquipmentError::ParentNotFound => ApiError::field("parent_id", "not_found", error.to_string()),
            EquipmentError::ParentCycle => ApiError::field("parent_id", "cycle", error.to_string()),
            EquipmentError::ReadingInFuture => ApiError::field("read_at", "in_future", error.to_string()),
            EquipmentError::CodeTaken(_) => ApiError::new(ErrorCode::EquipmentCodeTaken, error.to_string()),
            EquipmentError::StaleVersion { .. } => ApiError::new(ErrorCode::PreconditionFailed, error.to_string()),
            EquipmentError::Decommissioned => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
            EquipmentError::HoursNotMonotonic { .. } => {
                ApiError::new(ErrorCode::RunningHoursNotMonotonic, error.to_string())
            }
            EquipmentError::Store(e) => e.into(),
        }
    }
}
