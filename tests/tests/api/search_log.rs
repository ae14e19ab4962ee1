//! The learning loop: every search is logged redacted, the user's verdict is recorded against
//! it, and `pipeline-core detect export` writes the labelled set.

use pms_tests::{base_environment, binary_command, pool_for, problem};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::search::demo_with;

#[tokio::test]
async fn each_search_is_logged_with_what_the_detector_proposed() {
    let demo = demo_with(|_| {}).await;
    let answer = demo.search("create work order for generator 2 oil change, call me on +44 7700 900123").await;
    let id: Uuid = answer["search_id"].as_str().expect("search_id").parse().expect("a uuid");
    let pool = pool_for(&demo.aurora_database).await;
    let (query, detector, proposed, role, alternatives): (String, String, Option<String>, String, Vec<String>) =
        sqlx::query_as("SELECT query, detector, proposed_action, role, alternatives FROM search_records WHERE id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .expect("logged");
    assert_eq!(query, "create work order for generator 2 oil change, call me on [phone]");
    assert_eq!(detector, "local");
    assert_eq!(proposed.as_deref(), Some("create_work_order"));
    assert_eq!(role, "chief_engineer");
    let shown: Vec<&str> =
        answer["actions"].as_array().expect("actions").iter().skip(1).filter_map(|a| a["action"].as_str()).collect();
    assert_eq!(alternatives, shown);
}

#[tokio::test]
async fn a_verdict_is_recorded_by_the_searcher_only_and_exported_as_a_labelled_set() {
    let demo = demo_with(|_| {}).await;
    let search = demo.search("the bow thruster is tripping the breaker again").await;
    let id = search["search_id"].as_str().expect("search_id").to_owned();
    let path = format!("/v1/yachts/{}/search/{id}/feedback", demo.aurora);

    let refused = [
        (json!({ "outcome": "ran" }), 422, "validation_failed"),
        (json!({ "outcome": "ran", "action": "fix_everything" }), 422, "validation_failed"),
        (json!({ "outcome": "maybe" }), 422, "invalid_body"),
        (json!({ "outcome": "wrong", "extra": true }), 422, "invalid_body"),
    ];
    for (body, status, code) in refused {
        let (got, problem) = problem(demo.app.post_json(&path, &body, Some(&demo.chief)).await).await;
        assert_eq!((got, problem["code"].as_str()), (status, Some(code)), "{body}");
    }
    let verdict = json!({ "outcome": "ran", "action": "report_fault" });
    let (status, problem_body) = problem(demo.app.post_json(&path, &verdict, Some(&demo.deckhand)).await).await;
    assert_eq!((status, problem_body["code"].as_str()), (404, Some("not_found")), "another user's search");
    let unknown = format!("/v1/yachts/{}/search/{}/feedback", demo.aurora, Uuid::now_v7());
    assert_eq!(demo.app.post_json(&unknown, &verdict, Some(&demo.chief)).await.status(), 404);
    let elsewhere = format!("/v1/yachts/{}/search/{id}/feedback", demo.other.id);
    assert_eq!(demo.app.post_json(&elsewhere, &verdict, Some(&demo.other.captain_token)).await.status(), 404);

    let first = demo.app.post_json(&path, &json!({ "outcome": "wrong" }), Some(&demo.chief)).await;
    assert_eq!(first.status(), 200);
    let recorded = demo.app.post_json(&path, &verdict, Some(&demo.chief)).await;
    assert_eq!(recorded.status(), 200);
    let recorded: Value = recorded.json().await.expect("json");
    assert_eq!(recorded["search_id"], id.as_str());
    assert_eq!(recorded["outcome"], "ran", "the later verdict replaces the earlier one");
    assert_eq!(recorded["action"], "report_fault");
    assert_eq!(recorded["query"], "the bow thruster is tripping the breaker again");

    let unlabelled = demo.search("show me the stbd main").await;
    assert!(unlabelled["search_id"].is_string());

    let output = binary_command(&base_environment(&demo.app.master_database))
        .args(["detect", "export", "--yacht", &demo.aurora])
        .output()
        .await
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "only searches with a verdict: {lines:?}");
    let line = &lines[0];
    assert_eq!(line["query"], "the bow thruster is tripping the breaker again");
    assert_eq!(line["expected"], "report_fault");
    assert_eq!(line["outcome"], "ran");
    assert_eq!(line["proposed"], search["actions"][0]["action"]);
    assert_eq!(line["search_id"], id.as_str());
}
