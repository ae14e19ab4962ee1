//! The rules of member management: who may grant which role, and the yacht that must never be
//! left without someone able to manage it.

use crate::identity::{MembershipStatus, Role};

/// Why a member-management request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberRuleError {
    #[error("only a captain, manager or admin of this yacht may manage its members")]
    NotATenantAdmin,
    #[error("a {own} cannot grant the role {granted}, which ranks above their own")]
    RoleAboveOwn { own: Role, granted: Role },
    #[error("a {own} cannot change a member whose role ({target}) ranks above their own")]
    TargetOutranksActor { own: Role, target: Role },
    #[error("this is the yacht's last active captain, manager or admin; appoint another first")]
    LastTenantAdmin,
}

/// A change to one membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    ChangeRole(Role),
    Suspend,
    Reactivate,
    Remove,
}

/// The member a change is aimed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub role: Role,
    pub status: MembershipStatus,
}

/// May `actor` invite someone with `role`?
pub fn check_invite(actor: Role, role: Role) -> Result<(), MemberRuleError> {
    require_tenant_admin(actor)?;
    require_within_rank(actor, role)
}

/// May `actor` apply `change` to `target`, when the yacht has `active_tenant_admins` active
/// captains, managers and admins (the target included, if they are one)?
pub fn check_change(
    actor: Role,
    target: Target,
    change: MemberChange,
    active_tenant_admins: usize,
) -> Result<(), MemberRuleError> {
    require_tenant_admin(actor)?;
    if target.role.rank() > actor.rank() {
        return Err(MemberRuleError::TargetOutranksActor { own: actor, target: target.role });
    }
    if let MemberChange::ChangeRole(role) = change {
        require_within_rank(actor, role)?;
    }
    let loses_admin_capacity = match change {
        MemberChange::ChangeRole(role) => !role.is_tenant_admin(),
        MemberChange::Suspend | MemberChange::Remove => true,
        MemberChange::Reactivate => false,
    };
    let is_active_admin = target.status == MembershipStatus::Active && target.role.is_tenant_admin();
    if is_active_admin && loses_admin_capacity && active_tenant_admins <= 1 {
        return Err(MemberRuleError::LastTenantAdmin);
    }
    Ok(())
}

fn require_tenant_admin(actor: Role) -> Result<(), MemberRuleError> {
    if actor.is_tenant_admin() { Ok(()) } else { Err(MemberRuleError::NotATenantAdmin) }
}

fn require_within_rank(actor: Role, granted: Role) -> Result<(), MemberRuleError> {
    if granted.rank() <= actor.rank() { Ok(()) } else { Err(MemberRuleError::RoleAboveOwn { own: actor, granted }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberChange::{ChangeRole, Reactivate, Remove, Suspend};
    use MembershipStatus::{Active, Invited, Suspended};
    use Role::{Admin, Captain, ChiefEngineer, Crew, Engineer, Manager};

    fn target(role: Role, status: MembershipStatus) -> Target {
        Target { role, status }
    }

    #[test]
    fn only_tenant_admins_manage_members() {
        for actor in Role::ALL {
            let expected = if actor.is_tenant_admin() { Ok(()) } else { Err(MemberRuleError::NotATenantAdmin) };
            assert_eq!(check_invite(actor, Crew), expected, "{actor} inviting crew");
            assert_eq!(check_change(actor, target(Crew, Active), Suspend, 2), expected, "{actor} suspending crew");
        }
    }

    #[test]
    fn nobody_grants_a_role_above_their_own() {
        let cases = [
            (Captain, Captain, true),
            (Captain, Manager, false),
            (Captain, Admin, false),
            (Manager, Captain, true),
            (Manager, Admin, false),
            (Admin, Admin, true),
        ];
        for (actor, granted, allowed) in cases {
            assert_eq!(check_invite(actor, granted).is_ok(), allowed, "{actor} inviting a {granted}");
            assert_eq!(
                check_change(actor, target(Engineer, Active), ChangeRole(granted), 2).is_ok(),
                allowed,
                "{actor} promoting to {granted}"
            );
        }
    }

    #[test]
    fn a_member_who_outranks_the_actor_is_out_of_reach() {
        assert_eq!(
            check_change(Captain, target(Manager, Active), Suspend, 3),
            Err(MemberRuleError::TargetOutranksActor { own: Captain, target: Manager })
        );
        assert!(check_change(Manager, target(Captain, Active), Suspend, 3).is_ok());
    }

    #[test]
    fn the_last_active_tenant_admin_cannot_be_demoted_suspended_or_removed() {
        for change in [ChangeRole(ChiefEngineer), ChangeRole(Crew), Suspend, Remove] {
            assert_eq!(
                check_change(Admin, target(Admin, Active), change, 1),
                Err(MemberRuleError::LastTenantAdmin),
                "{change:?}"
            );
            assert!(check_change(Admin, target(Admin, Active), change, 2).is_ok(), "{change:?} with another admin");
        }
    }

    #[test]
    fn changes_that_keep_admin_capacity_are_fine_for_the_last_admin() {
        assert!(check_change(Admin, target(Admin, Active), ChangeRole(Captain), 1).is_ok());
        assert!(check_change(Captain, target(Captain, Active), Reactivate, 1).is_ok());
    }

    #[test]
    fn members_who_are_not_active_admins_never_trigger_the_last_admin_rule() {
        for status in [Invited, Suspended] {
            assert!(check_change(Admin, target(Admin, status), Remove, 1).is_ok(), "{status:?}");
        }
        assert!(check_change(Captain, target(Engineer, Active), Remove, 1).is_ok());
    }
}
