//! Planned maintenance over REST and from the command line: schedules, the due list, planning
//! due work exactly once, meter readings that plan hour-based work at once, completion moving a
//! schedule on, and the `scheduler run` cron command.

use pms_tests::{TestApp, TestYacht, base_environment, binary_command, pool_for, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn days_ago(days: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(days)).to_string()
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

async fn read_hours(app: &TestApp, yacht: &TestYacht, token: &str, equipment: &Value, hours: f64) -> Value {
    let url = format!("/v1/yachts/{}/equipment/{}/running-hours", yacht.id, equipment["id"].as_str().expect("id"));
    let response = app.post_json(&url, &json!({"hours": hours}), Some(token)).await;
    assert_eq!(response.status(), 201);
    response.json().await.expect("json")
}

async fn create_schedule(app: &TestApp, yacht: &TestYacht, token: &str, body: &Value) -> Value {
    let response = app.post_json(&format!("/v1/yachts/{}/schedules", yacht.id), body, Some(token)).await;
    let status = response.status();
    let created: Value = response.json().await.expect("json");
    assert_eq!(status, 201, "creating a schedule: {created}");
    created
}

async fn count(yacht: &TestYacht, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&pool_for(&yacht.database).await)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_due_schedule_is_planned_once_and_completing_the_work_moves_it_on() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let genset = app.create_equipment(&yacht, &chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    read_hours(&app, &yacht, &chief, &genset, 4_000.0).await;
    let base = format!("/v1/yachts/{}/schedules", yacht.id);

    let body = json!({"equipment_id": genset["id"], "title": "DG-1 oil and filter change", "every_days": 180,
                      "every_hours": 500, "priority": "important", "last_done_on": days_ago(200)});
    let schedule = create_schedule(&app, &yacht, &chief, &body).await;
    assert_eq!(schedule["next_due_on"], days_ago(20));
    assert_eq!(
        (schedule["next_due_hours"].as_f64(), schedule["current_hours"].as_f64()),
        (Some(4_500.0), Some(4_000.0))
    );
    assert_eq!((schedule["lead_days"].as_u64(), schedule["lead_hours"].as_f64()), (Some(7), Some(50.0)));
    assert_eq!((schedule["due"].as_bool(), schedule["overdue"].as_bool()), (Some(true), Some(true)));
    let id = schedule["id"].as_str().expect("id");

    let due: Value = app.get_as(&format!("{base}/due"), &chief).await.json().await.expect("json");
    assert_eq!(due["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        (due["items"][0]["schedule"]["id"].as_str(), &due["items"][0]["open_work_order"]),
        (Some(id), &Value::Null)
    );

    let planned: Value =
        app.post_json(&format!("{base}/plan-due"), &json!(null), Some(&chief)).await.json().await.expect("json");
    let work = &planned["items"][0];
    assert_eq!(planned["items"].as_array().map(Vec::len), Some(1), "{planned}");
    assert_eq!((work["kind"].as_str(), work["schedule_id"].as_str()), (Some("scheduled"), Some(id)));
    assert_eq!(
        (work["title"].as_str(), work["priority"].as_str()),
        (Some("DG-1 oil and filter change"), Some("important"))
    );
    assert_eq!((work["due_on"].as_str(), &work["equipment_id"]), (Some(days_ago(20).as_str()), &genset["id"]));
    let again: Value =
        app.post_json(&format!("{base}/plan-due"), &json!(null), Some(&chief)).await.json().await.expect("json");
    assert_eq!(again["items"], json!([]), "running again plans nothing");
    let due: Value = app.get_as(&format!("{base}/due"), &chief).await.json().await.expect("json");
    assert_eq!(due["items"][0]["open_work_order"]["number"], work["number"]);
    let listed: Value = app
        .get_as(&format!("/v1/yachts/{}/work-orders?schedule_id={id}", yacht.id), &chief)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));

    read_hours(&app, &yacht, &chief, &genset, 4_120.0).await;
    let work_url = format!("/v1/yachts/{}/work-orders/{}", yacht.id, work["id"].as_str().expect("id"));
    app.send(Method::POST, &format!("{work_url}/start"), None, &chief).await;
    let notes = json!({"completion_notes": "Oil and both filters changed."});
    let completed = app.send(Method::POST, &format!("{work_url}/complete"), Some(&notes), &chief).await;
    assert_eq!(completed.status(), 200);

    let moved: Value = app.get_as(&format!("{base}/{id}"), &chief).await.json().await.expect("json");
    assert_eq!(
        (moved["last_done_on"].as_str(), moved["last_done_hours"].as_f64()),
        (Some(today().as_str()), Some(4_120.0))
    );
    assert_eq!(
        (moved["next_due_hours"].as_f64(), moved["due"].as_bool(), moved["version"].as_i64()),
        (Some(4_620.0), Some(false), Some(2))
    );
    let due: Value = app.get_as(&format!("{base}/due"), &chief).await.json().await.expect("json");
    assert_eq!(due["items"], json!([]));
    let audit: Value = app
        .get_as(&format!("/v1/yachts/{}/audit?entity_type=schedule&entity_id={id}", yacht.id), &chief)
        .await
        .json()
        .await
        .expect("json");
    let actions: Vec<&str> =
        audit["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(actions.contains(&"schedule.created") && actions.contains(&"schedule.done"), "{actions:?}");
}

#[tokio::test]
async fn a_meter_reading_that_reaches_the_hours_plans_the_work_at_once() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.test", "engineer").await;
    let watermaker = app.create_equipment(&yacht, &chief, json!({"code": "WM-1", "name": "Watermaker 1"})).await;
    read_hours(&app, &yacht, &chief, &watermaker, 1_100.0).await;
    let body = json!({"equipment_id": watermaker["id"], "title": "Replace prefilters", "every_hours": 250,
                      "last_done_hours": 1_000, "lead_hours": 0});
    let schedule = create_schedule(&app, &yacht, &chief, &body).await;
    assert_eq!((schedule["next_due_on"].is_null(), schedule["next_due_hours"].as_f64()), (true, Some(1_250.0)));

    let short = read_hours(&app, &yacht, &engineer, &watermaker, 1_249.0).await;
    assert_eq!(short["planned_work_orders"], json!([]), "one hour short");
    let reached = read_hours(&app, &yacht, &engineer, &watermaker, 1_250.0).await;
    let planned = reached["planned_work_orders"].as_array().expect("planned");
    assert_eq!(planned.len(), 1, "{reached}");
    assert_eq!(
        (planned[0]["due_on"].as_str(), planned[0]["schedule_id"].as_str()),
        (Some(today().as_str()), schedule["id"].as_str())
    );
    let later = read_hours(&app, &yacht, &engineer, &watermaker, 1_300.0).await;
    assert_eq!(later["planned_work_orders"], json!([]), "already open");
    assert_eq!(count(&yacht, "SELECT count(*) FROM work_orders WHERE schedule_id IS NOT NULL").await, 1);
}

