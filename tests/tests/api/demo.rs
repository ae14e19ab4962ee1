//! `pipeline-core seed-demo`: the demo fleet, idempotently.

use pms_tests::{base_environment, binary_command, pool_for, spawn_app_with, unique_database_name};

#[tokio::test]
async fn seeding_twice_gives_the_same_fleet_and_working_logins() {
    let master = unique_database_name("master");
    let mut env = base_environment(&master);
    env.insert("DEMO_PASSWORD".to_owned(), "demo password for tests".to_owned());
    for run in 1..=2 {
        let output = binary_command(&env).arg("seed-demo").output().await.expect("runs");
        assert!(output.status.success(), "run {run}: {}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains("captain@borealis.demo"));
    }
    let pool = pool_for(&master).await;
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM yachts), (SELECT count(*) FROM users), (SELECT count(*) FROM memberships)",
    )
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!(counts, (2, 7, 6), "two yachts, six crew and one platform admin, once");

    let app = spawn_app_with(|e| {
        e.insert("MASTER_DATABASE_URL".to_owned(), env["MASTER_DATABASE_URL"].clone());
    })
    .await;
    let chief = app.login("chief@aurora.demo", "demo password for tests").await;
    assert_eq!(chief["memberships"][0]["yacht_name"], "M/Y Aurora");
    assert_eq!(chief["memberships"][0]["role"], "chief_engineer");
    let admin = app.login("admin@pipeline.demo", "demo password for tests").await;
    assert_eq!(admin["user"]["is_platform_admin"], true);
    let borealis = app.access_token("captain@borealis.demo", "demo password for tests").await;
    let aurora_id = chief["memberships"][0]["yacht_id"].as_str().expect("id");
    assert_eq!(app.get_as(&format!("/v1/yachts/{aurora_id}/members"), &borealis).await.status(), 404, "isolation");

    // Aurora's maintenance data, seeded once however often seed-demo runs.
    let database: String = sqlx::query_scalar(
        "SELECT t.name FROM yachts y JOIN tenant_databases t ON t.id = y.tenant_database_id WHERE y.name = 'M/Y Aurora'",
    )
    .fetch_one(&pool)
    .await
    .expect("Aurora's database");
    let counts: (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM equipment), (SELECT count(*) FROM parts), (SELECT count(*) FROM faults),
                (SELECT count(*) FROM work_orders WHERE schedule_id IS NULL), (SELECT count(*) FROM handover_items),
                (SELECT count(*) FROM schedules), (SELECT count(*) FROM work_orders WHERE schedule_id IS NOT NULL)",
    )
    .fetch_one(&pool_for(&database).await)
    .await
    .expect("counts");
    assert_eq!(counts, (169, 219, 5, 6, 3, 18, 6), "the six due schedules have their work planned");
    let chief_token = chief["access_token"].as_str().expect("token");
    let generators: serde_json::Value = app
        .get_as(&format!("/v1/yachts/{aurora_id}/equipment?q=generator&roots_only=true"), chief_token)
        .await
        .json()
        .await
        .expect("json");
    let codes: Vec<&str> =
        generators["items"].as_array().expect("items").iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["DG-1", "DG-2", "DG-3"]);
    let statuses: serde_json::Value =
        app.get_as(&format!("/v1/yachts/{aurora_id}/work-orders"), chief_token).await.json().await.expect("json");
    let mut seen: Vec<&str> =
        statuses["items"].as_array().expect("items").iter().filter_map(|w| w["status"].as_str()).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen, ["cancelled", "completed", "deferred", "in_progress", "planned"], "work in every state");
    let verify: serde_json::Value =
        app.get_as(&format!("/v1/yachts/{aurora_id}/audit/verify"), chief_token).await.json().await.expect("json");
    assert_eq!(verify["intact"], true, "the seeded history is a valid chain");
}
