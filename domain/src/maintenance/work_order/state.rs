//! The work-order lifecycle: `planned` → `in_progress` → `completed`; `planned`/`in_progress` →
//! `deferred` or `cancelled`; `deferred` → `in_progress` (started again) or `cancelled`;
//! `completed` → `in_progress` by reopening.

use super::WorkOrderStatus::{self, Cancelled, Completed, Deferred, InProgress, Planned};
use crate::identity::Role;

/// A status change of a work order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkOrderAction {
    Start,
    Complete,
    Defer,
    Cancel,
    Reopen,
}

impl WorkOrderAction {
    pub const ALL: [Self; 5] = [Self::Start, Self::Complete, Self::Defer, Self::Cancel, Self::Reopen];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::Complete => "complete",
            Self::Defer => "defer",
            Self::Cancel => "cancel",
            Self::Reopen => "reopen",
        }
    }

    /// The status the action leads to from `from`, or `None` when it is not allowed there.
    pub const fn next(self, from: WorkOrderStatus) -> Option<WorkOrderStatus> {
        match (self, from) {
            (Self::Start, Planned | Deferred) | (Self::Reopen, Completed) => Some(InProgress),
            (Self::Complete, InProgress) => Some(Completed),
            (Self::Defer, Planned | InProgress) => Some(Deferred),
            (Self::Cancel, Planned | InProgress | Deferred) => Some(Cancelled),
            _ => None,
        }
    }

    /// Who may take the action: starting and completing is engineers' and heads of department's
    /// work; deferring, cancelling and reopening is for heads of department.
    pub const fn allowed_for(self, role: Role) -> bool {
        match self {
            Self::Start | Self::Complete => role.is_engineer() || role.is_hod(),
            Self::Defer | Self::Cancel | Self::Reopen => role.is_hod(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transition_table_is_exactly_the_designed_lifecycle() {
        let allowed = [
            (WorkOrderAction::Start, Planned, InProgress),
            (WorkOrderAction::Start, Deferred, InProgress),
            (WorkOrderAction::Complete, InProgress, Completed),
            (WorkOrderAction::Defer, Planned, Deferred),
            (WorkOrderAction::Defer, InProgress, Deferred),
            (WorkOrderAction::Cancel, Planned, Cancelled),
            (WorkOrderAction::Cancel, InProgress, Cancelled),
            (WorkOrderAction::Cancel, Deferred, Cancelled),
            (WorkOrderAction::Reopen, Completed, InProgress),
        ];
        for action in WorkOrderAction::ALL {
            for &from in WorkOrderStatus::ALL {
                let expected = allowed.iter().find(|(a, f, _)| *a == action && *f == from).map(|(_, _, to)| *to);
                assert_eq!(action.next(from), expected, "{} from {from}", action.as_str());
            }
        }
    }

    #[test]
    fn heads_of_department_defer_cancel_and_reopen_engineers_do_the_work() {
        for role in Role::ALL {
            let technical = role.is_engineer() || role.is_hod();
            assert_eq!(WorkOrderAction::Start.allowed_for(role), technical, "{role} start");
            assert_eq!(WorkOrderAction::Complete.allowed_for(role), technical, "{role} complete");
            for action in [WorkOrderAction::Defer, WorkOrderAction::Cancel, WorkOrderAction::Reopen] {
                assert_eq!(action.allowed_for(role), role.is_hod(), "{role} {}", action.as_str());
            }
        }
        assert!(!WorkOrderAction::Start.allowed_for(Role::Crew));
        assert!(WorkOrderAction::Cancel.allowed_for(Role::Eto), "the ETO is a head of department");
        assert!(!WorkOrderAction::Cancel.allowed_for(Role::Engineer));
    }
}
