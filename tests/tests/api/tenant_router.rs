//! The tenant router against real databases: the connection budget holds under a burst,
//! pools are created once and closed when idle, and row-level security confines every
//! transaction to its yacht even when a query forgets to.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use pms_domain::ids::YachtId;
use pms_domain::tenancy::{DatabaseName, ServerKey};
use pms_infra::tenant::router::{RouterError, RouterLimits, TenantLocation, TenantRouter};
use pms_tests::{migrated_tenant_database, open_connections, test_tenant_servers};

fn location(database: &str) -> TenantLocation {
    TenantLocation { server: ServerKey::default_server(), database: DatabaseName::parse(database).expect("valid name") }
}

fn router(budget: u32, pool_size: u32, idle_timeout: Duration) -> TenantRouter {
    TenantRouter::new(
        test_tenant_servers(),
        RouterLimits { connection_budget: budget, pool_size, idle_timeout, acquire_wait: Duration::from_millis(300) },
    )
}

#[tokio::test]
async fn a_burst_across_many_tenants_never_exceeds_the_connection_budget() {
    let mut databases = Vec::new();
    for _ in 0..6 {
        databases.push(migrated_tenant_database().await);
    }
    let router = router(4, 2, Duration::from_secs(60));
    let peak = Arc::new(AtomicI64::new(0));
    let sampling = {
        let (databases, peak) = (databases.clone(), peak.clone());
        tokio::spawn(async move {
            loop {
                peak.fetch_max(open_connections(&databases).await, Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
    };

    let mut tasks = Vec::new();
    for i in 0..48 {
        let (router, location) = (router.clone(), location(&databases[i % databases.len()]));
        tasks.push(tokio::spawn(async move {
            let mut tx = router.begin(&location, YachtId::generate()).await?;
            sqlx::query("SELECT pg_sleep(0.02)").execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<(), RouterError>(())
        }));
    }
    let (mut served, mut exhausted) = (0, 0);
    for task in tasks {
        match task.await.expect("task ran") {
            Ok(()) => served += 1,
            Err(RouterError::Exhausted) => exhausted += 1,
            Err(other) => panic!("only success or budget exhaustion is acceptable, got {other:?}"),
        }
    }
    sampling.abort();
    assert!(served > 0, "the router serves requests under pressure");
    assert_eq!(served + exhausted, 48);
    let stats = router.stats();
    assert!(stats.open_connections <= 4, "router's own count: {stats:?}");
    let peak = peak.load(Ordering::Relaxed);
    assert!(peak <= 4, "the server saw {peak} connections for a budget of 4");
}

#[tokio::test]
async fn a_pool_is_created_once_however_many_requests_race_for_it() {
    let database = migrated_tenant_database().await;
    let router = router(10, 3, Duration::from_secs(60));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (router, location) = (router.clone(), location(&database));
        tasks.push(tokio::spawn(async move { router.pool(&location).await.map(|_| ()) }));
    }
    for task in tasks {
        task.await.expect("ran").expect("pool");
    }
    let stats = router.stats();
    assert_eq!(stats.pools, 1);
    assert_eq!(stats.free_budget, 7, "one pool reserved its three connections, once");
}

#[tokio::test]
async fn idle_pools_are_evicted_and_their_connections_closed() {
    let database = migrated_tenant_database().await;
    let router = router(4, 2, Duration::from_millis(800));
    let mut tx = router.begin(&location(&database), YachtId::generate()).await.expect("tx");
    sqlx::query("SELECT 1").execute(&mut *tx).await.expect("query");
    tx.commit().await.expect("commit");
    assert!(open_connections(std::slice::from_ref(&database)).await >= 1);

    assert_eq!(router.evict_idle().await, 0, "a pool used just now is kept");
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(router.evict_idle().await, 1);
    assert_eq!(router.stats().pools, 0);
    assert_eq!(router.stats().free_budget, 4, "the budget is returned");
    assert_eq!(open_connections(std::slice::from_ref(&database)).await, 0, "evicted pools are closed");
}

#[tokio::test]
async fn a_busy_budget_is_freed_by_closing_unused_pools_of_other_tenants() {
    let (a, b) = (migrated_tenant_database().await, migrated_tenant_database().await);
    let router = router(2, 2, Duration::from_secs(60));
    router.begin(&location(&a), YachtId::generate()).await.expect("tx on a").commit().await.expect("commit");
    // A's pool holds the whole budget but is idle: B's first request closes it to make room.
    router.begin(&location(&b), YachtId::generate()).await.expect("tx on b").commit().await.expect("commit");
    assert_eq!(open_connections(std::slice::from_ref(&a)).await, 0);
    assert_eq!(router.stats().pools, 1);
}

#[tokio::test]
async fn an_unscoped_query_through_a_yachts_transaction_sees_only_that_yacht() {
    let shared = migrated_tenant_database().await;
    let router = router(4, 2, Duration::from_secs(60));
    let (aurora, borealis) = (YachtId::generate(), YachtId::generate());
    for (yacht, code) in [(aurora, "ME-P"), (aurora, "ME-S"), (borealis, "DG-1")] {
        let mut tx = router.begin(&location(&shared), yacht).await.expect("tx");
        sqlx::query("INSERT INTO equipment (yacht_id, code, name) VALUES ($1, $2, $2)")
            .bind(yacht.as_uuid())
            .bind(code)
            .execute(&mut *tx)
            .await
            .expect("insert own equipment");
        tx.commit().await.expect("commit");
    }

    let mut tx = router.begin(&location(&shared), aurora).await.expect("tx");
    // Deliberately no WHERE yacht_id: row-level security is the second line of defence.
    let codes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM equipment ORDER BY code").fetch_all(&mut *tx).await.expect("select");
    assert_eq!(codes, ["ME-P", "ME-S"]);
    let updated = sqlx::query("UPDATE equipment SET status = 'failed'").execute(&mut *tx).await.expect("update");
    assert_eq!(updated.rows_affected(), 2, "an unscoped update touches only Aurora's rows");
    let smuggled = sqlx::query("INSERT INTO equipment (yacht_id, code, name) VALUES ($1, 'X-1', 'x')")
        .bind(borealis.as_uuid())
        .execute(&mut *tx)
        .await;
    let error = smuggled.expect_err("writing another yacht's row is refused");
    assert_eq!(
        error.as_database_error().and_then(sqlx::error::DatabaseError::code).as_deref(),
        Some("42501"),
        "{error}"
    );
    drop(tx);

    let mut tx = router.begin(&location(&shared), borealis).await.expect("tx");
    let status: String = sqlx::query_scalar("SELECT status FROM equipment").fetch_one(&mut *tx).await.expect("one row");
    assert_eq!(status, "operational", "Borealis's equipment was untouched");
}

#[tokio::test]
async fn the_tenant_role_without_a_yacht_sees_nothing() {
    let database = migrated_tenant_database().await;
    let router = router(4, 2, Duration::from_secs(60));
    let yacht = YachtId::generate();
    let mut tx = router.begin(&location(&database), yacht).await.expect("tx");
    sqlx::query("INSERT INTO equipment (yacht_id, code, name) VALUES ($1, 'WM-1', 'Watermaker')")
        .bind(yacht.as_uuid())
        .execute(&mut *tx)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");

    let pool = router.pool(&location(&database)).await.expect("pool");
    let mut conn = pool.acquire(None).await.expect("connection");
    let mut tx = sqlx::Connection::begin(&mut *conn).await.expect("tx");
    sqlx::query("SET LOCAL ROLE pms_tenant_app").execute(&mut *tx).await.expect("role");
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment").fetch_one(&mut *tx).await.expect("count");
    assert_eq!(visible, 0);
}

#[tokio::test]
async fn over_http_an_exhausted_budget_is_a_503_with_retry_after_not_a_hang() {
    let app = pms_tests::spawn_app_with(|env| {
        env.insert("TENANT_CONNECTION_BUDGET".to_owned(), "1".to_owned());
        env.insert("TENANT_POOL_SIZE".to_owned(), "1".to_owned());
        env.insert("TENANT_ACQUIRE_TIMEOUT_MS".to_owned(), "200".to_owned());
    })
    .await;
    let (aurora, aurora_chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (borealis, borealis_chief) = app.yacht_with_chief("M/Y Borealis").await;

    // Aurora's request holds the whole budget while it waits on a lock taken from outside.
    let owner = pms_tests::pool_for(&aurora.database).await;
    let mut lock = owner.begin().await.expect("tx");
    sqlx::query("LOCK TABLE equipment IN ACCESS EXCLUSIVE MODE").execute(&mut *lock).await.expect("lock");
    let blocked = {
        let request =
            app.client.get(app.url(&format!("/v1/yachts/{}/equipment", aurora.id))).bearer_auth(&aurora_chief);
        tokio::spawn(async move { request.send().await.expect("sent").status().as_u16() })
    };
    let waiting = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
        )
        .bind(&aurora.database)
        .fetch_one(&mut pms_tests::admin_connection().await)
        .await
        .expect("activity")
    };
    for _ in 0..100 {
        if waiting().await > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(waiting().await, 1, "Aurora's request is parked on the lock");

    let started = std::time::Instant::now();
    let response = app.get_as(&format!("/v1/yachts/{}/equipment", borealis.id), &borealis_chief).await;
    assert!(response.headers().get("retry-after").is_some(), "503s say when to retry");
    let (status, body) = pms_tests::problem(response).await;
    assert_eq!((status, body["code"].as_str()), (503, Some("service_unavailable")));
    assert!(started.elapsed() < Duration::from_secs(5), "refused promptly, not after a hang");

    lock.rollback().await.expect("unlock");
    assert_eq!(blocked.await.expect("ran"), 200, "Aurora's request completes once unblocked");
    let response = app.get_as(&format!("/v1/yachts/{}/equipment", borealis.id), &borealis_chief).await;
    assert_eq!(response.status(), 200, "Aurora's now idle pool makes room for Borealis");
}
