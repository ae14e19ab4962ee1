//! Connecting to PostgreSQL servers and creating databases on them.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection, PgPool};

/// Shows up in `pg_stat_activity` so operators can tell our connections apart.
pub const APPLICATION_NAME: &str = "pipeline-core";
/// The database every PostgreSQL server has, used to create the others.
const MAINTENANCE_DATABASE: &str = "postgres";
/// SQLSTATE of connecting to a database that does not exist.
const INVALID_CATALOG_NAME: &str = "3D000";
/// SQLSTATEs a concurrent `CREATE DATABASE` of the same name can fail with.
const DUPLICATE_DATABASE: &str = "42P04";
const UNIQUE_VIOLATION: &str = "23505";

/// Parses a `postgres://` URL into connection options tagged with our application name.
pub fn parse_url(url: &str) -> Result<PgConnectOptions, sqlx::Error> {
    Ok(PgConnectOptions::from_str(url)?.application_name(APPLICATION_NAME))
}

/// Sizing of one connection pool.
#[derive(Debug, Clone, Copy)]
pub struct PoolSize {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

/// A connection idle for longer than this is pinged before use; a busier one is not.
pub(crate) const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(5);

/// Pool options that check a pooled connection only when it has sat idle. sqlx pings every
/// connection it hands out by default: a round trip per request that PostgreSQL does nothing
/// with. A connection that broke while in use fails its statement (the request answers 503) and
/// is closed when it is returned, so skipping the check on busy connections loses nothing.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new().test_before_acquire(false).before_acquire(|conn, meta| {
        Box::pin(async move {
            if meta.idle_for >= PING_WHEN_IDLE_FOR {
                conn.ping().await?;
            }
            Ok(true)
        })
    })
}

/// Opens a pool without connecting yet; the first query connects.
pub fn lazy_pool(options: PgConnectOptions, size: PoolSize) -> PgPool {
    pool_options()
        .max_connections(size.max_connections)
        .acquire_timeout(size.acquire_timeout)
        .connect_lazy_with(options)
}

/// Makes sure the database named in `options` exists, creating it through the server's
/// maintenance database when it does not. Returns whether it was created.
///
/// Connects to the target first, so a role that may not use the maintenance database still works
/// once the database exists. Safe against a concurrent creation of the same name.
pub async fn ensure_database(options: &PgConnectOptions) -> Result<bool, sqlx::Error> {
    match PgConnection::connect_with(options).await {
        Ok(conn) => {
            conn.close().await?;
            return Ok(false);
        }
        Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some(INVALID_CATALOG_NAME) => {}
        Err(e) => return Err(e),
    }
    let database = options.get_database().unwrap_or_default();
    let mut conn = PgConnection::connect_with(&options.clone().database(MAINTENANCE_DATABASE)).await?;
    // Identifiers cannot be bound as parameters; quote_ident makes the name inert.
    let created =
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {}", quote_ident(database)))).execute(&mut conn).await;
    conn.close().await?;
    match created {
        Ok(_) => Ok(true),
        Err(sqlx::Error::Database(e)) if matches!(e.code().as_deref(), Some(DUPLICATE_DATABASE | UNIQUE_VIOLATION)) => {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Drops the database named in `options`, if it exists, through the server's maintenance
/// database; sessions still connected to it are terminated.
pub async fn drop_database(options: &PgConnectOptions) -> Result<(), sqlx::Error> {
    let database = options.get_database().unwrap_or_default();
    let mut conn = PgConnection::connect_with(&options.clone().database(MAINTENANCE_DATABASE)).await?;
    let dropped = sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(database))))
        .execute(&mut conn)
        .await;
    conn.close().await?;
    dropped.map(|_| ())
}

/// Quotes an SQL identifier the way PostgreSQL's `quote_ident` does.
pub fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// Wraps a database error for the domain, marking connection-level failures as unavailability
/// (the API answers 503 with `Retry-After` rather than 500).
pub fn store_error(error: sqlx::Error) -> pms_domain::store::StoreError {
    use pms_domain::store::{StoreError, Unavailable};
    if is_connection_failure(&error) { StoreError::new(Unavailable(error.to_string())) } else { StoreError::new(error) }
}

/// Whether the server could not be reached or would not serve us: refused, unreachable, not
/// accepting connections, too many clients, shutting down or starting up, our backend
/// terminated, or the database gone. The request was not carried out and may be retried.
pub fn is_connection_failure(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // 08: connection exceptions; 57P0x: admin or crash shutdown, cannot connect now,
            // database dropped; 53300: too many connections; 3D000: the database itself is gone
            // (a tenant dropped or not restored yet).
            code.starts_with("08")
                || code.starts_with("57P")
                || code == "53300"
                || code == INVALID_CATALOG_NAME
                // `ALTER DATABASE … ALLOW_CONNECTIONS false`: 55000 is also raised by statements
                // for other reasons, so only this message of it counts.
                || (code == "55000" && db.message().contains("not currently accepting connections"))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_and_inner_quotes_doubled() {
        assert_eq!(quote_ident("pipeline_master"), "\"pipeline_master\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
    }

    #[test]
    fn urls_keep_their_database_and_gain_an_application_name() {
        let options = parse_url("postgres://u:p@localhost:5433/pipeline_master").expect("valid url");
        assert_eq!(options.get_database(), Some("pipeline_master"));
        assert_eq!(options.get_application_name(), Some(APPLICATION_NAME));
    }
}
