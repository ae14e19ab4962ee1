//! Equipment request and response bodies. Schema constraints mirror the validators, so a
//! schema-valid request is never refused for its shape.
#![allow(clippy::option_option, reason = "PATCH bodies distinguish absent, null and a value")]

use chrono::{DateTime, Utc};
use pms_domain::ids::EquipmentId;
use pms_domain::maintenance::equipment::{
    Criticality, Equipment, EquipmentChanges, EquipmentCode, EquipmentDetails, EquipmentStatus, Hours, NewEquipment,
    NewReading, RunningHoursReading,
};
use pms_domain::maintenance::text::{line, optional_line};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::dates::DateTimeUtc;
use crate::http::patch::double_option;
use crate::validation::Validation;

mirror_enum!(
    /// How much the yacht depends on the equipment.
    CriticalityDto <-> Criticality { Low, Medium, High, Critical }
);

mirror_enum!(
    /// Whether the equipment works.
    EquipmentStatusDto <-> EquipmentStatus { Operational, Degraded, Failed, Maintenance, Decommissioned }
);

/// A piece of equipment.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f2-1c00-7000-8000-000000000101", "parent_id": null, "code": "ME-P", "name": "Port main engine",
    "system": "Propulsion", "location": "Engine room", "manufacturer": "MTU", "model": "16V 2000 M96L",
    "serial_number": "5362001234", "criticality": "critical", "status": "operational",
    "running_hours": 12450.5, "running_hours_at": "2026-11-22T08:00:00Z", "version": 3,
    "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-11-22T08:00:00Z"
}))]
pub struct EquipmentView {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub code: String,
    pub name: String,
    pub system: Option<String>,
    pub location: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub criticality: CriticalityDto,
    pub status: EquipmentStatusDto,
    /// The latest meter reading.
    pub running_hours: Option<f64>,
    pub running_hours_at: Option<DateTime<Utc>>,
    /// Send back as `If-Match: "<version>"` to make a write conditional.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Equipment> for EquipmentView {
    fn from(e: &Equipment) -> Self {
        Self {
            id: e.id.as_uuid(),
            parent_id: e.parent.map(EquipmentId::as_uuid),
            code: e.code.to_string(),
            name: e.name.clone(),
            system: e.system.clone(),
            location: e.location.clone(),
            manufacturer: e.manufacturer.clone(),
            model: e.model.clone(),
            serial_number: e.serial_number.clone(),
            criticality: e.criticality.into(),
            status: e.status.into(),
            running_hours: e.running_hours.map(|(h, _)| h.as_f64()),
            running_hours_at: e.running_hours.map(|(_, at)| at),
            version: e.version,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// Equipment to register.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "DG-1", "name": "Generator 1", "system": "Electrical", "criticality": "high"}))]
pub struct CreateEquipmentRequest {
    /// Unique on the yacht; stored upper-case.
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$", max_length = 40)]
    pub code: String,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub name: String,
    /// The assembly this is part of.
    pub parent_id: Option<Uuid>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub system: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
    pub location: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub manufacturer: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub model: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub serial_number: Option<String>,
    /// `medium` when omitted.
    pub criticality: Option<CriticalityDto>,
}

/// A partial update: omitted fields stay as they are; `null` clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"location": "Engine room, port side", "serial_number": null}))]
pub struct UpdateEquipmentRequest {
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$", max_length = 40)]
    pub code: Option<String>,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub system: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub manufacturer: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub serial_number: Option<Option<String>>,
    pub criticality: Option<CriticalityDto>,
}

/// A new operational status.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetEquipmentStatusRequest {
    pub status: EquipmentStatusDto,
}

/// A running-hours meter reading.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours": 12450.5, "note": "Noon reading"}))]
pub struct RecordRunningHoursRequest {
    /// Hours on the meter, to a tenth.
    #[schema(minimum = 0, maximum = 9_999_999.9)]
    pub hours: f64,
    /// When the meter was read; now when omitted. Not in the future.
    pub read_at: Option<DateTimeUtc>,
    /// The meter was reset or replaced, so this reading may be below the last one.
    #[serde(default)]
    pub is_reset: bool,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 500)]
    pub note: Option<String>,
}

