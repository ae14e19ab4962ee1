//! Invitations under attack (issue 22): accepting one for an existing account is sign-in's
//! password check with its lock and event log (item 3); inviting tells the inviter nothing about
//! accounts the address has elsewhere (item 4); names refuse control and bidirectional
//! formatting characters (item 7).

use pms_tests::{TEST_PASSWORD, TestApp, TestYacht, problem, spawn_app};
use serde_json::{Value, json};

fn members(yacht: &TestYacht) -> String {
    format!("/v1/yachts/{}/members", yacht.id)
}

async fn invite(app: &TestApp, yacht: &TestYacht, body: Value) -> (u16, Value) {
    let response = app.post_json(&members(yacht), &body, Some(&yacht.captain_token)).await;
    (response.status().as_u16(), response.json().await.expect("json"))
}

async fn accept(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_json("/v1/auth/accept-invite", &json!({"token": token, "password": password}), None).await
}

/// The auth events recorded for `email`, oldest first.
async fn events_of(app: &TestApp, email: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM auth_events WHERE email = $1 ORDER BY id")
        .bind(email)
        .fetch_all(&app.master_pool().await)
        .await
        .expect("auth events")
}

#[tokio::test]
async fn accepting_for_an_existing_account_is_a_sign_in_with_its_lock_and_log() {
    let app = spawn_app().await;
    let aurora = app.yacht_with_captain("M/Y Aurora").await;
    let email = "engineer@fleet.demo";
    app.create_user(email, TEST_PASSWORD, false).await;
    let (status, invitation) = invite(&app, &aurora, json!({"email": email, "role": "engineer"})).await;
    assert_eq!(status, 201, "{invitation}");
    let token = invitation["invite_token"].as_str().expect("token");

    for guess in 0..5 {
        let (status, body) = problem(accept(&app, token, &format!("guess number {guess}")).await).await;
        assert_eq!((status, body["code"].as_str()), (401, Some("invalid_credentials")), "guess {guess}");
    }
    for response in [
        accept(&app, token, TEST_PASSWORD).await,
        app.post_json("/v1/auth/login", &json!({"email": email, "password": TEST_PASSWORD}), None).await,
    ] {
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let (status, body) = problem(response).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("too_many_attempts")), "{body}");
        assert!(retry_after.is_some_and(|secs| (1..=30).contains(&secs)), "Retry-After {retry_after:?}");
    }
    let mut expected = vec!["login_failed"; 5];
    expected.extend(["login_throttled", "login_throttled"]);
    assert_eq!(events_of(&app, email).await, expected);
    let failures: i32 = sqlx::query_scalar("SELECT failures FROM login_throttles WHERE email = $1")
        .bind(email)
        .fetch_one(&app.master_pool().await)
        .await
        .expect("the address's throttle");
    assert_eq!(failures, 5);
    let pending: String =
        sqlx::query_scalar("SELECT m.status FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1")
            .bind(email)
            .fetch_one(&app.master_pool().await)
            .await
            .expect("the membership");
    assert_eq!(pending, "invited", "nothing was accepted");
}

#[tokio::test]
async fn an_invitation_tells_the_inviter_nothing_about_accounts_elsewhere() {
    let app = spawn_app().await;
    let aurora = app.yacht_with_captain("M/Y Aurora").await;
    let borealis = app.yacht_with_captain("M/Y Borealis").await;
    let existing = "marco@borealis.demo";
    app.add_member(&borealis, existing, "engineer").await;
    sqlx::query("UPDATE users SET display_name = 'Marco Bellini' WHERE email = $1")
        .bind(existing)
        .execute(&app.master_pool().await)
        .await
        .expect("naming the account");

    let (status, known) = invite(&app, &aurora, json!({"email": existing, "role": "engineer"})).await;
    assert_eq!(status, 201, "{known}");
    let (status, unknown) = invite(&app, &aurora, json!({"email": "newcomer@aurora.demo", "role": "engineer"})).await;
    assert_eq!(status, 201, "{unknown}");
    let keys = |v: &Value| v["member"].as_object().expect("member").keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&known), keys(&unknown), "the same shape");
    assert_eq!(known["member"]["display_name"], "marco");
    assert_eq!(unknown["member"]["display_name"], "newcomer");
    assert_eq!(known["member"]["status"], "invited");

    // A name the inviter gives is what the yacht sees until the invitee accepts.
    let (_, renamed) =
        invite(&app, &aurora, json!({"email": existing, "role": "engineer", "display_name": "2nd Engineer"})).await;
    assert_eq!(renamed["member"]["display_name"], "2nd Engineer");
    let listed: Value = app.get_as(&members(&aurora), &aurora.captain_token).await.json().await.expect("json");
    let shown = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|m| m["display_name"].as_str().expect("name").to_owned())
            .collect()
    };
    assert!(!shown(&listed).contains(&"Marco Bellini".to_owned()), "{listed}");
    assert!(shown(&listed).contains(&"2nd Engineer".to_owned()), "{listed}");

    // Once they accept, they are who they are.
    let login = app.accept_invite(renamed["invite_token"].as_str().expect("token"), TEST_PASSWORD).await;
    assert_eq!(login["user"]["display_name"], "Marco Bellini");
    let listed: Value = app.get_as(&members(&aurora), &aurora.captain_token).await.json().await.expect("json");
    assert!(shown(&listed).contains(&"Marco Bellini".to_owned()), "{listed}");
}

const HOSTILE_NAMES: [&str; 6] =
    ["Sam\nDeck", "Sam\u{1}", "\u{1b}[31mSam", "Sam\u{202e}kced", "\u{2066}Sam", "Sam\u{200f}"];

#[tokio::test]
async fn names_refuse_control_and_bidirectional_formatting_characters() {
    let app = spawn_app().await;
    let aurora = app.yacht_with_captain("M/Y Aurora").await;
    for name in HOSTILE_NAMES {
        let (status, body) =
            invite(&app, &aurora, json!({"email": "sam@aurora.demo", "role": "crew", "display_name": name})).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("display_name")), "{name:?}: {body}");
    }
    let (status, invitation) = invite(&app, &aurora, json!({"email": "sam@aurora.demo", "role": "crew"})).await;
    assert_eq!(status, 201);
    let token = invitation["invite_token"].as_str().expect("token");
    for name in HOSTILE_NAMES {
        let body = json!({"token": token, "password": TEST_PASSWORD, "display_name": name});
        let (status, body) = problem(app.post_json("/v1/auth/accept-invite", &body, None).await).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("display_name")), "{name:?}: {body}");
    }
    let admin = app.platform_admin_token().await;
    for name in HOSTILE_NAMES {
        let response = app.post_json("/v1/admin/yachts", &json!({"name": format!("M/Y {name}")}), Some(&admin)).await;
        let (status, body) = problem(response).await;
        assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("name")), "{name:?}: {body}");
        let equipment = app
            .post_json(
                &format!("/v1/yachts/{}/equipment", aurora.id),
                &json!({"code": "X-1", "name": name}),
                Some(&aurora.captain_token),
            )
            .await;
        assert_eq!(equipment.status(), 422, "equipment named {name:?}");
    }
    let yachts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM yachts").fetch_one(&app.master_pool().await).await.expect("yachts");
    assert_eq!(yachts, 1, "no refused yacht was created");
    let accepted = app.accept_invite(token, TEST_PASSWORD).await;
    assert_eq!(accepted["user"]["display_name"], "sam", "the refused names changed nothing");
}
