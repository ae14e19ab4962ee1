//! Member management by tenant admins: invitations, the role ceiling, the last-admin rule under
//! concurrency, suspension, removal, and the audit trail.

use pms_tests::{TEST_PASSWORD, TestApp, TestYacht, problem, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

fn members(yacht: &TestYacht) -> String {
    format!("/v1/yachts/{}/members", yacht.id)
}

fn member(yacht: &TestYacht, user: &str) -> String {
    format!("/v1/yachts/{}/members/{user}", yacht.id)
}

async fn audit_actions(app: &TestApp, yacht: &TestYacht) -> Vec<String> {
    sqlx::query_scalar("SELECT action FROM admin_audit_log WHERE yacht_id = $1::uuid ORDER BY id")
        .bind(&yacht.id)
        .fetch_all(&app.master_pool().await)
        .await
        .expect("audit")
}

#[tokio::test]
async fn an_invited_engineer_accepts_signs_in_and_appears_as_active() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let response = app
        .post_json(
            &members(&yacht),
            &json!({"email": "Engineer@Aurora.demo", "role": "engineer", "display_name": "Eng One"}),
            Some(&yacht.captain_token),
        )
        .await;
    assert_eq!(response.status(), 201);
    let invitation: Value = response.json().await.expect("json");
    assert_eq!(invitation["member"]["status"], "invited");
    assert_eq!(invitation["member"]["email"], "engineer@aurora.demo");
    let token = invitation["invite_token"].as_str().expect("token");

    let weak = app.post_json("/v1/auth/accept-invite", &json!({"token": token, "password": "short"}), None).await;
    let (status, body) = problem(weak).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("password")));

    let login = app.accept_invite(token, TEST_PASSWORD).await;
    assert_eq!(login["memberships"], json!([{"yacht_id": yacht.id, "yacht_name": "M/Y Aurora", "role": "engineer"}]));
    assert_eq!(login["user"]["display_name"], "Eng One");
    assert_eq!(app.login("engineer@aurora.demo", TEST_PASSWORD).await["user"]["id"], login["user"]["id"]);

    let (status, _) = problem(
        app.post_json("/v1/auth/accept-invite", &json!({"token": token, "password": TEST_PASSWORD}), None).await,
    )
    .await;
    assert_eq!(status, 404, "an invitation works once");

    let list: Value = app.get_as(&members(&yacht), &yacht.captain_token).await.json().await.expect("json");
    let engineer =
        list["items"].as_array().expect("items").iter().find(|m| m["email"] == "engineer@aurora.demo").expect("listed");
    assert_eq!((engineer["role"].as_str(), engineer["status"].as_str()), (Some("engineer"), Some("active")));
}

#[tokio::test]
async fn nobody_grants_a_role_above_their_own_and_only_tenant_admins_manage() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let (chief, _) = app.add_member(&yacht, "chief@aurora.demo", "chief_engineer").await;
    let before = app.get_as(&members(&yacht), &yacht.captain_token).await.json::<Value>().await.expect("json");

    for role in ["manager", "admin"] {
        let (status, body) = problem(
            app.post_json(
                &members(&yacht),
                &json!({"email": "x@aurora.demo", "role": role}),
                Some(&yacht.captain_token),
            )
            .await,
        )
        .await;
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")), "a captain granting {role}");
    }
    let (status, _) = problem(
        app.post_json(&members(&yacht), &json!({"email": "x@aurora.demo", "role": "crew"}), Some(&chief)).await,
    )
    .await;
    assert_eq!(status, 403, "a chief engineer is not a tenant admin");
    assert_eq!(problem(app.get_as(&members(&yacht), &chief).await).await.0, 403);
    let (status, body) = problem(
        app.post_json(
            &members(&yacht),
            &json!({"email": "x@aurora.demo", "role": "bosun"}),
            Some(&yacht.captain_token),
        )
        .await,
    )
    .await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("role")));

    let after = app.get_as(&members(&yacht), &yacht.captain_token).await.json::<Value>().await.expect("json");
    assert_eq!(before, after, "refused requests change nothing");
}

