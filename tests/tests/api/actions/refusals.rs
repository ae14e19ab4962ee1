//! Refusals (each with its status and code, changing nothing), retries, the body-addressed
//! route, and the action list by role and by a record's state.

use pms_tests::{pool_for, problem};
use reqwest::Method;
use serde_json::{Value, json};

use super::{Ship, id};

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
    // A record the payload names that is not on this yacht is missing too, not a malformed payload.
    let report = json!({"equipment_id": uuid::Uuid::now_v7(), "title": "Low oil pressure alarm"});
    let body = refused(&s, &s.engineer, "report_fault", report, 404, "not_found").await;
    assert_eq!(body["errors"][0]["field"], "payload.equipment_id", "{body}");
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
    assert_eq!(logged, "10", "every refusal of a known action on this yacht is logged");
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
    let part = s.part("FLT-1", 0).await;
    let request = s.rest("purchase-requests", json!({"part_id": part, "quantity": 2})).await;
    let url = s.path(&format!("actions?entity_type=purchase_request&entity_id={}", id(&request)));
    let offered: Value = s.app.get_as(&url, &s.chief).await.json().await.expect("json");
    assert_eq!(names(&offered), ["approve_purchase_request"], "a request awaiting a decision");

    let (status, body) = problem(s.app.get_as(&s.path("actions?entity_type=galley"), &s.chief).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
}
