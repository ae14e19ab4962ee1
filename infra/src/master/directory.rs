//! [`Directory`] on the master database.

use pms_domain::auth::UserStatus;
use pms_domain::directory::{Directory, MembershipSummary, UserProfile, YachtAccess, YachtStatus};
use pms_domain::identity::{Email, MembershipStatus, Role};
use pms_domain::ids::{UserId, YachtId};
use pms_domain::store::StoreError;
use pms_domain::tenancy::{DatabaseName, ServerKey};
use sqlx::PgPool;
use uuid::Uuid;

use super::Bounded as _;

/// Reads users and memberships.
#[derive(Debug, Clone)]
pub struct PgDirectory {
    pool: PgPool,
}

impl PgDirectory {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// A stored value that no longer parses means the schema and the code disagree.
pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::new(std::io::Error::other(format!("unexpected {what} {value:?} in the master database")))
}

impl Directory for PgDirectory {
    async fn profile(&self, user: UserId) -> Result<Option<UserProfile>, StoreError> {
        let row: Option<(Uuid, String, String, String, bool)> =
            sqlx::query_as("SELECT id, email, display_name, status, is_platform_admin FROM users WHERE id = $1")
                .bind(user.as_uuid())
                .fetch_optional(&self.pool)
                .bounded()
                .await?;
        row.map(|(id, email, display_name, status, is_platform_admin)| {
            Ok(UserProfile {
                id: UserId::from_uuid(id),
                email: Email::parse(&email).map_err(|_| corrupt("email", &email))?,
                display_name,
                status: UserStatus::parse(&status).ok_or_else(|| corrupt("user status", &status))?,
                is_platform_admin,
            })
        })
        .transpose()
    }

    async fn memberships(&self, user: UserId) -> Result<Vec<MembershipSummary>, StoreError> {
        let rows: Vec<(Uuid, String, String, String, String)> = sqlx::query_as(
            "SELECT y.id, y.name, y.status, m.role, m.status
             FROM memberships m JOIN yachts y ON y.id = m.yacht_id
             WHERE m.user_id = $1 ORDER BY y.name, y.id",
        )
        .bind(user.as_uuid())
        .fetch_all(&self.pool)
        .bounded()
        .await?;
        rows.into_iter()
            .map(|(yacht_id, yacht_name, yacht_status, role, status)| {
                Ok(MembershipSummary {
                    yacht_id: YachtId::from_uuid(yacht_id),
                    yacht_name,
                    yacht_status: YachtStatus::parse(&yacht_status)
                        .ok_or_else(|| corrupt("yacht status", &yacht_status))?,
                    role: Role::parse(&role).ok_or_else(|| corrupt("role", &role))?,
                    status: MembershipStatus::parse(&status).ok_or_else(|| corrupt("membership status", &status))?,
                })
            })
            .collect()
    }

    async fn access(&self, user: UserId, yacht: YachtId) -> Result<Option<YachtAccess>, StoreError> {
        let row: Option<AccessRow> = sqlx::query_as(
            "SELECT m.role, m.status AS membership, y.status AS yacht_status, t.server_key AS server,
                    t.name AS database
             FROM memberships m
             JOIN yachts y ON y.id = m.yacht_id
             JOIN tenant_databases t ON t.id = y.tenant_database_id
             WHERE m.user_id = $1 AND m.yacht_id = $2",
        )
        .bind(user.as_uuid())
        .bind(yacht.as_uuid())
        .fetch_optional(&self.pool)
        .bounded()
        .await?;
        row.as_ref().map(yacht_access).transpose()
    }

    async fn active_access(&self, user: UserId, yacht: YachtId) -> Result<Option<Option<YachtAccess>>, StoreError> {
        type Row = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
        let row: Option<Row> = sqlx::query_as(
            "SELECT m.role, m.status AS membership, y.status AS yacht_status,
                    t.server_key AS server, t.name AS database
             FROM users u
             LEFT JOIN memberships m ON m.user_id = u.id AND m.yacht_id = $2
             LEFT JOIN yachts y ON y.id = m.yacht_id
             LEFT JOIN tenant_databases t ON t.id = y.tenant_database_id
             WHERE u.id = $1 AND u.status = 'active'",
        )
        .bind(user.as_uuid())
        .bind(yacht.as_uuid())
        .fetch_optional(&self.pool)
        .bounded()
        .await?;
        let Some((role, membership, yacht_status, server, database)) = row else {
            return Ok(None);
        };
        let access = match (role, membership, yacht_status, server, database) {
            (Some(role), Some(membership), Some(yacht_status), Some(server), Some(database)) => {
                Some(yacht_access(&AccessRow { role, membership, yacht_status, server, database })?)
            }
            _ => None,
        };
        Ok(Some(access))
    }

    async fn link_external(&self, subject: &str, email: Option<&Email>) -> Result<Option<UserId>, StoreError> {
        let linked: Option<Uuid> = sqlx::query_scalar("SELECT id FROM users WHERE external_subject = $1")
            .bind(subject)
            .fetch_optional(&self.pool)
            .bounded()
            .await?;
        if let Some(id) = linked {
            return Ok(Some(UserId::from_uuid(id)));
        }
        let Some(email) = email else { return Ok(None) };
        let newly_linked: Option<Uuid> = sqlx::query_scalar(
            "UPDATE users SET external_subject = $1 WHERE email = $2 AND external_subject IS NULL RETURNING id",
        )
        .bind(subject)
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .bounded()
        .await?;
        Ok(newly_linked.map(UserId::from_uuid))
    }
}

#[derive(sqlx::FromRow)]
struct AccessRow {
    role: String,
    membership: String,
    yacht_status: String,
    server: String,
    database: String,
}

fn yacht_access(row: &AccessRow) -> Result<YachtAccess, StoreError> {
    Ok(YachtAccess {
        role: Role::parse(&row.role).ok_or_else(|| corrupt("role", &row.role))?,
        membership_status: MembershipStatus::parse(&row.membership)
            .ok_or_else(|| corrupt("membership status", &row.membership))?,
        yacht_status: YachtStatus::parse(&row.yacht_status)
            .ok_or_else(|| corrupt("yacht status", &row.yacht_status))?,
        server: ServerKey::parse(&row.server).map_err(|_| corrupt("server key", &row.server))?,
        database: DatabaseName::parse(&row.database).map_err(|_| corrupt("database name", &row.database))?,
    })
}