#[tokio::test]
async fn bad_schedules_are_refused_with_field_errors_and_nothing_is_written() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (crew, _) = app.add_member(&yacht, "deckhand@aurora.test", "crew").await;
    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.test", "engineer").await;
    let (other, other_chief) = app.yacht_with_chief("M/Y Borealis").await;
    let pump = app.create_equipment(&yacht, &chief, json!({"code": "FW-P1", "name": "Fresh water pump 1"})).await;
    let foreign = app.create_equipment(&other, &other_chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    let base = format!("/v1/yachts/{}/schedules", yacht.id);
    let valid = json!({"equipment_id": pump["id"], "title": "Inspect seals", "every_days": 30});

    for (token, who) in [(&crew, "crew"), (&engineer, "engineers")] {
        let (status, body) = problem(app.post_json(&base, &valid, Some(token)).await).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{who} do not schedule maintenance");
    }
    let with = |patch: Value| {
        let mut body = valid.clone();
        body.as_object_mut().expect("object").extend(patch.as_object().expect("object").clone());
        body
    };
    let cases = [
        (json!({"every_days": null}), "every_days"),
        (json!({"every_days": 0}), "every_days"),
        (json!({"every_hours": 0}), "every_hours"),
        (json!({"title": "  "}), "title"),
        (json!({"equipment_id": foreign["id"]}), "equipment_id"),
        (json!({"every_days": null, "every_hours": 250}), "last_done_hours"),
        (json!({"last_done_on": "2999-01-01"}), "last_done_on"),
        (json!({"lead_days": 366}), "lead_days"),
    ];
    for (patch, field) in cases {
        let (status, body) = problem(app.post_json(&base, &with(patch.clone()), Some(&chief)).await).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some(field)), "{patch}: {body}");
    }
    let (status, _) = problem(app.post_json(&base, &json!({"title": "x"}), Some(&chief)).await).await;
    assert_eq!(status, 422, "missing fields");
    assert_eq!(count(&yacht, "SELECT count(*) FROM schedules").await, 0);

    let schedule = create_schedule(&app, &yacht, &chief, &valid).await;
    let url = format!("{base}/{}", schedule["id"].as_str().expect("id"));
    let stale = app
        .client
        .patch(app.url(&url))
        .bearer_auth(&chief)
        .header("if-match", "\"7\"")
        .json(&json!({"title": "Inspect pump seals"}))
        .send()
        .await
        .expect("sent");
    assert_eq!(problem(stale).await.0, 412);
    let neither = app.send(Method::PATCH, &url, Some(&json!({"every_days": null})), &chief).await;
    let (status, body) = problem(neither).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("every_days")));
    let paused = app.send(Method::PATCH, &url, Some(&json!({"active": false, "every_hours": 500})), &chief).await;
    let paused: Value = paused.json().await.expect("json");
    assert_eq!(
        (paused["active"].as_bool(), paused["every_hours"].as_f64(), paused["version"].as_i64()),
        (Some(false), Some(500.0), Some(2))
    );
    assert_eq!(count(&yacht, "SELECT version::bigint FROM schedules").await, 2, "only the valid change landed");

    let (status, _) = problem(
        app.get_as(
            &format!("/v1/yachts/{}/schedules/{}", other.id, schedule["id"].as_str().expect("id")),
            &other_chief,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404, "another yacht's schedule");
    let (status, body) = problem(app.get_as(&format!("{base}?sort=priority"), &chief).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("sort")));
    let (status, _) = problem(app.get_as(&format!("{base}/due?within_days=400"), &chief).await).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn schedules_are_listed_by_next_due_date_with_filters_and_cursors() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let engine = app.create_equipment(&yacht, &chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let pump = app.create_equipment(&yacht, &chief, json!({"code": "FW-P1", "name": "Fresh water pump"})).await;
    for (equipment, title, days) in
        [(&engine, "Valve clearances", 365), (&pump, "Seal inspection", 30), (&engine, "Coolant test", 90)]
    {
        create_schedule(
            &app,
            &yacht,
            &chief,
            &json!({"equipment_id": equipment["id"], "title": title, "every_days": days}),
        )
        .await;
    }
    let base = format!("/v1/yachts/{}/schedules", yacht.id);
    let first: Value = app.get_as(&format!("{base}?limit=2"), &chief).await.json().await.expect("json");
    let titles = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|s| s["title"].as_str().expect("title").to_owned())
            .collect()
    };
    assert_eq!(titles(&first), ["Seal inspection", "Coolant test"]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second: Value =
        app.get_as(&format!("{base}?limit=2&cursor={cursor}"), &chief).await.json().await.expect("json");
    assert_eq!((titles(&second), &second["next_cursor"]), (vec!["Valve clearances".to_owned()], &Value::Null));
    let engine_only: Value = app
        .get_as(&format!("{base}?equipment_id={}&sort=title", engine["id"].as_str().expect("id")), &chief)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(titles(&engine_only), ["Coolant test", "Valve clearances"]);
    let searched: Value = app.get_as(&format!("{base}?q=coolnt"), &chief).await.json().await.expect("json");
    assert_eq!(titles(&searched), ["Coolant test"], "typo-tolerant");
    let (status, _) = problem(app.get_as(&format!("{base}?sort=title&cursor={cursor}"), &chief).await).await;
    assert_eq!(status, 422, "a cursor belongs to its sort");
}

