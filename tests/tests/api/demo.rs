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
}
