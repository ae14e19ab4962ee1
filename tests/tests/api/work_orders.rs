//! Work orders over REST: numbering, the lifecycle one endpoint per transition, roles, the fault
//! link, assignment to members only, hours, checklists, lists and idempotent retries.

use pms_tests::{problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_work_order_runs_from_planned_to_completed_and_back() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (engineer, engineer_id) = app.add_member(&yacht, "engineer@aurora.demo", "engineer").await;
    let (crew, _) = app.add_member(&yacht, "deckhand@aurora.demo", "crew").await;
    let genset = app.create_equipment(&yacht, &chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    let base = format!("/v1/yachts/{}/work-orders", yacht.id);

    let response = app
        .post_json(&base, &json!({"title": "Oil change DG-1", "kind": "preventive", "equipment_id": genset["id"], "due_on": "2026-12-01"}), Some(&engineer))
        .await;
    assert_eq!(response.status(), 201);
    let wo: Value = response.json().await.expect("json");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert_eq!(wo["number"], format!("WO-{year}-0001"));
    assert_eq!((wo["status"].as_str(), wo["priority"].as_str()), (Some("planned"), Some("routine")));
    let second: Value =
        app.post_json(&base, &json!({"title": "Second"}), Some(&engineer)).await.json().await.expect("json");
    assert_eq!(second["number"], format!("WO-{year}-0002"));
    let (status, _) = problem(app.post_json(&base, &json!({"title": "x"}), Some(&crew)).await).await;
    assert_eq!(status, 403, "crew do not plan work");

    let url = format!("{base}/{}", wo["id"].as_str().expect("id"));
    let post = |token: &str, path: &str, body: Option<Value>| {
        let (app, url, token) = (&app, format!("{url}/{path}"), token.to_owned());
        async move { app.send(Method::POST, &url, body.as_ref(), &token).await }
    };
    let (status, body) = problem(post(&engineer, "complete", Some(json!({"completion_notes": "done"}))).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("invalid_state_transition")),
        "planned work cannot complete"
    );

    let assign = post(&chief, "assign", Some(json!({"assignee_id": engineer_id}))).await;
    assert_eq!(assign.json::<Value>().await.expect("json")["assignee_id"], engineer_id.as_str());
    let (status, body) =
        problem(post(&chief, "assign", Some(json!({"assignee_id": uuid::Uuid::new_v4()}))).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("assignee_id")), "only members are assigned");
    assert_eq!(
        problem(post(&engineer, "assign", Some(json!({"assignee_id": null}))).await).await.0,
        403,
        "engineers do not assign"
    );

    assert_eq!(post(&engineer, "start", None).await.json::<Value>().await.expect("json")["status"], "in_progress");
    let logged: Value =
        post(&engineer, "hours", Some(json!({"hours": 1.5, "note": "drained sump"}))).await.json().await.expect("json");
    assert_eq!(logged["work_order"]["hours_logged"], 1.5);
    let (status, _) = problem(post(&engineer, "hours", Some(json!({"hours": 25}))).await).await;
    assert_eq!(status, 422);

    let item: Value =
        post(&engineer, "checklist", Some(json!({"text": "Replace oil filter"}))).await.json().await.expect("json");
    let ticked: Value = post(&crew, &format!("checklist/{}/complete", item["id"].as_str().expect("id")), None)
        .await
        .json()
        .await
        .expect("json");
    assert!(ticked["done_at"].is_string(), "anyone aboard ticks checklist items");

    let (status, body) = problem(post(&engineer, "complete", Some(json!({"completion_notes": "  "}))).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("completion_notes")));
    let done: Value =
        post(&engineer, "complete", Some(json!({"completion_notes": "Oil and filter changed; ran 15 min."})))
            .await
            .json()
            .await
            .expect("json");
    assert_eq!(
        (done["status"].as_str(), done["completed_by"].as_str()),
        (Some("completed"), Some(engineer_id.as_str()))
    );
    assert_eq!(problem(post(&engineer, "reopen", None).await).await.0, 403, "reopening is for heads of department");
    let reopened: Value = post(&chief, "reopen", None).await.json().await.expect("json");
    assert_eq!((reopened["status"].as_str(), &reopened["completed_at"]), (Some("in_progress"), &Value::Null));

    let detail: Value = app.get_as(&url, &crew).await.json().await.expect("json");
    assert_eq!(
        (detail["number"].as_str(), detail["checklist"][0]["text"].as_str()),
        (wo["number"].as_str(), Some("Replace oil filter"))
    );
    assert_eq!(detail["version"], reopened["version"]);
}

#[tokio::test]
async fn deferring_and_cancelling_need_a_head_of_department_and_a_reason() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.demo", "engineer").await;
    let wo: Value = app
        .post_json(&format!("/v1/yachts/{}/work-orders", yacht.id), &json!({"title": "Repaint bilge"}), Some(&engineer))
        .await
        .json()
        .await
        .expect("json");
    let url = format!("/v1/yachts/{}/work-orders/{}", yacht.id, wo["id"].as_str().expect("id"));
    let post = |token: &str, path: &str, body: Value| {
        let (app, url, token) = (&app, format!("{url}/{path}"), token.to_owned());
        async move { app.send(Method::POST, &url, Some(&body), &token).await }
    };
    assert_eq!(problem(post(&engineer, "defer", json!({"reason": "parts"})).await).await.0, 403);
    assert_eq!(problem(post(&chief, "defer", json!({"reason": ""})).await).await.0, 422);
    let deferred: Value = post(&chief, "defer", json!({"reason": "Awaiting paint", "until": "2026-12-15"}))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (deferred["status"].as_str(), deferred["deferred_until"].as_str()),
        (Some("deferred"), Some("2026-12-15"))
    );
    let cancelled: Value =
        post(&yacht.captain_token, "cancel", json!({"reason": "Yard will do it"})).await.json().await.expect("json");
    assert_eq!(
        (cancelled["status"].as_str(), cancelled["status_reason"].as_str()),
        (Some("cancelled"), Some("Yard will do it"))
    );
    let (status, body) = problem(post(&chief, "cancel", json!({"reason": "again"})).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_state_transition")));
}

