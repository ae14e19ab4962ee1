//! Hostile input against the real service: oversized and deeply nested JSON, invalid UTF-8,
//! huge query strings, SQL and LIKE metacharacters, path traversal, absurd numbers, duplicate
//! keys and wrong content types. Each is a 4xx problem (or, for a valid but odd filter, an
//! honest answer), never a 5xx, and nothing is written.

use pms_tests::{TestApp, TestYacht, pool_for, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

struct Aboard {
    app: TestApp,
    yacht: TestYacht,
    chief: String,
    equipment: String,
    part: String,
}

async fn aboard() -> Aboard {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("Hostile").await;
    let equipment = app
        .create_equipment(&yacht, &chief, json!({ "code": "DG-1", "name": "Generator 1", "system": "Electrical" }))
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let part = app
        .post_json(
            &format!("/v1/yachts/{}/parts", yacht.id),
            &json!({ "number": "OF-100", "name": "Oil filter", "unit": "each" }),
            Some(&chief),
        )
        .await;
    assert_eq!(part.status(), 201);
    let part = part.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    Aboard { app, yacht, chief, equipment, part }
}

impl Aboard {
    fn path(&self, rest: &str) -> String {
        format!("/v1/yachts/{}{rest}", self.yacht.id)
    }

    async fn raw(&self, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.app
            .client
            .request(method, self.app.url(path))
            .bearer_auth(&self.chief)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("sent")
    }

    /// Rows in the tables any write would touch.
    async fn written(&self) -> (i64, i64, i64) {
        let pool = pool_for(&self.yacht.database).await;
        let count = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect("count") }
        };
        (
            count("SELECT count(*) FROM audit_log").await,
            count("SELECT count(*) FROM work_orders").await,
            count("SELECT count(*) FROM stock_movements").await,
        )
    }
}

