//! [`MemberStore`] on the master database. Member changes of one yacht are serialised by locking
//! the yacht's row, so rules that count members (the last tenant admin) hold under concurrency.

use pms_domain::auth::UserStatus;
use pms_domain::identity::{Email, MembershipStatus, Role};
use pms_domain::ids::{UserId, YachtId};
use pms_domain::members::{Member, MemberError, MemberStore, NewInvitation, PendingInvitation, Rule, Snapshot};
use pms_domain::membership::{MemberChange, Target};
use pms_domain::store::StoreError;
use pms_domain::yacht::AuditContext;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::Bounded as _;
use super::directory::corrupt;
use super::registry::audit;
use crate::auth::store::record_event;

/// Memberships and invitations in the master database.
#[derive(Debug, Clone)]
pub struct PgMemberStore {
    pool: PgPool,
}

impl PgMemberStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

type MemberRow = (Uuid, String, String, String, String, Option<Uuid>, chrono::DateTime<chrono::Utc>);

/// A pending member is shown with the name the inviter gave (or the address's local part), not
/// the account's own: whether the address already has an account stays undisclosed.
const MEMBER_QUERY: &str = "SELECT u.id, u.email,
        CASE WHEN m.status = 'invited' THEN coalesce(m.invited_name, split_part(u.email, '@', 1))
             ELSE u.display_name END,
        m.role, m.status, m.invited_by, m.created_at
 FROM memberships m JOIN users u ON u.id = m.user_id";

fn member(row: MemberRow) -> Result<Member, StoreError> {
    let (user_id, email, display_name, role, status, invited_by, since) = row;
    Ok(Member {
        user_id: UserId::from_uuid(user_id),
        email: Email::parse(&email).map_err(|_| corrupt("email", &email))?,
        display_name,
        role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
        status: MembershipStatus::parse(&status).ok_or_else(|| corrupt("membership status", &status))?,
        invited_by: invited_by.map(UserId::from_uuid),
        since,
    })
}

fn member_json(member: &Member) -> serde_json::Value {
    json!({"user_id": member.user_id.to_string(), "role": member.role.as_str(), "status": member.status.as_str()})
}

async fn load_member(conn: &mut PgConnection, yacht: YachtId, user: UserId) -> Result<Option<Member>, StoreError> {
    let row: Option<MemberRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MEMBER_QUERY} WHERE m.yacht_id = $1 AND m.user_id = $2")))
            .bind(yacht.as_uuid())
            .bind(user.as_uuid())
            .fetch_optional(conn)
            .bounded()
            .await?;
    row.map(member).transpose()
}

const SET_ROLE: &str = "UPDATE memberships SET role = $3 WHERE yacht_id = $1 AND user_id = $2";
const SET_STATUS: &str = "UPDATE memberships SET status = $3 WHERE yacht_id = $1 AND user_id = $2";
const REMOVE: &str = "DELETE FROM memberships WHERE yacht_id = $1 AND user_id = $2";

/// Locks the yacht's row (every member change of one yacht waits for the previous one) and reads
/// what the rules need: the actor's and the target's memberships and the active admin count.
async fn lock_and_snapshot(
    conn: &mut PgConnection,
    yacht: YachtId,
    actor: UserId,
    target: Option<Uuid>,
) -> Result<Snapshot, StoreError> {
    lock_yacht(conn, yacht).await?;
    let membership = |user: Uuid| {
        sqlx::query_as::<_, (String, String)>(
            "SELECT role, status FROM memberships WHERE yacht_id = $1 AND user_id = $2",
        )
        .bind(yacht.as_uuid())
        .bind(user)
    };
    let to_target = |row: Option<(String, String)>| -> Result<Option<Target>, StoreError> {
        row.map(|(role, status)| {
            Ok(Target {
                role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
                status: MembershipStatus::parse(&status).ok_or_else(|| corrupt("membership status", &status))?,
            })
        })
        .transpose()
    };
    let actor = to_target(membership(actor.as_uuid()).fetch_optional(&mut *conn).bounded().await?)?;
    let target = match target {
        Some(user) => to_target(membership(user).fetch_optional(&mut *conn).bounded().await?)?,
        None => None,
    };
    let active_admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM memberships
         WHERE yacht_id = $1 AND status = 'active' AND role IN ('captain', 'manager', 'admin')",
    )
    .bind(yacht.as_uuid())
    .fetch_one(&mut *conn)
    .bounded()
    .await?;
    Ok(Snapshot { actor, target, active_tenant_admins: usize::try_from(active_admins).unwrap_or(0) })
}

