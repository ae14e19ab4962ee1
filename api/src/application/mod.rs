//! The application layer: each use case once, between the adapters (the REST routes and the
//! micro-action executor table) and the domain. A use case takes an [`Exec`] and its command,
//! checks what the domain does not (field rules, records named by id), calls the domain and
//! returns the view the adapters serialise.

pub mod equipment;
mod errors;
pub mod faults;
pub mod inventory;
mod load;
pub mod maintenance;
pub mod notes;
pub mod pipeline;
pub mod status;
pub mod work_orders;

use chrono::{DateTime, Utc};
use pms_domain::maintenance::{Actor, ExpectedVersion};
use pms_infra::tenant::tx::TenantTx;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::state::AppState;

/// What a use case works with: the caller, the yacht's transaction and the clock.
#[derive(Debug)]
pub struct Exec<'a> {
    pub state: &'a AppState,
    pub ctx: &'a TenantCtx,
    pub tx: &'a mut TenantTx,
    pub actor: Actor,
    pub now: DateTime<Utc>,
    /// The version the change is based on (`If-Match`), for the record the use case changes.
    pub expected: ExpectedVersion,
}

/// How many items a view returns.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct Limit {
    /// 1 to 100 (default 25).
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

impl Limit {
    pub fn get(&self) -> Result<u32, ApiError> {
        match self.limit.unwrap_or(25) {
            limit @ 1..=100 => Ok(limit),
            _ => Err(ApiError::field("limit", "out_of_range", "must be 1 to 100")),
        }
    }
}
