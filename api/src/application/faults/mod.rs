//! `fix_something`: faults, from report to diagnosis and closure.

pub use crate::dto::faults::*;

use pms_domain::ids::{EquipmentId, FaultId};
use pms_domain::maintenance::fault::{
    Fault, FaultChange, FaultCode, FaultFilter, FaultRepo as _, FaultStatus, change_fault, edit_fault, report_fault,
};
use pms_domain::maintenance::notes::Subject;
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::work_order::{WorkOrderRepo as _, create_work_order_from_fault};
use pms_infra::tenant::views::{PartUsage, UsageScope, parts_used};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Exec, Limit, load};
use crate::dto::equipment::EquipmentView;
use crate::dto::notes::{AddNoteRequest, NoteView};
use crate::dto::work_orders::{FromFaultRequest, WorkOrderFromFaultView, WorkOrderView};
use crate::error::ApiError;
use crate::validation::required_paragraph;

/// The fault the action is about.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FaultRef {
    pub fault_id: Uuid,
}

impl FaultRef {
    fn id(&self) -> FaultId {
        FaultId::from_uuid(self.fault_id)
    }
}

/// A note on a fault.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FaultNote {
    pub fault_id: Uuid,
    #[serde(flatten)]
    pub note: AddNoteRequest,
}

/// A work order for a fault.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FaultWorkOrder {
    pub fault_id: Uuid,
    #[serde(flatten)]
    pub work_order: FromFaultRequest,
}

/// How a fault was fixed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CloseFault {
    pub fault_id: Uuid,
    #[serde(flatten)]
    pub resolution: ResolveFaultRequest,
}

/// Why a fault was a false alarm.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FalseAlarm {
    pub fault_id: Uuid,
    #[serde(flatten)]
    pub reason: FalseAlarmRequest,
}

/// Which earlier faults to show: on a piece of equipment, with a code, or both.
#[derive(Debug, Deserialize, ToSchema)]
pub struct FaultHistory {
    pub equipment_id: Option<Uuid>,
    /// A fault code, matched after normalising (`e047` finds `E047`).
    #[schema(max_length = 40)]
    pub code: Option<String>,
    #[serde(flatten)]
    pub limit: Limit,
}

/// What to suggest parts for: a fault (its equipment and code), or a piece of equipment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SuggestParts {
    pub fault_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
}

/// Corrections to a fault's details (REST only: who may depends on the fault).
#[derive(Debug)]
pub struct EditFault {
    pub fault_id: Uuid,
    pub edits: UpdateFaultRequest,
}

pub async fn edit(x: &mut Exec<'_>, p: EditFault) -> Result<FaultView, ApiError> {
    let edits = p.edits.validate()?;
    let id = FaultId::from_uuid(p.fault_id);
    Ok(FaultView::from(&edit_fault(x.tx, &x.actor, id, x.expected.clone(), edits, x.now).await?))
}

pub async fn report(x: &mut Exec<'_>, p: ReportFaultRequest) -> Result<FaultView, ApiError> {
    let new = p.validate()?;
    let fault = report_fault(x.tx, &x.actor, new, x.now).await.map_err(ApiError::from)?;
    Ok(FaultView::from(&fault))
}

async fn change(x: &mut Exec<'_>, fault: FaultId, change: FaultChange) -> Result<FaultView, ApiError> {
    let fault = change_fault(x.tx, &x.actor, fault, x.expected.clone(), change, x.now).await.map_err(ApiError::from)?;
    Ok(FaultView::from(&fault))
}

pub async fn acknowledge(x: &mut Exec<'_>, p: FaultRef) -> Result<FaultView, ApiError> {
    change(x, p.id(), FaultChange::Acknowledge).await
}

pub async fn close(x: &mut Exec<'_>, p: CloseFault) -> Result<FaultView, ApiError> {
    let resolution = required_paragraph("resolution", &p.resolution.resolution, 5000)?;
    change(x, FaultId::from_uuid(p.fault_id), FaultChange::Resolve { resolution }).await
}

pub async fn reopen(x: &mut Exec<'_>, p: FaultRef) -> Result<FaultView, ApiError> {
    change(x, p.id(), FaultChange::Reopen).await
}

pub async fn false_alarm(x: &mut Exec<'_>, p: FalseAlarm) -> Result<FaultView, ApiError> {
    let reason = required_paragraph("reason", &p.reason.reason, 5000)?;
    change(x, FaultId::from_uuid(p.fault_id), FaultChange::MarkFalseAlarm { reason }).await
}

pub async fn add_fault_note(x: &mut Exec<'_>, p: FaultNote) -> Result<NoteView, ApiError> {
    super::notes::add(x, Subject::Fault(FaultId::from_uuid(p.fault_id)), p.note).await
}

pub async fn work_order_from_fault(x: &mut Exec<'_>, p: FaultWorkOrder) -> Result<WorkOrderFromFaultView, ApiError> {
    let from = p.work_order.validate()?;
    let (work_order, fault) = create_work_order_from_fault(x.tx, &x.actor, FaultId::from_uuid(p.fault_id), from, x.now)
        .await
        .map_err(ApiError::from)?;
    Ok(WorkOrderFromFaultView { work_order: (&work_order).into(), fault: (&fault).into() })
}

