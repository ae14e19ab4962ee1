//! Idempotency keys, claimed and answered inside the transaction of the change they guard.

use pms_domain::ids::UserId;
use pms_domain::store::StoreError;
use serde_json::Value;

use super::tx::TenantTx;
use crate::postgres::store_error;

/// A response recorded for a key.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: Option<Value>,
    pub etag: Option<String>,
}

/// What a key means for this request.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// First use: go ahead, then [`record`] the response before committing.
    Fresh,
    /// Used before with the same request: answer with the stored response.
    Replay(StoredResponse),
    /// Used before with a different request.
    Mismatch,
}

/// Looks the key up. A concurrent first use of the same key holds its row lock until it
/// commits, so a retry racing the original waits and then replays it instead of running twice.
pub async fn claim(tx: &mut TenantTx, user: UserId, key: &str, request_hash: [u8; 32]) -> Result<Claim, StoreError> {
    type Row = (Vec<u8>, i16, Option<Value>, Option<String>);
    let yacht = tx.yacht().as_uuid();
    // Inserting a placeholder first makes the race explicit: a second transaction blocks on the
    // unique key until the first finishes.
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (yacht_id, user_id, key, request_hash, response_status)
         VALUES ($1, $2, $3, $4, 200) ON CONFLICT DO NOTHING",
    )
    .bind(yacht)
    .bind(user.as_uuid())
    .bind(key)
    .bind(request_hash.as_slice())
    .execute(tx.conn())
    .await
    .map_err(store_error)?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Fresh);
    }
    let (stored_hash, status, body, etag): Row = sqlx::query_as(
        "SELECT request_hash, response_status, response_body, response_etag FROM idempotency_keys
         WHERE yacht_id = $1 AND user_id = $2 AND key = $3",
    )
    .bind(yacht)
    .bind(user.as_uuid())
    .bind(key)
    .fetch_one(tx.conn())
    .await
    .map_err(store_error)?;
    if stored_hash != request_hash {
        return Ok(Claim::Mismatch);
    }
    Ok(Claim::Replay(StoredResponse { status: u16::try_from(status).unwrap_or(200), body, etag }))
}

/// Records the response to replay for a freshly claimed key.
pub async fn record(tx: &mut TenantTx, user: UserId, key: &str, response: &StoredResponse) -> Result<(), StoreError> {
    let yacht = tx.yacht().as_uuid();
    sqlx::query(
        "UPDATE idempotency_keys SET response_status = $4, response_body = $5, response_etag = $6
         WHERE yacht_id = $1 AND user_id = $2 AND key = $3",
    )
    .bind(yacht)
    .bind(user.as_uuid())
    .bind(key)
    .bind(i16::try_from(response.status).unwrap_or(200))
    .bind(&response.body)
    .bind(&response.etag)
    .execute(tx.conn())
    .await
    .map(|_| ())
    .map_err(store_error)
}