#[tokio::test]
async fn the_last_tenant_admin_cannot_be_demoted_suspended_or_removed() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let me: Value = app.get_as("/v1/auth/me", &yacht.captain_token).await.json().await.expect("json");
    let captain = me["user"]["id"].as_str().expect("id").to_owned();

    let attempts = [
        (Method::PATCH, member(&yacht, &captain), Some(json!({"role": "crew"}))),
        (Method::POST, format!("{}/suspend", member(&yacht, &captain)), None),
        (Method::DELETE, member(&yacht, &captain), None),
    ];
    for (method, path, body) in &attempts {
        let (status, problem_body) =
            problem(app.send(method.clone(), path, body.as_ref(), &yacht.captain_token).await).await;
        assert_eq!((status, problem_body["code"].as_str()), (409, Some("last_tenant_admin")), "{method} {path}");
    }

    app.add_member(&yacht, "second-captain@aurora.demo", "captain").await;
    let demoted = app
        .send(Method::PATCH, &member(&yacht, &captain), Some(&json!({"role": "chief_officer"})), &yacht.captain_token)
        .await;
    assert_eq!(demoted.status(), 200, "with another captain aboard the first may step down");
    assert_eq!(demoted.json::<Value>().await.expect("json")["role"], "chief_officer");
}

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_exactly_one() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let captain_id = app.get_as("/v1/auth/me", &yacht.captain_token).await.json::<Value>().await.expect("json")["user"]
        ["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (other_token, other_id) = app.add_member(&yacht, "other-captain@aurora.demo", "captain").await;

    let demote = |token: String, target: String| {
        let (app, path) = (&app, member(&yacht, &target));
        async move { app.send(Method::PATCH, &path, Some(&json!({"role": "crew"})), &token).await.status().as_u16() }
    };
    let (a, b) = tokio::join!(demote(yacht.captain_token.clone(), other_id), demote(other_token, captain_id));
    let mut statuses = [a, b];
    statuses.sort_unstable();
    // The loser is refused either because it would remove the last admin (409) or, when it is
    // judged after the winner committed, because its own role is no longer an admin's (403).
    assert!(matches!(statuses, [200, 403 | 409]), "exactly one demotion wins: {statuses:?}");
    let admins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM memberships WHERE yacht_id = $1::uuid AND status = 'active' AND role IN ('captain', 'manager', 'admin')",
    )
    .bind(&yacht.id)
    .fetch_one(&app.master_pool().await)
    .await
    .expect("count");
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn suspension_removal_and_reactivation_change_access_and_are_audited() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    // A second captain, so suspending them never touches the last-admin rule.
    let (officer_token, officer_id) = app.add_member(&yacht, "officer@aurora.demo", "captain").await;
    let suspend = app
        .post_json(&format!("{}/suspend", member(&yacht, &officer_id)), &json!({}), Some(&yacht.captain_token))
        .await;
    assert_eq!(suspend.json::<Value>().await.expect("json")["status"], "suspended");
    let (status, body) = problem(app.get_as(&members(&yacht), &officer_token).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("membership_inactive")));
    let me: Value = app.get_as("/v1/auth/me", &officer_token).await.json().await.expect("json");
    assert_eq!(me["memberships"], json!([]));

    let (status, body) = problem(
        app.post_json(
            &format!("{}/reactivate", member(&yacht, &yacht_captain_id(&app, &yacht).await)),
            &json!({}),
            Some(&yacht.captain_token),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("invalid_state_transition")),
        "only suspended members reactivate"
    );
    let reactivated = app
        .post_json(&format!("{}/reactivate", member(&yacht, &officer_id)), &json!({}), Some(&yacht.captain_token))
        .await;
    assert_eq!(reactivated.status(), 200);
    assert_eq!(app.get_as(&members(&yacht), &officer_token).await.status(), 200);

    let removed = app.send(Method::DELETE, &member(&yacht, &officer_id), None, &yacht.captain_token).await;
    assert_eq!(removed.status(), 204);
    assert_eq!(
        problem(app.get_as(&members(&yacht), &officer_token).await).await.0,
        404,
        "a removed member no longer sees the yacht"
    );
    assert_eq!(
        problem(app.send(Method::DELETE, &member(&yacht, &officer_id), None, &yacht.captain_token).await).await.0,
        404
    );

    let actions = audit_actions(&app, &yacht).await;
    assert_eq!(
        actions[3..],
        ["member.invited", "member.joined", "member.suspended", "member.reactivated", "member.removed"],
        "{actions:?}"
    );
    let request_ids: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM admin_audit_log WHERE yacht_id = $1::uuid AND action LIKE 'member.%' AND action <> 'member.joined' AND request_id IS NOT NULL",
    )
    .bind(&yacht.id)
    .fetch_one(&app.master_pool().await)
    .await
    .expect("count");
    assert_eq!(request_ids, 5, "every admin change carries its request id");
}

