//! Running a tenant mutation: the change, its audit entry and its idempotency record share one
//! transaction, so a retried request either replays the first answer or runs exactly once.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use pms_domain::ids::UserId;
use pms_infra::tenant::idempotency::{self, Claim, StoredResponse};
use pms_infra::tenant::tx::TenantTx;
use serde::Serialize;

use crate::error::{ApiError, ErrorCode};
use crate::extract::TenantCtx;
use crate::http::idempotency::{IDEMPOTENT_REPLAYED, IdempotencyKey};

/// An open tenant transaction for one mutating request.
#[derive(Debug)]
pub struct Mutation {
    tx: TenantTx,
    key: Option<String>,
    user: UserId,
}

/// How a mutation starts: fresh, or already answered under the same `Idempotency-Key`.
#[derive(Debug)]
pub enum Begun {
    Fresh(Mutation),
    Replay(Response),
}

/// What a mutation answers.
#[derive(Debug)]
pub struct Answer<V> {
    pub status: StatusCode,
    pub body: Option<V>,
    pub etag: Option<HeaderValue>,
    pub location: Option<String>,
}

impl<V> Answer<V> {
    pub fn ok(body: V) -> Self {
        Self { status: StatusCode::OK, body: Some(body), etag: None, location: None }
    }

    pub fn created(body: V, location: String) -> Self {
        Self { status: StatusCode::CREATED, body: Some(body), etag: None, location: Some(location) }
    }

    #[must_use]
    pub fn with_etag(mut self, etag: HeaderValue) -> Self {
        self.etag = Some(etag);
        self
    }
}

/// Opens a mutation, or returns from the handler with the replayed response when the
/// `Idempotency-Key` was already answered.
#[macro_export]
macro_rules! begin_mutation {
    ($ctx:expr, $key:expr, $fingerprint:expr) => {
        match $crate::mutation::Mutation::begin($ctx, $key, $fingerprint).await? {
            $crate::mutation::Begun::Replay(response) => return Ok(response),
            $crate::mutation::Begun::Fresh(mutation) => mutation,
        }
    };
}

impl Mutation {
    /// Opens the transaction and claims the idempotency key, if any.
    pub async fn begin(ctx: &TenantCtx, key: IdempotencyKey, fingerprint: [u8; 32]) -> Result<Begun, ApiError> {
        let mut tx = ctx.store.begin().await?;
        if let Some(key) = &key.0 {
            match idempotency::claim(&mut tx, ctx.user, key, fingerprint).await? {
                Claim::Fresh => {}
                Claim::Replay(stored) => return Ok(Begun::Replay(replay(stored))),
                Claim::Mismatch => {
                    return Err(ApiError::new(
                        ErrorCode::IdempotencyKeyReused,
                        "This Idempotency-Key was already used with a different request; use a new key.",
                    ));
                }
            }
        }
        Ok(Begun::Fresh(Self { tx, key: key.0, user: ctx.user }))
    }

    pub fn tx(&mut self) -> &mut TenantTx {
        &mut self.tx
    }

    /// Records the answer under the idempotency key, commits, and returns the response.
    pub async fn commit<V: Serialize>(mut self, answer: Answer<V>) -> Result<Response, ApiError> {
        let body = answer.body.as_ref().map(serde_json::to_value).transpose().map_err(ApiError::internal)?;
        let etag = answer.etag.as_ref().and_then(|e| e.to_str().ok()).map(str::to_owned);
        if let Some(key) = &self.key {
            let stored = StoredResponse { status: answer.status.as_u16(), body: body.clone(), etag };
            idempotency::record(&mut self.tx, self.user, key, &stored).await?;
        }
        self.tx.commit().await?;
        let mut response = match body {
            Some(body) => (answer.status, Json(body)).into_response(),
            None => answer.status.into_response(),
        };
        if let Some(etag) = answer.etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        if let Some(location) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        Ok(response)
    }
}

fn replay(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    let mut response = match stored.body {
        Some(body) => (status, Json(body)).into_response(),
        None => status.into_response(),
    };
    let headers = response.headers_mut();
    headers.insert(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"));
    if let Some(etag) = stored.etag.and_then(|e| HeaderValue::from_str(&e).ok()) {
        headers.insert(header::ETAG, etag);
    }
    response
}
