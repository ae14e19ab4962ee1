//! Correcting the details of faults and work orders with PATCH: who may, until when, with
//! If-Match, and nothing written on a refusal.

use pms_tests::{TestApp, pool_for, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

async fn patch(app: &TestApp, url: &str, token: &str, if_match: Option<&str>, body: &Value) -> reqwest::Response {
    let mut request = app.client.patch(app.url(url)).bearer_auth(token).json(body);
    if let Some(version) = if_match {
        request = request.header("if-match", format!("\"{version}\""));
    }
    request.send().await.expect("sent")
}

#[tokio::test]
async fn a_work_order_is_edited_while_open_with_if_match() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (crew, _) = app.add_member(&yacht, "deckhand@aurora.test", "crew").await;
    let genset = app.create_equipment(&yacht, &chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    let base = format!("/v1/yachts/{}/work-orders", yacht.id);
    let work: Value =
        app.post_json(&base, &json!({"title": "Oil change"}), Some(&chief)).await.json().await.expect("json");
    let url = format!("{base}/{}", work["id"].as_str().expect("id"));

    let body = json!({"title": "Oil and filter change", "priority": "important", "equipment_id": genset["id"], "due_on": "2026-12-05"});
    let edited = patch(&app, &url, &chief, Some("1"), &body).await;
    assert_eq!((edited.status(), edited.headers()["etag"].to_str().ok()), (reqwest::StatusCode::OK, Some("\"2\"")));
    let edited: Value = edited.json().await.expect("json");
    assert_eq!(
        (edited["title"].as_str(), edited["priority"].as_str(), edited["due_on"].as_str()),
        (Some("Oil and filter change"), Some("important"), Some("2026-12-05"))
    );
    assert_eq!(edited["equipment_id"], genset["id"]);

    let cleared: Value = patch(&app, &url, &chief, None, &json!({"due_on": null})).await.json().await.expect("json");
    assert_eq!(
        (cleared["due_on"].is_null(), cleared["title"].as_str()),
        (true, Some("Oil and filter change")),
        "null clears, absent keeps"
    );
    assert_eq!(problem(patch(&app, &url, &chief, Some("1"), &json!({"title": "x"})).await).await.0, 412);
    assert_eq!(problem(patch(&app, &url, &crew, None, &json!({"title": "x"})).await).await.0, 403);
    let (status, body) = problem(patch(&app, &url, &chief, None, &json!({"title": " "})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("title")));
    let (status, body) =
        problem(patch(&app, &url, &chief, None, &json!({"equipment_id": uuid::Uuid::new_v4()})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("equipment_id")));

    app.send(Method::POST, &format!("{url}/start"), None, &chief).await;
    app.send(Method::POST, &format!("{url}/complete"), Some(&json!({"completion_notes": "Done"})), &chief).await;
    let (status, body) = problem(patch(&app, &url, &chief, None, &json!({"title": "Rewritten history"})).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_state_transition")));
    let titles: Vec<String> = sqlx::query_scalar("SELECT title FROM work_orders")
        .fetch_all(&pool_for(&yacht.database).await)
        .await
        .expect("titles");
    assert_eq!(titles, ["Oil and filter change"]);
    let edits: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'work_order.edited'")
        .fetch_one(&pool_for(&yacht.database).await)
        .await
        .expect("count");
    assert_eq!(edits, 2, "one audit entry per accepted edit");
}

#[tokio::test]
async fn the_reporter_corrects_an_open_fault_and_engineers_any_active_one() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (reporter, _) = app.add_member(&yacht, "deckhand@aurora.test", "crew").await;
    let (other_crew, _) = app.add_member(&yacht, "stew@aurora.test", "crew").await;
    let base = format!("/v1/yachts/{}/faults", yacht.id);
    let fault: Value = app
        .post_json(&base, &json!({"title": "Watermaker alarm", "code": "e12"}), Some(&reporter))
        .await
        .json()
        .await
        .expect("json");
    let url = format!("{base}/{}", fault["id"].as_str().expect("id"));

    let edited: Value =
        patch(&app, &url, &reporter, Some("1"), &json!({"code": "E-12", "description": "High salinity at start-up"}))
            .await
            .json()
            .await
            .expect("json");
    assert_eq!((edited["code"].as_str(), edited["version"].as_i64()), (Some("E-12"), Some(2)));
    assert_eq!(problem(patch(&app, &url, &other_crew, None, &json!({"severity": "low"})).await).await.0, 403);
    let (status, body) = problem(patch(&app, &url, &reporter, None, &json!({"code": "E#12"})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("code")));

    app.send(Method::POST, &format!("{url}/acknowledge"), None, &chief).await;
    assert_eq!(
        problem(patch(&app, &url, &reporter, None, &json!({"severity": "low"})).await).await.0,
        403,
        "no longer open"
    );
    let raised: Value = patch(&app, &url, &chief, None, &json!({"severity": "critical", "code": null}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!((raised["severity"].as_str(), raised["code"].is_null()), (Some("critical"), true));

    app.send(Method::POST, &format!("{url}/resolve"), Some(&json!({"resolution": "Membrane flushed"})), &chief).await;
    let (status, body) = problem(patch(&app, &url, &chief, None, &json!({"title": "x"})).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_state_transition")));
}
