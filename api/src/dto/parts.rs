//! Part and stock request and response bodies.

use chrono::{DateTime, Utc};
use pms_domain::ids::WorkOrderId;
use pms_domain::maintenance::part::{MovementKind, NewPart, Part, PartNumber, Quantity, StockChange, StockMovement};
use pms_domain::maintenance::text::{line, optional_line};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::validation::Validation;

/// A spare part and its stock.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a5f2-4c00-7000-8000-000000000501", "number": "0900-1234", "name": "Oil filter",
    "manufacturer": "MTU", "unit": "pcs", "location": "Store B2", "barcode": "4006381333931",
    "minimum_quantity": 4.0, "reorder_quantity": 10.0, "on_hand": 3.0, "low_stock": true,
    "suggested_order_quantity": 10.0, "version": 7,
    "created_at": "2026-01-10T09:00:00Z", "updated_at": "2026-11-22T10:00:00Z"
}))]
pub struct PartView {
    pub id: Uuid,
    /// Unique on the yacht; stored upper-case.
    pub number: String,
    pub name: String,
    pub manufacturer: Option<String>,
    pub unit: String,
    pub location: Option<String>,
    pub barcode: Option<String>,
    pub minimum_quantity: f64,
    pub reorder_quantity: f64,
    pub on_hand: f64,
    /// On hand is at or below the minimum.
    pub low_stock: bool,
    /// What to order when low.
    pub suggested_order_quantity: Option<f64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Part> for PartView {
    fn from(p: &Part) -> Self {
        Self {
            id: p.id.as_uuid(),
            number: p.number.to_string(),
            name: p.name.clone(),
            manufacturer: p.manufacturer.clone(),
            unit: p.unit.clone(),
            location: p.location.clone(),
            barcode: p.barcode.clone(),
            minimum_quantity: p.minimum_quantity.as_f64(),
            reorder_quantity: p.reorder_quantity.as_f64(),
            on_hand: p.on_hand.as_f64(),
            low_stock: p.is_low(),
            suggested_order_quantity: p.suggested_order().map(Quantity::as_f64),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// Why stock changed.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKindDto {
    Receive,
    Consume,
    Adjust,
    Return,
}

impl From<MovementKind> for MovementKindDto {
    fn from(kind: MovementKind) -> Self {
        match kind {
            MovementKind::Receive => Self::Receive,
            MovementKind::Consume => Self::Consume,
            MovementKind::Adjust => Self::Adjust,
            MovementKind::Return => Self::Return,
        }
    }
}

/// One entry of the stock ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct MovementView {
    pub id: Uuid,
    pub kind: MovementKindDto,
    /// Signed change of the quantity on hand.
    pub delta: f64,
    pub on_hand_after: f64,
    pub work_order_id: Option<Uuid>,
    pub note: Option<String>,
    pub user_id: Uuid,
    pub at: DateTime<Utc>,
}

impl From<&StockMovement> for MovementView {
    fn from(m: &StockMovement) -> Self {
        #[allow(clippy::cast_precision_loss, reason = "bounded quantities: exact in f64")]
        let delta = m.delta_millis as f64 / 1000.0;
        Self {
            id: m.id.as_uuid(),
            kind: m.kind.into(),
            delta,
            on_hand_after: m.on_hand_after.as_f64(),
            work_order_id: m.work_order.map(WorkOrderId::as_uuid),
            note: m.note.clone(),
            user_id: m.user.as_uuid(),
            at: m.at,
        }
    }
}

/// The part after a stock change and the ledger entry it wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockChangeView {
    pub part: PartView,
    pub movement: MovementView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartList {
    pub items: Vec<PartView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementList {
    pub items: Vec<MovementView>,
    pub next_cursor: Option<String>,
}

/// A part to register (with no stock: receive it afterwards).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"number": "0900-1234", "name": "Oil filter", "manufacturer": "MTU", "unit": "pcs", "minimum_quantity": 4, "reorder_quantity": 10}))]
pub struct CreatePartRequest {
    #[schema(pattern = r"^\s*[A-Za-z0-9./_#+-][A-Za-z0-9 ./_#+-]*$", max_length = 60)]
    pub number: String,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 200
    )]
    pub name: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub manufacturer: Option<String>,
    /// `pcs` when omitted.
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 20
    )]
    pub unit: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 200)]
    pub location: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 100)]
    pub barcode: Option<String>,
    #[schema(minimum = 0, maximum = 999_999_999)]
    pub minimum_quantity: Option<f64>,
    #[schema(minimum = 0, maximum = 999_999_999)]
    pub reorder_quantity: Option<f64>,
}

