//! Managing a yacht's members: listing, inviting, changing roles, suspending, removing, and
//! accepting an invitation.

use std::time::Duration;

use crate::auth::{LoginError, PasswordHasher, Timestamp, UserStatus};
use crate::identity::{Email, MembershipStatus, Role};
use crate::ids::{UserId, YachtId};
use crate::membership::{MemberChange, MemberRuleError, Target, check_invite};
use crate::password::{PasswordError, check_new_password};
use crate::store::StoreError;
use crate::yacht::AuditContext;

/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// A member of a yacht.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
    pub status: MembershipStatus,
    pub invited_by: Option<UserId>,
    pub since: Timestamp,
}

/// Someone to invite.
#[derive(Debug, Clone)]
pub struct NewInvitation {
    pub email: Email,
    pub display_name: Option<String>,
    pub role: Role,
    pub token_hash: [u8; 32],
    pub expires_at: Timestamp,
}

/// An invitation as found by its token.
#[derive(Debug, Clone)]
pub struct PendingInvitation {
    pub yacht: YachtId,
    pub user_id: UserId,
    pub email: Email,
    pub user_status: UserStatus,
}

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error(transparent)]
    Rule(#[from] MemberRuleError),
    #[error("no such member")]
    NotFound,
    #[error("already a member of this yacht")]
    AlreadyMember,
    #[error("only a suspended membership can be reactivated")]
    NotSuspended,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The yacht's members as the store sees them under its lock, for a rule to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// The acting user's own membership now (it may have changed since the request began).
    pub actor: Option<Target>,
    /// The member being changed (for invitations: their membership, if any).
    pub target: Option<Target>,
    pub active_tenant_admins: usize,
}

/// A rule the store evaluates under its lock on the yacht's members, so that concurrent changes
/// cannot together break it and an actor demoted meanwhile cannot act with their old role.
pub type Rule = Box<dyn FnOnce(Snapshot) -> Result<(), MemberError> + Send>;

/// Membership storage. Every change is one transaction with its audit entry.
pub trait MemberStore: Send + Sync {
    fn members(&self, yacht: YachtId) -> impl Future<Output = Result<Vec<Member>, StoreError>> + Send;

    /// Applies `change` to `target` if `rule` allows it (the actor is `audit.actor`).
    /// [`MemberError::NotFound`] when `target` is not a member; `Ok(None)` after a removal.
    fn change(
        &self,
        yacht: YachtId,
        target: UserId,
        change: MemberChange,
        rule: Rule,
        audit: &AuditContext,
    ) -> impl Future<Output = Result<Option<Member>, MemberError>> + Send;

    /// Creates the invitation (and the account, when the email is new) if `rule` allows it. A
    /// pending invitation is replaced; an active or suspended member is
    /// [`MemberError::AlreadyMember`].
    fn invite(
        &self,
        yacht: YachtId,
        invitation: &NewInvitation,
        rule: Rule,
        audit: &AuditContext,
    ) -> impl Future<Output = Result<Member, MemberError>> + Send;

    /// The pending, unexpired invitation with this token hash.
    fn pending_invitation(
        &self,
        token_hash: [u8; 32],
    ) -> impl Future<Output = Result<Option<PendingInvitation>, StoreError>> + Send;

