//! Faults: reported by anyone aboard, handled by engineers and heads of department.

mod state;

use std::fmt;

pub use state::FaultAction;

use super::audit::{AuditEntry, AuditLog, Audited, EntityKind, Snapshot};
use super::equipment::EquipmentRepo;
use super::paging::{Page, PageRequest};
use super::{Actor, Denied};
use crate::auth::Timestamp;
use crate::ids::{EquipmentId, FaultId, UserId, WorkOrderId};
use crate::maintenance::ExpectedVersion;
use crate::store::StoreError;

text_enum!(
    /// How bad a fault is.
    FaultSeverity { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);

text_enum!(
    /// Where a fault stands.
    FaultStatus {
        Open = "open",
        Acknowledged = "acknowledged",
        InProgress = "in_progress",
        Resolved = "resolved",
        FalseAlarm = "false_alarm",
    }
);

impl FaultStatus {
    /// Still needs attention.
    pub const fn is_active(self) -> bool {
        matches!(self, Self::Open | Self::Acknowledged | Self::InProgress)
    }
}

/// A fault or alarm code as shown by the equipment: `E047`, `SPN 100 FMI 3`, `ALM-12.3`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaultCode(String);

/// A fault code with characters other than letters, digits, spaces and `- . / _ :`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("must be 1 to 40 letters, digits, spaces or - . / _ :")]
pub struct FaultCodeError;

impl FaultCode {
    /// Upper-cases and collapses runs of spaces, so `spn 100  fmi 3` and `SPN 100 FMI 3` are one code.
    pub fn parse(raw: &str) -> Result<Self, FaultCodeError> {
        let code = raw.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
        let valid = !code.is_empty()
            && code.chars().count() <= 40
            && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '/' | '_' | ':'));
        if valid { Ok(Self(code)) } else { Err(FaultCodeError) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reported fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub id: FaultId,
    pub equipment: Option<EquipmentId>,
    pub code: Option<FaultCode>,
    pub title: String,
    pub description: Option<String>,
    pub severity: FaultSeverity,
    pub status: FaultStatus,
    pub reported_by: UserId,
    pub acknowledged: Option<(UserId, Timestamp)>,
    /// Who closed it (resolved or false alarm), when, and how.
    pub closed: Option<(UserId, Timestamp)>,
    pub resolution: Option<String>,
    /// The work order handling it.
    pub work_order: Option<WorkOrderId>,
    pub version: i32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Audited for Fault {
    fn kind(&self) -> EntityKind {
        EntityKind::Fault
    }
}

/// A fault to report.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFault {
    pub equipment: Option<EquipmentId>,
    pub code: Option<FaultCode>,
    pub title: String,
    pub description: Option<String>,
    pub severity: FaultSeverity,
}

/// Which faults to list.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultFilter {
    pub status: Vec<FaultStatus>,
    pub severity: Vec<FaultSeverity>,
    pub equipment: Option<EquipmentId>,
    pub code: Option<FaultCode>,
    /// Words of the title, description or code.
    pub text: Option<String>,
    pub reported_after: Option<Timestamp>,
    pub reported_before: Option<Timestamp>,
}

