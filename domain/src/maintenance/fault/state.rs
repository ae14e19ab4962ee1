//! The fault lifecycle: `open` → `acknowledged` → `in_progress` (a work order exists) →
//! `resolved`; `false_alarm` is terminal; `resolved` and `false_alarm` go back to `open` by
//! reopening.

use super::FaultStatus::{self, Acknowledged, FalseAlarm, InProgress, Open, Resolved};

/// What can happen to a fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultAction {
    Acknowledge,
    /// A work order was created for it.
    StartWork,
    Resolve,
    MarkFalseAlarm,
    Reopen,
}

impl FaultAction {
    pub const ALL: [Self; 5] = [Self::Acknowledge, Self::StartWork, Self::Resolve, Self::MarkFalseAlarm, Self::Reopen];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Acknowledge => "acknowledge",
            Self::StartWork => "start_work",
            Self::Resolve => "resolve",
            Self::MarkFalseAlarm => "mark_false_alarm",
            Self::Reopen => "reopen",
        }
    }

    /// The status the action leads to from `from`, or `None` when the action is not allowed there.
    pub const fn next(self, from: FaultStatus) -> Option<FaultStatus> {
        match (self, from) {
            (Self::Acknowledge, Open) => Some(Acknowledged),
            (Self::StartWork, Open | Acknowledged) => Some(InProgress),
            (Self::Resolve, Open | Acknowledged | InProgress) => Some(Resolved),
            (Self::MarkFalseAlarm, Open | Acknowledged) => Some(FalseAlarm),
            (Self::Reopen, Resolved | FalseAlarm) => Some(Open),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (action, status) pair: the allowed ones and where they lead; all others refused.
    #[test]
    fn the_transition_table_is_exactly_the_designed_lifecycle() {
        let allowed = [
            (FaultAction::Acknowledge, Open, Acknowledged),
            (FaultAction::StartWork, Open, InProgress),
            (FaultAction::StartWork, Acknowledged, InProgress),
            (FaultAction::Resolve, Open, Resolved),
            (FaultAction::Resolve, Acknowledged, Resolved),
            (FaultAction::Resolve, InProgress, Resolved),
            (FaultAction::MarkFalseAlarm, Open, FalseAlarm),
            (FaultAction::MarkFalseAlarm, Acknowledged, FalseAlarm),
            (FaultAction::Reopen, Resolved, Open),
            (FaultAction::Reopen, FalseAlarm, Open),
        ];
        for action in FaultAction::ALL {
            for &from in FaultStatus::ALL {
                let expected = allowed.iter().find(|(a, f, _)| *a == action && *f == from).map(|(_, _, to)| *to);
                assert_eq!(action.next(from), expected, "{} from {from}", action.as_str());
            }
        }
    }
}