/// Locks the yacht's row: every member change of one yacht waits for the previous one.
async fn lock_yacht(conn: &mut PgConnection, yacht: YachtId) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM yachts WHERE id = $1 FOR UPDATE")
        .bind(yacht.as_uuid())
        .execute(conn)
        .bounded()
        .await
        .map(|_| ())
}

impl MemberStore for PgMemberStore {
    async fn members(&self, yacht: YachtId) -> Result<Vec<Member>, StoreError> {
        let rows: Vec<MemberRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{MEMBER_QUERY} WHERE m.yacht_id = $1 ORDER BY u.display_name, u.email"
        )))
        .bind(yacht.as_uuid())
        .fetch_all(&self.pool)
        .bounded()
        .await?;
        rows.into_iter().map(member).collect()
    }

    async fn change(
        &self,
        yacht: YachtId,
        target: UserId,
        change: MemberChange,
        allowed: Rule,
        context: &AuditContext,
    ) -> Result<Option<Member>, MemberError> {
        let mut tx = self.pool.begin().bounded().await?;
        let snapshot = lock_and_snapshot(&mut tx, yacht, context.actor, Some(target.as_uuid())).await?;
        allowed(snapshot)?;
        let before = load_member(&mut tx, yacht, target).await?.ok_or(MemberError::NotFound)?;
        let (statement, value, action) = match change {
            MemberChange::ChangeRole(role) => (SET_ROLE, Some(role.as_str()), "member.role_changed"),
            MemberChange::Suspend => (SET_STATUS, Some("suspended"), "member.suspended"),
            MemberChange::Reactivate => (SET_STATUS, Some("active"), "member.reactivated"),
            MemberChange::Remove => (REMOVE, None, "member.removed"),
        };
        let mut query = sqlx::query(statement).bind(yacht.as_uuid()).bind(target.as_uuid());
        if let Some(value) = value {
            query = query.bind(value);
        }
        query.execute(&mut *tx).bounded().await?;
        let after = load_member(&mut tx, yacht, target).await?;
        audit(
            &mut tx,
            context,
            Some(yacht),
            action,
            Some(target.as_uuid()),
            Some(member_json(&before)),
            after.as_ref().map(member_json),
        )
        .bounded()
        .await?;
        tx.commit().bounded().await?;
        Ok(after)
    }

    async fn invite(
        &self,
        yacht: YachtId,
        invitation: &NewInvitation,
        allowed: Rule,
        context: &AuditContext,
    ) -> Result<Member, MemberError> {
        let mut tx = self.pool.begin().bounded().await?;
        allowed(lock_and_snapshot(&mut tx, yacht, context.actor, None).await?)?;
        let email = invitation.email.as_str();
        let existing_user: Option<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .bounded()
            .await?;
        let user = if let Some(id) = existing_user {
            id
        } else {
            let fallback_name = email.split('@').next().unwrap_or(email);
            sqlx::query_scalar(
                "INSERT INTO users (email, display_name, status) VALUES ($1, $2, 'invited') RETURNING id",
            )
            .bind(email)
            .bind(invitation.display_name.as_deref().unwrap_or(fallback_name))
            .fetch_one(&mut *tx)
            .bounded()
            .await?
        };
        let membership: Option<(Uuid, String)> =
            sqlx::query_as("SELECT id, status FROM memberships WHERE user_id = $1 AND yacht_id = $2")
                .bind(user)
                .bind(yacht.as_uuid())
                .fetch_optional(&mut *tx)
                .bounded()
                .await?;
        let membership = match membership {
            Some((_, status)) if status != MembershipStatus::Invited.as_str() => {
                return Err(MemberError::AlreadyMember);
            }
            Some((id, _)) => {
                // A new invitation replaces the pending one: earlier tokens stop working.
                sqlx::query("DELETE FROM invitations WHERE membership_id = $1 AND accepted_at IS NULL")
                    .bind(id)
                    .execute(&mut *tx)
                    .bounded()
                    .await?;
                sqlx::query("UPDATE memberships SET role = $2, invited_by = $3, invited_name = $4 WHERE id = $1")
                    .bind(id)
                    .bind(invitation.role.as_str())
                    .bind(context.actor.as_uuid())
                    .bind(invitation.display_name.as_deref())
                    .execute(&mut *tx)
                    .bounded()
                    .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO memberships (user_id, yacht_id, role, status, invited_by, invited_name)
                 VALUES ($1, $2, $3, 'invited', $4, $5) RETURNING id",
                )
                .bind(user)
                .bind(yacht.as_uuid())
                .bind(invitation.role.as_str())
                .bind(context.actor.as_uuid())
                .bind(invitation.display_name.as_deref())
                .fetch_one(&mut *tx)
                .bounded()
                .await?
            }
        };
        sqlx::query("INSERT INTO invitations (membership_id, token_hash, expires_at) VALUES ($1, $2, $3)")
            .bind(membership)
            .bind(invitation.token_hash.as_slice())
            .bind(invitation.expires_at)
            .execute(&mut *tx)
            .bounded()
            .await?;
        let invited = load_member(&mut tx, yacht, UserId::from_uuid(user))
            .await?
            .ok_or_else(|| StoreError::new(std::io::Error::other("invited member not found")))?;
        audit(&mut tx, context, Some(yacht), "member.invited", Some(user), None, Some(member_json(&invited)))
            .bounded()
            .await?;
        tx.commit().bounded().await?;
        Ok(invited)
    }

    async fn pending_invitation(&self, token_hash: [u8; 32]) -> Result<Option<PendingInvitation>, StoreError> {
        let row: Option<(Uuid, Uuid, String, String)> = sqlx::query_as(
            "SELECT m.yacht_id, u.id, u.email, u.status
             FROM invitations i
             JOIN memberships m ON m.id = i.membership_id
             JOIN users u ON u.id = m.user_id
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now() AND m.status = 'invited'",
        )
        .bind(token_hash.as_slice())
        .fetch_optional(&self.pool)
        .bounded()
        .await?;
        row.map(|(yacht, user, email, status)| {
            Ok(PendingInvitation {
                yacht: YachtId::from_uuid(yacht),
                user_id: UserId::from_uuid(user),
                email: Email::parse(&email).map_err(|_| corrupt("email", &email))?,
                user_status: UserStatus::parse(&status).ok_or_else(|| corrupt("user status", &status))?,
            })
        })
        .transpose()
    }

    async fn accept_invitation(
        &self,
        token_hash: [u8; 32],
        new_password_hash: Option<String>,
        display_name: Option<String>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().bounded().await?;
        let pending: Option<(Uuid, Uuid, Uuid, Uuid, String)> = sqlx::query_as(
            "SELECT i.id, m.id, m.yacht_id, u.id, u.email
             FROM invitations i
             JOIN memberships m ON m.id = i.membership_id
             JOIN users u ON u.id = m.user_id
             WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now() AND m.status = 'invited'
             FOR UPDATE OF i, m",
        )
        .bind(token_hash.as_slice())
        .fetch_optional(&mut *tx)
        .bounded()
        .await?;
        let Some((invitation, membership, yacht, user, email)) = pending else { return Ok(false) };
        sqlx::query("UPDATE invitations SET accepted_at = now() WHERE id = $1")
            .bind(invitation)
            .execute(&mut *tx)
            .bounded()
            .await?;
        sqlx::query("UPDATE memberships SET status = 'active' WHERE id = $1")
            .bind(membership)
            .execute(&mut *tx)
            .bounded()
            .await?;
        if let Some(hash) = new_password_hash {
            sqlx::query(
                "UPDATE users SET password_hash = $2, status = 'active', display_name = coalesce($3, display_name)
                 WHERE id = $1 AND status = 'invited'",
            )
            .bind(user)
            .bind(hash)
            .bind(display_name.as_deref().map(str::trim).filter(|n| !n.is_empty()))
            .execute(&mut *tx)
            .bounded()
            .await?;
        }
        let user_id = UserId::from_uuid(user);
        let meta = pms_domain::auth::RequestMeta::default();
        record_event(&mut tx, "invite_accepted", Some(user_id), Some(&email), &meta).bounded().await?;
        let context = AuditContext { actor: user_id, request_id: None };
        audit(&mut tx, &context, Some(YachtId::from_uuid(yacht)), "member.joined", Some(user), None, None)
            .bounded()
            .await?;
        tx.commit().bounded().await?;
        Ok(true)
    }
}
