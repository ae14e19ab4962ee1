//! Parts and the stock ledger over REST: receive, consume on a work order, adjust, low stock,
//! barcode lookup, and the last unit never consumed twice.

use pms_tests::{problem, spawn_app};
use serde_json::{Value, json};

#[tokio::test]
async fn stock_moves_through_the_ledger_and_never_below_zero() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.demo", "engineer").await;
    let base = format!("/v1/yachts/{}/parts", yacht.id);
    let response = app
        .post_json(&base, &json!({"number": " 0900-1234 ", "name": "Oil filter", "manufacturer": "MTU", "minimum_quantity": 4, "reorder_quantity": 10, "barcode": "4006381333931"}), Some(&engineer))
        .await;
    assert_eq!(response.status(), 201);
    let part: Value = response.json().await.expect("json");
    assert_eq!(
        (part["number"].as_str(), part["on_hand"].as_f64(), part["low_stock"].as_bool()),
        (Some("0900-1234"), Some(0.0), Some(true))
    );
    let (status, body) =
        problem(app.post_json(&base, &json!({"number": "0900-1234", "name": "Copy"}), Some(&engineer)).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("part_number_taken")));

    let url = format!("{base}/{}", part["id"].as_str().expect("id"));
    let post = |action: &str, token: &str, body: Value| {
        let (app, url, token) = (&app, format!("{url}/{action}"), token.to_owned());
        async move { app.post_json(&url, &body, Some(&token)).await }
    };
    let received: Value = post("receive", &engineer, json!({"quantity": 5})).await.json().await.expect("json");
    assert_eq!((received["part"]["on_hand"].as_f64(), received["movement"]["delta"].as_f64()), (Some(5.0), Some(5.0)));

    let wo: Value = app
        .post_json(&format!("/v1/yachts/{}/work-orders", yacht.id), &json!({"title": "Oil change"}), Some(&engineer))
        .await
        .json()
        .await
        .expect("json");
    let used: Value =
        post("consume", &engineer, json!({"quantity": 2, "work_order_id": wo["id"], "note": "Oil change"}))
            .await
            .json()
            .await
            .expect("json");
    assert_eq!(
        (used["part"]["on_hand"].as_f64(), used["movement"]["work_order_id"].as_str()),
        (Some(3.0), wo["id"].as_str())
    );
    assert_eq!(used["part"]["suggested_order_quantity"], 10.0);

    let (status, body) = problem(post("consume", &engineer, json!({"quantity": 3.5})).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("insufficient_stock")));
    let (status, body) =
        problem(post("consume", &engineer, json!({"quantity": 1, "work_order_id": uuid::Uuid::new_v4()})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("work_order_id")));
    let (status, _) = problem(post("adjust", &engineer, json!({"counted": 2, "reason": "count"})).await).await;
    assert_eq!(status, 403, "adjusting is for heads of department");
    let adjusted: Value =
        post("adjust", &chief, json!({"counted": 2, "reason": "Quarterly count"})).await.json().await.expect("json");
    assert_eq!((adjusted["part"]["on_hand"].as_f64(), adjusted["movement"]["delta"].as_f64()), (Some(2.0), Some(-1.0)));

    let ledger: Value = app.get_as(&format!("{url}/movements"), &engineer).await.json().await.expect("json");
    let kinds: Vec<&str> =
        ledger["items"].as_array().expect("items").iter().filter_map(|m| m["kind"].as_str()).collect();
    assert_eq!(kinds, ["adjust", "consume", "receive"], "refused movements left no trace");
    let total: f64 = ledger["items"].as_array().expect("items").iter().filter_map(|m| m["delta"].as_f64()).sum();
    assert!((total - 2.0).abs() < 1e-9, "on hand equals the sum of the ledger");

    let low: Value = app.get_as(&format!("{base}?low_stock=true"), &engineer).await.json().await.expect("json");
    assert_eq!(low["items"][0]["id"], part["id"]);
    let scanned: Value =
        app.get_as(&format!("{base}?barcode=4006381333931"), &engineer).await.json().await.expect("json");
    assert_eq!(scanned["items"][0]["name"], "Oil filter");
}

#[tokio::test]
async fn two_concurrent_consumptions_of_the_last_unit_leave_one_winner() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let part: Value = app
        .post_json(
            &format!("/v1/yachts/{}/parts", yacht.id),
            &json!({"number": "IMP-7", "name": "Impeller"}),
            Some(&chief),
        )
        .await
        .json()
        .await
        .expect("json");
    let url = format!("/v1/yachts/{}/parts/{}", yacht.id, part["id"].as_str().expect("id"));
    assert_eq!(app.post_json(&format!("{url}/receive"), &json!({"quantity": 1}), Some(&chief)).await.status(), 200);

    let one = json!({"quantity": 1});
    let consume = format!("{url}/consume");
    let (a, b) = tokio::join!(app.post_json(&consume, &one, Some(&chief)), app.post_json(&consume, &one, Some(&chief)));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let now: Value = app.get_as(&url, &chief).await.json().await.expect("json");
    assert_eq!(now["on_hand"], 0.0);
}

