//! Schema migrations of the master database and of every registered tenant database.
//!
//! Migrations are embedded in the binary so a deployed build carries exactly the schema it was
//! compiled against. Each tenant's outcome is recorded in the master's `tenant_databases`, a
//! failing tenant never stops the others, and a re-run resumes where the last one failed.

use std::error::Error as StdError;
use std::time::Duration;

use pms_domain::tenancy::{DatabaseName, ServerKey};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::tenant::servers::TenantServers;
use sqlx::PgPool;

/// Migrations of the master database (`migrations-master/`).
pub static MASTER_MIGRATIONS: Migrator = sqlx::migrate!("../migrations-master");
/// Migrations of every tenant database (`migrations-tenant/`).
pub static TENANT_MIGRATIONS: Migrator = sqlx::migrate!("../migrations-tenant");

/// How long one tenant may take to connect before it is recorded as failed.
const TENANT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Brings the master database to the newest schema.
pub async fn migrate_master(pool: &PgPool) -> Result<(), MigrateError> {
    MASTER_MIGRATIONS.run(pool).await
}

/// The newest schema version the tenant migrations produce.
pub fn latest_tenant_version() -> i64 {
    TENANT_MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Why one tenant database could not be migrated.
#[derive(Debug, thiserror::Error)]
pub enum TenantMigrationError {
    #[error("registry row has an invalid {field}: {value:?}")]
    InvalidRegistryRow { field: &'static str, value: String },
    #[error("server {0:?} is not configured")]
    UnknownServer(String),
    #[error("connecting timed out after {0:?}")]
    ConnectTimeout(Duration),
    #[error("connecting failed")]
    Connect(#[source] sqlx::Error),
    #[error("migration failed")]
    Migrate(#[source] MigrateError),
}

/// What happened to one registered tenant database.
#[derive(Debug)]
pub struct TenantOutcome {
    pub server_key: String,
    pub database: String,
    /// The schema version reached, or the error chain.
    pub result: Result<i64, String>,
}

/// Migrates every registered tenant database, one at a time, recording each outcome.
///
/// Errors only when the master database itself fails; tenant failures are in the outcomes.
pub async fn migrate_all_tenants(master: &PgPool, servers: &TenantServers) -> Result<Vec<TenantOutcome>, sqlx::Error> {
    let registered: Vec<(uuid::Uuid, String, String)> =
        sqlx::query_as("SELECT id, server_key, name FROM tenant_databases ORDER BY server_key, name")
            .fetch_all(master)
            .await?;

    let mut outcomes = Vec::with_capacity(registered.len());
    for (id, server_key, database) in registered {
        record_start(master, id).await?;
        let result = migrate_registered(servers, &server_key, &database).await;
        let result = result.map_err(|e| error_chain(&e));
        record_outcome(master, id, &result).await?;
        match &result {
            Ok(version) => tracing::info!(%server_key, %database, version, "tenant migrated"),
            Err(error) => {
                tracing::error!(%server_key, %database, %error, "tenant migration failed");
            }
        }
        outcomes.push(TenantOutcome { server_key, database, result });
    }
    Ok(outcomes)
}

/// Runs the tenant migrations on one database and returns the schema version reached.
pub async fn migrate_tenant_database(options: &PgConnectOptions) -> Result<i64, TenantMigrationError> {
    // A one-connection pool rather than a bare connection: `Migrator::run` over `&mut
    // PgConnection` yields a future that is not `Send` for every lifetime, which async ports need.
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(TENANT_CONNECT_TIMEOUT)
        .connect_with(options.clone())
        .await
        .map_err(|e| match e {
            sqlx::Error::PoolTimedOut => TenantMigrationError::ConnectTimeout(TENANT_CONNECT_TIMEOUT),
            other => TenantMigrationError::Connect(other),
        })?;
    let migrated = TENANT_MIGRATIONS.run(&pool).await;
    pool.close().await;
    migrated.map_err(TenantMigrationError::Migrate)?;
    Ok(latest_tenant_version())
}

async fn migrate_registered(
    servers: &TenantServers,
    server_key: &str,
    database: &str,
) -> Result<i64, TenantMigrationError> {
    let key = ServerKey::parse(server_key)
        .map_err(|_| TenantMigrationError::InvalidRegistryRow { field: "server_key", value: server_key.to_owned() })?;
    let name = DatabaseName::parse(database)
        .map_err(|_| TenantMigrationError::InvalidRegistryRow { field: "name", value: database.to_owned() })?;
    let options = servers
        .database_options(&key, &name)
        .ok_or_else(|| TenantMigrationError::UnknownServer(server_key.to_owned()))?;
    migrate_tenant_database(&options).await
}

async fn record_start(master: &PgPool, id: uuid::Uuid) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tenant_databases SET migration_status = 'migrating', last_error = NULL WHERE id = $1")
        .bind(id)
        .execute(master)
        .await
        .map(|_| ())
}

pub(crate) async fn record_outcome(
    master: &PgPool,
    id: uuid::Uuid,
    result: &Result<i64, String>,
) -> Result<(), sqlx::Error> {
    let query = match result {
        Ok(version) => sqlx::query(
            "UPDATE tenant_databases
             SET migration_status = 'ok', schema_version = $2, last_error = NULL,
                 last_migrated_at = now()
             WHERE id = $1",
        )
        .bind(id)
        .bind(version),
        Err(error) => {
            sqlx::query("UPDATE tenant_databases SET migration_status = 'failed', last_error = $2 WHERE id = $1")
                .bind(id)
                .bind(error)
        }
    };
    query.execute(master).await.map(|_| ())
}

/// Renders an error with its causes (`outer: inner: root`), for logs and the registry.
pub fn error_chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