/// One meter reading.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingView {
    pub id: Uuid,
    pub equipment_id: Uuid,
    pub hours: f64,
    pub read_at: DateTime<Utc>,
    pub is_reset: bool,
    pub note: Option<String>,
    pub recorded_by: Uuid,
}

impl From<&RunningHoursReading> for ReadingView {
    fn from(r: &RunningHoursReading) -> Self {
        Self {
            id: r.id.as_uuid(),
            equipment_id: r.equipment.as_uuid(),
            hours: r.hours.as_f64(),
            read_at: r.read_at,
            is_reset: r.is_reset,
            note: r.note.clone(),
            recorded_by: r.recorded_by.as_uuid(),
        }
    }
}

/// The recorded reading and the equipment as it is now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedReadingView {
    pub reading: ReadingView,
    pub equipment: EquipmentView,
    /// Work orders the reading brought due, planned at once (usually none).
    pub planned_work_orders: Vec<crate::routes::work_orders::WorkOrderView>,
}

/// A page of equipment.
#[derive(Debug, Serialize, ToSchema)]
pub struct EquipmentList {
    pub items: Vec<EquipmentView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A page of readings, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingList {
    pub items: Vec<ReadingView>,
    pub next_cursor: Option<String>,
}

fn optional(v: &mut Validation, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    v.check(field, "invalid", optional_line(raw, max)).flatten()
}

impl CreateEquipmentRequest {
    pub fn validate(self) -> Result<NewEquipment, ApiError> {
        let mut v = Validation::default();
        let code = v.check("code", "invalid", EquipmentCode::parse(&self.code));
        let name = v.check("name", "invalid", line(&self.name, 200));
        let details = EquipmentDetails {
            name: name.unwrap_or_default(),
            system: optional(&mut v, "system", self.system.as_deref(), 100),
            location: optional(&mut v, "location", self.location.as_deref(), 200),
            manufacturer: optional(&mut v, "manufacturer", self.manufacturer.as_deref(), 100),
            model: optional(&mut v, "model", self.model.as_deref(), 100),
            serial_number: optional(&mut v, "serial_number", self.serial_number.as_deref(), 100),
        };
        v.finish()?;
        Ok(NewEquipment {
            code: code.expect("validated"),
            parent: self.parent_id.map(EquipmentId::from_uuid),
            details,
            criticality: self.criticality.map_or(Criticality::Medium, Into::into),
        })
    }
}

fn changed_text(v: &mut Validation, field: &str, raw: Option<Option<String>>, max: usize) -> Option<Option<String>> {
    raw.map(|value| optional(v, field, value.as_deref(), max))
}

impl UpdateEquipmentRequest {
    pub fn validate(self) -> Result<EquipmentChanges, ApiError> {
        let mut v = Validation::default();
        let changes = EquipmentChanges {
            code: self.code.and_then(|c| v.check("code", "invalid", EquipmentCode::parse(&c))),
            name: self.name.and_then(|n| v.check("name", "invalid", line(&n, 200))),
            parent: self.parent_id.map(|p| p.map(EquipmentId::from_uuid)),
            system: changed_text(&mut v, "system", self.system, 100),
            location: changed_text(&mut v, "location", self.location, 200),
            manufacturer: changed_text(&mut v, "manufacturer", self.manufacturer, 100),
            model: changed_text(&mut v, "model", self.model, 100),
            serial_number: changed_text(&mut v, "serial_number", self.serial_number, 100),
            criticality: self.criticality.map(Into::into),
        };
        v.finish()?;
        Ok(changes)
    }
}

impl RecordRunningHoursRequest {
    pub fn validate(self, now: DateTime<Utc>) -> Result<NewReading, ApiError> {
        let mut v = Validation::default();
        let hours = v.check("hours", "invalid", Hours::from_f64(self.hours));
        let note = optional(&mut v, "note", self.note.as_deref(), 500);
        v.finish()?;
        Ok(NewReading {
            hours: hours.expect("validated"),
            read_at: self.read_at.map_or(now, |t| t.0),
            is_reset: self.is_reset,
            note,
        })
    }
}
