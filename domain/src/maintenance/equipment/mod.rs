//! Equipment: the yacht's system hierarchy, its status, and running-hours meter readings.

mod values;

pub use values::{Criticality, EquipmentCode, EquipmentStatus, Hours, ValueError};

use super::audit::{AuditEntry, AuditLog, Audited, EntityKind, Snapshot};
use super::paging::{Page, PageRequest};
use super::{Actor, Denied};
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, ReadingId, UserId};
use crate::maintenance::ExpectedVersion;
use crate::store::StoreError;

/// A piece of equipment.
#[derive(Debug, Clone, PartialEq)]
pub struct Equipment {
    pub id: EquipmentId,
    pub parent: Option<EquipmentId>,
    pub code: EquipmentCode,
    pub name: String,
    pub system: Option<String>,
    pub location: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub criticality: Criticality,
    pub status: EquipmentStatus,
    /// The latest meter reading and when it was read.
    pub running_hours: Option<(Hours, Timestamp)>,
    /// Incremented by every change; clients send it back as `If-Match`.
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for Equipment {
    fn kind(&self) -> EntityKind {
        EntityKind::Equipment
    }
}

/// The descriptive fields of equipment, validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EquipmentDetails {
    pub name: String,
    pub system: Option<String>,
    pub location: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
}

/// Equipment to create.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEquipment {
    pub code: EquipmentCode,
    pub parent: Option<EquipmentId>,
    pub details: EquipmentDetails,
    pub criticality: Criticality,
}

/// A partial update: `None` leaves a field as it is; `Some(None)` clears an optional one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EquipmentChanges {
    pub code: Option<EquipmentCode>,
    pub name: Option<String>,
    pub parent: Option<Option<EquipmentId>>,
    pub system: Option<Option<String>>,
    pub location: Option<Option<String>>,
    pub manufacturer: Option<Option<String>>,
    pub model: Option<Option<String>>,
    pub serial_number: Option<Option<String>>,
    pub criticality: Option<Criticality>,
}

/// One meter reading.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningHoursReading {
    pub id: ReadingId,
    pub equipment: EquipmentId,
    pub hours: Hours,
    pub read_at: Timestamp,
    /// The meter was reset or replaced: the reading may be below the previous one.
    pub is_reset: bool,
    pub note: Option<String>,
    pub recorded_by: UserId,
}

impl Audited for RunningHoursReading {
    fn kind(&self) -> EntityKind {
        EntityKind::RunningHoursReading
    }
}

/// How to order equipment lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EquipmentSort {
    #[default]
    Code,
    Name,
    /// Most recently changed first.
    RecentlyUpdated,
}

impl EquipmentSort {
    pub const ALL: [Self; 3] = [Self::Code, Self::Name, Self::RecentlyUpdated];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Name => "name",
            Self::RecentlyUpdated => "-updated_at",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Which equipment to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EquipmentFilter {
    pub status: Vec<EquipmentStatus>,
    pub criticality: Vec<Criticality>,
    /// Children of this equipment; [`EquipmentFilter::roots_only`] for the top of the tree.
    pub parent: Option<EquipmentId>,
    pub roots_only: bool,
    pub system: Option<String>,
    /// Words or a partial code/name, typo-tolerant.
    pub text: Option<String>,
    pub sort: EquipmentSort,
}

#[derive(Debug, thiserror::Error)]
pub enum EquipmentError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such equipment")]
    NotFound,
    #[error("the parent equipment does not exist")]
    ParentNotFound,
    #[error("equipment cannot be placed under itself or one of its own components")]
    ParentCycle,
    #[error("another piece of equipment already has code {0}")]
    CodeTaken(EquipmentCode),
    #[error("the equipment changed since version {expected}; it is now at version {current}")]
    StaleVersion { expected: i32, current: i32 },
    #[error("decommissioned equipment cannot change")]
    Decommissioned,
    #[error(
        "running hours must not go down over time: {reading} conflicts with the latest reading of {last}; record a counter reset if the meter was reset or replaced"
    )]
    HoursNotMonotonic { reading: Hours, last: Hours },
    #[error("a reading cannot be in the future")]
    ReadingInFuture,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a write was refused by the store's constraints.