/// Faults, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultListView {
    pub items: Vec<FaultView>,
}

pub async fn history(x: &mut Exec<'_>, p: FaultHistory) -> Result<FaultListView, ApiError> {
    let code = p.code.as_deref().filter(|c| !c.trim().is_empty()).map(FaultCode::parse).transpose();
    let code = code.map_err(|e| ApiError::field("code", "invalid", e.to_string()))?;
    let filter = FaultFilter { equipment: p.equipment_id.map(EquipmentId::from_uuid), code, ..FaultFilter::default() };
    let page = x.tx.list_faults(&filter, &PageRequest::new(Some(p.limit.get()?), None)).await?;
    Ok(FaultListView { items: page.items.iter().map(FaultView::from).collect() })
}

/// A fault with what is known about faults like it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Diagnosis {
    pub fault: FaultView,
    pub equipment: Option<EquipmentView>,
    /// Earlier faults on the same equipment or with the same code, newest first, with how
    /// they were resolved.
    pub similar_faults: Vec<FaultView>,
    /// The work orders that handled those faults.
    pub work_orders: Vec<WorkOrderView>,
    /// Parts used on that work, most often first.
    #[schema(value_type = Vec<Object>)]
    pub parts_used: Vec<PartUsage>,
}

const SIMILAR: u32 = 10;

pub async fn diagnose(x: &mut Exec<'_>, p: FaultRef) -> Result<Diagnosis, ApiError> {
    let fault = load::fault(x, p.id()).await?;
    let equipment = match fault.equipment {
        Some(id) => Some(load::equipment(x, id).await?),
        None => None,
    };
    let mut similar: Vec<Fault> = Vec::new();
    let by_equipment = fault.equipment.map(|e| FaultFilter { equipment: Some(e), ..FaultFilter::default() });
    let by_code = fault.code.clone().map(|c| FaultFilter { code: Some(c), ..FaultFilter::default() });
    for filter in [by_equipment, by_code].into_iter().flatten() {
        let page = x.tx.list_faults(&filter, &PageRequest::new(Some(SIMILAR + 1), None)).await?;
        similar.extend(page.items.into_iter().filter(|f| f.id != fault.id));
    }
    similar.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    similar.dedup_by_key(|f| f.id);
    // Closed ones first, newest first: they say how the problem was fixed.
    let is_closed = |f: &Fault| matches!(f.status, FaultStatus::Resolved | FaultStatus::FalseAlarm);
    similar.sort_by_key(|f| (!is_closed(f), std::cmp::Reverse(f.created_at)));
    similar.truncate(SIMILAR as usize);
    let mut work_orders = Vec::new();
    for id in similar.iter().filter_map(|f| f.work_order) {
        if let Some(wo) = x.tx.work_order(id).await? {
            work_orders.push(WorkOrderView::from(&wo));
        }
    }
    let scope =
        UsageScope { work_orders: similar.iter().filter_map(|f| f.work_order).collect(), ..UsageScope::default() };
    let parts = parts_used(x.tx, &scope, 20).await?;
    Ok(Diagnosis {
        fault: FaultView::from(&fault),
        equipment: equipment.as_ref().map(EquipmentView::from),
        similar_faults: similar.iter().map(FaultView::from).collect(),
        work_orders,
        parts_used: parts,
    })
}

/// Parts that earlier work on the same equipment or the same fault code used.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartSuggestions {
    pub fault_id: Option<Uuid>,
    pub equipment_id: Option<Uuid>,
    pub fault_code: Option<String>,
    /// Most often used first, with what is on hand now.
    #[schema(value_type = Vec<Object>)]
    pub parts: Vec<PartUsage>,
}

pub async fn suggest_parts(x: &mut Exec<'_>, p: SuggestParts) -> Result<PartSuggestions, ApiError> {
    let (equipment, code) = match (p.fault_id, p.equipment_id) {
        (Some(fault), _) => {
            let fault = load::fault(x, FaultId::from_uuid(fault)).await?;
            (fault.equipment.or(p.equipment_id.map(EquipmentId::from_uuid)), fault.code.map(|c| c.to_string()))
        }
        (None, Some(equipment)) => {
            let id = EquipmentId::from_uuid(equipment);
            load::equipment(x, id).await?;
            (Some(id), None)
        }
        (None, None) => {
            return Err(ApiError::field("fault_id", "required", "give fault_id or equipment_id".to_owned()));
        }
    };
    let scope = UsageScope { equipment, fault_code: code.clone(), work_orders: Vec::new() };
    let parts = parts_used(x.tx, &scope, 20).await?;
    Ok(PartSuggestions {
        fault_id: p.fault_id,
        equipment_id: equipment.map(EquipmentId::as_uuid),
        fault_code: code,
        parts,
    })
}
