//! Faults over REST: anyone reports, engineers and heads of department handle them through one
//! endpoint per transition; refusals change nothing; lists filter by status, code and text.

use pms_tests::{problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn crew_report_and_engineers_take_a_fault_through_its_lifecycle() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (crew, crew_id) = app.add_member(&yacht, "deckhand@aurora.demo", "crew").await;
    let engine = app.create_equipment(&yacht, &chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let base = format!("/v1/yachts/{}/faults", yacht.id);

    let response = app
        .post_json(&base, &json!({"equipment_id": engine["id"], "code": " e047 ", "title": "Low oil pressure alarm", "severity": "high",
                                   "description": "Alarm at 1,400 rpm.\nCleared after restart."}), Some(&crew))
        .await;
    assert_eq!(response.status(), 201);
    let fault: Value = response.json().await.expect("json");
    assert_eq!(
        (fault["code"].as_str(), fault["status"].as_str(), fault["reported_by"].as_str()),
        (Some("E047"), Some("open"), Some(crew_id.as_str()))
    );
    let url = format!("{base}/{}", fault["id"].as_str().expect("id"));

    let (status, body) = problem(app.send(Method::POST, &format!("{url}/acknowledge"), None, &crew).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "crew report but do not handle");

    let step = |action: &'static str, body: Option<Value>| {
        let (app, url, chief) = (&app, format!("{url}/{action}"), chief.clone());
        async move { app.send(Method::POST, &url, body.as_ref(), &chief).await }
    };
    let acknowledged: Value = step("acknowledge", None).await.json().await.expect("json");
    assert_eq!((acknowledged["status"].as_str(), acknowledged["version"].as_i64()), (Some("acknowledged"), Some(2)));
    let (status, body) = problem(step("acknowledge", None).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_state_transition")));
    let (status, body) = problem(step("resolve", Some(json!({"resolution": "   "}))).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("resolution")));

    let resolved: Value =
        step("resolve", Some(json!({"resolution": "Replaced the pressure sender."}))).await.json().await.expect("json");
    assert_eq!(
        (resolved["status"].as_str(), resolved["resolution"].as_str()),
        (Some("resolved"), Some("Replaced the pressure sender."))
    );
    let (status, _) = problem(step("false-alarm", Some(json!({"reason": "no"}))).await).await;
    assert_eq!(status, 409, "a resolved fault cannot become a false alarm");
    let reopened: Value = step("reopen", None).await.json().await.expect("json");
    assert_eq!(
        (reopened["status"].as_str(), &reopened["resolution"], &reopened["closed_at"]),
        (Some("open"), &Value::Null, &Value::Null)
    );
    let false_alarm: Value =
        step("false-alarm", Some(json!({"reason": "Chafed sensor cable."}))).await.json().await.expect("json");
    assert_eq!(false_alarm["status"], "false_alarm");

    let read_back: Value = app.get_as(&url, &crew).await.json().await.expect("json");
    assert_eq!(read_back, false_alarm, "what a write returns is what a read returns");
    let audit: Value = app
        .get_as(&format!("/v1/yachts/{}/audit?entity_type=fault", yacht.id), &yacht.captain_token)
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> =
        audit["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(
        actions,
        ["fault.marked_false_alarm", "fault.reopened", "fault.resolved", "fault.acknowledged", "fault.reported"]
    );
}

#[tokio::test]
async fn bad_reports_are_refused_with_field_errors_and_write_nothing() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/faults", yacht.id);
    let cases = [
        (json!({"title": ""}), "title"),
        (json!({"title": "x", "code": "E047!"}), "code"),
        (json!({"title": "x", "equipment_id": uuid::Uuid::new_v4()}), "equipment_id"),
        (json!({"title": "bell\u{7}"}), "title"),
    ];
    for (body, field) in cases {
        let (status, problem_body) = problem(app.post_json(&base, &body, Some(&chief)).await).await;
        assert_eq!((status, problem_body["errors"][0]["field"].as_str()), (422, Some(field)), "{body}");
    }
    let (status, problem_body) =
        problem(app.post_json(&base, &json!({"title": "x", "severity": "apocalyptic"}), Some(&chief)).await).await;
    assert_eq!((status, problem_body["code"].as_str()), (422, Some("invalid_body")));
    let list: Value = app.get_as(&base, &chief).await.json().await.expect("json");
    assert_eq!(list["items"], json!([]));
    let unknown = format!("{base}/{}/acknowledge", uuid::Uuid::new_v4());
    assert_eq!(problem(app.send(Method::POST, &unknown, None, &chief).await).await.0, 404);
}

#[tokio::test]
async fn fault_lists_filter_by_status_severity_code_equipment_and_words() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/faults", yacht.id);
    let genset = app.create_equipment(&yacht, &chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    let report = |body: Value| {
        let (app, base, chief) = (&app, base.clone(), chief.clone());
        async move { app.post_json(&base, &body, Some(&chief)).await.json::<Value>().await.expect("json") }
    };
    report(json!({"title": "Oil leak at filter housing", "severity": "medium"})).await;
    let overheat = report(json!({"title": "Coolant temperature high", "code": "SPN 110 FMI 0", "severity": "critical", "equipment_id": genset["id"]})).await;
    report(json!({"title": "Bilge alarm", "severity": "low"})).await;
    let ack = format!("{base}/{}/acknowledge", overheat["id"].as_str().expect("id"));
    assert_eq!(app.send(Method::POST, &ack, None, &chief).await.status(), 200);

    let titles = |list: Value| -> Vec<String> {
        list["items"].as_array().expect("items").iter().filter_map(|f| f["title"].as_str().map(str::to_owned)).collect()
    };
    let get = |query: &str| {
        let (app, url, chief) = (&app, format!("{base}?{query}"), chief.clone());
        async move { app.get_as(&url, &chief).await.json::<Value>().await.expect("json") }
    };
    assert_eq!(
        titles(get("").await),
        ["Bilge alarm", "Coolant temperature high", "Oil leak at filter housing"],
        "newest first"
    );
    assert_eq!(titles(get("status=acknowledged").await), ["Coolant temperature high"]);
    assert_eq!(titles(get("severity=low,medium").await), ["Bilge alarm", "Oil leak at filter housing"]);
    assert_eq!(
        titles(get("code=spn%20110%20%20fmi%200").await),
        ["Coolant temperature high"],
        "codes match after normalising"
    );
    assert_eq!(
        titles(get(&format!("equipment_id={}", genset["id"].as_str().expect("id"))).await),
        ["Coolant temperature high"]
    );
    assert_eq!(titles(get("q=oil%20filter").await), ["Oil leak at filter housing"], "every word must match");
    assert_eq!(
        titles(get("q=coolant%20temperture").await),
        ["Coolant temperature high"],
        "typos in longer words are tolerated"
    );
    let (status, _) = problem(app.get_as(&format!("{base}?status=closed"), &chief).await).await;
    assert_eq!(status, 422);
}
