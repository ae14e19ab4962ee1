//! The micro-action registry: every action a user can take from the search bar, with who may
//! take it, what it touches and the record states it makes sense in. One table
//! ([`registry::ACTIONS`]) feeds the action list, the executor, the detector and the API docs.

mod name;
mod registry;

pub use name::ActionName;
pub use registry::ACTIONS;

use crate::identity::Role;
use crate::maintenance::equipment::EquipmentStatus;
use crate::maintenance::fault::{FaultAction, FaultStatus};
use crate::maintenance::purchase::PurchaseStatus;
use crate::maintenance::work_order::{WorkOrderAction, WorkOrderStatus};

/// The user goal an action serves; groups actions in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cluster {
    FixSomething,
    DoMaintenance,
    ManageEquipment,
    ControlInventory,
    CommunicateStatus,
    ComplyAudit,
    ProcureSuppliers,
}

impl Cluster {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::FixSomething => "fix_something",
            Self::DoMaintenance => "do_maintenance",
            Self::ManageEquipment => "manage_equipment",
            Self::ControlInventory => "control_inventory",
            Self::CommunicateStatus => "communicate_status",
            Self::ComplyAudit => "comply_audit",
            Self::ProcureSuppliers => "procure_suppliers",
        }
    }
}

/// What running an action does to the yacht's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SideEffect {
    /// Reads only (an execution log entry is all it writes).
    ReadOnly,
    /// Adds or changes something small and easily undone: a note, an acknowledgement, a tick.
    MutationLight,
    /// Creates or closes work, moves stock, approves spending, changes a plan.
    MutationHeavy,
}

impl SideEffect {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "read_only",
            Self::MutationLight => "mutation_light",
            Self::MutationHeavy => "mutation_heavy",
        }
    }

    pub const fn is_mutation(self) -> bool {
        !matches!(self, Self::ReadOnly)
    }
}

/// The kind of record an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityType {
    Fault,
    WorkOrder,
    Equipment,
    Part,
    PurchaseRequest,
    Schedule,
    HandoverItem,
    AuditEntry,
}

impl EntityType {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Fault => "fault",
            Self::WorkOrder => "work_order",
            Self::Equipment => "equipment",
            Self::Part => "part",
            Self::PurchaseRequest => "purchase_request",
            Self::Schedule => "schedule",
            Self::HandoverItem => "handover_item",
            Self::AuditEntry => "audit_entry",
        }
    }
}

/// Who may run an action (DESIGN §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Every member: reads, notes, handover, reporting faults, ticking checklists.
    Everyone,
    /// Engineers and heads of department: the technical work.
    Technical,
    /// Heads of department: assign, defer, cancel, reopen, schedule, adjust stock, approve, audit.
    HeadOfDepartment,
}

impl Access {
    pub const fn allows(self, role: Role) -> bool {
        match self {
            Self::Everyone => true,
            Self::Technical => role.is_engineer() || role.is_hod(),
            Self::HeadOfDepartment => role.is_hod(),
        }
    }
}

/// The state of a record an action would act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordState {
    Fault(FaultStatus),
    WorkOrder(WorkOrderStatus),
    Equipment(EquipmentStatus),
    PurchaseRequest(PurchaseStatus),
    /// A record without a lifecycle (a part, a schedule, a handover item).
    Stateless,
}

/// In which states of its record an action is offered, read from the state machines themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enablement {
    /// Not about one existing record (it creates one, or lists many): offered without a record.
    Unbound,
    /// Whatever the record's state.
    Always,
    /// Where the fault transition is allowed.
    Fault(FaultAction),
    /// While the fault still needs attention.
    FaultActive,
    /// Where the work-order transition is allowed.
    WorkOrder(WorkOrderAction),
    /// While the work is planned, in progress or deferred.
    WorkOrderOpen,
    /// While the work is in progress.
    WorkOrderInProgress,
    /// While the equipment is not decommissioned.
    EquipmentInService,
    /// While the purchase request awaits a decision.
    PurchaseRequested,
}

impl Enablement {
    /// Whether the action is offered for a record in `state`. A state of another kind of record
    /// than the rule is about never enables it, and no state enables an unbound action.
    pub fn allows(self, state: RecordState) -> bool {
        match (self, state) {
            (Self::Always, _) => true,
            (Self::Fault(action), RecordState::Fault(status)) => action.next(status).is_some(),
            (Self::FaultActive, RecordState::Fault(status)) => status.is_active(),
            (Self::WorkOrder(action), RecordState::WorkOrder(status)) => action.next(status).is_some(),
            (Self::WorkOrderOpen, RecordState::WorkOrder(status)) => status.is_active(),
            (Self::WorkOrderInProgress, RecordState::WorkOrder(status)) => status == WorkOrderStatus::InProgress,
            (Self::EquipmentInService, RecordState::Equipment(status)) => status != EquipmentStatus::Decommissioned,
            (Self::PurchaseRequested, RecordState::PurchaseRequest(status)) => status == PurchaseStatus::Requested,
            _ => false,
        }
    }
}

/// One micro-action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    pub name: ActionName,
    /// What the UI shows on the button.
    pub label: &'static str,
    pub cluster: Cluster,
    /// The record it is about (and whose state enables it).
    pub entity: EntityType,
    pub side_effect: SideEffect,
    pub access: Access,
    pub enabled: Enablement,
    /// One line for the docs and the LLM prompt.
    pub description: &'static str,
}

impl ActionSpec {
    /// Whether the action is about one existing record, named by its payload's id.
    pub const fn is_bound(&self) -> bool {
        !matches!(self.enabled, Enablement::Unbound)
    }

    pub const fn allowed_for(&self, role: Role) -> bool {
        self.access.allows(role)
    }

    /// Offered for this record: the caller may run it and the record's state allows it.
    pub fn offered(&self, role: Role, state: RecordState) -> bool {
        self.allowed_for(role) && self.enabled.allows(state)
    }
}

/// The action called `name`.
pub fn find(name: &str) -> Option<&'static ActionSpec> {
    ActionName::parse(name).map(ActionName::spec)
}

impl ActionName {
    /// The action's registry entry (the registry lists the actions in [`ActionName::ALL`]'s order).
    pub fn spec(self) -> &'static ActionSpec {
        &ACTIONS[self as usize]
    }
}

/// The actions `role` may run, in registry order.
pub fn for_role(role: Role) -> impl Iterator<Item = &'static ActionSpec> {
    ACTIONS.iter().filter(move |a| a.allowed_for(role))
}

/// The actions `role` may run on a record of `entity` in `state`.
pub fn offered_for(role: Role, entity: EntityType, state: RecordState) -> impl Iterator<Item = &'static ActionSpec> {
    ACTIONS.iter().filter(move |a| a.entity == entity && a.offered(role, state))
}

#[cfg(test)]
mod tests;
