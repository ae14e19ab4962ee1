//! The tenant pool against a real server: a committed connection is reused as it is, one left in
//! a transaction (even mid-statement) is rolled back before anyone else gets it, and connections
//! the server closed while idle are replaced without the caller noticing; a connection moves
//! between the yachts of a shared database without carrying one's rows to the other.

use std::time::Duration;

use pms_domain::ids::YachtId;
use pms_domain::tenancy::{DatabaseName, ServerKey};
use pms_infra::tenant::pool::{PoolLimits, PooledConnection, TenantPool};
use pms_infra::tenant::router::{RouterLimits, TENANT_ROLE, TenantLocation, TenantRouter};
use pms_tests::{admin_connection, migrated_tenant_database, open_connections, server_url, test_tenant_servers};
use sqlx::Connection as _;

/// A pool of one connection, so every checkout must get the previous one back.
fn single_connection_pool(database: &str) -> TenantPool {
    let options = pms_infra::postgres::parse_url(&format!("{}/{database}", server_url())).expect("url");
    TenantPool::new(options, PoolLimits { max_connections: 1, acquire_timeout: Duration::from_secs(5) })
}

async fn begun(pool: &TenantPool, yacht: YachtId) -> PooledConnection {
    let mut conn = pool.acquire(Some(yacht)).await.expect("a connection");
    conn.begin(yacht).await.expect("begin");
    conn
}

async fn backend(conn: &mut PooledConnection) -> i32 {
    sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&mut **conn).await.expect("pid")
}

async fn equipment_count(conn: &mut PooledConnection) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM equipment").fetch_one(&mut **conn).await.expect("count")
}

async fn insert_equipment(conn: &mut PooledConnection, yacht: YachtId) {
    sqlx::query("INSERT INTO equipment (yacht_id, code, name) VALUES ($1, 'GEN-1', 'Generator 1')")
        .bind(yacht.as_uuid())
        .execute(&mut **conn)
        .await
        .expect("insert");
}

#[tokio::test]
async fn a_committed_connection_is_reused_and_an_abandoned_transaction_rolled_back_first() {
    let database = migrated_tenant_database().await;
    let pool = single_connection_pool(&database);
    let yacht = YachtId::generate();

    let mut first = begun(&pool, yacht).await;
    let pid = backend(&mut first).await;
    insert_equipment(&mut first, yacht).await;
    drop(first);

    let mut second = begun(&pool, yacht).await;
    assert_eq!(backend(&mut second).await, pid, "the same session, once rolled back");
    assert_eq!(equipment_count(&mut second).await, 0, "the abandoned insert was rolled back");
    insert_equipment(&mut second, yacht).await;
    second.commit().await.expect("commit");

    let mut third = begun(&pool, yacht).await;
    assert_eq!(backend(&mut third).await, pid, "a committed connection goes back as it is");
    assert_eq!(equipment_count(&mut third).await, 1, "the committed insert stays");
    third.commit().await.expect("commit");
    assert_eq!(pool.size(), 1);
}

#[tokio::test]
async fn a_statement_abandoned_mid_flight_leaves_no_transaction_behind() {
    let database = migrated_tenant_database().await;
    let pool = single_connection_pool(&database);
    let yacht = YachtId::generate();
    let mut owner = sqlx::PgConnection::connect(&format!("{}/{database}", server_url())).await.expect("owner");
    let mut lock = owner.begin().await.expect("lock tx");
    sqlx::query("LOCK TABLE parts IN ACCESS EXCLUSIVE MODE").execute(&mut *lock).await.expect("lock");

    let mut blocked = begun(&pool, yacht).await;
    let pid = backend(&mut blocked).await;
    insert_equipment(&mut blocked, yacht).await;
    let parts = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM parts").fetch_one(&mut *blocked);
    let waited = tokio::time::timeout(Duration::from_millis(200), parts).await;
    assert!(waited.is_err(), "the count waits for the lock");
    drop(blocked);
    lock.commit().await.expect("unlock");

    let mut next = begun(&pool, yacht).await;
    assert_eq!(backend(&mut next).await, pid, "the abandoned exchange was drained and rolled back");
    assert_eq!(equipment_count(&mut next).await, 0, "the abandoned insert was rolled back");
    next.commit().await.expect("commit");
    let in_transaction: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'",
    )
    .bind(&database)
    .fetch_one(&mut admin_connection().await)
    .await
    .expect("pg_stat_activity");
    assert_eq!(in_transaction, 0);
}

#[tokio::test]
async fn connections_the_server_closed_while_idle_are_replaced_without_an_error() {
    let database = migrated_tenant_database().await;
    let router = TenantRouter::new(
        test_tenant_servers(),
        RouterLimits {
            connection_budget: 4,
            pool_size: 2,
            idle_timeout: Duration::from_secs(60),
            acquire_wait: Duration::from_secs(2),
        },
    );
    let location =
        TenantLocation { server: ServerKey::default_server(), database: DatabaseName::parse(&database).expect("name") };
    let (a, b) = (
        router.begin(&location, YachtId::generate()).await.expect("a"),
        router.begin(&location, YachtId::generate()).await.expect("b"),
    );
    a.commit().await.expect("commit a");
    b.commit().await.expect("commit b");
    assert_eq!(open_connections(std::slice::from_ref(&database)).await, 2);

    let terminated: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND backend_type = 'client backend') AS t",
    )
    .bind(&database)
    .fetch_one(&mut admin_connection().await)
    .await
    .expect("terminate");
    assert_eq!(terminated, 2);

    let mut tx = router.begin(&location, YachtId::generate()).await.expect("a fresh connection behind the stale ones");
    sqlx::query("SELECT 1").execute(&mut *tx).await.expect("query");
    tx.commit().await.expect("commit");
    assert_eq!(router.stats().open_connections, 1, "both stale connections were closed");
}

#[tokio::test]
async fn one_connection_serving_two_yachts_switches_its_session_between_them() {
    let database = migrated_tenant_database().await;
    let pool = single_connection_pool(&database);
    let (aurora, borealis) = (YachtId::generate(), YachtId::generate());
    let mut tx = begun(&pool, aurora).await;
    let pid = backend(&mut tx).await;
    insert_equipment(&mut tx, aurora).await;
    tx.commit().await.expect("commit");

    let mut tx = begun(&pool, borealis).await;
    assert_eq!(backend(&mut tx).await, pid, "the same session, switched");
    assert_eq!(equipment_count(&mut tx).await, 0, "Borealis does not see Aurora's equipment");
    tx.commit().await.expect("commit");
    let mut tx = begun(&pool, aurora).await;
    assert_eq!(equipment_count(&mut tx).await, 1);
    tx.commit().await.expect("commit");

    let mut raw = pool.acquire(None).await.expect("a connection");
    let (role, yacht): (String, String) =
        sqlx::query_as("SELECT current_user::text, coalesce(current_setting('app.yacht_id', true), '')")
            .fetch_one(&mut *raw)
            .await
            .expect("session");
    assert_ne!(role, TENANT_ROLE, "a connection taken without a yacht is back to the connecting role");
    assert_eq!(yacht, "");
}
