//! The micro-action execution log: one row per execution, append-only.

use chrono::{DateTime, Utc};
use pms_domain::ids::UserId;
use pms_domain::store::StoreError;
use uuid::Uuid;

use super::tx::TenantTx;
use crate::postgres::store_error;

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The caller's mistake: a role, a payload, a state or a record that does not allow it.
    Refused,
    /// The server's: a database outage, a bug.
    Failed,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

/// One execution of a micro-action.
#[derive(Debug, Clone)]
pub struct Execution<'a> {
    pub id: Uuid,
    pub action: &'a str,
    pub user: UserId,
    pub outcome: Outcome,
    /// The problem code when it did not succeed.
    pub error_code: Option<&'a str>,
    pub status: u16,
    pub duration_us: i64,
    pub request_id: Option<&'a str>,
    pub started_at: DateTime<Utc>,
}

pub async fn record(tx: &mut TenantTx, execution: &Execution<'_>) -> Result<(), StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query(
        "INSERT INTO action_executions
             (id, yacht_id, action, user_id, outcome, error_code, status, duration_us, request_id, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(execution.id)
    .bind(yacht)
    .bind(execution.action)
    .bind(execution.user.as_uuid())
    .bind(execution.outcome.as_str())
    .bind(execution.error_code)
    .bind(i16::try_from(execution.status).unwrap_or(500))
    .bind(execution.duration_us)
    .bind(execution.request_id)
    .bind(execution.started_at)
    .execute(tx.conn())
    .await
    .map_err(store_error)?;
    Ok(())
}