#[tokio::test]
async fn a_purchase_request_is_approved_ordered_and_received_into_stock() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (engineer, _) = app.add_member(&yacht, "engineer@aurora.demo", "engineer").await;
    let part: Value = app
        .post_json(
            &format!("/v1/yachts/{}/parts", yacht.id),
            &json!({"number": "RK-9", "name": "Pump repair kit"}),
            Some(&engineer),
        )
        .await
        .json()
        .await
        .expect("json");
    let base = format!("/v1/yachts/{}/purchase-requests", yacht.id);
    let response = app
        .post_json(
            &base,
            &json!({"part_id": part["id"], "quantity": 3, "reason": "Spare for the crossing"}),
            Some(&engineer),
        )
        .await;
    assert_eq!(response.status(), 201);
    let request: Value = response.json().await.expect("json");
    assert_eq!(request["status"], "requested");
    let url = format!("{base}/{}", request["id"].as_str().expect("id"));
    let step = |token: &str, action: &str, body: Value| {
        let (app, url, token) = (&app, format!("{url}/{action}"), token.to_owned());
        async move { app.post_json(&url, &body, Some(&token)).await }
    };

    assert_eq!(
        problem(step(&engineer, "approve", json!({})).await).await.0,
        403,
        "approval is for heads of department"
    );
    let (status, body) = problem(step(&engineer, "receive", json!({})).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("invalid_state_transition")),
        "nothing to receive before ordering"
    );
    assert_eq!(
        step(&chief, "approve", json!({"note": "OK"})).await.json::<Value>().await.expect("json")["status"],
        "approved"
    );
    assert_eq!(step(&chief, "ordered", json!({})).await.json::<Value>().await.expect("json")["status"], "ordered");
    let received: Value = step(&engineer, "receive", json!({})).await.json().await.expect("json");
    assert_eq!(received["status"], "received");

    let stocked: Value = app
        .get_as(&format!("/v1/yachts/{}/parts/{}", yacht.id, part["id"].as_str().expect("id")), &engineer)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(stocked["on_hand"], 3.0, "receiving the order put it into stock");
    let (status, _) = problem(step(&engineer, "receive", json!({})).await).await;
    assert_eq!(status, 409, "received once only");
    let open: Value =
        app.get_as(&format!("{base}?status=requested,approved"), &chief).await.json().await.expect("json");
    assert_eq!(open["items"], json!([]));
}

#[tokio::test]
async fn a_return_gives_back_at_most_what_its_work_order_still_holds() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/parts", yacht.id);
    let part: Value = app
        .post_json(&base, &json!({"number": "0900-1234", "name": "Oil filter"}), Some(&chief))
        .await
        .json()
        .await
        .expect("json");
    let url = format!("{base}/{}", part["id"].as_str().expect("id"));
    let post = |action: &str, body: Value| {
        let (app, url, chief) = (&app, format!("{url}/{action}"), chief.clone());
        async move { app.post_json(&url, &body, Some(&chief)).await }
    };
    let work_order = |title: &str| {
        let (app, path, chief, body) =
            (&app, format!("/v1/yachts/{}/work-orders", yacht.id), chief.clone(), json!({"title": title}));
        async move { app.post_json(&path, &body, Some(&chief)).await.json::<Value>().await.expect("json")["id"].clone() }
    };
    let (oil_change, other) = (work_order("Oil change").await, work_order("Other job").await);
    assert_eq!(post("receive", json!({"quantity": 10})).await.status(), 200);
    assert_eq!(post("consume", json!({"quantity": 3, "work_order_id": oil_change})).await.status(), 200);

    // Receiving names no work order: the field is refused, not dropped.
    let (status, body) = problem(post("receive", json!({"quantity": 1, "work_order_id": oil_change})).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")), "{body}");
    // A return names the work order it comes from, and gives back at most what is still out.
    let (status, body) = problem(post("return", json!({"quantity": 1})).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_body")), "{body}");
    for (quantity, from) in [(50.0, &oil_change), (3.5, &oil_change), (1.0, &other)] {
        let (status, body) = problem(post("return", json!({"quantity": quantity, "work_order_id": from})).await).await;
        assert_eq!((status, body["code"].as_str()), (409, Some("return_exceeds_issued")), "{quantity} from {from}");
    }
    let (status, body) =
        problem(post("return", json!({"quantity": 1, "work_order_id": uuid::Uuid::new_v4()})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("work_order_id")), "{body}");
    let returned: Value =
        post("return", json!({"quantity": 2, "work_order_id": oil_change})).await.json().await.expect("json");
    assert_eq!(returned["part"]["on_hand"], 9.0);
    let (status, _) = problem(post("return", json!({"quantity": 1.5, "work_order_id": oil_change})).await).await;
    assert_eq!(status, 409, "only one is still out");
    // Leftovers come back after the job is done as well.
    let wo_url = format!("/v1/yachts/{}/work-orders/{}", yacht.id, oil_change.as_str().expect("id"));
    for (step, body) in [("start", json!({})), ("complete", json!({"completion_notes": "Oil and filters changed"}))] {
        let response = app.post_json(&format!("{wo_url}/{step}"), &body, Some(&chief)).await;
        assert_eq!(response.status(), 200, "{step}: {}", response.text().await.unwrap_or_default());
    }
    let returned: Value =
        post("return", json!({"quantity": 1, "work_order_id": oil_change})).await.json().await.expect("json");
    assert_eq!(returned["part"]["on_hand"], 10.0, "everything issued is back");
    let ledger: Value = app.get_as(&format!("{url}/movements"), &chief).await.json().await.expect("json");
    let total: f64 = ledger["items"].as_array().expect("items").iter().filter_map(|m| m["delta"].as_f64()).sum();
    assert!((total - 10.0).abs() < 1e-9, "on hand is the sum of the ledger, refused returns left no trace");
}
