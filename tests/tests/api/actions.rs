//! Micro-actions over HTTP: every action executed as a role that may run it (its effect checked
//! in the tenant database) and as one that may not (403, nothing written); the refusals; the
//! action list by role and by a record's state.

use std::collections::BTreeSet;

use pms_tests::{TestApp, TestYacht, pool_for, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::PgPool;

/// A yacht with a member of each access level and some equipment and stock to act on.
struct Ship {
    app: TestApp,
    yacht: TestYacht,
    db: PgPool,
    chief: String,
    engineer: String,
    engineer_id: String,
    crew: String,
    equipment: String,
}

impl Ship {
    async fn new() -> Self {
        let app = spawn_app().await;
        let (yacht, chief) = app.yacht_with_chief("M/Y Actions").await;
        let (engineer, engineer_id) = app.add_member(&yacht, "engineer@actions.test", "engineer").await;
        let (crew, _) = app.add_member(&yacht, "deckhand@actions.test", "crew").await;
        let equipment = app.create_equipment(&yacht, &chief, json!({"code": "DG-2", "name": "Generator 2"})).await;
        let db = pool_for(&yacht.database).await;
        let equipment = id(&equipment);
        Self { app, yacht, db, chief, engineer, engineer_id, crew, equipment }
    }

    fn path(&self, rest: &str) -> String {
        format!("/v1/yachts/{}/{rest}", self.yacht.id)
    }

    /// A REST call as the chief engineer that must succeed; its body.
    async fn rest(&self, path: &str, body: Value) -> Value {
        let response = self.app.send(Method::POST, &self.path(path), Some(&body), &self.chief).await;
        let status = response.status();
        let body: Value = response.json().await.expect("json");
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    async fn execute(&self, token: &str, action: &str, payload: &Value) -> reqwest::Response {
        let body = json!({"action": action, "payload": payload});
        self.app.send(Method::POST, &self.path("actions/execute"), Some(&body), token).await
    }

    async fn scalar(&self, sql: &str) -> String {
        sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(format!("SELECT ({sql})::text")))
            .fetch_one(&self.db)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .unwrap_or_default()
    }

    async fn audit_entries(&self) -> String {
        self.scalar("SELECT count(*) FROM audit_log").await
    }

    async fn fault(&self, code: &str) -> String {
        let body = json!({"equipment_id": self.equipment, "code": code, "title": format!("Alarm {code}")});
        id(&self.rest("faults", body).await)
    }

    async fn resolved_fault(&self) -> String {
        let fault = self.fault("E101").await;
        self.rest(&format!("faults/{fault}/resolve"), json!({"resolution": "Reset the breaker"})).await;
        fault
    }

    async fn work_order(&self, steps: &[&str]) -> String {
        let body = json!({"title": "Raw-water pump impeller", "equipment_id": self.equipment});
        let work_order = id(&self.rest("work-orders", body).await);
        for step in steps {
            let body = match *step {
                "complete" => json!({"completion_notes": "Done and tested"}),
                _ => json!({}),
            };
            self.rest(&format!("work-orders/{work_order}/{step}"), body).await;
        }
        work_order
    }

    async fn part(&self, number: &str, stock: u32) -> String {
        let body = json!({"number": number, "name": format!("Part {number}"), "barcode": format!("BC-{number}"), "minimum_quantity": 2});
        let part = id(&self.rest("parts", body).await);
        if stock > 0 {
            self.rest(&format!("parts/{part}/receive"), json!({"quantity": stock})).await;
        }
        part
    }
}

fn id(body: &Value) -> String {
    body["id"].as_str().unwrap_or_else(|| panic!("no id in {body}")).to_owned()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Crew,
    Engineer,
    Chief,
}

/// One action run: who may, who may not, the payload, and what it must change.
struct Case {
    action: &'static str,
    allowed: Who,
    denied: Option<Who>,
    payload: Value,
    /// SQL whose value the run must turn into `expect` (mutations only).
    probe: Option<(String, String)>,
}

fn read(action: &'static str, payload: Value) -> Case {
    Case { action, allowed: Who::Crew, denied: None, payload, probe: None }
}

fn change(action: &'static str, allowed: Who, payload: Value, probe: String, expect: &str) -> Case {
    let denied = match allowed {
        Who::Crew => None,
        Who::Engineer => Some(Who::Crew),
        Who::Chief => Some(Who::Engineer),
    };
    Case { action, allowed, denied, payload, probe: Some((probe, expect.to_owned())) }
}

#[allow(clippy::too_many_lines, reason = "one row per action of the registry")]
async fn cases(s: &Ship) -> Vec<Case> {
    use Who::{Chief, Crew, Engineer};
    let e = &s.equipment;
    let status = |table: &str, id: &str| format!("SELECT status FROM {table} WHERE id = '{id}'");
    let count = |table: &str, condition: String| format!("SELECT count(*) FROM {table} WHERE {condition}");
    let fault = s.fault("E047").await;
    let part = s.part("FLT-100", 10).await;
    let (ack, from, close, alarm) =
        (s.fault("E1").await, s.fault("E2").await, s.fault("E3").await, s.fault("E4").await);
    let reopen = s.resolved_fault().await;
    let (planned, started, completed) =
        (s.work_order(&[]).await, s.work_order(&["start"]).await, s.work_order(&["start", "complete"]).await);
    let (to_start, to_assign, to_defer, to_cancel) =
        (s.work_order(&[]).await, s.work_order(&[]).await, s.work_order(&[]).await, s.work_order(&[]).await);
    let (to_complete, to_log, with_parts) =
        (s.work_order(&["start"]).await, s.work_order(&["start"]).await, s.work_order(&["start"]).await);
    let to_reopen = s.work_order(&["start", "complete"]).await;
    let item = id(&s.rest(&format!("work-orders/{started}/checklist"), json!({"text": "Check the strainer"})).await);
    let second = id(&s.app.create_equipment(&s.yacht, &s.chief, json!({"code": "WM-1", "name": "Watermaker"})).await);
    let (used, received, counted, ordered) = (
        s.part("FLT-200", 5).await,
        s.part("FLT-300", 0).await,
        s.part("FLT-400", 4).await,
        s.part("FLT-500", 0).await,
    );
    let request = s
        .app
        .send(Method::POST, &s.path("purchase-requests"), Some(&json!({"part_id": part, "quantity": 4})), &s.engineer)
        .await;
    let request = id(&request.json().await.expect("json"));
    vec![
        change(
            "report_fault",
            Crew,
            json!({"equipment_id": e, "title": "Bilge alarm aft", "code": "B12"}),
            count("faults", "title = 'Bilge alarm aft'".into()),
            "1",
        ),
        change("acknowledge_fault", Engineer, json!({"fault_id": ack}), status("faults", &ack), "acknowledged"),
        read("diagnose_fault", json!({"fault_id": fault})),
        change(
            "add_fault_note",
            Crew,
            json!({"fault_id": fault, "body": "Smell of hot oil"}),
            count("notes", format!("subject_id = '{fault}'")),
            "1",
        ),
        change(
            "create_work_order_from_fault",
            Engineer,
            json!({"fault_id": from}),
            count("work_orders", format!("fault_id = '{from}'")),
            "1",
        ),
        change(
            "close_fault",
            Engineer,
            json!({"fault_id": close, "resolution": "Replaced the sender"}),
            status("faults", &close),
            "resolved",
        ),
        change("reopen_fault", Engineer, json!({"fault_id": reopen}), status("faults", &reopen), "open"),
        change(
            "mark_fault_false_alarm",
            Engineer,
            json!({"fault_id": alarm, "reason": "Loose sensor plug"}),
            status("faults", &alarm),
            "false_alarm",
        ),
        read("view_fault_history", json!({"equipment_id": e})),
        read("suggest_parts", json!({"fault_id": fault})),
        change(
            "create_work_order",
            Engineer,
            json!({"title": "Replace zincs"}),
            count("work_orders", "title = 'Replace zincs'".into()),
            "1",
        ),
        read("view_work_order", json!({"work_order_id": planned})),
        change(
            "start_work_order",
            Engineer,
            json!({"work_order_id": to_start}),
            status("work_orders", &to_start),
            "in_progress",
        ),
        change(
            "add_work_order_note",
            Crew,
            json!({"work_order_id": planned, "body": "Seal kit aboard"}),
            count("notes", format!("subject_id = '{planned}'")),
            "1",
        ),
        change(
            "add_parts_to_work_order",
            Engineer,
            json!({"work_order_id": with_parts, "parts": [{"part_id": part, "quantity": 2}]}),
            count("stock_movements", format!("work_order_id = '{with_parts}'")),
            "1",
        ),
        change(
            "log_work_order_hours",
            Engineer,
            json!({"work_order_id": to_log, "hours": 1.5}),
            count("work_order_time_entries", format!("work_order_id = '{to_log}'")),
            "1",
        ),
        change(
            "assign_work_order",
            Chief,
            json!({"work_order_id": to_assign, "assignee_id": s.engineer_id}),
            format!("SELECT assignee_id FROM work_orders WHERE id = '{to_assign}'"),
            &s.engineer_id,
        ),
        change(
            "mark_work_order_complete",
            Engineer,
            json!({"work_order_id": to_complete, "completion_notes": "Tested OK"}),
            status("work_orders", &to_complete),
            "completed",
        ),
        change(
            "defer_work_order",
            Chief,
            json!({"work_order_id": to_defer, "reason": "Yard period"}),
            status("work_orders", &to_defer),
            "deferred",
        ),
        change(
            "cancel_work_order",
            Chief,
            json!({"work_order_id": to_cancel, "reason": "Duplicate"}),
            status("work_orders", &to_cancel),
            "cancelled",
        ),
        change(
            "reopen_work_order",
            Chief,
            json!({"work_order_id": to_reopen}),
            status("work_orders", &to_reopen),
            "in_progress",
        ),
        read("view_work_order_checklist", json!({"work_order_id": started})),
        change(
            "mark_checklist_item_complete",
            Crew,
            json!({"work_order_id": started, "item_id": item}),
            format!("SELECT done_at IS NOT NULL FROM work_order_checklist_items WHERE id = '{item}'"),
            "true",
        ),
        read("view_worklist", json!({})),
        read("view_work_order_history", json!({"work_order_id": completed})),
        change(
            "schedule_maintenance",
            Chief,
            json!({"equipment_id": e, "title": "Impeller every 90 days", "every_days": 90}),
            count("schedules", "title = 'Impeller every 90 days'".into()),
            "1",
        ),
        read("view_maintenance_due", json!({"within_days": 30})),
        read("view_equipment_details", json!({"equipment_id": e})),
        read("view_equipment_history", json!({"equipment_id": e})),
        read("view_equipment_parts", json!({"equipment_id": e})),
        read("view_linked_faults", json!({"equipment_id": e})),
        change(
            "add_equipment_note",
            Crew,
            json!({"equipment_id": e, "body": "Weep at the pump seal"}),
            count("notes", format!("subject_id = '{e}'")),
            "1",
        ),
        change(
            "update_equipment_status",
            Engineer,
            json!({"equipment_id": second, "status": "degraded"}),
            status("equipment", &second),
            "degraded",
        ),
        change(
            "record_running_hours",
            Engineer,
            json!({"equipment_id": second, "hours": 120.5}),
            count("running_hours_readings", format!("equipment_id = '{second}'")),
            "1",
        ),
        read("view_part_stock", json!({"part_id": part})),
        read("view_part_location", json!({"part_id": part})),
        read("view_part_usage", json!({"part_id": part})),
        change(
            "log_part_usage",
            Engineer,
            json!({"part_id": used, "quantity": 1}),
            format!("SELECT on_hand::int FROM parts WHERE id = '{used}'"),
            "4",
        ),
        change(
            "receive_part",
            Engineer,
            json!({"part_id": received, "quantity": 12}),
            format!("SELECT on_hand::int FROM parts WHERE id = '{received}'"),
            "12",
        ),
        change(
            "adjust_stock",
            Chief,
            json!({"part_id": counted, "counted": 3, "reason": "Stock count"}),
            format!("SELECT on_hand::int FROM parts WHERE id = '{counted}'"),
            "3",
        ),
        change(
            "order_part",
            Engineer,
            json!({"part_id": ordered, "quantity": 6}),
            count("purchase_requests", format!("part_id = '{ordered}'")),
            "1",
        ),
        read("scan_part_barcode", json!({"barcode": "BC-FLT-100"})),
        read("view_low_stock", json!({})),
        change(
            "add_to_handover",
            Crew,
            json!({"summary": "Watermaker membranes due"}),
            count("handover_items", "summary = 'Watermaker membranes due'".into()),
            "1",
        ),
        read("view_handover", json!({})),
        Case {
            denied: Some(Engineer),
            allowed: Chief,
            ..read("view_audit_trail", json!({"entity_type": "work_order"}))
        },
        read("view_purchase_requests", json!({"status": ["requested"]})),
        change(
            "approve_purchase_request",
            Chief,
            json!({"purchase_request_id": request}),
            status("purchase_requests", &request),
            "approved",
        ),
    ]
}

fn token(s: &Ship, who: Who) -> &str {
    match who {
        Who::Crew => &s.crew,
        Who::Engineer => &s.engineer,
        Who::Chief => &s.chief,
    }
}

#[tokio::test]
async fn every_action_runs_for_a_role_allowed_to_and_is_refused_to_one_that_is_not() {
    let s = Ship::new().await;
    let cases = cases(&s).await;
    let listed: Value = s.app.get_as(&s.path("actions"), &s.yacht.captain_token).await.json().await.expect("json");
    let listed: BTreeSet<&str> =
        listed["actions"].as_array().expect("actions").iter().filter_map(|a| a["name"].as_str()).collect();
    let tested: BTreeSet<&str> = cases.iter().map(|c| c.action).collect();
    assert_eq!(listed.len(), 48, "a captain is offered every action");
    assert_eq!(tested, listed, "the table covers every action");

    for case in &cases {
        let probe = match &case.probe {
            Some((sql, _)) => s.scalar(sql).await,
            None => String::new(),
        };
        if let Some(denied) = case.denied {
            let before = s.audit_entries().await;
            let (status, body) = problem(s.execute(token(&s, denied), case.action, &case.payload).await).await;
            assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "{} as {denied:?}", case.action);
            assert_eq!(s.audit_entries().await, before, "{}: a refusal writes no audit entry", case.action);
            if let Some((sql, _)) = &case.probe {
                assert_eq!(s.scalar(sql).await, probe, "{}: a refusal changes nothing", case.action);
            }
        }
        let before = s.audit_entries().await.parse::<i64>().expect("count");
        let response = s.execute(token(&s, case.allowed), case.action, &case.payload).await;
        let status = response.status();
        let body: Value = response.json().await.expect("json");
        assert_eq!(status, 200, "{} as {:?}: {body}", case.action, case.allowed);
        assert_eq!((body["status"].as_str(), body["action"].as_str()), (Some("success"), Some(case.action)));
        assert!(body["result"].is_object(), "{}: {body}", case.action);
        let after = s.audit_entries().await.parse::<i64>().expect("count");
        match &case.probe {
            Some((sql, expect)) => {
                assert_eq!(&s.scalar(sql).await, expect, "{}: its effect", case.action);
                assert!(after > before, "{}: a mutation is audited", case.action);
            }
            None => assert_eq!(after, before, "{}: a read writes no audit entry", case.action),
        }
        let logged = s
            .scalar(&format!(
                "SELECT outcome || ' ' || action || ' ' || status FROM action_executions WHERE id = '{}'",
                body["execution_id"].as_str().expect("execution id")
            ))
            .await;
        assert_eq!(logged, format!("success {} 200", case.action));
    }
    let refused =
        s.scalar("SELECT count(*) FROM action_executions WHERE outcome = 'refused' AND error_code = 'forbidden'").await;
    assert_eq!(refused, cases.iter().filter(|c| c.denied.is_some()).count().to_string(), "refusals are logged");
}

