//! Purchase request bodies and views.

use chrono::{DateTime, Utc};
use pms_domain::ids::{PartId, UserId};
use pms_domain::maintenance::part::Quantity;
use pms_domain::maintenance::purchase::PurchaseRequest;
use pms_domain::maintenance::text::optional_line;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::validation::Validation;

/// A purchase request.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseRequestView {
    pub id: Uuid,
    pub part_id: Uuid,
    pub quantity: f64,
    pub reason: Option<String>,
    /// `requested`, `approved`, `rejected`, `ordered` or `received`.
    pub status: &'static str,
    pub requested_by: Uuid,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub ordered_at: Option<DateTime<Utc>>,
    pub received_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&PurchaseRequest> for PurchaseRequestView {
    fn from(p: &PurchaseRequest) -> Self {
        Self {
            id: p.id.as_uuid(),
            part_id: p.part.as_uuid(),
            quantity: p.quantity.as_f64(),
            reason: p.reason.clone(),
            status: p.status.as_str(),
            requested_by: p.requested_by.as_uuid(),
            decided_by: p.decided.map(|(u, _)| UserId::as_uuid(u)),
            decided_at: p.decided.map(|(_, at)| at),
            decision_note: p.decision_note.clone(),
            ordered_at: p.ordered_at,
            received_at: p.received_at,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseRequestList {
    pub items: Vec<PurchaseRequestView>,
    pub next_cursor: Option<String>,
}

/// Parts to buy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"part_id": "0193a5f2-4c00-7000-8000-000000000501", "quantity": 10, "reason": "Below minimum after oil changes"}))]
pub struct CreatePurchaseRequest {
    pub part_id: Uuid,
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 1000)]
    pub reason: Option<String>,
}

/// A note on the decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 1000)]
    pub note: Option<String>,
}

impl CreatePurchaseRequest {
    /// The part, how many and why.
    pub fn validate(&self) -> Result<(PartId, Quantity, Option<String>), ApiError> {
        let mut v = Validation::default();
        let quantity = v.check("quantity", "invalid", Quantity::from_f64(self.quantity));
        let reason = v.check("reason", "invalid", optional_line(self.reason.as_deref(), 1000)).flatten();
        v.finish()?;
        Ok((PartId::from_uuid(self.part_id), quantity.expect("validated"), reason))
    }
}

/// A decision's optional note.
pub(crate) fn decision_note(note: Option<&str>) -> Result<Option<String>, ApiError> {
    let mut v = Validation::default();
    let note = v.check("note", "invalid", optional_line(note, 1000)).flatten();
    v.finish()?;
    Ok(note)
}
