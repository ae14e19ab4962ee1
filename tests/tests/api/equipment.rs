//! Equipment over REST: registration, reads, partial updates with If-Match, status, running hours,
//! list filters and paging, idempotent retries, and isolation between yachts.

use pms_tests::{problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn a_chief_engineer_registers_reads_and_updates_equipment() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/equipment", yacht.id);

    let response = app
        .post_json(&base, &json!({"code": "me-p", "name": "Port main engine", "system": "Propulsion", "criticality": "critical", "serial_number": "S-1"}), Some(&chief))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["etag"], "\"1\"");
    let location = response.headers()["location"].to_str().expect("ascii").to_owned();
    let created: Value = response.json().await.expect("json");
    assert_eq!(
        (created["code"].as_str(), created["status"].as_str(), created["version"].as_i64()),
        (Some("ME-P"), Some("operational"), Some(1))
    );
    assert_eq!(location, format!("{base}/{}", created["id"].as_str().expect("id")));

    let fetched = app.get_as(&location, &chief).await;
    assert_eq!(fetched.headers()["etag"], "\"1\"");
    assert_eq!(fetched.json::<Value>().await.expect("json"), created);

    let patch = |if_match: &'static str, body: Value| {
        let (app, location, chief) = (&app, location.clone(), chief.clone());
        async move {
            app.client
                .patch(app.url(&location))
                .bearer_auth(chief)
                .header("if-match", if_match)
                .json(&body)
                .send()
                .await
                .expect("sent")
        }
    };
    let updated = patch("\"1\"", json!({"location": "Engine room", "serial_number": null})).await;
    assert_eq!((updated.status().as_u16(), updated.headers()["etag"].to_str().expect("ascii")), (200, "\"2\""));
    let updated: Value = updated.json().await.expect("json");
    assert_eq!((updated["location"].as_str(), &updated["serial_number"]), (Some("Engine room"), &Value::Null));
    assert_eq!(updated["system"], "Propulsion", "omitted fields stay");
    let read_back: Value = app.get_as(&location, &chief).await.json().await.expect("json");
    assert_eq!(read_back, updated, "what a write returns is what a read returns");

    let (status, body) = problem(patch("\"1\"", json!({"name": "Stale write"})).await).await;
    assert_eq!((status, body["code"].as_str()), (412, Some("precondition_failed")));
    let (status, _) = problem(patch("garbage", json!({"name": "x"})).await).await;
    assert_eq!(status, 412);
    // RFC 9110: If-Match compares strongly, so a weak tag never matches; a list matches any.
    let (status, _) = problem(patch("W/\"2\"", json!({"name": "Weak write"})).await).await;
    assert_eq!(status, 412, "a weak entity tag matches no version");
    let listed = patch("\"1\", \"2\"", json!({"model": "16V 4000 M93L"})).await;
    assert_eq!(listed.status(), 200, "a list holding the current version matches");
    let now: Value = app.get_as(&location, &chief).await.json().await.expect("json");
    assert_eq!(
        (now["name"].as_str(), now["version"].as_i64()),
        (Some("Port main engine"), Some(3)),
        "refused writes change nothing"
    );
}

#[tokio::test]
async fn equipment_rules_are_enforced_and_refusals_write_nothing() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (crew, _) = app.add_member(&yacht, "deckhand@aurora.demo", "crew").await;
    let base = format!("/v1/yachts/{}/equipment", yacht.id);
    let engine = app.create_equipment(&yacht, &chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let turbo = app
        .create_equipment(&yacht, &chief, json!({"code": "ME-P-TC", "name": "Turbocharger", "parent_id": engine["id"]}))
        .await;

    let cases = [
        (&crew, Method::POST, base.clone(), json!({"code": "X-1", "name": "x"}), 403, "forbidden"),
        (&chief, Method::POST, base.clone(), json!({"code": "me-p", "name": "Duplicate"}), 409, "equipment_code_taken"),
        (&chief, Method::POST, base.clone(), json!({"code": "X 1", "name": "x"}), 422, "validation_failed"),
        (&chief, Method::POST, base.clone(), json!({"code": "X-1", "name": "   "}), 422, "validation_failed"),
        (
            &chief,
            Method::POST,
            base.clone(),
            json!({"code": "X-1", "name": "x", "parent_id": uuid::Uuid::new_v4()}),
            422,
            "validation_failed",
        ),
        (
            &chief,
            Method::POST,
            base.clone(),
            json!({"code": "X-1", "name": "x", "criticality": "extreme"}),
            422,
            "invalid_body",
        ),
        (
            &chief,
            Method::PATCH,
            format!("{base}/{}", engine["id"].as_str().expect("id")),
            json!({"parent_id": turbo["id"]}),
            422,
            "validation_failed",
        ),
        (&chief, Method::PATCH, format!("{base}/{}", uuid::Uuid::new_v4()), json!({"name": "ghost"}), 404, "not_found"),
        (
            &crew,
            Method::POST,
            format!("{base}/{}/status", engine["id"].as_str().expect("id")),
            json!({"status": "failed"}),
            403,
            "forbidden",
        ),
    ];
    for (token, method, path, body, status, code) in cases {
        let (got, problem_body) = problem(app.send(method.clone(), &path, Some(&body), token).await).await;
        assert_eq!(
            (got, problem_body["code"].as_str()),
            (status, Some(code)),
            "{method} {path} {body}: {problem_body}"
        );
    }
    let list: Value = app.get_as(&base, &crew).await.json().await.expect("json");
    assert_eq!(list["items"].as_array().expect("items").len(), 2, "crew can read; nothing was added");
    let engine_now: Value =
        app.get_as(&format!("{base}/{}", engine["id"].as_str().expect("id")), &crew).await.json().await.expect("json");
    assert_eq!((engine_now["version"].as_i64(), &engine_now["parent_id"]), (Some(1), &Value::Null));
}

