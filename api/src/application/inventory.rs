//! `control_inventory`: what is aboard and where, what was used, and moving stock.

use pms_domain::ids::{PartId, WorkOrderId};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::part::{PartError, PartFilter, PartRepo as _, StockChange, change_stock};
use pms_domain::maintenance::purchase::request_purchase;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Exec, Limit, load};
use crate::dto::parts::{
    AdjustStockRequest, ConsumeStockRequest, MovementView, PartView, ReceiveStockRequest, StockChangeView, movement,
};
use crate::dto::purchases::{CreatePurchaseRequest, PurchaseRequestView};
use crate::error::ApiError;

/// The part the action is about.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartRef {
    pub part_id: Uuid,
}

/// The part and how much of its ledger to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartUsageQuery {
    pub part_id: Uuid,
    #[serde(flatten)]
    pub limit: Limit,
}

/// Stock used of a part: how much, optionally on which work order, and a note.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartMovement {
    pub part_id: Uuid,
    #[serde(flatten)]
    pub movement: ConsumeStockRequest,
}

/// Stock of a part received into the store: how much, and a note.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PartReceipt {
    pub part_id: Uuid,
    #[serde(flatten)]
    pub receipt: ReceiveStockRequest,
}

/// A stock count for a part.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StockCount {
    pub part_id: Uuid,
    #[serde(flatten)]
    pub count: AdjustStockRequest,
}

/// A scanned barcode.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Barcode {
    #[schema(min_length = 1, max_length = 100)]
    pub barcode: String,
}

pub async fn stock(x: &mut Exec<'_>, p: PartRef) -> Result<PartView, ApiError> {
    Ok(PartView::from(&load::part(x, PartId::from_uuid(p.part_id)).await?))
}

/// Where a part is kept and how many are there.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartLocation {
    pub part_id: Uuid,
    pub part_number: String,
    pub name: String,
    /// `null` when nobody recorded it.
    pub location: Option<String>,
    pub on_hand: f64,
    pub unit: String,
}

pub async fn location(x: &mut Exec<'_>, p: PartRef) -> Result<PartLocation, ApiError> {
    let part = load::part(x, PartId::from_uuid(p.part_id)).await?;
    Ok(PartLocation {
        part_id: part.id.as_uuid(),
        part_number: part.number.as_str().to_owned(),
        name: part.name,
        location: part.location,
        on_hand: part.on_hand.as_f64(),
        unit: part.unit,
    })
}

/// A part and its latest stock movements, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartUsageView {
    pub part: PartView,
    pub movements: Vec<MovementView>,
}

pub async fn usage(x: &mut Exec<'_>, p: PartUsageQuery) -> Result<PartUsageView, ApiError> {
    let limit = p.limit.get()?;
    let part = load::part(x, PartId::from_uuid(p.part_id)).await?;
    let page = x.tx.movements(part.id, &PageRequest::new(Some(limit), None)).await?;
    Ok(PartUsageView { part: PartView::from(&part), movements: page.items.iter().map(MovementView::from).collect() })
}

async fn move_stock(
    x: &mut Exec<'_>,
    part: Uuid,
    change: StockChange,
    note: Option<String>,
) -> Result<StockChangeView, ApiError> {
    let (part, movement) =
        change_stock(x.tx, &x.actor, PartId::from_uuid(part), change, note, x.now).await.map_err(ApiError::from)?;
    Ok(StockChangeView { part: (&part).into(), movement: (&movement).into() })
}

pub async fn log_usage(x: &mut Exec<'_>, p: PartMovement) -> Result<StockChangeView, ApiError> {
    let (quantity, note) = movement(p.movement.quantity, p.movement.note.as_deref())?;
    let work_order = p.movement.work_order_id.map(WorkOrderId::from_uuid);
    move_stock(x, p.part_id, StockChange::Consume { quantity, work_order }, note).await
}

pub async fn receive(x: &mut Exec<'_>, p: PartReceipt) -> Result<StockChangeView, ApiError> {
    let (quantity, note) = movement(p.receipt.quantity, p.receipt.note.as_deref())?;
    move_stock(x, p.part_id, StockChange::Receive { quantity }, note).await
}

pub async fn adjust(x: &mut Exec<'_>, p: StockCount) -> Result<StockChangeView, ApiError> {
    let (change, reason) = p.count.validate()?;
    move_stock(x, p.part_id, change, Some(reason)).await
}

pub async fn order(x: &mut Exec<'_>, p: CreatePurchaseRequest) -> Result<PurchaseRequestView, ApiError> {
    let (part, quantity, reason) = p.validate()?;
    let request = request_purchase(x.tx, &x.actor, part, quantity, reason, x.now).await.map_err(ApiError::from)?;
    Ok(PurchaseRequestView::from(&request))
}

pub async fn scan(x: &mut Exec<'_>, p: Barcode) -> Result<PartView, ApiError> {
    let barcode = p.barcode.trim();
    if barcode.is_empty() || barcode.len() > 100 {
        return Err(ApiError::field("barcode", "invalid", "must be 1 to 100 characters".to_owned()));
    }
    let filter = PartFilter { barcode: Some(barcode.to_owned()), ..PartFilter::default() };
    let page = x.tx.list_parts(&filter, &PageRequest::new(Some(1), None)).await?;
    page.items.first().map(PartView::from).ok_or_else(|| ApiError::from(PartError::NotFound))
}

/// Parts at or below their minimum, with what to order.
#[derive(Debug, Serialize, ToSchema)]
pub struct LowStock {
    pub items: Vec<PartView>,
}

pub async fn low_stock(x: &mut Exec<'_>, p: Limit) -> Result<LowStock, ApiError> {
    let filter = PartFilter { low_stock_only: true, ..PartFilter::default() };
    let page = x.tx.list_parts(&filter, &PageRequest::new(Some(p.get()?), None)).await?;
    Ok(LowStock { items: page.items.iter().map(PartView::from).collect() })
}
