//! Migrations: idempotent for the master and for tenants; per-tenant outcomes recorded; a broken
//! tenant never stops the others; a re-run resumes.

use pms_tests::{base_environment, binary_command, create_database, pool_for, schema_snapshot, unique_database_name};

async fn run_migrate(env: &std::collections::HashMap<String, String>) -> (bool, String) {
    let output = binary_command(env).arg("migrate").output().await.expect("binary runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let master = unique_database_name("master");
    let env = base_environment(&master);

    let (ok, stderr) = run_migrate(&env).await;
    assert!(ok, "first run: {stderr}");
    let pool = pool_for(&master).await;
    let first = schema_snapshot(&pool).await;
    assert!(first.contains("column tenant_databases.migration_status"), "{first}");
    assert!(first.contains("function set_updated_at"));

    let (ok, stderr) = run_migrate(&env).await;
    assert!(ok, "second run: {stderr}");
    assert_eq!(schema_snapshot(&pool).await, first, "a second run applied or altered something");

    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&pool)
        .await
        .expect("ledger");
    let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations-master"))
        .expect("migrations-master")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql")))
        .count();
    assert_eq!(usize::try_from(applied).expect("count"), files);
}

#[tokio::test]
async fn tenant_migrations_are_recorded_continue_past_a_broken_tenant_and_resume() {
    let master = unique_database_name("master");
    let env = base_environment(&master);
    assert!(run_migrate(&env).await.0, "master migrates with no tenants");
    let pool = pool_for(&master).await;

    let healthy = create_database("tenant").await;
    let missing = unique_database_name("tenant");
    for name in [&healthy, &missing] {
        sqlx::query("INSERT INTO tenant_databases (name) VALUES ($1)")
            .bind(name)
            .execute(&pool)
            .await
            .expect("registering a tenant");
    }

    let (ok, stderr) = run_migrate(&env).await;
    assert!(!ok, "a failed tenant makes migrate exit non-zero");
    assert!(stderr.contains(&missing), "the failing tenant is reported: {stderr}");

    let state = |name: String| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (String, Option<i64>, Option<String>)>(
                "SELECT migration_status, schema_version, last_error FROM tenant_databases WHERE name = $1",
            )
            .bind(name)
            .fetch_one(&pool)
            .await
            .expect("registry row")
        }
    };
    let latest = pms_infra::migrate::latest_tenant_version();
    let (status, version, error) = state(healthy.clone()).await;
    assert_eq!((status.as_str(), version, error), ("ok", Some(latest), None), "the healthy tenant was migrated anyway");
    let (status, version, error) = state(missing.clone()).await;
    assert_eq!((status.as_str(), version), ("failed", None));
    assert!(error.is_some_and(|e| e.contains("does not exist")), "the error is recorded");
    let tenant_schema = schema_snapshot(&pool_for(&healthy).await).await;
    assert!(tenant_schema.contains("function set_updated_at"));

    // Repair the broken tenant; the re-run finishes the job and leaves the healthy one alone.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {missing}")))
        .execute(&mut pms_tests::admin_connection().await)
        .await
        .expect("creating the missing database");
    let (ok, stderr) = run_migrate(&env).await;
    assert!(ok, "{stderr}");
    assert_eq!(state(missing.clone()).await.0, "ok");
    assert_eq!(schema_snapshot(&pool_for(&healthy).await).await, tenant_schema, "tenant migrations are idempotent");
}
