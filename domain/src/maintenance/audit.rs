//! The audit trail: every mutation appends an entry in its own transaction; entries are
//! hash-chained per yacht so tampering is detectable.

use std::any::Any;
use std::fmt::Debug;
use std::sync::Arc;

use uuid::Uuid;

use super::Actor;
use super::paging::{Page, PageRequest};
use crate::auth::Timestamp;
use crate::ids::UserId;
use crate::store::StoreError;

/// The kinds of record the trail talks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Equipment,
    RunningHoursReading,
    Fault,
    WorkOrder,
    ChecklistItem,
    Part,
    Note,
    HandoverItem,
    PurchaseRequest,
    Schedule,
}

impl EntityKind {
    pub const ALL: [Self; 10] = [
        Self::Equipment,
        Self::RunningHoursReading,
        Self::Fault,
        Self::WorkOrder,
        Self::ChecklistItem,
        Self::Part,
        Self::Note,
        Self::HandoverItem,
        Self::PurchaseRequest,
        Self::Schedule,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Equipment => "equipment",
            Self::RunningHoursReading => "running_hours_reading",
            Self::Fault => "fault",
            Self::WorkOrder => "work_order",
            Self::ChecklistItem => "checklist_item",
            Self::Part => "part",
            Self::Note => "note",
            Self::HandoverItem => "handover_item",
            Self::PurchaseRequest => "purchase_request",
            Self::Schedule => "schedule",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// A record the trail keeps copies of. The trail itself knows no aggregate: each says what
/// kind it is, and the store writes the copy out by that kind.
pub trait Audited: Any + Debug + Send + Sync {
    fn kind(&self) -> EntityKind;
}

/// A record as it was before or after a change.
#[derive(Debug, Clone)]
pub struct Snapshot(Arc<dyn Audited>);

impl Snapshot {
    pub fn of(record: impl Audited) -> Self {
        Self(Arc::new(record))
    }

    pub fn kind(&self) -> EntityKind {
        self.0.kind()
    }

    /// The record, if it is a `T`.
    pub fn get<T: Audited>(&self) -> Option<&T> {
        (&*self.0 as &dyn Any).downcast_ref::<T>()
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// `<entity>.<verb>`, e.g. `equipment.created`.
    pub action: &'static str,
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub before: Option<Snapshot>,
    pub after: Option<Snapshot>,
}

/// Appends to the current yacht's trail, inside the caller's transaction.
pub trait AuditLog: Send {
    fn append(&mut self, actor: &Actor, entry: AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub occurred_at: Timestamp,
    pub user: Option<UserId>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// JSON text of the record before and after.
    pub before: Option<String>,
    pub after: Option<String>,
    pub request_id: Option<String>,
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<EntityKind>,
    pub entity_id: Option<Uuid>,
    pub user: Option<UserId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}

/// How a chain was found broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The entry's content no longer matches its hash: it was edited.
    ContentAltered,
    /// The entry does not follow the one before it: entries were removed or reordered.
    LinkBroken,
    /// The chain's recorded head does not match its last entry: the tail was removed.
    TailMissing,
}

impl BreakKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ContentAltered => "content_altered",
            Self::LinkBroken => "link_broken",
            Self::TailMissing => "tail_missing",
        }
    }
}

/// The result of checking a yacht's chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainVerification {
    Intact { entries: i64 },
    Broken { seq: i64, kind: BreakKind },
}

/// Reads and checks the current yacht's trail.
pub trait AuditTrail: Send {
    /// Entries newest first.
    fn entries(
        &mut self,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<AuditRecord>, StoreError>> + Send;

    /// Recomputes every hash and link; reports the first break.
    fn verify(&mut self) -> impl Future<Output = Result<ChainVerification, StoreError>> + Send;
}

/// May the actor read the audit trail? Heads of department only (`view_audit_trail`).
pub fn require_view(actor: &Actor) -> Result<(), super::Denied> {
    actor.require(actor.role.is_hod(), "view the audit trail")
}
