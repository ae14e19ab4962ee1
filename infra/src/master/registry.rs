//! [`YachtRegistry`] on the master database, and [`TenantProvisioner`] over the tenant servers.

use pms_domain::directory::YachtStatus;
use pms_domain::ids::{TenantDatabaseId, YachtId};
use pms_domain::store::StoreError;
use pms_domain::tenancy::{DatabaseName, ServerKey};
use pms_domain::yacht::{
    AuditContext, FlagState, ImoNumber, InsertYachtError, MigrationStatus, NewYacht, TenantDatabase, TenantProvisioner,
    Yacht, YachtRegistry,
};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::Bounded as _;
use super::directory::corrupt;
use crate::migrate::{error_chain, migrate_tenant_database};
use crate::postgres::{ensure_database, store_error};
use crate::tenant::servers::TenantServers;

/// Registry of yachts and tenant databases in the master database.
#[derive(Debug, Clone)]
pub struct PgYachtRegistry {
    pool: PgPool,
}

impl PgYachtRegistry {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

const YACHT_COLUMNS: &str = "y.id, y.name, y.imo_number, y.flag_state, y.status, t.server_key, t.name, y.created_at";

type YachtRow = (Uuid, String, Option<String>, Option<String>, String, String, String, chrono::DateTime<chrono::Utc>);

fn yacht(row: YachtRow) -> Result<Yacht, StoreError> {
    let (id, name, imo_number, flag_state, status, server, database, created_at) = row;
    Ok(Yacht {
        id: YachtId::from_uuid(id),
        name,
        imo_number,
        flag_state,
        status: YachtStatus::parse(&status).ok_or_else(|| corrupt("yacht status", &status))?,
        server: ServerKey::parse(&server).map_err(|_| corrupt("server key", &server))?,
        database: DatabaseName::parse(&database).map_err(|_| corrupt("database name", &database))?,
        created_at,
    })
}

type TenantRow =
    (Uuid, String, String, String, Option<i64>, Option<String>, Option<chrono::DateTime<chrono::Utc>>, i64);

fn tenant(row: TenantRow) -> Result<TenantDatabase, StoreError> {
    let (id, server, name, status, schema_version, last_error, last_migrated_at, yachts) = row;
    Ok(TenantDatabase {
        id: TenantDatabaseId::from_uuid(id),
        server: ServerKey::parse(&server).map_err(|_| corrupt("server key", &server))?,
        name: DatabaseName::parse(&name).map_err(|_| corrupt("database name", &name))?,
        migration_status: MigrationStatus::parse(&status).ok_or_else(|| corrupt("migration status", &status))?,
        schema_version,
        last_error,
        last_migrated_at,
        yachts: u32::try_from(yachts).unwrap_or(u32::MAX),
    })
}

const TENANT_QUERY: &str = "SELECT t.id, t.server_key, t.name, t.migration_status, t.schema_version, t.last_error,
        t.last_migrated_at, (SELECT count(*) FROM yachts y WHERE y.tenant_database_id = t.id)
 FROM tenant_databases t";

/// Appends to the administrative audit trail.
pub async fn audit(
    conn: &mut PgConnection,
    context: &AuditContext,
    yacht: Option<YachtId>,
    action: &str,
    target_user: Option<Uuid>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO admin_audit_log (actor_user_id, yacht_id, action, target_user_id, before, after, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(context.actor.as_uuid())
    .bind(yacht.map(YachtId::as_uuid))
    .bind(action)
    .bind(target_user)
    .bind(before)
    .bind(after)
    .bind(context.request_id.as_deref())
    .execute(conn)
    .await
    .map(|_| ())
}

fn yacht_json(yacht: &Yacht) -> serde_json::Value {
    json!({
        "id": yacht.id.to_string(), "name": yacht.name, "imo_number": yacht.imo_number,
        "flag_state": yacht.flag_state, "status": yacht.status.as_str(),
        "server": yacht.server.as_str(), "database": yacht.database.as_str(),
    })
}

async fn yacht_by_id(conn: &mut PgConnection, id: YachtId) -> Result<Option<Yacht>, StoreError> {
    let row: Option<YachtRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {YACHT_COLUMNS} FROM yachts y JOIN tenant_databases t ON t.id = y.tenant_database_id WHERE y.id = $1"
    )))
    .bind(id.as_uuid())
    .fetch_optional(conn)
    .bounded()
    .await?;
    row.map(yacht).transpose()
}

impl YachtRegistry for PgYachtRegistry {
    async fn tenant_database(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> Result<Option<TenantDatabase>, StoreError> {
        let row: Option<TenantRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{TENANT_QUERY} WHERE t.server_key = $1 AND t.name = $2")))
                .bind(server.as_str())
                .bind(database.as_str())
                .fetch_optional(&self.pool)
                .bounded()
                .await?;
        row.map(tenant).transpose()
    }

    async fn register_tenant_database(
        &self,
        server: &ServerKey,
        database: &DatabaseName,
    ) -> Result<TenantDatabaseId, StoreError> {
        let id: Uuid =
            sqlx::query_scalar("INSERT INTO tenant_databases (server_key, name) VALUES ($1, $2) RETURNING id")
                .bind(server.as_str())
                .bind(database.as_str())
                .fetch_one(&self.pool)
                .bounded()
                .await?;
        Ok(TenantDatabaseId::from_uuid(id))
    }

    async fn unregister_tenant_database(&self, id: TenantDatabaseId) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tenant_databases WHERE id = $1")
            .bind(id.as_uuid())
            .execute(&self.pool)
            .bounded()
            .await
            .map(|_| ())
    }