#[tokio::test]
async fn status_changes_and_decommissioning_is_final() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let pump = app.create_equipment(&yacht, &chief, json!({"code": "BP-1", "name": "Bilge pump"})).await;
    let status_url = format!("/v1/yachts/{}/equipment/{}/status", yacht.id, pump["id"].as_str().expect("id"));
    let set = |status: &'static str| {
        let (app, url, chief) = (&app, status_url.clone(), chief.clone());
        async move { app.send(Method::POST, &url, Some(&json!({"status": status})), &chief).await }
    };
    let failed: Value = set("failed").await.json().await.expect("json");
    assert_eq!((failed["status"].as_str(), failed["version"].as_i64()), (Some("failed"), Some(2)));
    let same: Value = set("failed").await.json().await.expect("json");
    assert_eq!(same["version"], 2, "setting the current status is not a change");
    assert_eq!(set("decommissioned").await.status(), 200);
    let (status, body) = problem(set("operational").await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_state_transition")));
}

#[tokio::test]
async fn running_hours_only_go_up_unless_the_meter_was_reset() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let genset = app.create_equipment(&yacht, &chief, json!({"code": "DG-1", "name": "Generator 1"})).await;
    let url = format!("/v1/yachts/{}/equipment/{}/running-hours", yacht.id, genset["id"].as_str().expect("id"));
    let record = |body: Value| {
        let (app, url, chief) = (&app, url.clone(), chief.clone());
        async move { app.post_json(&url, &body, Some(&chief)).await }
    };

    let first = record(json!({"hours": 12450.04, "note": "noon"})).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    assert_eq!(
        (first["reading"]["hours"].as_f64(), first["equipment"]["running_hours"].as_f64()),
        (Some(12450.0), Some(12450.0))
    );
    let (status, body) = problem(record(json!({"hours": 12000})).await).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("running_hours_not_monotonic")));
    let (status, body) = problem(record(json!({"hours": 1, "read_at": "2999-01-01T00:00:00Z"})).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("read_at")));
    let (status, _) = problem(record(json!({"hours": -5})).await).await;
    assert_eq!(status, 422);
    let reset: Value = record(json!({"hours": 2.5, "is_reset": true})).await.json().await.expect("json");
    assert_eq!(reset["equipment"]["running_hours"], 2.5);

    let readings: Value = app.get_as(&url, &chief).await.json().await.expect("json");
    let hours: Vec<f64> =
        readings["items"].as_array().expect("items").iter().filter_map(|r| r["hours"].as_f64()).collect();
    assert_eq!(hours, [2.5, 12450.0], "newest first; refused readings were not stored");
}

#[tokio::test]
async fn lists_filter_search_and_page_without_gaps_or_repeats() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/equipment", yacht.id);
    let engine = app
        .create_equipment(
            &yacht,
            &chief,
            json!({"code": "ME-P", "name": "Port main engine", "system": "Propulsion", "criticality": "critical"}),
        )
        .await;
    app.create_equipment(
        &yacht,
        &chief,
        json!({"code": "ME-S", "name": "Starboard main engine", "system": "Propulsion", "criticality": "critical"}),
    )
    .await;
    app.create_equipment(&yacht, &chief, json!({"code": "ME-P-TC", "name": "Turbocharger", "parent_id": engine["id"]}))
        .await;
    for n in 1..=4 {
        app.create_equipment(
            &yacht,
            &chief,
            json!({"code": format!("DG-{n}"), "name": format!("Generator {n}"), "system": "Electrical"}),
        )
        .await;
    }
    let codes = |list: &Value| -> Vec<String> {
        list["items"].as_array().expect("items").iter().filter_map(|e| e["code"].as_str().map(str::to_owned)).collect()
    };
    let get = |query: &str| {
        let url = format!("{base}?{query}");
        let (app, chief) = (&app, chief.clone());
        async move { app.get_as(&url, &chief).await }
    };

    assert_eq!(codes(&get("criticality=critical").await.json().await.expect("json")), ["ME-P", "ME-S"]);
    assert_eq!(codes(&get("system=electrical&limit=2").await.json().await.expect("json")), ["DG-1", "DG-2"]);
    assert_eq!(
        codes(&get(&format!("parent_id={}", engine["id"].as_str().expect("id"))).await.json().await.expect("json")),
        ["ME-P-TC"]
    );
    assert_eq!(codes(&get("roots_only=true&q=engine").await.json().await.expect("json")), ["ME-P", "ME-S"]);
    assert_eq!(
        codes(&get("q=generater").await.json().await.expect("json")),
        ["DG-1", "DG-2", "DG-3", "DG-4"],
        "a typo still finds them"
    );
    assert_eq!(codes(&get("q=generator%204").await.json().await.expect("json")), ["DG-4"], "every word must match");
    assert_eq!(
        codes(&get("q=%25_%5C").await.json().await.expect("json")),
        Vec::<String>::new(),
        "LIKE metacharacters are literal"
    );

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let query = match &cursor {
            Some(c) => format!("sort=name&limit=3&cursor={c}"),
            None => "sort=name&limit=3".to_owned(),
        };
        let page: Value = get(&query).await.json().await.expect("json");
        seen.extend(codes(&page));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["DG-1", "DG-2", "DG-3", "DG-4", "ME-P", "ME-S", "ME-P-TC"], "every item once, in name order");

    for bad in ["sort=price", "limit=0", "limit=101", "status=broken", "limit=ten"] {
        let (status, body) = problem(get(bad).await).await;
        assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")), "{bad}");
    }
    let (status, body) = problem(get("cursor=bogus").await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("invalid_cursor")));
    let page: Value = get("sort=name&limit=1").await.json().await.expect("json");
    let cursor = page["next_cursor"].as_str().expect("more pages");
    let (status, body) = problem(get(&format!("sort=code&cursor={cursor}")).await).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (422, Some("invalid_cursor")),
        "a cursor only continues the sort it came from"
    );
}