async fn yacht_captain_id(app: &TestApp, yacht: &TestYacht) -> String {
    app.get_as("/v1/auth/me", &yacht.captain_token).await.json::<Value>().await.expect("json")["user"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

#[tokio::test]
async fn an_existing_account_accepts_only_with_its_own_password() {
    let app = spawn_app().await;
    let aurora = app.yacht_with_captain("M/Y Aurora").await;
    let borealis = app.yacht_with_captain("M/Y Borealis").await;
    app.add_member(&aurora, "engineer@fleet.demo", "engineer").await;

    let invitation: Value = app
        .post_json(
            &members(&borealis),
            &json!({"email": "engineer@fleet.demo", "role": "engineer"}),
            Some(&borealis.captain_token),
        )
        .await
        .json()
        .await
        .expect("json");
    let token = invitation["invite_token"].as_str().expect("token");
    let (status, body) = problem(
        app.post_json("/v1/auth/accept-invite", &json!({"token": token, "password": "someone else's guess"}), None)
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (401, Some("invalid_credentials")));
    let login = app.accept_invite(token, TEST_PASSWORD).await;
    let yachts: Vec<&str> =
        login["memberships"].as_array().expect("list").iter().filter_map(|m| m["yacht_name"].as_str()).collect();
    assert_eq!(yachts, ["M/Y Aurora", "M/Y Borealis"]);

    let (status, body) = problem(
        app.post_json(
            &members(&borealis),
            &json!({"email": "engineer@fleet.demo", "role": "crew"}),
            Some(&borealis.captain_token),
        )
        .await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")), "already a member");
}

/// Polls `path` as `token` until it answers `wanted`, for at most half the access cache's TTL:
/// sooner than an entry could expire, so only the master database's notification explains it.
async fn answers_before_the_cache_expires(app: &TestApp, path: &str, token: &str, wanted: u16) -> bool {
    let deadline = std::time::Instant::now() + pms_infra::master::access_cache::TTL / 2;
    while std::time::Instant::now() < deadline {
        if app.get_as(path, token).await.status() == wanted {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn access_changed_outside_the_api_is_enforced_at_once() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("M/Y Cached").await;
    let path = format!("/v1/yachts/{}/work-orders", yacht.id);
    for _ in 0..3 {
        assert_eq!(app.get_as(&path, &chief).await.status(), 200);
    }
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("access_cache_total{result=\"hit\"}"), "repeated requests are answered from memory");

    // Changed by hand in the master database, as an operator or another instance would.
    let pool = app.master_pool().await;
    let set = |sql: &'static str| {
        let (pool, yacht) = (pool.clone(), yacht.id.clone());
        async move {
            sqlx::query(sql).bind(yacht).execute(&pool).await.expect("update");
        }
    };
    set("UPDATE memberships SET status = 'suspended' WHERE yacht_id = $1::uuid AND role = 'chief_engineer'").await;
    assert!(answers_before_the_cache_expires(&app, &path, &chief, 403).await, "a suspended membership");
    set("UPDATE memberships SET status = 'active' WHERE yacht_id = $1::uuid AND role = 'chief_engineer'").await;
    assert!(answers_before_the_cache_expires(&app, &path, &chief, 200).await, "restored");
    set("UPDATE yachts SET status = 'suspended' WHERE id = $1::uuid").await;
    assert!(answers_before_the_cache_expires(&app, &path, &chief, 403).await, "a suspended yacht");
    set("UPDATE yachts SET status = 'active' WHERE id = $1::uuid").await;
    assert!(answers_before_the_cache_expires(&app, &path, &chief, 200).await, "restored");
    set("UPDATE users SET status = 'disabled' WHERE id IN
         (SELECT user_id FROM memberships WHERE yacht_id = $1::uuid AND role = 'chief_engineer')")
    .await;
    assert!(answers_before_the_cache_expires(&app, &path, &chief, 401).await, "a disabled account");
}
