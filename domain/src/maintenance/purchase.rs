//! Purchase requests: `requested` → `approved` or `rejected` (heads of department) → `ordered`
//! → `received`; receiving adds the quantity to stock through the ledger in the same transaction.

use super::audit::{AuditEntry, AuditLog, Audited, EntityKind, Snapshot};
use super::paging::{Page, PageRequest};
use super::part::{PartError, PartRepo, Quantity, StockChange, change_stock};
use super::work_order::WorkOrderRepo;
use super::{Actor, Denied};
use crate::auth::Timestamp;
use crate::ids::{PartId, PurchaseRequestId, UserId};
use crate::store::StoreError;

text_enum!(
    /// Where a purchase request stands.
    PurchaseStatus { Requested = "requested", Approved = "approved", Rejected = "rejected", Ordered = "ordered", Received = "received" }
);

/// A step in a purchase request's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseAction {
    Approve,
    Reject,
    MarkOrdered,
    Receive,
}

impl PurchaseAction {
    pub const ALL: [Self; 4] = [Self::Approve, Self::Reject, Self::MarkOrdered, Self::Receive];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::MarkOrdered => "mark_ordered",
            Self::Receive => "receive",
        }
    }

    pub const fn next(self, from: PurchaseStatus) -> Option<PurchaseStatus> {
        match (self, from) {
            (Self::Approve, PurchaseStatus::Requested) => Some(PurchaseStatus::Approved),
            (Self::Reject, PurchaseStatus::Requested) => Some(PurchaseStatus::Rejected),
            (Self::MarkOrdered, PurchaseStatus::Approved) => Some(PurchaseStatus::Ordered),
            (Self::Receive, PurchaseStatus::Ordered) => Some(PurchaseStatus::Received),
            _ => None,
        }
    }

    /// Heads of department decide and order; receiving is engineers' and heads' work.
    pub fn allowed(self, actor: &Actor) -> bool {
        match self {
            Self::Approve | Self::Reject | Self::MarkOrdered => actor.role.is_hod(),
            Self::Receive => actor.is_technical(),
        }
    }
}