#[tokio::test]
async fn a_retried_create_with_the_same_key_creates_exactly_once() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let base = format!("/v1/yachts/{}/equipment", yacht.id);
    let send = |key: &'static str, body: Value| {
        let (app, url, chief) = (&app, app.url(&base), chief.clone());
        async move {
            app.client
                .post(url)
                .bearer_auth(chief)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .expect("sent")
        }
    };
    let body = json!({"code": "WM-1", "name": "Watermaker"});
    let first = send("retry-key-1", body.clone()).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.expect("json");
    let again = send("retry-key-1", body.clone()).await;
    assert_eq!(
        (again.status().as_u16(), again.headers()["idempotent-replayed"].to_str().expect("ascii")),
        (201, "true")
    );
    assert_eq!(again.headers()["etag"], "\"1\"");
    assert_eq!(again.json::<Value>().await.expect("json"), first, "the first response, replayed");

    let (status, problem_body) = problem(send("retry-key-1", json!({"code": "WM-2", "name": "Other"})).await).await;
    assert_eq!((status, problem_body["code"].as_str()), (409, Some("idempotency_key_reused")));

    // Two retries racing each other on a fresh key: one creates, the other replays it.
    let racing = json!({"code": "WM-3", "name": "Watermaker 3"});
    let (a, b) = tokio::join!(send("race-key", racing.clone()), send("race-key", racing.clone()));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (201, 201));
    let list: Value = app.get_as(&format!("{base}?q=watermaker"), &chief).await.json().await.expect("json");
    let codes: Vec<&str> = list["items"].as_array().expect("items").iter().filter_map(|e| e["code"].as_str()).collect();
    assert_eq!(codes, ["WM-1", "WM-3"], "one row per key, whatever the retries");

    let (status, _) = problem(
        app.client
            .post(app.url(&base))
            .bearer_auth(&chief)
            .header("idempotency-key", "")
            .json(&body)
            .send()
            .await
            .expect("sent"),
    )
    .await;
    assert_eq!(status, 400, "an empty key is refused");
}

#[tokio::test]
async fn another_yachts_equipment_is_unreachable_even_by_id() {
    let app = spawn_app().await;
    let (aurora, aurora_chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (borealis, borealis_chief) = app.yacht_with_chief("M/Y Borealis").await;
    let engine =
        app.create_equipment(&aurora, &aurora_chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let id = engine["id"].as_str().expect("id");
    let attempts = [
        (Method::GET, format!("/v1/yachts/{}/equipment/{id}", borealis.id), None),
        (Method::PATCH, format!("/v1/yachts/{}/equipment/{id}", borealis.id), Some(json!({"name": "pwned"}))),
        (Method::POST, format!("/v1/yachts/{}/equipment/{id}/status", borealis.id), Some(json!({"status": "failed"}))),
        (Method::GET, format!("/v1/yachts/{}/equipment/{id}", aurora.id), None),
    ];
    for (method, path, body) in attempts {
        let (status, _) = problem(app.send(method.clone(), &path, body.as_ref(), &borealis_chief).await).await;
        assert_eq!(status, 404, "{method} {path}");
    }
    let list: Value =
        app.get_as(&format!("/v1/yachts/{}/equipment", borealis.id), &borealis_chief).await.json().await.expect("json");
    assert_eq!(list["items"], json!([]));
    let unchanged: Value = app
        .get_as(&format!("/v1/yachts/{}/equipment/{id}", aurora.id), &aurora_chief)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (unchanged["name"].as_str(), unchanged["status"].as_str()),
        (Some("Port main engine"), Some("operational"))
    );
}