/// A quantity received into the store (from a supplier or another source; a return from a work
/// order is `…/return`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity": 12, "note": "Delivery from Wärtsilä, PO 4471"}))]
pub struct ReceiveStockRequest {
    /// More than zero, at most three decimals.
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 500)]
    pub note: Option<String>,
}

/// A quantity used, optionally on a work order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity": 2, "work_order_id": "0193a5f2-3b00-7000-8000-000000000401", "note": "Oil change"}))]
pub struct ConsumeStockRequest {
    /// More than zero, at most three decimals.
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
    /// The work order the parts are used on (`add_parts_to_work_order`).
    pub work_order_id: Option<Uuid>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 500)]
    pub note: Option<String>,
}

/// Unused parts back from the work order they were issued to.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"quantity": 1, "work_order_id": "0193a5f2-3b00-7000-8000-000000000401", "note": "One filter left over"}))]
pub struct ReturnStockRequest {
    /// More than zero, at most three decimals, and at most what was issued to the work order and
    /// not yet returned.
    #[schema(minimum = 0.001, maximum = 999_999_999)]
    pub quantity: f64,
    /// The work order the parts were consumed on.
    pub work_order_id: Uuid,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$", max_length = 500)]
    pub note: Option<String>,
}

/// A stock count.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustStockRequest {
    /// The quantity actually on the shelf.
    #[schema(minimum = 0, maximum = 999_999_999)]
    pub counted: f64,
    #[schema(
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$",
        max_length = 500
    )]
    pub reason: String,
}

fn quantity(v: &mut Validation, field: &str, raw: Option<f64>) -> Quantity {
    raw.map_or(Some(Quantity::ZERO), |q| v.check(field, "invalid", Quantity::from_f64(q))).unwrap_or_default()
}

impl AdjustStockRequest {
    /// The adjustment and its reason.
    pub fn validate(&self) -> Result<(StockChange, String), ApiError> {
        let mut v = Validation::default();
        let counted = v.check("counted", "invalid", Quantity::from_f64(self.counted));
        let reason = v.check("reason", "invalid", line(&self.reason, 500));
        v.finish()?;
        Ok((StockChange::Adjust { counted: counted.expect("validated") }, reason.expect("validated")))
    }
}

impl CreatePartRequest {
    pub fn validate(self) -> Result<NewPart, ApiError> {
        let mut v = Validation::default();
        let number = v.check("number", "invalid", PartNumber::parse(&self.number));
        let name = v.check("name", "invalid", line(&self.name, 200));
        let unit = v.check("unit", "invalid", line(self.unit.as_deref().unwrap_or("pcs"), 20));
        let manufacturer =
            v.check("manufacturer", "invalid", optional_line(self.manufacturer.as_deref(), 100)).flatten();
        let location = v.check("location", "invalid", optional_line(self.location.as_deref(), 200)).flatten();
        let barcode = v.check("barcode", "invalid", optional_line(self.barcode.as_deref(), 100)).flatten();
        let minimum_quantity = quantity(&mut v, "minimum_quantity", self.minimum_quantity);
        let reorder_quantity = quantity(&mut v, "reorder_quantity", self.reorder_quantity);
        v.finish()?;
        Ok(NewPart {
            number: number.expect("validated"),
            name: name.expect("validated"),
            manufacturer,
            unit: unit.expect("validated"),
            location,
            barcode,
            minimum_quantity,
            reorder_quantity,
        })
    }
}

/// The quantity and note of a receive, consume or return request, validated.
pub fn movement(quantity: f64, note: Option<&str>) -> Result<(Quantity, Option<String>), ApiError> {
    let mut v = Validation::default();
    let quantity = v.check("quantity", "invalid", Quantity::from_f64(quantity));
    v.require(quantity.is_none_or(|q| !q.is_zero()), "quantity", "out_of_range", "must be more than zero");
    let note = v.check("note", "invalid", optional_line(note, 500)).flatten();
    v.finish()?;
    Ok((quantity.expect("validated"), note))
}
