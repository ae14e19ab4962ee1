//! The master database: users, yachts, memberships, tokens and the tenant registry.

use sqlx::PgPool;

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

pub mod access_cache;
pub mod admins;
pub mod directory;
pub mod members;
pub mod registry;