/// Runs `action` and asserts a refusal with `status` and `code` that wrote no audit entry.
async fn refused(s: &Ship, token: &str, action: &str, payload: Value, status: u16, code: &str) -> Value {
    let before = s.audit_entries().await;
    let (got, body) = problem(s.execute(token, action, &payload).await).await;
    assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{action} {payload}: {body}");
    assert_eq!(s.audit_entries().await, before, "{action}: a refusal changes nothing");
    body
}

#[tokio::test]
async fn refusals_say_why_and_change_nothing() {
    let s = Ship::new().await;
    let body = refused(&s, &s.engineer, "launch_the_tender", json!({}), 404, "action_not_found").await;
    assert!(body["detail"].as_str().expect("detail").contains("launch_the_tender"));

    let body =
        refused(&s, &s.engineer, "create_work_order", json!({"priority": "routine"}), 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "payload.title");
    assert_eq!(body["errors"][0]["code"], "required");
    let started = s.work_order(&["start"]).await;
    let body = refused(
        &s,
        &s.engineer,
        "log_work_order_hours",
        json!({"work_order_id": started, "hours": "two"}),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "payload.hours");
    let body = refused(
        &s,
        &s.engineer,
        "start_work_order",
        json!({"work_order_id": started, "force": true}),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()),
        (Some("payload.force"), Some("unknown_field"))
    );
    // The role is checked before the payload: a crew member learns nothing about it.
    refused(&s, &s.crew, "approve_purchase_request", json!({"purchase_request_id": "not an id"}), 403, "forbidden")
        .await;

    let completed = s.work_order(&["start", "complete"]).await;
    refused(&s, &s.engineer, "start_work_order", json!({"work_order_id": completed}), 409, "invalid_state_transition")
        .await;
    assert_eq!(s.scalar(&format!("SELECT status FROM work_orders WHERE id = '{completed}'")).await, "completed");

    let fault = s.fault("E047").await;
    let from_fault = json!({"fault_id": fault});
    assert_eq!(s.execute(&s.engineer, "create_work_order_from_fault", &from_fault).await.status(), 200);
    refused(&s, &s.engineer, "create_work_order_from_fault", from_fault, 409, "work_order_exists_for_fault").await;
    assert_eq!(s.scalar(&format!("SELECT count(*) FROM work_orders WHERE fault_id = '{fault}'")).await, "1");

    let part = s.part("FLT-9", 2).await;
    refused(&s, &s.engineer, "log_part_usage", json!({"part_id": part, "quantity": 3}), 409, "insufficient_stock")
        .await;
    assert_eq!(s.scalar(&format!("SELECT on_hand::int FROM parts WHERE id = '{part}'")).await, "2");
    // All or nothing: the second line is short, so the first is not taken either.
    let other = s.part("FLT-10", 5).await;
    let parts = json!({"work_order_id": started, "parts": [{"part_id": other, "quantity": 1}, {"part_id": part, "quantity": 3}]});
    refused(&s, &s.engineer, "add_parts_to_work_order", parts, 409, "insufficient_stock").await;
    assert_eq!(s.scalar(&format!("SELECT on_hand::int FROM parts WHERE id = '{other}'")).await, "5");

    // Another yacht's records are not found from this one, and its path is not this crew's.
    let (elsewhere, elsewhere_chief) = s.app.yacht_with_chief("M/Y Elsewhere").await;
    let body = json!({"title": "Theirs"});
    let theirs = s
        .app
        .send(Method::POST, &format!("/v1/yachts/{}/work-orders", elsewhere.id), Some(&body), &elsewhere_chief)
        .await;
    let theirs = id(&theirs.json().await.expect("json"));
    refused(&s, &s.engineer, "start_work_order", json!({"work_order_id": theirs}), 404, "not_found").await;
    let call = json!({"action": "view_worklist", "payload": {}});
    let (status, _) = problem(
        s.app
            .send(Method::POST, &format!("/v1/yachts/{}/actions/execute", elsewhere.id), Some(&call), &s.engineer)
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let call = json!({"action": "start_work_order", "context": {"yacht_id": elsewhere.id}, "payload": {"work_order_id": theirs}});
    let (status, _) = problem(s.app.send(Method::POST, "/v1/actions/execute", Some(&call), &s.engineer).await).await;
    assert_eq!(status, 404, "a yacht the caller is not a member of");
    let theirs_now = pool_for(&elsewhere.database).await;
    let status: String =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT status FROM work_orders WHERE id = '{theirs}'")))
            .fetch_one(&theirs_now)
            .await
            .expect("status");
    assert_eq!(status, "planned");
    let logged = s.scalar("SELECT count(*) FROM action_executions WHERE outcome = 'refused'").await;
    assert_eq!(logged, "9", "every refusal of a known action on this yacht is logged");
}

