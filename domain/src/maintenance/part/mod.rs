//! Spare parts and their stock. Stock is a ledger: every change is a movement (receive, consume,
//! adjust, return) written together with the part's cached on-hand quantity, which never goes
//! below zero.

mod values;

pub use values::{PartNumber, PartNumberError, Quantity, QuantityError};

use super::audit::{AuditEntry, AuditLog, Audited, EntityKind, Snapshot};
use super::paging::{Page, PageRequest};
use super::work_order::WorkOrderRepo;
use super::{Actor, Denied};
use crate::auth::Timestamp;
use crate::ids::{MovementId, PartId, UserId, WorkOrderId};
use crate::store::StoreError;

text_enum!(
    /// Why stock changed.
    MovementKind { Receive = "receive", Consume = "consume", Adjust = "adjust", Return = "return" }
);

/// A spare part.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: PartId,
    pub number: PartNumber,
    pub name: String,
    pub manufacturer: Option<String>,
    /// `pcs`, `l`, `kg`, `m`…
    pub unit: String,
    pub location: Option<String>,
    pub barcode: Option<String>,
    /// At or below this, the part is low on stock.
    pub minimum_quantity: Quantity,
    /// How much to order when it is.
    pub reorder_quantity: Quantity,
    pub on_hand: Quantity,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for Part {
    fn kind(&self) -> EntityKind {
        EntityKind::Part
    }
}

impl Part {
    pub fn is_low(&self) -> bool {
        self.on_hand <= self.minimum_quantity && !self.minimum_quantity.is_zero()
    }

    /// What to order when low: the reorder quantity, or at least enough to get back to the minimum.
    pub fn suggested_order(&self) -> Option<Quantity> {
        if !self.is_low() {
            return None;
        }
        let shortfall = self.minimum_quantity.checked_sub(self.on_hand).unwrap_or(Quantity::ZERO);
        let order = self.reorder_quantity.max(shortfall);
        (!order.is_zero()).then_some(order).or(Some(self.minimum_quantity))
    }
}

/// A part to register.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPart {
    pub number: PartNumber,
    pub name: String,
    pub manufacturer: Option<String>,
    pub unit: String,
    pub location: Option<String>,
    pub barcode: Option<String>,
    pub minimum_quantity: Quantity,
    pub reorder_quantity: Quantity,
}

/// One entry of the stock ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct StockMovement {
    pub id: MovementId,
    pub part: PartId,
    pub kind: MovementKind,
    /// Signed change in thousandths of the unit.
    pub delta_millis: i64,
    pub on_hand_after: Quantity,
    pub work_order: Option<WorkOrderId>,
    pub note: Option<String>,
    pub user: UserId,
    pub at: Timestamp,
}

/// Which parts to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartFilter {
    /// Words of the number, name, manufacturer or barcode.
    pub text: Option<String>,
    pub low_stock_only: bool,
    pub barcode: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PartError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such part")]
    NotFound,
    #[error("another part already has number {0}")]
    NumberTaken(PartNumber),
    #[error("only {available} on hand")]
    InsufficientStock { available: Quantity },
    #[error("a movement moves more than zero")]
    ZeroQuantity,
    #[error("no such work order")]
    WorkOrderNotFound,
    #[error("parts are only added to planned or in-progress work")]
    WorkOrderClosed,
    #[error("the stock would exceed what can be recorded")]
    Overflow,
    #[error("only {outstanding} of this part was issued to the work order and not returned")]
    ReturnExceedsIssued { outstanding: Quantity },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a part could not be inserted.
