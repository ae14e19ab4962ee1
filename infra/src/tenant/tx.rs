//! One yacht-scoped transaction on its tenant database; it implements the domain's tenant ports.

use pms_domain::ids::YachtId;
use pms_domain::store::StoreError;
use sqlx::PgConnection;

use super::pool::PooledConnection;

use crate::postgres::store_error;

/// A transaction running as the tenant role with `app.yacht_id` set. Dropped without
/// [`TenantTx::commit`], everything in it is rolled back.
#[derive(Debug)]
pub struct TenantTx {
    tx: PooledConnection,
    yacht: YachtId,
}

impl TenantTx {
    pub(crate) fn new(tx: PooledConnection, yacht: YachtId) -> Self {
        Self { tx, yacht }
    }

    pub fn yacht(&self) -> YachtId {
        self.yacht
    }

    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(store_error)
    }
}
