//! A record named by id, or the 404 that says it is not on this yacht.

use pms_domain::ids::{EquipmentId, FaultId, PartId, WorkOrderId};
use pms_domain::maintenance::equipment::{Equipment, EquipmentError, EquipmentRepo as _};
use pms_domain::maintenance::fault::{Fault, FaultError, FaultRepo as _};
use pms_domain::maintenance::part::{Part, PartError, PartRepo as _};
use pms_domain::maintenance::work_order::{WorkOrder, WorkOrderError, WorkOrderRepo as _};

use super::Exec;
use crate::error::ApiError;

pub async fn equipment(x: &mut Exec<'_>, id: EquipmentId) -> Result<Equipment, ApiError> {
    x.tx.equipment(id).await?.ok_or_else(|| EquipmentError::NotFound.into())
}

pub async fn fault(x: &mut Exec<'_>, id: FaultId) -> Result<Fault, ApiError> {
    x.tx.fault(id).await?.ok_or_else(|| FaultError::NotFound.into())
}

pub async fn part(x: &mut Exec<'_>, id: PartId) -> Result<Part, ApiError> {
    x.tx.part(id).await?.ok_or_else(|| PartError::NotFound.into())
}

pub async fn work_order(x: &mut Exec<'_>, id: WorkOrderId) -> Result<WorkOrder, ApiError> {
    x.tx.work_order(id).await?.ok_or_else(|| WorkOrderError::NotFound.into())
}
