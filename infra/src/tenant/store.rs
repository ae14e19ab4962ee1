//! One yacht's view of its tenant database: every transaction is confined to that yacht.

use super::router::{TenantLocation, TenantRouter};
use super::tx::TenantTx;
use pms_domain::ids::YachtId;
use pms_domain::store::StoreError;

/// Opens yacht-scoped transactions on the yacht's tenant database. Holding one opens nothing:
/// the connection is taken by [`TenantStore::begin`].
#[derive(Debug, Clone)]
pub struct TenantStore {
    router: TenantRouter,
    location: TenantLocation,
    yacht: YachtId,
}

impl TenantStore {
    pub fn new(router: TenantRouter, location: TenantLocation, yacht: YachtId) -> Self {
        Self { router, location, yacht }
    }

    pub fn yacht(&self) -> YachtId {
        self.yacht
    }

    /// A transaction running as the tenant role with this yacht set for row-level security.
    pub async fn begin(&self) -> Result<TenantTx, StoreError> {
        Ok(TenantTx::new(self.router.begin(&self.location, self.yacht).await?, self.yacht))
    }
}