    /// Accepts the invitation if it is still pending: activates the membership (and the account,
    /// setting `new_password_hash` when given). `false` when it was used or expired meanwhile.
    fn accept_invitation(
        &self,
        token_hash: [u8; 32],
        new_password_hash: Option<String>,
        display_name: Option<String>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// The yacht's members, for its tenant admins.
pub async fn list_members<S: MemberStore>(store: &S, actor: Role, yacht: YachtId) -> Result<Vec<Member>, MemberError> {
    if !actor.is_tenant_admin() {
        return Err(MemberRuleError::NotATenantAdmin.into());
    }
    Ok(store.members(yacht).await?)
}

/// Who is inviting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inviter {
    /// A member of the yacht, whose role (re-read under the store's lock) must allow the invite.
    Member(Role),
    /// The platform, seating a new yacht's first admin.
    Platform,
}

/// The actor's role as it is now: only an active membership counts.
fn current_role(snapshot: &Snapshot) -> Result<Role, MemberError> {
    snapshot
        .actor
        .filter(|actor| actor.status == MembershipStatus::Active)
        .map(|actor| actor.role)
        .ok_or(MemberError::Rule(MemberRuleError::NotATenantAdmin))
}

/// Invites `invitation.email` to `yacht` as `invitation.role`, if the inviter may.
pub async fn invite<S: MemberStore>(
    store: &S,
    inviter: Inviter,
    yacht: YachtId,
    invitation: &NewInvitation,
    audit: &AuditContext,
) -> Result<Member, MemberError> {
    let granted = invitation.role;
    if let Inviter::Member(actor) = inviter {
        check_invite(actor, granted)?;
    }
    let allowed: Rule = Box::new(move |snapshot| match inviter {
        Inviter::Member(_) => Ok(check_invite(current_role(&snapshot)?, granted)?),
        Inviter::Platform => Ok(()),
    });
    store.invite(yacht, invitation, allowed, audit).await
}

/// Applies a change to a member, enforcing the member rules atomically against the members as
/// they are when the change is made.
pub async fn change_member<S: MemberStore>(
    store: &S,
    actor: Role,
    yacht: YachtId,
    target: UserId,
    change: MemberChange,
    audit: &AuditContext,
) -> Result<Option<Member>, MemberError> {
    if !actor.is_tenant_admin() {
        return Err(MemberRuleError::NotATenantAdmin.into());
    }
    let allowed: Rule = Box::new(move |snapshot| {
        let current = snapshot.target.ok_or(MemberError::NotFound)?;
        crate::membership::check_change(current_role(&snapshot)?, current, change, snapshot.active_tenant_admins)?;
        if change == MemberChange::Reactivate && current.status != MembershipStatus::Suspended {
            return Err(MemberError::NotSuspended);
        }
        Ok(())
    });
    store.change(yacht, target, change, allowed, audit).await
}

#[derive(Debug, thiserror::Error)]
pub enum AcceptError {
    #[error("the invitation is unknown, already used or expired")]
    InvalidInvitation,
    #[error("new password {0}")]
    WeakPassword(PasswordError),
    /// The invited email already has an account: its current password must be given.
    #[error("the password does not match the existing account")]
    WrongPassword,
    #[error("the invited account is disabled")]
    AccountDisabled,
    /// The existing account's address is locked by failed sign-ins.
    #[error("too many failed attempts; retry in {retry_after:?}")]
    Throttled { retry_after: Duration },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LoginError> for AcceptError {
    fn from(error: LoginError) -> Self {
        match error {
            LoginError::InvalidCredentials => Self::WrongPassword,
            LoginError::Throttled { retry_after } => Self::Throttled { retry_after },
            LoginError::AccountDisabled => Self::AccountDisabled,
            LoginError::Store(e) => Self::Store(e),
        }
    }
}

/// Accepts an invitation. A new account sets its password here; an existing account proves
/// itself with its current password through `authenticate`, which must be sign-in's own check
/// (its throttle and event log), so that holding a token is no way around either. Returns the
/// user and their email, to start a session.
pub async fn accept_invitation<S, H, A, Checked>(
    store: &S,
    hasher: &H,
    token_hash: [u8; 32],
    password: &str,
    display_name: Option<String>,
    authenticate: A,
) -> Result<(UserId, Email), AcceptError>
where
    S: MemberStore,
    H: PasswordHasher,
    A: FnOnce(Email) -> Checked,
    Checked: Future<Output = Result<(), LoginError>> + Send,
{
    let pending = store.pending_invitation(token_hash).await?.ok_or(AcceptError::InvalidInvitation)?;
    let new_password_hash = match pending.user_status {
        UserStatus::Invited => {
            check_new_password(password, &pending.email).map_err(AcceptError::WeakPassword)?;
            Some(hasher.hash(password).await?)
        }
        UserStatus::Disabled => return Err(AcceptError::AccountDisabled),
        UserStatus::Active => {
            authenticate(pending.email.clone()).await?;
            None
        }
    };
    if store.accept_invitation(token_hash, new_password_hash, display_name).await? {
        Ok((pending.user_id, pending.email))
    } else {
        Err(AcceptError::InvalidInvitation)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::testkit::block_on;

    /// Judges every rule against a fixed snapshot, as the real store would under its lock.
    struct SnapshotStore {
        snapshot: Snapshot,
        applied: Mutex<usize>,
    }

    impl MemberStore for SnapshotStore {
        async fn members(&self, _: YachtId) -> Result<Vec<Member>, StoreError> {
            Ok(Vec::new())
        }
        async fn change(
            &self,
            _: YachtId,
            _: UserId,
            _: MemberChange,
            rule: Rule,
            _: &AuditContext,
        ) -> Result<Option<Member>, MemberError> {
            rule(self.snapshot)?;
            *self.applied.lock().expect("lock") += 1;
            Ok(None)
        }
        async fn invite(
            &self,
            _: YachtId,
            _: &NewInvitation,
            rule: Rule,
            _: &AuditContext,
        ) -> Result<Member, MemberError> {
            rule(self.snapshot)?;
            *self.applied.lock().expect("lock") += 1;
            Err(MemberError::AlreadyMember)
        }
        async fn pending_invitation(&self, _: [u8; 32]) -> Result<Option<PendingInvitation>, StoreError> {
            Ok(None)
        }
        async fn accept_invitation(
            &self,
            _: [u8; 32],
            _: Option<String>,
            _: Option<String>,
        ) -> Result<bool, StoreError> {
            Ok(false)
        }
    }

    fn store(
        actor: Option<(Role, MembershipStatus)>,
        target: Option<(Role, MembershipStatus)>,
        admins: usize,
    ) -> SnapshotStore {
        let as_target = |(role, status)| Target { role, status };
        SnapshotStore {
            snapshot: Snapshot {
                actor: actor.map(as_target),
                target: target.map(as_target),
                active_tenant_admins: admins,
            },
            applied: Mutex::new(0),
        }
    }

    fn audit() -> AuditContext {
        AuditContext { actor: UserId::generate(), request_id: None }
    }

    fn invitation(role: Role) -> NewInvitation {
        NewInvitation {
            email: Email::parse("new@aurora.demo").expect("valid"),
            display_name: None,
            role,
            token_hash: [0; 32],
            expires_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    const ACTIVE: MembershipStatus = MembershipStatus::Active;

    #[test]
    fn an_actor_demoted_since_the_request_began_cannot_act_with_the_old_role() {
        let demoted = store(Some((Role::Crew, ACTIVE)), Some((Role::Engineer, ACTIVE)), 1);
        let result = block_on(change_member(
            &demoted,
            Role::Captain,
            YachtId::generate(),
            UserId::generate(),
            MemberChange::Suspend,
            &audit(),
        ));
        assert!(matches!(result, Err(MemberError::Rule(MemberRuleError::NotATenantAdmin))), "{result:?}");
        assert_eq!(*demoted.applied.lock().expect("lock"), 0);

        let suspended = store(Some((Role::Captain, MembershipStatus::Suspended)), None, 1);
        let result = block_on(invite(
            &suspended,
            Inviter::Member(Role::Captain),
            YachtId::generate(),
            &invitation(Role::Crew),
            &audit(),
        ));
        assert!(matches!(result, Err(MemberError::Rule(MemberRuleError::NotATenantAdmin))), "{result:?}");
    }

    #[test]
    fn the_platform_invites_a_first_admin_without_being_a_member() {
        let empty = store(None, None, 0);
        let result =
            block_on(invite(&empty, Inviter::Platform, YachtId::generate(), &invitation(Role::Admin), &audit()));
        assert!(matches!(result, Err(MemberError::AlreadyMember)), "the rule passed and the store was reached");
    }

    #[test]
    fn a_missing_target_is_not_found_and_reactivation_needs_a_suspension() {
        let no_target = store(Some((Role::Admin, ACTIVE)), None, 1);
        let result = block_on(change_member(
            &no_target,
            Role::Admin,
            YachtId::generate(),
            UserId::generate(),
            MemberChange::Suspend,
            &audit(),
        ));
        assert!(matches!(result, Err(MemberError::NotFound)));
        let active = store(Some((Role::Admin, ACTIVE)), Some((Role::Crew, ACTIVE)), 1);
        let result = block_on(change_member(
            &active,
            Role::Admin,
            YachtId::generate(),
            UserId::generate(),
            MemberChange::Reactivate,
            &audit(),
        ));
        assert!(matches!(result, Err(MemberError::NotSuspended)));
    }
}