#[tokio::test]
async fn a_fault_gets_one_active_work_order_unless_overridden_and_completion_resolves_it() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let fault: Value = app
        .post_json(
            &format!("/v1/yachts/{}/faults", yacht.id),
            &json!({"title": "Watermaker low output", "severity": "critical"}),
            Some(&chief),
        )
        .await
        .json()
        .await
        .expect("json");
    let from_fault = format!("/v1/yachts/{}/faults/{}/work-order", yacht.id, fault["id"].as_str().expect("id"));

    let created: Value = app.post_json(&from_fault, &json!({}), Some(&chief)).await.json().await.expect("json");
    assert_eq!(
        (created["work_order"]["kind"].as_str(), created["work_order"]["priority"].as_str()),
        (Some("corrective"), Some("critical"))
    );
    assert_eq!(
        (created["fault"]["status"].as_str(), &created["fault"]["work_order_id"]),
        (Some("in_progress"), &created["work_order"]["id"])
    );

    let (status, body) = problem(app.post_json(&from_fault, &json!({}), Some(&chief)).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("work_order_exists_for_fault")));
    let list_url = format!("/v1/yachts/{}/work-orders?fault_id={}", yacht.id, fault["id"].as_str().expect("id"));
    let listed: Value = app.get_as(&list_url, &chief).await.json().await.expect("json");
    assert_eq!(listed["items"].as_array().expect("items").len(), 1, "the refused duplicate wrote nothing");
    let forced =
        app.post_json(&from_fault, &json!({"allow_duplicate": true, "title": "Second opinion"}), Some(&chief)).await;
    assert_eq!(forced.status(), 201);

    let url = format!("/v1/yachts/{}/work-orders/{}", yacht.id, created["work_order"]["id"].as_str().expect("id"));
    app.send(Method::POST, &format!("{url}/start"), None, &chief).await;
    app.send(Method::POST, &format!("{url}/complete"), Some(&json!({"completion_notes": "Membrane cleaned"})), &chief)
        .await;
    let resolved: Value = app
        .get_as(&format!("/v1/yachts/{}/faults/{}", yacht.id, fault["id"].as_str().expect("id")), &chief)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(resolved["status"], "resolved");
    assert!(resolved["resolution"].as_str().is_some_and(|r| r.ends_with("Membrane cleaned")), "{resolved}");
}

#[tokio::test]
async fn two_concurrent_requests_for_one_fault_create_one_work_order() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let fault: Value = app
        .post_json(&format!("/v1/yachts/{}/faults", yacht.id), &json!({"title": "Stabiliser alarm"}), Some(&chief))
        .await
        .json()
        .await
        .expect("json");
    let url = format!("/v1/yachts/{}/faults/{}/work-order", yacht.id, fault["id"].as_str().expect("id"));
    let empty = json!({});
    let (a, b) = tokio::join!(app.post_json(&url, &empty, Some(&chief)), app.post_json(&url, &empty, Some(&chief)));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
}

#[tokio::test]
async fn work_order_lists_filter_and_sort_by_due_date_with_undated_last() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/work-orders", yacht.id);
    for (title, due, priority) in [
        ("Undated job", None, "routine"),
        ("Later job", Some("2026-12-20"), "important"),
        ("Sooner job", Some("2026-12-02"), "critical"),
    ] {
        let response =
            app.post_json(&base, &json!({"title": title, "due_on": due, "priority": priority}), Some(&chief)).await;
        assert_eq!(response.status(), 201);
    }
    let titles = |list: Value| -> Vec<String> {
        list["items"].as_array().expect("items").iter().filter_map(|w| w["title"].as_str().map(str::to_owned)).collect()
    };
    let get = |query: &str| {
        let (app, url, chief) = (&app, format!("{base}?{query}"), chief.clone());
        async move { app.get_as(&url, &chief).await.json::<Value>().await.expect("json") }
    };
    assert_eq!(titles(get("sort=due_on").await), ["Sooner job", "Later job", "Undated job"]);
    let first: Value = get("sort=due_on&limit=2").await;
    let rest = get(&format!("sort=due_on&limit=2&cursor={}", first["next_cursor"].as_str().expect("cursor"))).await;
    assert_eq!(titles(rest), ["Undated job"], "the cursor pages past dated work into undated work");
    assert_eq!(titles(get("due_before=2026-12-10").await), ["Sooner job"]);
    assert_eq!(titles(get("priority=critical,important&sort=number").await), ["Later job", "Sooner job"]);
    assert_eq!(titles(get("q=sooner").await), ["Sooner job"]);
    assert_eq!(problem(app.get_as(&format!("{base}?sort=urgency"), &chief).await).await.0, 422);
}
