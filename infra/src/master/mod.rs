//! The master database: users, yachts, memberships, tokens and the tenant registry.

use std::time::Duration;

use pms_domain::store::{StoreError, Unavailable};
use sqlx::PgPool;

use crate::postgres::store_error;

/// The longest one call to the master database may take, waiting for a connection included.
/// Every request reads the master first (who is calling, on which yacht); a master that stops
/// answering must fail requests fast with 503 rather than hold them to the request deadline.
pub const MASTER_TIMEOUT: Duration = Duration::from_secs(3);

/// Access to the master database.
#[derive(Debug, Clone)]
pub struct MasterDb {
    pool: PgPool,
}

impl MasterDb {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The underlying pool, for the migrators and the composition root.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Proves the database answers a query (readiness).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

/// Bounds a master-database call by [`MASTER_TIMEOUT`]; running out of time is unavailability.
pub(crate) trait Bounded<T>: Future<Output = Result<T, sqlx::Error>> + Sized + Send {
    /// The call's own result, or unavailability when it did not finish in time.
    fn within_timeout(self) -> impl Future<Output = Result<Result<T, sqlx::Error>, StoreError>> + Send {
        async move {
            tokio::time::timeout(MASTER_TIMEOUT, self).await.map_err(|_| {
                StoreError::new(Unavailable(format!("the master database did not answer within {MASTER_TIMEOUT:?}")))
            })
        }
    }

    /// The call's result with its error as a [`StoreError`].
    fn bounded(self) -> impl Future<Output = Result<T, StoreError>> + Send {
        async move { self.within_timeout().await?.map_err(store_error) }
    }
}

impl<T: Send, F: Future<Output = Result<T, sqlx::Error>> + Send> Bounded<T> for F {}

pub mod access_cache;
pub mod admins;
pub mod directory;
pub mod members;
pub mod registry;
