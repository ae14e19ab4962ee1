//! Managing a yacht's members: listing, inviting, changing roles, suspending, removing, and
//! accepting an invitation.

use std::time::Duration;

use crate::auth::{PasswordHasher, PasswordVerifier, Timestamp, UserStatus};
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
    pub password_hash: Option<String>,
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

/// The rule a change must pass, evaluated by the store under its lock on the yacht's members:
/// the target as it is now and the yacht's number of active tenant admins.
pub type ChangeRule = Box<dyn FnOnce(Target, usize) -> Result<(), MemberError> + Send>;

/// Membership storage. Every change is one transaction with its audit entry.
pub trait MemberStore: Send + Sync {
    fn members(&self, yacht: YachtId) -> impl Future<Output = Result<Vec<Member>, StoreError>> + Send;

    /// Applies `change` to `target` if `rule` allows it, with the yacht's memberships locked so that
    /// concurrent changes cannot together break the rule. `Ok(None)` after a removal.
    fn change(
        &self,
        yacht: YachtId,
        target: UserId,
        change: MemberChange,
        rule: ChangeRule,
        audit: &AuditContext,
    ) -> impl Future<Output = Result<Option<Member>, MemberError>> + Send;

    /// Creates the invitation (and the account, when the email is new). A pending invitation is
    /// replaced; an active or suspended member is [`MemberError::AlreadyMember`].
    fn invite(
        &self,
        yacht: YachtId,
        invitation: &NewInvitation,
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

/// Invites `invitation.email` to `yacht` as `invitation.role`, if the actor's role allows it.
pub async fn invite<S: MemberStore>(
    store: &S,
    actor: Role,
    yacht: YachtId,
    invitation: &NewInvitation,
    audit: &AuditContext,
) -> Result<Member, MemberError> {
    check_invite(actor, invitation.role)?;
    store.invite(yacht, invitation, audit).await
}

/// Applies a change to a member, enforcing the member rules atomically.
pub async fn change_member<S: MemberStore>(
    store: &S,
    actor: Role,
    yacht: YachtId,
    target: UserId,
    change: MemberChange,
    audit: &AuditContext,
) -> Result<Option<Member>, MemberError> {
    let rule: ChangeRule = Box::new(move |current: Target, active_admins: usize| {
        crate::membership::check_change(actor, current, change, active_admins)?;
        if change == MemberChange::Reactivate && current.status != MembershipStatus::Suspended {
            return Err(MemberError::NotSuspended);
        }
        Ok(())
    });
    store.change(yacht, target, change, rule, audit).await
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
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Accepts an invitation. A new account sets its password here; an existing account proves
/// itself with its current password (so whoever holds the token cannot take the account over).
/// Returns the user and their email, to start a session.
pub async fn accept_invitation<S, P>(
    store: &S,
    passwords: &P,
    token_hash: [u8; 32],
    password: &str,
    display_name: Option<String>,
) -> Result<(UserId, Email), AcceptError>
where
    S: MemberStore,
    P: PasswordVerifier + PasswordHasher,
{
    let pending = store.pending_invitation(token_hash).await?.ok_or(AcceptError::InvalidInvitation)?;
    let new_password_hash = match pending.user_status {
        UserStatus::Invited => {
            check_new_password(password, &pending.email).map_err(AcceptError::WeakPassword)?;
            Some(passwords.hash(password).await?)
        }
        UserStatus::Disabled => return Err(AcceptError::AccountDisabled),
        UserStatus::Active => {
            if !passwords.verify(password, pending.password_hash.as_deref()).await {
                return Err(AcceptError::WrongPassword);
            }
            None
        }
    };
    if store.accept_invitation(token_hash, new_password_hash, display_name).await? {
        Ok((pending.user_id, pending.email))
    } else {
        Err(AcceptError::InvalidInvitation)
    }
}