#[derive(Debug, thiserror::Error)]
pub enum EquipmentWriteError {
    #[error("code taken")]
    CodeTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Equipment storage within one yacht's transaction.
pub trait EquipmentRepo: Send {
    fn equipment(&mut self, id: EquipmentId) -> impl Future<Output = Result<Option<Equipment>, StoreError>> + Send;
    /// Reads and locks the row until the transaction ends.
    fn equipment_for_update(
        &mut self,
        id: EquipmentId,
    ) -> impl Future<Output = Result<Option<Equipment>, StoreError>> + Send;
    fn insert_equipment(
        &mut self,
        equipment: &Equipment,
    ) -> impl Future<Output = Result<(), EquipmentWriteError>> + Send;
    fn update_equipment(
        &mut self,
        equipment: &Equipment,
    ) -> impl Future<Output = Result<(), EquipmentWriteError>> + Send;
    /// Whether `candidate` is `root` or lies below it.
    fn is_within(
        &mut self,
        root: EquipmentId,
        candidate: EquipmentId,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    fn list_equipment(
        &mut self,
        filter: &EquipmentFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<Equipment>, StoreError>> + Send;
    fn insert_reading(&mut self, reading: &RunningHoursReading) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Readings of one piece of equipment, newest first.
    fn readings(
        &mut self,
        equipment: EquipmentId,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<RunningHoursReading>, StoreError>> + Send;
}

/// May the actor change equipment (create, edit, status, running hours)? ENGINEERS ∪ HOD.
pub fn require_manage(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.is_technical(), "change equipment")
}

fn snapshot(equipment: &Equipment) -> Snapshot {
    Snapshot::of(equipment.clone())
}

fn write_error(code: &EquipmentCode) -> impl Fn(EquipmentWriteError) -> EquipmentError + '_ {
    move |e| match e {
        EquipmentWriteError::CodeTaken => EquipmentError::CodeTaken(code.clone()),
        EquipmentWriteError::Store(e) => EquipmentError::Store(e),
    }
}

async fn require_parent<T: EquipmentRepo>(tx: &mut T, parent: Option<EquipmentId>) -> Result<(), EquipmentError> {
    match parent {
        Some(parent) if tx.equipment(parent).await?.is_none() => Err(EquipmentError::ParentNotFound),
        _ => Ok(()),
    }
}

/// Registers new equipment.
pub async fn create_equipment<T: EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewEquipment,
    now: Timestamp,
) -> Result<Equipment, EquipmentError> {
    require_manage(actor)?;
    require_parent(tx, new.parent).await?;
    let equipment = Equipment {
        id: EquipmentId::generate(),
        parent: new.parent,
        code: new.code,
        name: new.details.name,
        system: new.details.system,
        location: new.details.location,
        manufacturer: new.details.manufacturer,
        model: new.details.model,
        serial_number: new.details.serial_number,
        criticality: new.criticality,
        status: EquipmentStatus::Operational,
        running_hours: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    tx.insert_equipment(&equipment).await.map_err(write_error(&equipment.code))?;
    let entry = AuditEntry {
        action: "equipment.created",
        entity: EntityKind::Equipment,
        entity_id: equipment.id.as_uuid(),
        before: None,
        after: Some(snapshot(&equipment)),
    };
    tx.append(actor, entry).await?;
    Ok(equipment)
}

/// Loads equipment for a change, checking the client's expected version when it sent one.
async fn load_for_change<T: EquipmentRepo>(
    tx: &mut T,
    id: EquipmentId,
    expected_version: ExpectedVersion,
) -> Result<Equipment, EquipmentError> {
    let current = tx.equipment_for_update(id).await?.ok_or(EquipmentError::NotFound)?;
    match expected_version.check(current.version) {
        Err(expected) => Err(EquipmentError::StaleVersion { expected, current: current.version }),
        Ok(()) if current.status == EquipmentStatus::Decommissioned => Err(EquipmentError::Decommissioned),
        Ok(()) => Ok(current),
    }
}

async fn save<T: EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: &Equipment,
    mut after: Equipment,
    now: Timestamp,
) -> Result<Equipment, EquipmentError> {
    after.version = before.version + 1;
    after.updated_at = now;
    tx.update_equipment(&after).await.map_err(write_error(&after.code))?;
    let entry = AuditEntry {
        action,
        entity: EntityKind::Equipment,
        entity_id: after.id.as_uuid(),
        before: Some(snapshot(before)),
        after: Some(snapshot(&after)),
    };
    tx.append(actor, entry).await?;
    Ok(after)
}

/// Applies a partial update. A parent must exist and may not be the equipment or below it.
pub async fn update_equipment<T: EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: EquipmentId,
    expected_version: ExpectedVersion,
    changes: EquipmentChanges,
    now: Timestamp,
) -> Result<Equipment, EquipmentError> {
    require_manage(actor)?;
    let before = load_for_change(tx, id, expected_version).await?;
    if let Some(Some(parent)) = changes.parent {
        require_parent(tx, Some(parent)).await?;
        if tx.is_within(id, parent).await? {
            return Err(EquipmentError::ParentCycle);
        }
    }
    let mut after = before.clone();
    let EquipmentChanges { code, name, parent, system, location, manufacturer, model, serial_number, criticality } =
        changes;
    after.code = code.unwrap_or(after.code);
    after.name = name.unwrap_or(after.name);
    after.parent = parent.unwrap_or(after.parent);
    after.system = system.unwrap_or(after.system);
    after.location = location.unwrap_or(after.location);
    after.manufacturer = manufacturer.unwrap_or(after.manufacturer);
    after.model = model.unwrap_or(after.model);
    after.serial_number = serial_number.unwrap_or(after.serial_number);
    after.criticality = criticality.unwrap_or(after.criticality);
    if after == before {
        return Ok(before);
    }
    save(tx, actor, "equipment.updated", &before, after, now).await
}