#[tokio::test]
async fn a_retried_mutation_runs_once_and_the_body_may_carry_the_yacht() {
    let s = Ship::new().await;
    let call = json!({"action": "create_work_order", "payload": {"title": "Retried once"}});
    let send = || async {
        let request = s.app.client.post(s.app.url(&s.path("actions/execute"))).bearer_auth(&s.engineer);
        request.header("Idempotency-Key", "wo-retry-1").json(&call).send().await.expect("sent")
    };
    let first: Value = send().await.json().await.expect("json");
    let second = send().await;
    assert_eq!(second.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    let second: Value = second.json().await.expect("json");
    assert_eq!(first, second, "the replay is the first answer");
    assert_eq!(s.scalar("SELECT count(*) FROM work_orders WHERE title = 'Retried once'").await, "1");
    assert_eq!(s.scalar("SELECT count(*) FROM action_executions WHERE action = 'create_work_order'").await, "1");

    // The seed-compatible route: the body's yacht, or the caller's only one.
    let sole = json!({"action": "view_worklist", "payload": {}});
    let response = s.app.send(Method::POST, "/v1/actions/execute", Some(&sole), &s.engineer).await;
    assert_eq!(response.status(), 200);
    let named = json!({"action": "view_equipment_details", "context": {"yacht_id": s.yacht.id}, "payload": {"equipment_id": s.equipment}});
    let body: Value =
        s.app.send(Method::POST, "/v1/actions/execute", Some(&named), &s.engineer).await.json().await.expect("json");
    assert_eq!(body["result"]["code"], "DG-2");
    let mismatch = json!({"action": "view_worklist", "context": {"yacht_id": uuid::Uuid::new_v4()}, "payload": {}});
    let (status, body) =
        problem(s.app.send(Method::POST, &s.path("actions/execute"), Some(&mismatch), &s.engineer).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("context.yacht_id")));
    // A member of two yachts must say which.
    let second_yacht = s.app.yacht_with_captain("M/Y Second").await;
    let body = json!({"email": "engineer@actions.test", "role": "engineer"});
    let invite = s
        .app
        .post_json(&format!("/v1/yachts/{}/members", second_yacht.id), &body, Some(&second_yacht.captain_token))
        .await;
    let invite: Value = invite.json().await.expect("json");
    let token = invite["invite_token"].as_str().expect("invite").to_owned();
    s.app.accept_invite(&token, pms_tests::TEST_PASSWORD).await;
    let (status, body) = problem(s.app.send(Method::POST, "/v1/actions/execute", Some(&sole), &s.engineer).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("context.yacht_id")));
}

