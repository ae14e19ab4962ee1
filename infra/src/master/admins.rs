//! Bootstrapping platform administrators from the command line.

use pms_domain::identity::Email;
use pms_domain::ids::UserId;
use sqlx::PgPool;
use uuid::Uuid;

/// What happened to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminUpsert {
    Created(UserId),
    /// An existing account was made a platform admin (and given the password, if one was given).
    Promoted(UserId),
}

/// Creates a platform administrator, or promotes the existing account with that email.
/// `password_hash` is required to create; for an existing account it replaces the password.
pub async fn upsert_platform_admin(
    pool: &PgPool,
    email: &Email,
    display_name: &str,
    password_hash: Option<&str>,
) -> Result<AdminUpsert, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let existing: Option<Uuid> = sqlx::query_scalar(
        "UPDATE users SET is_platform_admin = true, status = 'active',
                          password_hash = coalesce($2, password_hash)
         WHERE email = $1 RETURNING id",
    )
    .bind(email.as_str())
    .bind(password_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let outcome = if let Some(id) = existing {
        AdminUpsert::Promoted(UserId::from_uuid(id))
    } else {
        let id: Uuid = sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, is_platform_admin)
             VALUES ($1, $2, $3, true) RETURNING id",
        )
        .bind(email.as_str())
        .bind(display_name)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        AdminUpsert::Created(UserId::from_uuid(id))
    };
    tx.commit().await?;
    Ok(outcome)
}

/// Makes `email` an active member of `yacht` with `role` and the given password, creating the
/// account if needed. For demo seeding: idempotent, and it resets the password each time.
pub async fn upsert_active_member(
    pool: &PgPool,
    yacht: pms_domain::ids::YachtId,
    email: &Email,
    display_name: &str,
    role: pms_domain::identity::Role,
    password_hash: &str,
) -> Result<UserId, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let user: Uuid = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, status = 'active',
                                           display_name = EXCLUDED.display_name
         RETURNING id",
    )
    .bind(email.as_str())
    .bind(display_name)
    .bind(password_hash)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (user_id, yacht_id, role, status) VALUES ($1, $2, $3, 'active')
         ON CONFLICT (user_id, yacht_id) DO UPDATE SET role = EXCLUDED.role, status = 'active'",
    )
    .bind(user)
    .bind(yacht.as_uuid())
    .bind(role.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(UserId::from_uuid(user))
}