#[tokio::test]
async fn the_scheduler_command_plans_every_yacht_once_even_when_runs_overlap() {
    let app = spawn_app().await;
    let mut schedules = Vec::new();
    for name in ["M/Y Aurora", "M/Y Borealis"] {
        let (yacht, chief) = app.yacht_with_chief(name).await;
        let hvac = app.create_equipment(&yacht, &chief, json!({"code": "AC-1", "name": "Chiller 1"})).await;
        let body = json!({"equipment_id": hvac["id"], "title": "Clean condenser", "every_days": 30, "last_done_on": days_ago(29)});
        schedules.push((yacht.clone(), create_schedule(&app, &yacht, &chief, &body).await));
    }
    let env = base_environment(&app.master_database);
    let command = || {
        let mut command = binary_command(&env);
        command.args(["scheduler", "run"]);
        command
    };
    let (mut first, mut second, mut third) = (command(), command(), command());
    let (a, b, c) = tokio::join!(first.output(), second.output(), third.output());
    let outputs = [a, b, c];
    for output in &outputs {
        let output = output.as_ref().expect("runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let stdout: String =
        outputs.iter().map(|o| String::from_utf8_lossy(&o.as_ref().expect("runs").stdout).into_owned()).collect();
    assert_eq!(stdout.matches("planned WO-").count(), 2, "each yacht's work planned by exactly one run:\n{stdout}");
    for (yacht, schedule) in &schedules {
        let id = schedule["id"].as_str().expect("id");
        let sql = format!(
            "SELECT count(*) FROM work_orders WHERE schedule_id = '{id}' AND created_by = '00000000-0000-0000-0000-000000000000'"
        );
        assert_eq!(count(yacht, &sql).await, 1, "{}", yacht.id);
    }
    let output = binary_command(&env).args(["scheduler", "run"]).output().await.expect("runs");
    assert_eq!(String::from_utf8_lossy(&output.stdout).matches("nothing due").count(), 2);
}
