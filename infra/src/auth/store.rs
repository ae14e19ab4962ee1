//! The master-database side of sign-in: credentials, throttles, refresh-token families and the
//! auth event log. Every change is one transaction with its event.

use std::time::Duration;

use pms_domain::auth::{
    AuthStore, Credentials, NewRefreshToken, RequestMeta, RevokeReason, Rotation, Throttle, UserStatus,
};
use pms_domain::identity::Email;
use pms_domain::ids::UserId;
use pms_domain::store::StoreError;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::master::Bounded as _;

/// Failures older than this no longer count towards a lock.
const THROTTLE_WINDOW: &str = "1 day";

/// [`AuthStore`] on the master database.
#[derive(Debug, Clone)]
pub struct PgAuthStore {
    pool: PgPool,
}

impl PgAuthStore {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

/// Appends to `auth_events`.
pub async fn record_event(
    conn: &mut PgConnection,
    kind: &str,
    user: Option<UserId>,
    email: Option<&str>,
    meta: &RequestMeta,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO auth_events (kind, user_id, email, ip, user_agent, request_id)
         VALUES ($1, $2, $3, $4, left($5, 512), $6)",
    )
    .bind(kind)
    .bind(user.map(UserId::as_uuid))
    .bind(email)
    .bind(meta.ip.map(sqlx::types::ipnet::IpNet::from))
    .bind(meta.user_agent.as_deref())
    .bind(meta.request_id.as_deref())
    .execute(conn)
    .await
    .map(|_| ())
}

impl AuthStore for PgAuthStore {
    async fn throttle(&self, email: &Email) -> Result<Option<Throttle>, StoreError> {
        // The lock's remaining time by the database's clock, the one `record_failure` set it by.
        let row: Option<(i32, Option<i64>)> = sqlx::query_as(
            "SELECT CASE WHEN last_failure_at < now() - $2::interval THEN 0 ELSE failures END,
                    CASE WHEN locked_until > now()
                         THEN ceil(extract(epoch FROM locked_until - now()) * 1000)::bigint END
             FROM login_throttles WHERE email = $1",
        )
        .bind(email.as_str())
        .bind(THROTTLE_WINDOW)
        .fetch_optional(&self.pool)
        .bounded()
        .await?;
        Ok(row.map(|(failures, locked_ms)| Throttle {
            failures: u32::try_from(failures).unwrap_or(0),
            locked_for: locked_ms.and_then(|ms| u64::try_from(ms).ok()).map(Duration::from_millis),
        }))
    }

    async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        let row: Option<(Uuid, Option<String>, String)> =
            sqlx::query_as("SELECT id, password_hash, status FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&self.pool)
                .bounded()
                .await?;
        Ok(row.map(|(id, password_hash, status)| Credentials {
            user_id: UserId::from_uuid(id),
            password_hash,
            status: UserStatus::parse(&status).unwrap_or(UserStatus::Disabled),
        }))
    }

    async fn record_failure(
        &self,
        email: &Email,
        user: Option<UserId>,
        lock: Option<Duration>,
        meta: &RequestMeta,
    ) -> Result<(), StoreError> {
        let lock_ms = lock.map(|lock| i64::try_from(lock.as_millis()).unwrap_or(i64::MAX));
        let mut tx = self.pool.begin().bounded().await?;
        sqlx::query(
            "INSERT INTO login_throttles (email, failures, last_failure_at, locked_until)
             VALUES ($1, 1, now(), now() + make_interval(secs => ($2::bigint / 1000.0)::float8))
             ON CONFLICT (email) DO UPDATE SET
                 failures = CASE WHEN login_throttles.last_failure_at < now() - $3::interval
                                 THEN 1 ELSE login_throttles.failures + 1 END,
                 last_failure_at = now(),
                 locked_until = EXCLUDED.locked_until",
        )
        .bind(email.as_str())
        .bind(lock_ms)
        .bind(THROTTLE_WINDOW)
        .execute(&mut *tx)
        .bounded()
        .await?;
        record_event(&mut tx, "login_failed", user, Some(email.as_str()), meta).bounded().await?;
        tx.commit().bounded().await
    }