#[derive(Debug, thiserror::Error)]
pub enum PartWriteError {
    #[error("number taken")]
    NumberTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Part storage within one yacht's transaction.
pub trait PartRepo: Send {
    fn part(&mut self, id: PartId) -> impl Future<Output = Result<Option<Part>, StoreError>> + Send;
    fn part_for_update(&mut self, id: PartId) -> impl Future<Output = Result<Option<Part>, StoreError>> + Send;
    fn insert_part(&mut self, part: &Part) -> impl Future<Output = Result<(), PartWriteError>> + Send;
    /// Writes the part's cached on-hand quantity and version with the movement that changed it.
    fn record_movement(
        &mut self,
        part: &Part,
        movement: &StockMovement,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn list_parts(
        &mut self,
        filter: &PartFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<Part>, StoreError>> + Send;
    /// How much of the part was consumed on the work order and not returned since.
    fn issued_to(
        &mut self,
        part: PartId,
        work_order: WorkOrderId,
    ) -> impl Future<Output = Result<Quantity, StoreError>> + Send;
    /// The part's ledger, newest first.
    fn movements(
        &mut self,
        part: PartId,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<StockMovement>, StoreError>> + Send;
}

/// May the actor receive, consume and register parts? ENGINEERS ∪ HOD.
pub fn require_stock(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.is_technical(), "change stock")
}

/// May the actor correct stock to a count? Heads of department.
pub fn require_adjust(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.role.is_hod(), "adjust stock")
}

/// Registers a part with no stock.
pub async fn create_part<T: PartRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewPart,
    now: Timestamp,
) -> Result<Part, PartError> {
    require_stock(actor)?;
    let part = Part {
        id: PartId::generate(),
        number: new.number,
        name: new.name,
        manufacturer: new.manufacturer,
        unit: new.unit,
        location: new.location,
        barcode: new.barcode,
        minimum_quantity: new.minimum_quantity,
        reorder_quantity: new.reorder_quantity,
        on_hand: Quantity::ZERO,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    tx.insert_part(&part).await.map_err(|e| match e {
        PartWriteError::NumberTaken => PartError::NumberTaken(part.number.clone()),
        PartWriteError::Store(e) => PartError::Store(e),
    })?;
    let entry = AuditEntry {
        action: "part.created",
        entity: EntityKind::Part,
        entity_id: part.id.as_uuid(),
        before: None,
        after: Some(Snapshot::of(part.clone())),
    };
    tx.append(actor, entry).await?;
    Ok(part)
}

/// A stock change to make.
#[derive(Debug, Clone, PartialEq)]
pub enum StockChange {
    Receive {
        quantity: Quantity,
    },
    /// Used, optionally on a work order (`add_parts_to_work_order`, `log_part_usage`).
    Consume {
        quantity: Quantity,
        work_order: Option<WorkOrderId>,
    },
    /// Back unused from the work order it was issued to: at most what is still out on it.
    Return {
        quantity: Quantity,
        work_order: WorkOrderId,
    },
    /// Set to a counted quantity (heads of department; the note says why).
    Adjust {
        counted: Quantity,
    },
}

/// Applies one stock change under the part's row lock: the movement and the new on-hand quantity
/// are written together, and on-hand never goes below zero.
pub async fn change_stock<T: PartRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: PartId,
    change: StockChange,
    note: Option<String>,
    now: Timestamp,
) -> Result<(Part, StockMovement), PartError> {
    match change {
        StockChange::Adjust { .. } => require_adjust(actor)?,
        _ => require_stock(actor)?,
    }
    match change {
        StockChange::Consume { work_order: Some(work_order), .. } => {
            let work = tx.work_order(work_order).await?.ok_or(PartError::WorkOrderNotFound)?;
            let open = matches!(
                work.status,
                super::work_order::WorkOrderStatus::Planned | super::work_order::WorkOrderStatus::InProgress
            );
            if !open {
                return Err(PartError::WorkOrderClosed);
            }
        }
        // Leftovers come back after the work is done, too.
        StockChange::Return { work_order, .. } => {
            tx.work_order(work_order).await?.ok_or(PartError::WorkOrderNotFound)?;
        }
        _ => {}
    }
    // The row lock makes concurrent movements of one part take turns.
    let before = tx.part_for_update(id).await?.ok_or(PartError::NotFound)?;
    let (kind, on_hand, work_order) = match change {
        StockChange::Receive { quantity } | StockChange::Return { quantity, .. } if quantity.is_zero() => {
            return Err(PartError::ZeroQuantity);
        }
        StockChange::Consume { quantity, .. } if quantity.is_zero() => return Err(PartError::ZeroQuantity),
        StockChange::Receive { quantity } => {
            (MovementKind::Receive, before.on_hand.checked_add(quantity).ok_or(PartError::Overflow)?, None)
        }
        StockChange::Return { quantity, work_order } => {
            // Under the part's lock, so two returns cannot both take the last of what is out.
            let outstanding = tx.issued_to(id, work_order).await?;
            if quantity > outstanding {
                return Err(PartError::ReturnExceedsIssued { outstanding });
            }
            (MovementKind::Return, before.on_hand.checked_add(quantity).ok_or(PartError::Overflow)?, Some(work_order))
        }
        StockChange::Consume { quantity, work_order } => {
            let left = before
                .on_hand
                .checked_sub(quantity)
                .ok_or(PartError::InsufficientStock { available: before.on_hand })?;
            (MovementKind::Consume, left, work_order)
        }
        StockChange::Adjust { counted } => (MovementKind::Adjust, counted, None),
    };
    let after = Part { on_hand, version: before.version + 1, updated_at: now, ..before.clone() };
    let movement = StockMovement {
        id: MovementId::generate(),
        part: id,
        kind,
        delta_millis: on_hand.millis() - before.on_hand.millis(),
        on_hand_after: on_hand,
        work_order,
        note,
        user: actor.user,
        at: now,
    };
    tx.record_movement(&after, &movement).await?;
    let entry = AuditEntry {
        action: match kind {
            MovementKind::Receive => "part.received",
            MovementKind::Consume => "part.consumed",
            MovementKind::Adjust => "part.adjusted",
            MovementKind::Return => "part.returned",
        },
        entity: EntityKind::Part,
        entity_id: id.as_uuid(),
        before: Some(Snapshot::of(before)),
        after: Some(Snapshot::of(after.clone())),
    };
    tx.append(actor, entry).await?;
    Ok((after, movement))
}

#[cfg(test)]
mod tests;
