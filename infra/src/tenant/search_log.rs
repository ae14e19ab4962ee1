//! The search log: each search-bar query as redacted, what the detector proposed, and the user's
//! verdict on it — the labelled set the detector is reviewed with.

use chrono::{DateTime, Utc};
use pms_domain::ids::UserId;
use pms_domain::store::StoreError;
use uuid::Uuid;

use super::tx::TenantTx;
use crate::postgres::store_error;

/// One search, as it is logged.
#[derive(Debug, Clone)]
pub struct SearchRecord<'a> {
    pub id: Uuid,
    pub user: UserId,
    pub role: &'a str,
    /// Already redacted.
    pub query: &'a str,
    pub detector: &'a str,
    /// The top action and its confidence.
    pub proposed: Option<(&'a str, f32)>,
    pub alternatives: Vec<&'a str>,
    pub latency_us: i64,
}

/// What the user did about a search's suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// They ran this action (the proposal or another).
    Ran,
    /// The suggestion was wrong (and, if they say, this is what they meant).
    Wrong,
}

impl Verdict {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ran => "ran",
            Self::Wrong => "wrong",
        }
    }
}

/// A search with the user's verdict.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LabelledSearch {
    pub id: Uuid,
    pub user_id: Uuid,
    pub role: String,
    pub query: String,
    pub detector: String,
    pub proposed_action: Option<String>,
    pub confidence: Option<f32>,
    pub searched_at: DateTime<Utc>,
    pub feedback: String,
    pub feedback_action: Option<String>,
    pub feedback_at: DateTime<Utc>,
}

/// Logs a search. Commits with `synchronous_commit` off: losing the last few log rows in a crash
/// is acceptable, waiting on a disk flush for each query is not.
pub async fn record(tx: &mut TenantTx, search: &SearchRecord<'_>) -> Result<(), StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query("SET LOCAL synchronous_commit = off").execute(tx.conn()).await.map_err(store_error)?;
    sqlx::query(
        "INSERT INTO search_records
             (id, yacht_id, user_id, role, query, detector, proposed_action, confidence, alternatives, latency_us)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(search.id)
    .bind(yacht)
    .bind(search.user.as_uuid())
    .bind(search.role)
    .bind(search.query)
    .bind(search.detector)
    .bind(search.proposed.map(|(action, _)| action))
    .bind(search.proposed.map(|(_, confidence)| confidence))
    .bind(&search.alternatives)
    .bind(search.latency_us)
    .execute(tx.conn())
    .await
    .map_err(store_error)?;
    Ok(())
}

/// Records the user's verdict on their own search; a later verdict replaces an earlier one.
/// `None` when the search is not theirs (or does not exist).
pub async fn record_feedback(
    tx: &mut TenantTx,
    user: UserId,
    search: Uuid,
    verdict: Verdict,
    action: Option<&str>,
) -> Result<Option<LabelledSearch>, StoreError> {
    sqlx::query_as(
        "UPDATE search_records SET feedback = $3, feedback_action = $4, feedback_at = now()
         WHERE id = $1 AND user_id = $2
         RETURNING id, user_id, role, query, detector, proposed_action, confidence, searched_at,
                   feedback, feedback_action, feedback_at",
    )
    .bind(search)
    .bind(user.as_uuid())
    .bind(verdict.as_str())
    .bind(action)
    .fetch_optional(tx.conn())
    .await
    .map_err(store_error)
}

/// Every search with a verdict, oldest verdict first.
pub async fn labelled(tx: &mut TenantTx) -> Result<Vec<LabelledSearch>, StoreError> {
    sqlx::query_as(
        "SELECT id, user_id, role, query, detector, proposed_action, confidence, searched_at,
                feedback, feedback_action, feedback_at
         FROM search_records WHERE feedback IS NOT NULL ORDER BY feedback_at, id",
    )
    .fetch_all(tx.conn())
    .await
    .map_err(store_error)
}