#[tokio::test]
async fn the_action_list_follows_the_role_and_the_records_state() {
    let s = Ship::new().await;
    let names = |body: &Value| -> Vec<String> {
        body["actions"]
            .as_array()
            .expect("actions")
            .iter()
            .map(|a| a["name"].as_str().expect("name").to_owned())
            .collect()
    };
    let crew: Value = s.app.get_as(&s.path("actions"), &s.crew).await.json().await.expect("json");
    assert_eq!(crew["role"], "crew");
    let crew = names(&crew);
    assert!(crew.contains(&"report_fault".to_owned()) && crew.contains(&"mark_checklist_item_complete".to_owned()));
    assert!(
        !crew.iter().any(|n| ["create_work_order", "adjust_stock", "approve_purchase_request"].contains(&n.as_str()))
    );

    let completed = s.work_order(&["start", "complete"]).await;
    let url = s.path(&format!("actions?entity_type=work_order&entity_id={completed}"));
    let offered: Value = s.app.get_as(&url, &s.chief).await.json().await.expect("json");
    let offered_names = names(&offered);
    assert!(offered_names.contains(&"reopen_work_order".to_owned()), "{offered_names:?}");
    assert!(!offered_names.contains(&"start_work_order".to_owned()), "completed work does not start");
    assert!(!offered_names.contains(&"create_work_order".to_owned()), "creating is not done to a record");
    let reopen = offered["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["name"] == "reopen_work_order")
        .expect("offered");
    assert_eq!(reopen["prefill"]["work_order_id"], completed.as_str());
    assert_eq!(reopen["payload_schema"]["required"], json!(["work_order_id"]));
    let engineer: Value = s.app.get_as(&url, &s.engineer).await.json().await.expect("json");
    assert!(!names(&engineer).contains(&"reopen_work_order".to_owned()), "engineers do not reopen");

    let (status, _) = problem(
        s.app
            .get_as(&s.path(&format!("actions?entity_type=work_order&entity_id={}", uuid::Uuid::new_v4())), &s.chief)
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = problem(s.app.get_as(&s.path("actions?entity_type=galley"), &s.chief).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
}

#[tokio::test]
async fn read_views_bring_together_what_a_crew_member_needs() {
    let s = Ship::new().await;
    // An earlier E047 on the generator, fixed with two filters on a work order.
    let earlier = s.fault("E047").await;
    let filter = s.part("FLT-47", 3).await;
    let fix = s.rest(&format!("faults/{earlier}/work-order"), json!({})).await;
    let fix = fix["work_order"]["id"].as_str().expect("work order").to_owned();
    s.rest(&format!("work-orders/{fix}/start"), json!({})).await;
    let parts = json!({"work_order_id": fix, "parts": [{"part_id": filter, "quantity": 2}]});
    assert_eq!(s.execute(&s.engineer, "add_parts_to_work_order", &parts).await.status(), 200);
    s.rest(&format!("work-orders/{fix}/complete"), json!({"completion_notes": "Changed both oil filters"})).await;
    let now = s.fault("E047").await;

    let ship = &s;
    let run = |action: &'static str, payload: Value| async move {
        let response = ship.execute(&ship.crew, action, &payload).await;
        assert_eq!(response.status(), 200, "{action}");
        response.json::<Value>().await.expect("json")["result"].clone()
    };
    let diagnosis = run("diagnose_fault", json!({"fault_id": now})).await;
    assert_eq!(diagnosis["equipment"]["code"], "DG-2");
    assert_eq!(diagnosis["similar_faults"][0]["id"], earlier.as_str(), "{diagnosis}");
    assert_eq!(diagnosis["similar_faults"][0]["status"], "resolved");
    assert_eq!(diagnosis["work_orders"][0]["id"], fix.as_str());
    assert_eq!(
        (diagnosis["parts_used"][0]["part_id"].as_str(), diagnosis["parts_used"][0]["quantity_used"].as_f64()),
        (Some(filter.as_str()), Some(2.0))
    );
    let suggested = run("suggest_parts", json!({"fault_id": now})).await;
    assert_eq!(suggested["fault_code"], "E047");
    assert_eq!(suggested["parts"][0]["on_hand"], 1.0, "with what is aboard now");

    let timeline = run("view_equipment_history", json!({"equipment_id": s.equipment})).await;
    let kinds: BTreeSet<&str> =
        timeline["events"].as_array().expect("events").iter().filter_map(|e| e["kind"].as_str()).collect();
    for kind in ["fault_reported", "fault_closed", "work_order_created", "work_order_completed"] {
        assert!(kinds.contains(kind), "{kind} in {kinds:?}");
    }
    let low = run("view_low_stock", json!({})).await;
    assert!(
        low["items"].as_array().expect("items").iter().any(|p| p["id"] == filter.as_str()),
        "1 left of a minimum of 2"
    );
    let located = run("scan_part_barcode", json!({"barcode": "BC-FLT-47"})).await;
    assert_eq!(located["id"], filter.as_str());

    let mine = s.work_order(&[]).await;
    s.rest(&format!("work-orders/{mine}/assign"), json!({"assignee_id": s.engineer_id})).await;
    let response = s.execute(&s.engineer, "view_worklist", &json!({})).await;
    let worklist: Value = response.json().await.expect("json");
    assert_eq!(worklist["result"]["assigned_to_me"][0]["id"], mine.as_str());
    let history = run("view_work_order_history", json!({"work_order_id": fix})).await;
    assert!(history["changes"].as_array().expect("changes").len() >= 3, "created, started, completed: {history}");
}