    async fn record_throttled(&self, email: &Email, meta: &RequestMeta) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().bounded().await?;
        record_event(&mut conn, "login_throttled", None, Some(email.as_str()), meta).bounded().await
    }

    async fn start_session(
        &self,
        email: &Email,
        user: UserId,
        refresh: NewRefreshToken,
        meta: &RequestMeta,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().bounded().await?;
        sqlx::query("DELETE FROM login_throttles WHERE email = $1")
            .bind(email.as_str())
            .execute(&mut *tx)
            .bounded()
            .await?;
        sqlx::query("UPDATE users SET last_login_at = now() WHERE id = $1")
            .bind(user.as_uuid())
            .execute(&mut *tx)
            .bounded()
            .await?;
        insert_refresh_token(&mut tx, user, Uuid::now_v7(), &refresh).bounded().await?;
        record_event(&mut tx, "login_succeeded", Some(user), Some(email.as_str()), meta).bounded().await?;
        tx.commit().bounded().await
    }

    async fn rotate_refresh(
        &self,
        presented: [u8; 32],
        replacement: NewRefreshToken,
        meta: &RequestMeta,
    ) -> Result<Rotation, StoreError> {
        let mut tx = self.pool.begin().bounded().await?;
        // The row lock makes two concurrent uses of one token see each other: the second is reuse.
        let row: Option<(Uuid, Uuid, Uuid, bool, bool, bool, String)> = sqlx::query_as(
            "SELECT t.id, t.user_id, t.family_id, t.rotated_at IS NOT NULL, t.revoked_at IS NOT NULL,
                    t.expires_at <= now(), u.status
             FROM refresh_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1
             FOR UPDATE OF t",
        )
        .bind(presented.as_slice())
        .fetch_optional(&mut *tx)
        .bounded()
        .await?;
        let Some((id, user_id, family, rotated, revoked, expired, status)) = row else {
            return Ok(Rotation::Invalid);
        };
        let user = UserId::from_uuid(user_id);
        if revoked || expired || status != UserStatus::Active.as_str() {
            return Ok(Rotation::Invalid);
        }
        if rotated {
            sqlx::query(
                "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = 'reuse_detected'
                 WHERE family_id = $1 AND revoked_at IS NULL",
            )
            .bind(family)
            .execute(&mut *tx)
            .bounded()
            .await?;
            record_event(&mut tx, "refresh_reuse_detected", Some(user), None, meta).bounded().await?;
            tx.commit().bounded().await?;
            return Ok(Rotation::ReuseDetected { user_id: user });
        }
        sqlx::query("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .bounded()
            .await?;
        insert_refresh_token(&mut tx, user, family, &replacement).bounded().await?;
        record_event(&mut tx, "refresh", Some(user), None, meta).bounded().await?;
        tx.commit().bounded().await?;
        Ok(Rotation::Rotated { user_id: user })
    }

    async fn revoke_family(
        &self,
        presented: [u8; 32],
        reason: RevokeReason,
        meta: &RequestMeta,
    ) -> Result<(), StoreError> {
        let reason = match reason {
            RevokeReason::Logout => "logout",
        };
        let mut tx = self.pool.begin().bounded().await?;
        let user: Option<Uuid> = sqlx::query_scalar(
            "UPDATE refresh_tokens SET revoked_at = now(), revoked_reason = $2
             WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL
             RETURNING user_id",
        )
        .bind(presented.as_slice())
        .bind(reason)
        .fetch_optional(&mut *tx)
        .bounded()
        .await?;
        if let Some(user) = user {
            record_event(&mut tx, "logout", Some(UserId::from_uuid(user)), None, meta).bounded().await?;
        }
        tx.commit().bounded().await
    }
}

async fn insert_refresh_token(
    conn: &mut PgConnection,
    user: UserId,
    family: Uuid,
    token: &NewRefreshToken,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(user.as_uuid())
        .bind(family)
        .bind(token.hash.as_slice())
        .bind(token.expires_at)
        .execute(conn)
        .await
        .map(|_| ())
}
