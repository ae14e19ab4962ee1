//! The audit trail: every change recorded with who, what, before, after and the request; only
//! heads of department read it; verification finds edited, removed and truncated entries.

use pms_tests::{TestApp, TestYacht, pool_for, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::AssertSqlSafe;

/// A yacht with four recorded changes: create, update, status, running hours (five entries).
async fn yacht_with_history(app: &TestApp) -> (TestYacht, String) {
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let engine = app.create_equipment(&yacht, &chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let url = format!("/v1/yachts/{}/equipment/{}", yacht.id, engine["id"].as_str().expect("id"));
    assert_eq!(app.send(Method::PATCH, &url, Some(&json!({"location": "Engine room"})), &chief).await.status(), 200);
    assert_eq!(
        app.send(Method::POST, &format!("{url}/status"), Some(&json!({"status": "degraded"})), &chief).await.status(),
        200
    );
    assert_eq!(
        app.send(Method::POST, &format!("{url}/running-hours"), Some(&json!({"hours": 100})), &chief).await.status(),
        201
    );
    (yacht, chief)
}

async fn verify(app: &TestApp, yacht: &TestYacht) -> Value {
    let response = app.get_as(&format!("/v1/yachts/{}/audit/verify", yacht.id), &yacht.captain_token).await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("json")
}

/// Runs SQL on the yacht's tenant database as its owner, bypassing the tenant role: tampering.
async fn tamper(yacht: &TestYacht, sql: &str) {
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&pool_for(&yacht.database).await).await.expect("tampering");
}

#[tokio::test]
async fn every_change_is_recorded_with_before_after_and_request_id() {
    let app = spawn_app().await;
    let (yacht, chief) = yacht_with_history(&app).await;
    let audit: Value =
        app.get_as(&format!("/v1/yachts/{}/audit", yacht.id), &yacht.captain_token).await.json().await.expect("json");
    let actions: Vec<&str> =
        audit["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        [
            "equipment.running_hours_updated",
            "running_hours_reading.recorded",
            "equipment.status_changed",
            "equipment.updated",
            "equipment.created"
        ],
        "newest first"
    );
    let status_change = &audit["items"][2];
    assert_eq!(
        (status_change["before"]["status"].as_str(), status_change["after"]["status"].as_str()),
        (Some("operational"), Some("degraded"))
    );
    assert_eq!(audit["items"][4]["before"], Value::Null);
    let chief_id = app.get_as("/v1/auth/me", &chief).await.json::<Value>().await.expect("json")["user"]["id"].clone();
    assert!(
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|e| e["user_id"] == chief_id && e["request_id"].is_string())
    );

    let filtered: Value = app
        .get_as(&format!("/v1/yachts/{}/audit?entity_type=running_hours_reading", yacht.id), &yacht.captain_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(filtered["items"].as_array().expect("items").len(), 1);
    let paged: Value = app
        .get_as(&format!("/v1/yachts/{}/audit?limit=2", yacht.id), &yacht.captain_token)
        .await
        .json()
        .await
        .expect("json");
    let next: Value = app
        .get_as(
            &format!("/v1/yachts/{}/audit?limit=2&cursor={}", yacht.id, paged["next_cursor"].as_str().expect("cursor")),
            &yacht.captain_token,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(next["items"][0]["seq"], 3);

    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.demo", "engineer").await;
    let (status, body) = problem(app.get_as(&format!("/v1/yachts/{}/audit", yacht.id), &engineer).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "engineers are not heads of department");
    assert_eq!(
        verify(&app, &yacht).await,
        json!({"intact": true, "entries": 5, "first_broken_seq": null, "break_kind": null})
    );
}

#[tokio::test]
async fn verification_finds_an_edited_entry() {
    let app = spawn_app().await;
    let (yacht, _) = yacht_with_history(&app).await;
    tamper(&yacht, "UPDATE audit_log SET after = jsonb_set(after, '{status}', '\"operational\"') WHERE seq = 3").await;
    let result = verify(&app, &yacht).await;
    assert_eq!(
        (result["intact"].as_bool(), result["first_broken_seq"].as_i64(), result["break_kind"].as_str()),
        (Some(false), Some(3), Some("content_altered"))
    );
}

#[tokio::test]
async fn verification_finds_a_removed_entry() {
    let app = spawn_app().await;
    let (yacht, _) = yacht_with_history(&app).await;
    tamper(&yacht, "DELETE FROM audit_log WHERE seq = 2").await;
    let result = verify(&app, &yacht).await;
    assert_eq!((result["first_broken_seq"].as_i64(), result["break_kind"].as_str()), (Some(3), Some("link_broken")));
}

#[tokio::test]
async fn verification_finds_a_truncated_tail() {
    let app = spawn_app().await;
    let (yacht, _) = yacht_with_history(&app).await;
    tamper(&yacht, "DELETE FROM audit_log WHERE seq >= 4").await;
    let result = verify(&app, &yacht).await;
    assert_eq!((result["first_broken_seq"].as_i64(), result["break_kind"].as_str()), (Some(4), Some("tail_missing")));
}

#[tokio::test]
async fn the_tenant_role_cannot_rewrite_history() {
    let app = spawn_app().await;
    let (yacht, _) = yacht_with_history(&app).await;
    let pool = pool_for(&yacht.database).await;
    let mut tx = pool.begin().await.expect("tx");
    sqlx::query("SELECT set_config('role', 'pms_tenant_app', true), set_config('app.yacht_id', $1, true)")
        .bind(&yacht.id)
        .execute(&mut *tx)
        .await
        .expect("role");
    let error = sqlx::query("UPDATE audit_log SET action = 'x.y'").execute(&mut *tx).await.expect_err("refused");
    assert_eq!(error.as_database_error().and_then(sqlx::error::DatabaseError::code).as_deref(), Some("42501"));
}