    async fn imo_taken(&self, imo: &ImoNumber) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM yachts WHERE imo_number = $1)")
            .bind(imo.as_str())
            .fetch_one(&self.pool)
            .bounded()
            .await
    }

    async fn record_migration(&self, id: TenantDatabaseId, outcome: Result<i64, String>) -> Result<(), StoreError> {
        crate::migrate::record_outcome(&self.pool, id.as_uuid(), &outcome).bounded().await
    }

    async fn insert_yacht(
        &self,
        id: YachtId,
        new: &NewYacht,
        tenant_database: TenantDatabaseId,
        context: &AuditContext,
    ) -> Result<Yacht, InsertYachtError> {
        let mut tx = self.pool.begin().bounded().await?;
        let inserted = sqlx::query(
            "INSERT INTO yachts (id, name, imo_number, flag_state, tenant_database_id) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.as_uuid())
        .bind(new.name.as_str())
        .bind(new.imo_number.as_ref().map(ImoNumber::as_str))
        .bind(new.flag_state.as_ref().map(FlagState::as_str))
        .bind(tenant_database.as_uuid())
        .execute(&mut *tx)
        .within_timeout()
        .await?;
        match inserted {
            Err(sqlx::Error::Database(e)) if e.constraint() == Some("yachts_imo_number_key") => {
                return Err(InsertYachtError::ImoTaken);
            }
            other => other.map_err(store_error)?,
        };
        let created = yacht_by_id(&mut tx, id)
            .await?
            .ok_or_else(|| StoreError::new(std::io::Error::other("inserted yacht not found")))?;
        audit(&mut tx, context, Some(id), "yacht.provisioned", None, None, Some(yacht_json(&created)))
            .bounded()
            .await?;
        tx.commit().bounded().await?;
        Ok(created)
    }

    async fn set_yacht_status(
        &self,
        id: YachtId,
        status: YachtStatus,
        context: &AuditContext,
    ) -> Result<Option<Yacht>, StoreError> {
        let mut tx = self.pool.begin().bounded().await?;
        let previous: Option<String> = sqlx::query_scalar("SELECT status FROM yachts WHERE id = $1 FOR UPDATE")
            .bind(id.as_uuid())
            .fetch_optional(&mut *tx)
            .bounded()
            .await?;
        let Some(previous) = previous else {
            return Ok(None);
        };
        sqlx::query("UPDATE yachts SET status = $2 WHERE id = $1")
            .bind(id.as_uuid())
            .bind(status.as_str())
            .execute(&mut *tx)
            .bounded()
            .await?;
        let action = match status {
            YachtStatus::Active => "yacht.reactivated",
            YachtStatus::Suspended => "yacht.suspended",
        };
        audit(
            &mut tx,
            context,
            Some(id),
            action,
            None,
            Some(json!({"status": previous})),
            Some(json!({"status": status.as_str()})),
        )
        .bounded()
        .await?;
        let updated = yacht_by_id(&mut tx, id).await?;
        tx.commit().bounded().await?;
        Ok(updated)
    }

    async fn yachts(&self) -> Result<Vec<Yacht>, StoreError> {
        let rows: Vec<YachtRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {YACHT_COLUMNS} FROM yachts y JOIN tenant_databases t ON t.id = y.tenant_database_id ORDER BY y.name, y.id"
        )))
        .fetch_all(&self.pool)

        .bounded().await?;
        rows.into_iter().map(yacht).collect()
    }

    async fn yacht(&self, id: YachtId) -> Result<Option<Yacht>, StoreError> {
        let mut conn = self.pool.acquire().bounded().await?;
        yacht_by_id(&mut conn, id).await
    }

    async fn tenant_databases(&self) -> Result<Vec<TenantDatabase>, StoreError> {
        let rows: Vec<TenantRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("{TENANT_QUERY} ORDER BY t.server_key, t.name")))
                .fetch_all(&self.pool)
                .bounded()
                .await?;
        rows.into_iter().map(tenant).collect()
    }
}

/// Creates and migrates tenant databases on the configured servers.
#[derive(Debug, Clone)]
pub struct PgTenantProvisioner {
    servers: TenantServers,
}

impl PgTenantProvisioner {
    pub fn new(servers: TenantServers) -> Self {
        Self { servers }
    }
}

impl TenantProvisioner for PgTenantProvisioner {
    fn has_server(&self, server: &ServerKey) -> bool {
        self.servers.contains(server)
    }

    async fn create_and_migrate(&self, server: &ServerKey, database: &DatabaseName) -> Result<i64, String> {
        let options = self
            .servers
            .database_options(server, database)
            .ok_or_else(|| format!("server {server} is not configured"))?;
        ensure_database(&options).await.map_err(|e| error_chain(&e))?;
        migrate_tenant_database(&options).await.map_err(|e| error_chain(&e))
    }

    async fn drop_database(&self, server: &ServerKey, database: &DatabaseName) -> Result<(), String> {
        let options = self
            .servers
            .database_options(server, database)
            .ok_or_else(|| format!("server {server} is not configured"))?;
        crate::postgres::drop_database(&options).await.map_err(|e| error_chain(&e))
    }
}
