//! The read views on real history: diagnosis, suggested parts, the timeline, low stock, the
//! worklist.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::Ship;

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
