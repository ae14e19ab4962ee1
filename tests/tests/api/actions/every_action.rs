//! The table: every registry action run as a role that may (its effect checked in the tenant
//! database, an audit entry for a mutation, none for a read) and as one that may not.

use std::collections::BTreeSet;

use pms_tests::problem;
use reqwest::Method;
use serde_json::{Value, json};

use super::{Ship, Who, id, token};

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
        // The result is about what the payload named: every id it gave appears in the answer.
        let result = body["result"].to_string();
        for named in ids_in(&case.payload) {
            assert!(result.contains(&named), "{}: {named} missing from {result}", case.action);
        }
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

/// The UUIDs a payload names, at any depth.
fn ids_in(payload: &Value) -> Vec<String> {
    match payload {
        Value::String(text) if uuid::Uuid::parse_str(text).is_ok() => vec![text.clone()],
        Value::Array(items) => items.iter().flat_map(ids_in).collect(),
        Value::Object(fields) => fields.values().flat_map(ids_in).collect(),
        _ => Vec::new(),
    }
}
