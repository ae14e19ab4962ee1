//! Fault request and response bodies; schema constraints mirror the validators.

use chrono::{DateTime, Utc};
use pms_domain::ids::{EquipmentId, UserId, WorkOrderId};
use pms_domain::maintenance::fault::{Fault, FaultCode, FaultEdits, FaultSeverity, FaultStatus, NewFault};
use pms_domain::maintenance::text::line;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::patch::double_option;
use crate::validation::Validation;

mirror_enum!(
    /// How bad a fault is.
    FaultSeverityDto <-> FaultSeverity { Low, Medium, High, Critical }
);

mirror_enum!(
    /// Where a fault stands.
    FaultStatusDto <-> FaultStatus { Open, Acknowledged, InProgress, Resolved, FalseAlarm }
);

/// A reported fault.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f2-2a00-7000-8000-000000000301", "equipment_id": "0193a5f2-1c00-7000-8000-000000000101",
    "code": "E047", "title": "Low oil pressure alarm", "description": "Alarm at 1,400 rpm", "severity": "high",
    "status": "acknowledged", "reported_by": "0193a5f2-0000-7000-8000-0000000000c1",
    "acknowledged_by": "0193a5f2-0000-7000-8000-0000000000c2", "acknowledged_at": "2026-11-22T08:10:00Z",
    "closed_by": null, "closed_at": null, "resolution": null, "work_order_id": null, "version": 2,
    "created_at": "2026-11-22T08:00:00Z", "updated_at": "2026-11-22T08:10:00Z"
}))]
pub struct FaultView {
    pub id: Uuid,
    pub equipment_id: Option<Uuid>,
    /// The equipment's own fault or alarm code, normalised (`E047`, `SPN 100 FMI 3`).
    pub code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub severity: FaultSeverityDto,
    pub status: FaultStatusDto,
    pub reported_by: Uuid,
    pub acknowledged_by: Option<Uuid>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who resolved it or marked it a false alarm.
    pub closed_by: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    /// How it was resolved, or why it was a false alarm.
    pub resolution: Option<String>,
    pub work_order_id: Option<Uuid>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Fault> for FaultView {
    fn from(f: &Fault) -> Self {
        Self {
            id: f.id.as_uuid(),
            equipment_id: f.equipment.map(EquipmentId::as_uuid),
            code: f.code.as_ref().map(ToString::to_string),
            title: f.title.clone(),
            description: f.description.clone(),
            severity: f.severity.into(),
            status: f.status.into(),
            reported_by: f.reported_by.as_uuid(),
            acknowledged_by: f.acknowledged.map(|(u, _)| UserId::as_uuid(u)),
            acknowledged_at: f.acknowledged.map(|(_, at)| at),
            closed_by: f.closed.map(|(u, _)| u.as_uuid()),
            closed_at: f.closed.map(|(_, at)| at),
            resolution: f.resolution.clone(),
            work_order_id: f.work_order.map(WorkOrderId::as_uuid),
            version: f.version,
            created_at: f.created_at,
            updated_at: f.updated_at,
        }
    }
}

/// A fault to report (anyone aboard may).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"equipment_id": "0193a5f2-1c00-7000-8000-000000000101", "code": "E047", "title": "Low oil pressure alarm", "severity": "high"}))]
pub struct ReportFaultRequest {
    pub equipment_id: Option<Uuid>,
    /// The equipment's fault or alarm code, if it shows one.
    #[schema(pattern = r"^[ ]*[A-Za-z0-9./_:-][A-Za-z0-9 ./_:-]*$", max_length = 40)]
    pub code: Option<String>,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: String,
    /// Newlines allowed.
    #[schema(pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub description: Option<String>,
    /// `medium` when omitted.
    pub severity: Option<FaultSeverityDto>,
}

/// Corrections to an active fault (a partial update): omitted fields stay as they are; `null`
/// (or a blank string) clears an optional one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "SPN 100 FMI 1", "severity": "critical"}))]
#[allow(clippy::option_option, reason = "absent, null and a value mean different things")]
pub struct UpdateFaultRequest {
    #[serde(default, deserialize_with = "double_option")]
    pub equipment_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[ ]*([A-Za-z0-9./_:-][A-Za-z0-9 ./_:-]*)?$", max_length = 40)]
    pub code: Option<Option<String>>,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$", max_length = 5000)]
    pub description: Option<Option<String>>,
    pub severity: Option<FaultSeverityDto>,
}

impl UpdateFaultRequest {
    pub fn validate(self) -> Result<FaultEdits, ApiError> {
        let mut v = Validation::default();
        let code = self.code.map(|c| {
            c.as_deref().filter(|c| !c.trim().is_empty()).and_then(|c| v.check("code", "invalid", FaultCode::parse(c)))
        });
        let title = self.title.as_deref().and_then(|t| v.check("title", "invalid", line(t, 200)));
        let description = self.description.map(|d| v.optional_paragraph("description", d.as_deref(), 5000));
        v.finish()?;
        Ok(FaultEdits {
            title,
            description,
            severity: self.severity.map(Into::into),
            equipment: self.equipment_id.map(|e| e.map(EquipmentId::from_uuid)),
            code,
        })
    }
}

/// How the fault was fixed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"resolution": "Replaced the oil pressure sender; alarm cleared on test run."}))]
pub struct ResolveFaultRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub resolution: String,
}

/// Why the fault was not real.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Sensor cable chafed; reading spurious."}))]
pub struct FalseAlarmRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub reason: String,
}

/// A page of faults, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaultList {
    pub items: Vec<FaultView>,
    pub next_cursor: Option<String>,
}

impl ReportFaultRequest {
    pub fn validate(self) -> Result<NewFault, ApiError> {
        let mut v = Validation::default();
        let code = self
            .code
            .as_deref()
            .filter(|c| !c.trim().is_empty())
            .and_then(|c| v.check("code", "invalid", FaultCode::parse(c)));
        let title = v.check("title", "invalid", line(&self.title, 200));
        let description = v.optional_paragraph("description", self.description.as_deref(), 5000);
        v.finish()?;
        Ok(NewFault {
            equipment: self.equipment_id.map(EquipmentId::from_uuid),
            code,
            title: title.expect("validated"),
            description,
            severity: self.severity.map_or(FaultSeverity::Medium, Into::into),
        })
    }
}