/// A request to buy a quantity of a part.
#[derive(Debug, Clone, PartialEq)]
pub struct PurchaseRequest {
    pub id: PurchaseRequestId,
    pub part: PartId,
    pub quantity: Quantity,
    pub reason: Option<String>,
    pub status: PurchaseStatus,
    pub requested_by: UserId,
    /// Who approved or rejected it, when, and why.
    pub decided: Option<(UserId, Timestamp)>,
    pub decision_note: Option<String>,
    pub ordered_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for PurchaseRequest {
    fn kind(&self) -> EntityKind {
        EntityKind::PurchaseRequest
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PurchaseError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such purchase request")]
    NotFound,
    #[error("no such part")]
    PartNotFound,
    #[error("a request buys more than zero")]
    ZeroQuantity,
    #[error("a {from} purchase request cannot {action}")]
    InvalidTransition { from: PurchaseStatus, action: &'static str },
    #[error(transparent)]
    Stock(PartError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Purchase-request storage within one yacht's transaction.
pub trait PurchaseRepo: Send {
    fn purchase_request(
        &mut self,
        id: PurchaseRequestId,
    ) -> impl Future<Output = Result<Option<PurchaseRequest>, StoreError>> + Send;
    fn purchase_request_for_update(
        &mut self,
        id: PurchaseRequestId,
    ) -> impl Future<Output = Result<Option<PurchaseRequest>, StoreError>> + Send;
    fn insert_purchase_request(
        &mut self,
        request: &PurchaseRequest,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn update_purchase_request(
        &mut self,
        request: &PurchaseRequest,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Newest first, optionally only in some statuses.
    fn purchase_requests(
        &mut self,
        status: &[PurchaseStatus],
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<PurchaseRequest>, StoreError>> + Send;
}

fn snapshot(request: &PurchaseRequest) -> Snapshot {
    Snapshot::of(request.clone())
}

/// Requests parts (`order_part`; engineers and heads of department).
pub async fn request_purchase<T: PurchaseRepo + PartRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    part: PartId,
    quantity: Quantity,
    reason: Option<String>,
    now: Timestamp,
) -> Result<PurchaseRequest, PurchaseError> {
    actor.require(actor.is_technical(), "order parts")?;
    if quantity.is_zero() {
        return Err(PurchaseError::ZeroQuantity);
    }
    if tx.part(part).await?.is_none() {
        return Err(PurchaseError::PartNotFound);
    }
    let request = PurchaseRequest {
        id: PurchaseRequestId::generate(),
        part,
        quantity,
        reason,
        status: PurchaseStatus::Requested,
        requested_by: actor.user,
        decided: None,
        decision_note: None,
        ordered_at: None,
        received_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    tx.insert_purchase_request(&request).await?;
    let entry = AuditEntry {
        action: "purchase_request.requested",
        entity: EntityKind::PurchaseRequest,
        entity_id: request.id.as_uuid(),
        before: None,
        after: Some(snapshot(&request)),
    };
    tx.append(actor, entry).await?;
    Ok(request)
}

/// Moves a purchase request one step on. Receiving puts the quantity into stock.
pub async fn advance_purchase<T: PurchaseRepo + PartRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: PurchaseRequestId,
    action: PurchaseAction,
    note: Option<String>,
    now: Timestamp,
) -> Result<PurchaseRequest, PurchaseError> {
    actor.require(action.allowed(actor), "move this purchase request on")?;
    let before = tx.purchase_request_for_update(id).await?.ok_or(PurchaseError::NotFound)?;
    let status = action
        .next(before.status)
        .ok_or(PurchaseError::InvalidTransition { from: before.status, action: action.as_str() })?;
    let mut after = PurchaseRequest { status, version: before.version + 1, updated_at: now, ..before.clone() };
    let audit_action = match action {
        PurchaseAction::Approve | PurchaseAction::Reject => {
            after.decided = Some((actor.user, now));
            after.decision_note = note;
            if action == PurchaseAction::Approve { "purchase_request.approved" } else { "purchase_request.rejected" }
        }
        PurchaseAction::MarkOrdered => {
            after.ordered_at = Some(now);
            "purchase_request.ordered"
        }
        PurchaseAction::Receive => {
            after.received_at = Some(now);
            let received = StockChange::Receive { quantity: before.quantity };
            let why = Some(format!("Purchase request {}", before.id));
            change_stock(tx, actor, before.part, received, why, now).await.map_err(PurchaseError::Stock)?;
            "purchase_request.received"
        }
    };
    tx.update_purchase_request(&after).await?;
    let entry = AuditEntry {
        action: audit_action,
        entity: EntityKind::PurchaseRequest,
        entity_id: after.id.as_uuid(),
        before: Some(snapshot(&before)),
        after: Some(snapshot(&after)),
    };
    tx.append(actor, entry).await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;
    use crate::identity::Role;
    use crate::maintenance::fake::FakeTx;
    use crate::maintenance::part::{NewPart, PartNumber, create_part};
    use crate::testkit::block_on;

    fn actor(role: Role) -> Actor {
        Actor { user: UserId::generate(), role, request_id: None }
    }

    fn now() -> Timestamp {
        chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).single().expect("time")
    }

    #[test]
    fn the_transition_table_is_exactly_the_designed_lifecycle() {
        use PurchaseStatus::{Approved, Ordered, Received, Rejected, Requested};
        let allowed = [
            (PurchaseAction::Approve, Requested, Approved),
            (PurchaseAction::Reject, Requested, Rejected),
            (PurchaseAction::MarkOrdered, Approved, Ordered),
            (PurchaseAction::Receive, Ordered, Received),
        ];
        for action in PurchaseAction::ALL {
            for &from in PurchaseStatus::ALL {
                let expected = allowed.iter().find(|(a, f, _)| *a == action && *f == from).map(|(_, _, to)| *to);
                assert_eq!(action.next(from), expected, "{} from {from}", action.as_str());
            }
        }
    }

    #[test]
    fn an_approved_order_received_goes_into_stock() {
        let mut tx = FakeTx::default();
        let new = NewPart {
            number: PartNumber::parse("RK-9").expect("number"),
            name: "Raw water pump repair kit".to_owned(),
            manufacturer: None,
            unit: "pcs".to_owned(),
            location: None,
            barcode: None,
            minimum_quantity: Quantity::ZERO,
            reorder_quantity: Quantity::ZERO,
        };
        let part = block_on(create_part(&mut tx, &actor(Role::Engineer), new, now())).expect("part");
        let two = Quantity::from_f64(2.0).expect("quantity");
        let request =
            block_on(request_purchase(&mut tx, &actor(Role::Engineer), part.id, two, None, now())).expect("requested");
        let step = |tx: &mut FakeTx, role: Role, action: PurchaseAction| {
            block_on(advance_purchase(tx, &actor(role), request.id, action, None, now()))
        };

        assert!(matches!(step(&mut tx, Role::Engineer, PurchaseAction::Approve), Err(PurchaseError::Denied(_))));
        assert!(matches!(
            step(&mut tx, Role::Captain, PurchaseAction::Receive),
            Err(PurchaseError::InvalidTransition { .. })
        ));
        step(&mut tx, Role::ChiefEngineer, PurchaseAction::Approve).expect("approved");
        step(&mut tx, Role::ChiefEngineer, PurchaseAction::MarkOrdered).expect("ordered");
        let received = step(&mut tx, Role::Engineer, PurchaseAction::Receive).expect("received");
        assert_eq!((received.status, received.version), (PurchaseStatus::Received, 4));
        assert_eq!(tx.parts[&part.id].on_hand, two, "receiving put the parts into stock");
    }
}
