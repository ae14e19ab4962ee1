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
