//! Read-side questions about people and their yachts, answered by the master database.

use crate::auth::UserStatus;
use crate::identity::{Email, MembershipStatus, Role};
use crate::ids::{UserId, YachtId};
use crate::store::StoreError;
use crate::tenancy::{DatabaseName, ServerKey};

/// A user as shown to themselves and to admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserProfile {
    pub id: UserId,
    pub email: Email,
    pub display_name: String,
    pub status: UserStatus,
    pub is_platform_admin: bool,
}

/// Whether a yacht is in service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YachtStatus {
    Active,
    Suspended,
}

impl YachtStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Active, Self::Suspended].into_iter().find(|s| s.as_str() == raw)
    }
}

/// One of a user's memberships, with the yacht's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipSummary {
    pub yacht_id: YachtId,
    pub yacht_name: String,
    pub yacht_status: YachtStatus,
    pub role: Role,
    pub status: MembershipStatus,
}

/// What a user may do on one yacht, and where its data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YachtAccess {
    pub role: Role,
    pub membership_status: MembershipStatus,
    pub yacht_status: YachtStatus,
    pub server: ServerKey,
    pub database: DatabaseName,
}

/// Looks people up in the master database.
pub trait Directory: Send + Sync {
    fn profile(&self, user: UserId) -> impl Future<Output = Result<Option<UserProfile>, StoreError>> + Send;

    /// Every membership of `user`, in any state, ordered by yacht name.
    fn memberships(&self, user: UserId) -> impl Future<Output = Result<Vec<MembershipSummary>, StoreError>> + Send;

    /// The user's membership of `yacht` with its yacht's state and location; `None` when the
    /// user is not a member (or the yacht does not exist: callers must not tell the two apart).
    fn access(
        &self,
        user: UserId,
        yacht: YachtId,
    ) -> impl Future<Output = Result<Option<YachtAccess>, StoreError>> + Send;

    /// For an active `user` only (`None` otherwise), their [`Self::access`] to `yacht`: what a
    /// request on a yacht checks, in one read.
    fn active_access(
        &self,
        user: UserId,
        yacht: YachtId,
    ) -> impl Future<Output = Result<Option<Option<YachtAccess>>, StoreError>> + Send;

    /// The user linked to an external identity (`sub` of a Supabase token). When none is linked
    /// yet and `email` belongs to an account without one, links that account.
    fn link_external(
        &self,
        subject: &str,
        email: Option<&Email>,
    ) -> impl Future<Output = Result<Option<UserId>, StoreError>> + Send;
}