/// Sets the operational status. Setting the current status changes nothing; decommissioning is
/// final.
pub async fn set_equipment_status<T: EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: EquipmentId,
    expected_version: ExpectedVersion,
    status: EquipmentStatus,
    now: Timestamp,
) -> Result<Equipment, EquipmentError> {
    require_manage(actor)?;
    let before = load_for_change(tx, id, expected_version).await?;
    if before.status == status {
        return Ok(before);
    }
    let after = Equipment { status, ..before.clone() };
    save(tx, actor, "equipment.status_changed", &before, after, now).await
}

/// A meter reading to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReading {
    pub hours: Hours,
    pub read_at: Timestamp,
    pub is_reset: bool,
    pub note: Option<String>,
}

/// Records running hours: never below the last reading unless it is a counter reset, never in the
/// future. Updates the equipment's latest reading in the same transaction.
pub async fn record_running_hours<T: EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: EquipmentId,
    reading: NewReading,
    now: Timestamp,
) -> Result<(Equipment, RunningHoursReading), EquipmentError> {
    require_manage(actor)?;
    if reading.read_at > now + chrono::Duration::minutes(5) {
        return Err(EquipmentError::ReadingInFuture);
    }
    let before = load_for_change(tx, id, ExpectedVersion::ANY).await?;
    if let Some((last, last_at)) = before.running_hours
        && !reading.is_reset
    {
        // A later reading may not be lower; a back-filled earlier one may not be higher.
        let consistent = if reading.read_at >= last_at { reading.hours >= last } else { reading.hours <= last };
        if !consistent {
            return Err(EquipmentError::HoursNotMonotonic { reading: reading.hours, last });
        }
    }
    let recorded = RunningHoursReading {
        id: ReadingId::generate(),
        equipment: id,
        hours: reading.hours,
        read_at: reading.read_at,
        is_reset: reading.is_reset,
        note: reading.note,
        recorded_by: actor.user,
    };
    tx.insert_reading(&recorded).await?;
    let entry = AuditEntry {
        action: "running_hours_reading.recorded",
        entity: EntityKind::RunningHoursReading,
        entity_id: recorded.id.as_uuid(),
        before: None,
        after: Some(Snapshot::of(recorded.clone())),
    };
    tx.append(actor, entry).await?;
    // A reading older than the latest one is history, not the meter's current value.
    let is_latest = before.running_hours.is_none_or(|(_, at)| recorded.read_at >= at) || recorded.is_reset;
    if !is_latest {
        return Ok((before, recorded));
    }
    let after = Equipment { running_hours: Some((recorded.hours, recorded.read_at)), ..before.clone() };
    let updated = save(tx, actor, "equipment.running_hours_updated", &before, after, now).await?;
    Ok((updated, recorded))
}

#[cfg(test)]
mod tests;
