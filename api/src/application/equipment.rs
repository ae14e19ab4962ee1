//! `manage_equipment`: a piece of equipment's details, history, parts and faults; its status,
//! notes and running hours.

use pms_domain::ids::EquipmentId;
use pms_domain::maintenance::equipment::set_equipment_status;
use pms_domain::maintenance::fault::{FaultFilter, FaultRepo as _, FaultStatus};
use pms_domain::maintenance::notes::Subject;
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::schedule::record_running_hours_and_plan;
use pms_infra::tenant::views::{PartUsage, TimelineEvent, UsageScope, equipment_timeline, parts_used};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::faults::FaultListView;
use super::{Exec, Limit, load};
use crate::dto::equipment::{
    EquipmentView, ReadingView, RecordRunningHoursRequest, RecordedReadingView, SetEquipmentStatusRequest,
};
use crate::dto::faults::FaultView;
use crate::dto::notes::{AddNoteRequest, NoteView};
use crate::error::ApiError;

/// The equipment the action is about.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EquipmentRef {
    pub equipment_id: Uuid,
}

/// The equipment and how many of its events to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EquipmentHistory {
    pub equipment_id: Uuid,
    #[serde(flatten)]
    pub limit: Limit,
}

/// A note on a piece of equipment.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EquipmentNote {
    pub equipment_id: Uuid,
    #[serde(flatten)]
    pub note: AddNoteRequest,
}

/// A new operational status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EquipmentStatus {
    pub equipment_id: Uuid,
    #[serde(flatten)]
    pub status: SetEquipmentStatusRequest,
}

/// A meter reading.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RunningHours {
    pub equipment_id: Uuid,
    #[serde(flatten)]
    pub reading: RecordRunningHoursRequest,
}

pub async fn details(x: &mut Exec<'_>, p: EquipmentRef) -> Result<EquipmentView, ApiError> {
    Ok(EquipmentView::from(&load::equipment(x, EquipmentId::from_uuid(p.equipment_id)).await?))
}

/// Everything that happened to a piece of equipment, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentTimeline {
    pub equipment: EquipmentView,
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<TimelineEvent>,
}

pub async fn history(x: &mut Exec<'_>, p: EquipmentHistory) -> Result<EquipmentTimeline, ApiError> {
    let limit = p.limit.get()?;
    let equipment = load::equipment(x, EquipmentId::from_uuid(p.equipment_id)).await?;
    let events = equipment_timeline(x.tx, equipment.id, i64::from(limit)).await?;
    Ok(EquipmentTimeline { equipment: EquipmentView::from(&equipment), events })
}

/// The parts earlier work on a piece of equipment used.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentParts {
    pub equipment: EquipmentView,
    /// Most often used first, with what is on hand now.
    #[schema(value_type = Vec<Object>)]
    pub parts: Vec<PartUsage>,
}

pub async fn parts(x: &mut Exec<'_>, p: EquipmentRef) -> Result<EquipmentParts, ApiError> {
    let equipment = load::equipment(x, EquipmentId::from_uuid(p.equipment_id)).await?;
    let scope = UsageScope { equipment: Some(equipment.id), ..UsageScope::default() };
    let parts = parts_used(x.tx, &scope, 50).await?;
    Ok(EquipmentParts { equipment: EquipmentView::from(&equipment), parts })
}

pub async fn linked_faults(x: &mut Exec<'_>, p: EquipmentRef) -> Result<FaultListView, ApiError> {
    let equipment = load::equipment(x, EquipmentId::from_uuid(p.equipment_id)).await?;
    let filter = FaultFilter {
        equipment: Some(equipment.id),
        status: FaultStatus::ALL.iter().copied().filter(|s| s.is_active()).collect(),
        ..FaultFilter::default()
    };
    let page = x.tx.list_faults(&filter, &PageRequest::new(Some(100), None)).await?;
    Ok(FaultListView { items: page.items.iter().map(FaultView::from).collect() })
}

pub async fn add_equipment_note(x: &mut Exec<'_>, p: EquipmentNote) -> Result<NoteView, ApiError> {
    super::notes::add(x, Subject::Equipment(EquipmentId::from_uuid(p.equipment_id)), p.note).await
}

pub async fn set_status(x: &mut Exec<'_>, p: EquipmentStatus) -> Result<EquipmentView, ApiError> {
    let id = EquipmentId::from_uuid(p.equipment_id);
    let updated = set_equipment_status(x.tx, &x.actor, id, x.expected.clone(), p.status.status.into(), x.now)
        .await
        .map_err(ApiError::from)?;
    Ok(EquipmentView::from(&updated))
}

pub async fn record_hours(x: &mut Exec<'_>, p: RunningHours) -> Result<RecordedReadingView, ApiError> {
    let reading = p.reading.validate(x.now)?;
    let id = EquipmentId::from_uuid(p.equipment_id);
    let (equipment, recorded, planned) =
        record_running_hours_and_plan(x.tx, &x.actor, id, reading, x.now).await.map_err(ApiError::from)?;
    Ok(RecordedReadingView {
        reading: ReadingView::from(&recorded),
        equipment: EquipmentView::from(&equipment),
        planned_work_orders: planned.iter().map(Into::into).collect(),
    })
}