#[derive(Debug, thiserror::Error)]
pub enum FaultError {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("no such fault")]
    NotFound,
    #[error("the equipment does not exist")]
    EquipmentNotFound,
    #[error("a {from} fault cannot {action}")]
    InvalidTransition { from: FaultStatus, action: &'static str },
    #[error("the fault changed since version {expected}; it is now at version {current}")]
    StaleVersion { expected: i32, current: i32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Fault storage within one yacht's transaction.
pub trait FaultRepo: Send {
    fn fault(&mut self, id: FaultId) -> impl Future<Output = Result<Option<Fault>, StoreError>> + Send;
    fn fault_for_update(&mut self, id: FaultId) -> impl Future<Output = Result<Option<Fault>, StoreError>> + Send;
    fn insert_fault(&mut self, fault: &Fault) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn update_fault(&mut self, fault: &Fault) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Newest first.
    fn list_faults(
        &mut self,
        filter: &FaultFilter,
        page: &PageRequest,
    ) -> impl Future<Output = Result<Page<Fault>, StoreError>> + Send;
}

/// May the actor handle faults (acknowledge, close, false alarm, reopen)? ENGINEERS ∪ HOD.
pub fn require_handle(actor: &Actor) -> Result<(), Denied> {
    actor.require(actor.is_technical(), "handle faults")
}

fn snapshot(fault: &Fault) -> Snapshot {
    Snapshot::of(fault.clone())
}

/// Reports a fault. Anyone aboard may; the equipment, when named, must exist.
pub async fn report_fault<T: FaultRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    new: NewFault,
    now: Timestamp,
) -> Result<Fault, FaultError> {
    if let Some(equipment) = new.equipment
        && tx.equipment(equipment).await?.is_none()
    {
        return Err(FaultError::EquipmentNotFound);
    }
    let fault = Fault {
        id: FaultId::generate(),
        equipment: new.equipment,
        code: new.code,
        title: new.title,
        description: new.description,
        severity: new.severity,
        status: FaultStatus::Open,
        reported_by: actor.user,
        acknowledged: None,
        closed: None,
        resolution: None,
        work_order: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    tx.insert_fault(&fault).await?;
    let entry = AuditEntry {
        action: "fault.reported",
        entity: EntityKind::Fault,
        entity_id: fault.id.as_uuid(),
        before: None,
        after: Some(snapshot(&fault)),
    };
    tx.append(actor, entry).await?;
    Ok(fault)
}

/// The detail a transition carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultChange {
    Acknowledge,
    /// Resolved, with how.
    Resolve {
        resolution: String,
    },
    MarkFalseAlarm {
        reason: String,
    },
    /// Back to open: the closure and its resolution are cleared.
    Reopen,
}

impl FaultChange {
    const fn action(&self) -> FaultAction {
        match self {
            Self::Acknowledge => FaultAction::Acknowledge,
            Self::Resolve { .. } => FaultAction::Resolve,
            Self::MarkFalseAlarm { .. } => FaultAction::MarkFalseAlarm,
            Self::Reopen => FaultAction::Reopen,
        }
    }
}

/// Applies a transition to a fault as `actor`; the result before it is saved.
pub fn transition(fault: &Fault, actor: &Actor, change: FaultChange, now: Timestamp) -> Result<Fault, FaultError> {
    let action = change.action();
    let status = action
        .next(fault.status)
        .ok_or(FaultError::InvalidTransition { from: fault.status, action: action.as_str() })?;
    let mut after = Fault { status, ..fault.clone() };
    match change {
        FaultChange::Acknowledge => after.acknowledged = Some((actor.user, now)),
        FaultChange::Resolve { resolution } | FaultChange::MarkFalseAlarm { reason: resolution } => {
            after.closed = Some((actor.user, now));
            after.resolution = Some(resolution);
        }
        FaultChange::Reopen => {
            after.closed = None;
            after.resolution = None;
            after.work_order = None;
        }
    }
    Ok(after)
}

/// Saves a changed fault with its audit entry.
pub async fn save_fault<T: FaultRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    action: &'static str,
    before: &Fault,
    mut after: Fault,
    now: Timestamp,
) -> Result<Fault, FaultError> {
    after.version = before.version + 1;
    after.updated_at = now;
    tx.update_fault(&after).await?;
    let entry = AuditEntry {
        action,
        entity: EntityKind::Fault,
        entity_id: after.id.as_uuid(),
        before: Some(snapshot(before)),
        after: Some(snapshot(&after)),
    };
    tx.append(actor, entry).await?;
    Ok(after)
}

/// Acknowledges, resolves, marks as a false alarm or reopens a fault (engineers and heads of
/// department), checking the client's expected version when it sent one.
pub async fn change_fault<T: FaultRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: FaultId,
    expected_version: ExpectedVersion,
    change: FaultChange,
    now: Timestamp,
) -> Result<Fault, FaultError> {
    require_handle(actor)?;
    let before = tx.fault_for_update(id).await?.ok_or(FaultError::NotFound)?;
    if let Err(expected) = expected_version.check(before.version) {
        return Err(FaultError::StaleVersion { expected, current: before.version });
    }
    let audit_action = match change.action() {
        FaultAction::Acknowledge => "fault.acknowledged",
        FaultAction::Resolve => "fault.resolved",
        FaultAction::MarkFalseAlarm => "fault.marked_false_alarm",
        FaultAction::Reopen => "fault.reopened",
        FaultAction::StartWork => "fault.work_started",
    };
    let after = transition(&before, actor, change, now)?;
    save_fault(tx, actor, audit_action, &before, after, now).await
}

/// A partial edit of a fault's details: `None` leaves a field as it is, `Some(None)` clears an
/// optional one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultEdits {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub severity: Option<FaultSeverity>,
    pub equipment: Option<Option<EquipmentId>>,
    pub code: Option<Option<FaultCode>>,
}

/// Corrects the details of an active fault: engineers and heads of department, or whoever
/// reported it while it is still open. Closed faults are history and stay as they were.
pub async fn edit_fault<T: FaultRepo + EquipmentRepo + AuditLog>(
    tx: &mut T,
    actor: &Actor,
    id: FaultId,
    expected_version: ExpectedVersion,
    edits: FaultEdits,
    now: Timestamp,
) -> Result<Fault, FaultError> {
    let before = tx.fault_for_update(id).await?.ok_or(FaultError::NotFound)?;
    let own_open_report = before.reported_by == actor.user && before.status == FaultStatus::Open;
    actor.require(actor.is_technical() || own_open_report, "edit this fault")?;
    if let Err(expected) = expected_version.check(before.version) {
        return Err(FaultError::StaleVersion { expected, current: before.version });
    }
    if !before.status.is_active() {
        return Err(FaultError::InvalidTransition { from: before.status, action: "be edited" });
    }
    if let Some(Some(equipment)) = edits.equipment
        && tx.equipment(equipment).await?.is_none()
    {
        return Err(FaultError::EquipmentNotFound);
    }
    let FaultEdits { title, description, severity, equipment, code } = edits;
    let after = Fault {
        title: title.unwrap_or_else(|| before.title.clone()),
        description: description.unwrap_or_else(|| before.description.clone()),
        severity: severity.unwrap_or(before.severity),
        equipment: equipment.unwrap_or(before.equipment),
        code: code.unwrap_or_else(|| before.code.clone()),
        ..before.clone()
    };
    if after == before {
        return Ok(before);
    }
    save_fault(tx, actor, "fault.edited", &before, after, now).await
}

#[cfg(test)]
mod tests;
