//! Notes and the handover: anyone aboard writes them, about records of their own yacht only.

use pms_tests::{problem, spawn_app};
use serde_json::{Value, json};

#[tokio::test]
async fn crew_note_records_and_hand_over_with_categories() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (crew, _) = app.add_member(&yacht, "deckhand@aurora.demo", "crew").await;
    let pump = app.create_equipment(&yacht, &chief, json!({"code": "BP-1", "name": "Bilge pump"})).await;
    let notes = format!("/v1/yachts/{}/equipment/{}/notes", yacht.id, pump["id"].as_str().expect("id"));

    let response = app
        .post_json(&notes, &json!({"body": "Runs dry for 2 s on start.\nCheck the float switch."}), Some(&crew))
        .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"].to_str().expect("ascii"), notes);
    app.post_json(&notes, &json!({"body": "Float switch cleaned."}), Some(&chief)).await;
    let listed: Value = app.get_as(&notes, &crew).await.json().await.expect("json");
    let bodies: Vec<&str> =
        listed["items"].as_array().expect("items").iter().filter_map(|n| n["body"].as_str()).collect();
    assert_eq!(bodies, ["Float switch cleaned.", "Runs dry for 2 s on start.\nCheck the float switch."]);
    let (status, _) = problem(app.post_json(&notes, &json!({"body": "   "}), Some(&crew)).await).await;
    assert_eq!(status, 422);
    let ghost = format!("/v1/yachts/{}/faults/{}/notes", yacht.id, uuid::Uuid::new_v4());
    assert_eq!(problem(app.post_json(&ghost, &json!({"body": "x"}), Some(&crew)).await).await.0, 404);

    let handover = format!("/v1/yachts/{}/handover", yacht.id);
    let urgent = json!({"summary": "Bilge pump BP-1 intermittent", "category": "urgent", "subject_type": "equipment", "subject_id": pump["id"]});
    assert_eq!(app.post_json(&handover, &urgent, Some(&crew)).await.status(), 201);
    assert_eq!(
        app.post_json(&handover, &json!({"summary": "Fresh water tanks full"}), Some(&crew)).await.status(),
        201
    );
    let (status, body) =
        problem(app.post_json(&handover, &json!({"summary": "x", "subject_type": "fault"}), Some(&crew)).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("subject_id")));
    let only_urgent: Value =
        app.get_as(&format!("{handover}?category=urgent"), &crew).await.json().await.expect("json");
    assert_eq!(only_urgent["items"].as_array().expect("items").len(), 1);
    assert_eq!(
        (only_urgent["items"][0]["subject_type"].as_str(), &only_urgent["items"][0]["subject_id"]),
        (Some("equipment"), &pump["id"])
    );
    let all: Value = app.get_as(&handover, &crew).await.json().await.expect("json");
    assert_eq!(all["items"][0]["category"], "fyi", "newest first, fyi by default");

    let audit: Value = app
        .get_as(&format!("/v1/yachts/{}/audit?entity_type=note", yacht.id), &yacht.captain_token)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(audit["items"].as_array().expect("items").len(), 2);
}

#[tokio::test]
async fn a_note_cannot_be_attached_to_another_yachts_record() {
    let app = spawn_app().await;
    let (aurora, aurora_chief) = app.yacht_with_chief("M/Y Aurora").await;
    let (borealis, borealis_chief) = app.yacht_with_chief("M/Y Borealis").await;
    let engine =
        app.create_equipment(&aurora, &aurora_chief, json!({"code": "ME-P", "name": "Port main engine"})).await;
    let via_own_yacht = format!("/v1/yachts/{}/equipment/{}/notes", borealis.id, engine["id"].as_str().expect("id"));
    assert_eq!(
        problem(app.post_json(&via_own_yacht, &json!({"body": "sneaky"}), Some(&borealis_chief)).await).await.0,
        404
    );
    let handover = format!("/v1/yachts/{}/handover", borealis.id);
    let about_other = json!({"summary": "x", "subject_type": "equipment", "subject_id": engine["id"]});
    assert_eq!(problem(app.post_json(&handover, &about_other, Some(&borealis_chief)).await).await.0, 404);
    let notes: Value = app
        .get_as(
            &format!("/v1/yachts/{}/equipment/{}/notes", aurora.id, engine["id"].as_str().expect("id")),
            &aurora_chief,
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(notes["items"], json!([]));
}
