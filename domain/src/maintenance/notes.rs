//! Notes on equipment, faults and work orders, and the handover list for crew changes. Anyone
//! aboard may write both.

use super::Actor;
use super::audit::{AuditEntry, AuditLog, Audited, EntityKind, Snapshot};
use super::equipment::EquipmentRepo;
use super::fault::FaultRepo;
use super::paging::{Page, PageRequest};
use super::work_order::WorkOrderRepo;
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, FaultId, HandoverItemId, NoteId, UserId, WorkOrderId};
use crate::store::StoreError;

/// What a note or a handover item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    Equipment(EquipmentId),
    Fault(FaultId),
    WorkOrder(WorkOrderId),
}

impl Subject {
    pub const fn kind(self) -> &'static str {
        match self {
            Self::Equipment(_) => "equipment",
            Self::Fault(_) => "fault",
            Self::WorkOrder(_) => "work_order",
        }
    }

    pub const fn id(self) -> uuid::Uuid {
        match self {
            Self::Equipment(id) => id.as_uuid(),
            Self::Fault(id) => id.as_uuid(),
            Self::WorkOrder(id) => id.as_uuid(),
        }
    }

    pub fn from_parts(kind: &str, id: uuid::Uuid) -> Option<Self> {
        match kind {
            "equipment" => Some(Self::Equipment(EquipmentId::from_uuid(id))),
            "fault" => Some(Self::Fault(FaultId::from_uuid(id))),
            "work_order" => Some(Self::WorkOrder(WorkOrderId::from_uuid(id))),
            _ => None,
        }
    }
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: NoteId,
    pub subject: Subject,
    pub body: String,
    pub author: UserId,
    pub created_at: Timestamp,
}

impl Audited for Note {
    fn kind(&self) -> EntityKind {
        EntityKind::Note
    }
}

text_enum!(
    /// How a handover item matters to the incoming crew.
    HandoverCategory { Urgent = "urgent", InProgress = "in_progress", Completed = "completed", Watch = "watch", Fyi = "fyi" }
);

/// An item of the handover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverItem {
    pub id: HandoverItemId,
    pub subject: Option<Subject>,
    pub summary: String,
    pub category: HandoverCategory,
    pub author: UserId,
    pub created_at: Timestamp,
}

impl Audited for HandoverItem {
    fn kind(&self) -> EntityKind {
        EntityKind::HandoverItem
    }
}

/// Which handover items to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HandoverFilter {
    pub category: Vec<HandoverCategory>,
    pub since: Option<Timestamp>,
}

#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    #[error("the {0} the note is about does not exist")]
    SubjectNotFound(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Notes and handover storage within one yacht's transaction.
pub trait NoteRepo: Send {
    fn insert_note(&mut self, note: &Note) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Notes on one subject, newest first.
    fn notes(
        &mut self,
        subject: Subject,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<Note>, StoreError>> + Send;
    fn insert_handover_item(&mut self, item: &HandoverItem) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Handover items, newest first.
    fn handover(
        &mut self,
        filter: &HandoverFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<HandoverItem>, StoreError>> + Send;
}

/// Whether the subject exists on this yacht.
pub async fn subject_exists<T: EquipmentRepo + FaultRepo + WorkOrderRepo>(
    tx: &mut T,
    subject: Subject,
) -> Result<bool, StoreError> {
    Ok(match subject {
        Subject::Equipment(id) => tx.equipment(id).await?.is_some(),
        Subject::Fault(id) => tx.fault(id).await?.is_some(),
        Subject::WorkOrder(id) => tx.work_order(id).await?.is_some(),
    })
}

/// Adds a note (`add_equipment_note`, `add_fault_note`, `add_work_order_note`).
pub async fn add_note<T: NoteRepo + EquipmentRepo + FaultRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    subject: Subject,
    body: String,
    now: Timestamp,
) -> Result<Note, NoteError> {
    if !subject_exists(tx, subject).await? {
        return Err(NoteError::SubjectNotFound(subject.kind()));
    }
    let note = Note { id: NoteId::generate(), subject, body, author: actor.user, created_at: now };
    tx.insert_note(&note).await?;
    let entry = AuditEntry {
        action: "note.added",
        entity: EntityKind::Note,
        entity_id: note.id.as_uuid(),
        before: None,
        after: Some(Snapshot::of(note.clone())),
    };
    tx.append(actor, entry).await?;
    Ok(note)
}

/// Adds an item to the handover (`add_to_handover`), optionally about a record.
pub async fn add_to_handover<T: NoteRepo + EquipmentRepo + FaultRepo + WorkOrderRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    subject: Option<Subject>,
    summary: String,
    category: HandoverCategory,
    now: Timestamp,
) -> Result<HandoverItem, NoteError> {
    if let Some(subject) = subject
        && !subject_exists(tx, subject).await?
    {
        return Err(NoteError::SubjectNotFound(subject.kind()));
    }
    let item = HandoverItem {
        id: HandoverItemId::generate(),
        subject,
        summary,
        category,
        author: actor.user,
        created_at: now,
    };
    tx.insert_handover_item(&item).await?;
    let entry = AuditEntry {
        action: "handover_item.added",
        entity: EntityKind::HandoverItem,
        entity_id: item.id.as_uuid(),
        before: None,
        after: Some(Snapshot::of(item.clone())),
    };
    tx.append(actor, entry).await?;
    Ok(item)
}