/// Asserts a 4xx problem+json and returns its code.
async fn refused(response: reqwest::Response, what: &str) -> String {
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!((400..500).contains(&status), "{what}: {status} {body}");
    assert_eq!(content_type, "application/problem+json", "{what}");
    body["code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn malformed_bodies_are_refused_and_write_nothing() {
    let ship = aboard().await;
    let before = ship.written().await;
    let work_orders = ship.path("/work-orders");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge_title =
        format!(r#"{{"title": "{}", "type": "corrective", "priority": "routine"}}"#, "x".repeat(2_000_000));
    let cases: Vec<(&str, &str, Vec<u8>, &[&str])> = vec![
        ("oversized", "application/json", huge_title.into_bytes(), &["payload_too_large"]),
        ("deeply nested", "application/json", nested.into_bytes(), &["malformed_json", "invalid_body"]),
        (
            "invalid UTF-8",
            "application/json",
            b"{\"title\": \"\xff\xfe\"}".to_vec(),
            &["malformed_json", "invalid_body"],
        ),
        (
            "NUL in a string",
            "application/json",
            br#"{"title": "oil\u0000change", "type": "corrective", "priority": "routine"}"#.to_vec(),
            &["invalid_body"],
        ),
        (
            "duplicate keys",
            "application/json",
            br#"{"title": "a", "title": "b", "type": "corrective", "priority": "routine"}"#.to_vec(),
            &["invalid_body"],
        ),
        // A misspelt field is refused rather than silently ignored (the spec says so too).
        (
            "an unknown field",
            "application/json",
            br#"{"title": "x", "priorty": "critical"}"#.to_vec(),
            &["invalid_body"],
        ),
        ("text/plain", "text/plain", br#"{"title": "x"}"#.to_vec(), &["unsupported_media_type"]),
        ("form", "application/x-www-form-urlencoded", b"title=x".to_vec(), &["unsupported_media_type"]),
        ("empty", "application/json", Vec::new(), &["malformed_json", "invalid_body"]),
        ("a bare string", "application/json", br#""create a work order""#.to_vec(), &["invalid_body"]),
    ];
    for (what, content_type, body, codes) in cases {
        let code = refused(ship.raw(Method::POST, &work_orders, content_type, body).await, what).await;
        assert!(codes.contains(&code.as_str()), "{what}: {code}");
    }
    let execute = ship.path("/actions/execute");
    let duplicated = format!(
        r#"{{"action": "log_part_usage", "action": "adjust_stock", "payload": {{"part_id": "{}", "quantity": 1}}}}"#,
        ship.part
    );
    let code =
        refused(ship.raw(Method::POST, &execute, "application/json", duplicated.into_bytes()).await, "dup").await;
    assert_eq!(code, "invalid_body");
    let duplicated_payload = format!(
        r#"{{"action": "receive_part", "payload": {{"part_id": "{0}", "quantity": 1, "quantity": 1000000}}}}"#,
        ship.part
    );
    let response = ship.raw(Method::POST, &execute, "application/json", duplicated_payload.into_bytes()).await;
    refused(response, "duplicate payload key").await;
    assert_eq!(ship.written().await, before, "nothing was written");
}

#[tokio::test]
async fn absurd_numbers_are_field_errors() {
    let ship = aboard().await;
    let before = ship.written().await;
    let receive = ship.path(&format!("/parts/{}/receive", ship.part));
    let hours = ship.path(&format!("/equipment/{}/running-hours", ship.equipment));
    for quantity in
        [json!(-1), json!(0), json!(1e308), json!(99_999_999_999_999_999_999.0_f64), json!("5"), json!(null)]
    {
        let response = ship.app.post_json(&receive, &json!({ "quantity": quantity }), Some(&ship.chief)).await;
        refused(response, &format!("quantity {quantity}")).await;
    }
    for reading in [json!(-5), json!(1e300), json!(f64::MAX)] {
        let response = ship.app.post_json(&hours, &json!({ "hours": reading }), Some(&ship.chief)).await;
        refused(response, &format!("hours {reading}")).await;
    }
    let list = ship.app.get_as(&ship.path("/work-orders?limit=-1"), &ship.chief).await;
    assert_eq!(refused(list, "negative limit").await, "validation_failed");
    let list = ship.app.get_as(&ship.path("/work-orders?limit=99999999999999999999"), &ship.chief).await;
    assert_eq!(refused(list, "enormous limit").await, "validation_failed");
    assert_eq!(ship.written().await, before, "nothing was written");
}

const BAD_DATES: [&str; 8] =
    ["-0001-01-01", "0000-01-01", "+10000-01-01", "2026-1-3", "1899-12-31", "2200-01-01", "2026-02-30", "03/12/2026"];

#[tokio::test]
async fn dates_outside_iso_8601_or_the_two_centuries_are_refused() {
    let ship = aboard().await;
    let before = ship.written().await;
    let work_orders = ship.path("/work-orders");
    for date in BAD_DATES {
        let response = ship
            .app
            .post_json(&work_orders, &json!({ "title": "Oil change", "due_on": date }), Some(&ship.chief))
            .await;
        refused(response, &format!("due_on {date}")).await;
        let list = ship.app.get_as(&format!("{work_orders}?due_before={date}"), &ship.chief).await;
        assert_eq!(refused(list, &format!("due_before {date}")).await, "validation_failed");
        let schedules = ship.app.get_as(&ship.path(&format!("/schedules?due_before={date}")), &ship.chief).await;
        assert_eq!(refused(schedules, &format!("schedules due_before {date}")).await, "validation_failed");
    }
    let hours = ship.path(&format!("/equipment/{}/running-hours", ship.equipment));
    for read_at in ["0001-01-01T00:00:00Z", "2026-12-03 08:00:00Z", "2026-12-03T08:00:00", "2026-12-03"] {
        let response = ship.app.post_json(&hours, &json!({ "hours": 10, "read_at": read_at }), Some(&ship.chief)).await;
        refused(response, &format!("read_at {read_at}")).await;
    }
    let audit = ship.app.get_as(&ship.path("/audit?from=0001-01-01T00:00:00Z"), &ship.chief).await;
    assert_eq!(refused(audit, "audit from year 1").await, "validation_failed");
    assert_eq!(ship.written().await, before, "nothing was written");

    // A deferral waits until a day that has not passed yet.
    let created = ship
        .app
        .post_json(&work_orders, &json!({ "title": "Oil change", "due_on": "2199-12-31" }), Some(&ship.chief))
        .await;
    assert_eq!(created.status(), 201, "the last day of the window is a date");
    let id = created.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let defer = ship.path(&format!("/work-orders/{id}/defer"));
    let past = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive().to_string();
    let response =
        ship.app.post_json(&defer, &json!({ "reason": "No yard slot", "until": past }), Some(&ship.chief)).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("json");
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("until")), "{body}");
    let next_week = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let response =
        ship.app.post_json(&defer, &json!({ "reason": "No yard slot", "until": next_week }), Some(&ship.chief)).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn metacharacters_in_filters_and_search_are_literal() {
    let ship = aboard().await;
    // `!` is no negation and `%` no wildcard: `!generator` finds the generator, the rest nothing.
    let generator = ship.app.get_as(&ship.path("/equipment?q=%21generator"), &ship.chief).await;
    let generator: Value = generator.json().await.expect("json");
    assert_eq!(generator["items"][0]["id"], ship.equipment.as_str());
    for needle in ["%", "_", "%%", "'; DROP TABLE equipment; --", "\\", "a:*", "!", "(", "' OR '1'='1", "\0"] {
        let encoded: String = url::form_urlencoded::byte_serialize(needle.as_bytes()).collect();
        for list in ["/equipment", "/parts", "/faults", "/work-orders"] {
            let response = ship.app.get_as(&ship.path(&format!("{list}?q={encoded}")), &ship.chief).await;
            let status = response.status().as_u16();
            let body: Value = response.json().await.expect("json");
            assert!(status == 200 || status == 422, "{list}?q={needle:?}: {status} {body}");
            if status == 200 {
                assert_eq!(body["items"], json!([]), "{list}?q={needle:?} matches nothing literally");
            }
        }
        let response = ship.app.post_json(&ship.path("/search"), &json!({ "query": needle }), Some(&ship.chief)).await;
        let status = response.status().as_u16();
        assert!(status == 200 || status == 422, "search {needle:?}: {status}");
        // The search bar ranks any word (`1` finds `Generator 1`); punctuation alone finds nothing.
        if status == 200 && !needle.chars().any(char::is_alphanumeric) {
            let body: Value = response.json().await.expect("json");
            assert_eq!(body["results"], json!([]), "search {needle:?}");
        }
    }
    let pool = pool_for(&ship.yacht.database).await;
    let equipment: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment").fetch_one(&pool).await.expect("count");
    assert_eq!(equipment, 1);
}

#[tokio::test]
async fn huge_query_strings_and_traversing_paths_are_refused() {
    let ship = aboard().await;
    let long = "x".repeat(50_000);
    for target in [format!("/equipment?q={long}"), format!("/equipment?{long}=1")] {
        let response = ship.app.get_as(&ship.path(&target), &ship.chief).await;
        assert_eq!(response.status(), 414);
        assert_eq!(refused(response, "a 50 kB request target").await, "uri_too_long");
    }
    let response = ship.app.get_as(&ship.path(&format!("/equipment?q={}", "x".repeat(300))), &ship.chief).await;
    assert_eq!(refused(response, "long q").await, "validation_failed");
    // Parameters a route does not define are ignored.
    let response = ship.app.get_as(&ship.path(&format!("/equipment?{}=1", "x".repeat(1000))), &ship.chief).await;
    assert_eq!(response.status(), 200);
    // A path id that is not a UUID names nothing: 422 on that segment.
    for (path, field) in [
        (format!("/v1/yachts/{}/equipment/..%2F..%2Fadmin%2Fyachts", ship.yacht.id), "equipment_id"),
        (format!("/v1/yachts/..%2F{}/equipment", ship.yacht.id), "yacht_id"),
        (format!("/v1/yachts/{}/work-orders/1%20OR%201=1", ship.yacht.id), "work_order_id"),
        (format!("/v1/yachts/{}/parts/{}%00", ship.yacht.id, ship.part), "part_id"),
        (format!("/v1/yachts/{}/parts/{}", ship.yacht.id, ship.part.replace('-', "")), "part_id"),
        (format!("/v1/yachts/{}/parts/%7B{}%7D", ship.yacht.id, ship.part), "part_id"),
        (format!("/v1/yachts/{}/parts/urn:uuid:{}", ship.yacht.id, ship.part), "part_id"),
    ] {
        let response = ship.app.get_as(&path, &ship.chief).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("json");
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some(field)), "{path}: {body}");
    }
    // Dot segments are resolved before routing: this one names the yacht itself, no route.
    let dots = ship.app.get_as(&format!("/v1/yachts/{}/equipment/%2e%2e", ship.yacht.id), &ship.chief).await;
    assert_eq!(refused(dots, "dot segments").await, "not_found");
    let canonical = ship.app.get_as(&ship.path(&format!("/parts/{}", ship.part.to_uppercase())), &ship.chief).await;
    assert_eq!(canonical.status(), 200, "hex digits in either case");
}
