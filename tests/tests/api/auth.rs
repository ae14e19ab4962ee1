//! Sign-in, refresh rotation and reuse detection, sign-out, and every way a token is refused.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use pms_tests::{TEST_JWT_SECRET, TEST_PASSWORD, TestApp, problem, spawn_app, spawn_app_with};
use serde_json::{Value, json};

async fn events(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM auth_events ORDER BY id")
        .fetch_all(&app.master_pool().await)
        .await
        .expect("auth events")
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.post_json("/v1/auth/refresh", &json!({"refresh_token": token}), None).await
}

#[tokio::test]
async fn login_refresh_and_logout_round_trip() {
    let app = spawn_app().await;
    let user = app.create_user("chief@aurora.demo", TEST_PASSWORD, false).await;

    let login = app.login("Chief@Aurora.Demo", TEST_PASSWORD).await;
    assert_eq!(login["token_type"], "Bearer");
    assert_eq!(login["expires_in"], 900);
    assert_eq!(login["user"]["id"], user.to_string());
    assert_eq!(login["user"]["email"], "chief@aurora.demo");
    assert_eq!(login["memberships"], json!([]));

    let me = app.get_as("/v1/auth/me", login["access_token"].as_str().expect("token")).await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.expect("json")["user"]["email"], "chief@aurora.demo");

    let rotated = refresh(&app, &login["refresh_token"]).await;
    assert_eq!(rotated.status(), 200);
    let rotated: Value = rotated.json().await.expect("json");
    assert_ne!(rotated["refresh_token"], login["refresh_token"]);
    assert_eq!(app.get_as("/v1/auth/me", rotated["access_token"].as_str().expect("token")).await.status(), 200);

    let logout = app.post_json("/v1/auth/logout", &json!({"refresh_token": rotated["refresh_token"]}), None).await;
    assert_eq!(logout.status(), 204);
    let (status, body) = problem(refresh(&app, &rotated["refresh_token"]).await).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("invalid_refresh_token")));
    let again = app.post_json("/v1/auth/logout", &json!({"refresh_token": rotated["refresh_token"]}), None).await;
    assert_eq!(again.status(), 204, "logout is idempotent");
    for (path, token) in
        [("/v1/auth/logout", String::new()), ("/v1/auth/refresh", String::new()), ("/v1/auth/logout", "x".repeat(257))]
    {
        let (status, problem) =
            pms_tests::problem(app.post_json(path, &json!({"refresh_token": token}), None).await).await;
        assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("refresh_token")), "{path}: {problem}");
    }

    assert_eq!(events(&app).await, ["login_succeeded", "refresh", "logout"]);
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_its_whole_family() {
    let app = spawn_app().await;
    app.create_user("engineer@aurora.demo", TEST_PASSWORD, false).await;
    let other_device = app.login("engineer@aurora.demo", TEST_PASSWORD).await;
    let first = app.login("engineer@aurora.demo", TEST_PASSWORD).await;
    let second: Value = refresh(&app, &first["refresh_token"]).await.json().await.expect("rotated");

    // An attacker replays the first token: the legitimate chain dies with it.
    let (status, body) = problem(refresh(&app, &first["refresh_token"]).await).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("refresh_token_reused")));
    let (status, body) = problem(refresh(&app, &second["refresh_token"]).await).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("invalid_refresh_token")));

    // Another sign-in is another family and survives.
    assert_eq!(refresh(&app, &other_device["refresh_token"]).await.status(), 200);
    assert!(events(&app).await.contains(&"refresh_reuse_detected".to_owned()));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_are_indistinguishable() {
    let app = spawn_app().await;
    app.create_user("captain@aurora.demo", TEST_PASSWORD, false).await;
    let app = &app;
    let attempt = |email: &'static str| async move {
        let body = json!({"email": email, "password": "wrong password!"});
        app.post_json("/v1/auth/login", &body, None).await
    };

    let (status_a, mut wrong) = problem(attempt("captain@aurora.demo").await).await;
    let (status_b, mut unknown) = problem(attempt("nobody@aurora.demo").await).await;
    wrong.as_object_mut().expect("object").remove("request_id");
    unknown.as_object_mut().expect("object").remove("request_id");
    assert_eq!((status_a, status_b), (401, 401));
    assert_eq!(wrong, unknown);
    assert_eq!(wrong["code"], "invalid_credentials");
    assert_eq!(events(app).await, ["login_failed", "login_failed"]);
}

#[tokio::test]
async fn repeated_failures_are_throttled_for_existing_and_unknown_emails_alike() {
    let app = spawn_app().await;
    app.create_user("captain@aurora.demo", TEST_PASSWORD, false).await;
    for email in ["captain@aurora.demo", "nobody@aurora.demo"] {
        for _ in 0..5 {
            let response =
                app.post_json("/v1/auth/login", &json!({"email": email, "password": "guess guess"}), None).await;
            assert_eq!(response.status(), 401);
        }
        let response = app.post_json("/v1/auth/login", &json!({"email": email, "password": TEST_PASSWORD}), None).await;
        let retry_after: u64 = response.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
        assert!((25..=30).contains(&retry_after), "{email}: the first lock lasts 30 s, got {retry_after}");
        let (status, body) = problem(response).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("too_many_attempts")), "{email}");
        // Both ends of the lock are the database's time, never an instance's clock.
        let lock: f64 = sqlx::query_scalar(
            "SELECT extract(epoch FROM locked_until - last_failure_at)::float8 FROM login_throttles WHERE email = $1",
        )
        .bind(email)
        .fetch_one(&app.master_pool().await)
        .await
        .expect("the throttle");
        assert!((lock - 30.0).abs() < f64::EPSILON, "{email}: locked for {lock} s of the database's clock");
    }
}

#[tokio::test]
async fn a_disabled_account_is_told_so_only_with_the_right_password() {
    let app = spawn_app().await;
    let user = app.create_user("crew@aurora.demo", TEST_PASSWORD, false).await;
    let token = app.access_token("crew@aurora.demo", TEST_PASSWORD).await;
    sqlx::query("UPDATE users SET status = 'disabled' WHERE id = $1")
        .bind(user)
        .execute(&app.master_pool().await)
        .await
        .expect("disabling");

    let (status, body) = problem(
        app.post_json("/v1/auth/login", &json!({"email": "crew@aurora.demo", "password": TEST_PASSWORD}), None).await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (403, Some("account_disabled")));
    let (status, _) = problem(
        app.post_json("/v1/auth/login", &json!({"email": "crew@aurora.demo", "password": "wrong password!"}), None)
            .await,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = problem(app.get_as("/v1/auth/me", &token).await).await;
    assert_eq!(status, 401, "an access token of a disabled account stops working at once");
}

#[tokio::test]
async fn malformed_login_bodies_are_problems_and_record_nothing() {
    let app = spawn_app_with(|env| {
        env.insert("HTTP_BODY_LIMIT_BYTES".to_owned(), "512".to_owned());
    })
    .await;
    let url = app.url("/v1/auth/login");
    let raw = |body: String, content_type: &'static str| {
        app.client.post(&url).header("content-type", content_type).body(body).send()
    };

    let cases = [
        (raw("{\"email\": \"a@b.c\", ".to_owned(), "application/json").await, 400, "malformed_json"),
        (raw("{\"email\": \"a@b.c\", \"password\": 1}".to_owned(), "application/json").await, 422, "invalid_body"),
        (raw("{\"email\": \"a@b.c\"}".to_owned(), "application/json").await, 422, "invalid_body"),
        (
            raw("{\"email\": \"a@b.c\", \"password\": \"x\"}".to_owned(), "text/plain").await,
            415,
            "unsupported_media_type",
        ),
        (
            raw(format!("{{\"email\": \"a@b.c\", \"password\": \"{}\"}}", "x".repeat(600)), "application/json").await,
            413,
            "payload_too_large",
        ),
    ];
    for (response, status, code) in cases {
        let (got, body) = problem(response.expect("sent")).await;
        assert_eq!((got, body["code"].as_str()), (status, Some(code)), "{body}");
    }

    let (status, body) =
        problem(app.post_json("/v1/auth/login", &json!({"email": "not-an-email", "password": ""}), None).await).await;
    assert_eq!((status, body["code"].as_str()), (422, Some("validation_failed")));
    let fields: Vec<&str> =
        body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["email", "password"], "every bad field is reported at once");
    assert!(events(&app).await.is_empty(), "refused requests record nothing");
}

fn sign(header: &Header, claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(header, claims, &EncodingKey::from_secret(secret.as_bytes())).expect("signs")
}

#[tokio::test]
async fn forged_expired_and_misaddressed_tokens_are_refused_with_401() {
    let app = spawn_app().await;
    let user = app.create_user("eto@aurora.demo", TEST_PASSWORD, false).await;
    let now = chrono::Utc::now().timestamp();
    let claims = |patch: Value| {
        let mut claims = json!({"sub": user.to_string(), "iss": "pipeline-core", "aud": "pipeline-core", "iat": now, "exp": now + 600});
        for (key, value) in patch.as_object().expect("object") {
            if value.is_null() {
                claims.as_object_mut().expect("object").remove(key);
            } else {
                claims[key] = value.clone();
            }
        }
        claims
    };
    let hs256 = Header::new(Algorithm::HS256);
    let genuine = sign(&hs256, &claims(json!({})), TEST_JWT_SECRET);
    assert_eq!(app.get_as("/v1/auth/me", &genuine).await.status(), 200, "the control token works");

    let none_header = base64_url(br#"{"alg":"none","typ":"JWT"}"#);
    let cases = [
        ("bad signature", sign(&hs256, &claims(json!({})), "another-secret-that-is-long-enough-0000")),
        ("expired", sign(&hs256, &claims(json!({"exp": now - 3600})), TEST_JWT_SECRET)),
        ("expired 20 s ago", sign(&hs256, &claims(json!({"exp": now - 20})), TEST_JWT_SECRET)),
        ("missing exp", sign(&hs256, &claims(json!({"exp": null})), TEST_JWT_SECRET)),
        ("wrong audience", sign(&hs256, &claims(json!({"aud": "authenticated"})), TEST_JWT_SECRET)),
        ("wrong issuer", sign(&hs256, &claims(json!({"iss": "evil"})), TEST_JWT_SECRET)),
        ("alg none", format!("{none_header}.{}.", base64_url(claims(json!({})).to_string().as_bytes()))),
        ("garbage", "not.a.jwt".to_owned()),
    ];
    for (name, token) in cases {
        let response = app.get_as("/v1/auth/me", &token).await;
        assert_eq!(response.headers()["www-authenticate"], "Bearer", "{name}");
        let (status, body) = problem(response).await;
        assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")), "{name}");
    }
    for header in [None, Some("Basic Y2FwdGFpbjpwdw=="), Some("Bearer ")] {
        let mut request = app.client.get(app.url("/v1/auth/me"));
        if let Some(value) = header {
            request = request.header("authorization", value);
        }
        let (status, _) = problem(request.send().await.expect("sent")).await;
        assert_eq!(status, 401, "{header:?}");
    }
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[tokio::test]
async fn a_supabase_token_is_accepted_when_configured_and_linked_by_email() {
    const SUPABASE_SECRET: &str = "supabase-project-jwt-secret-0123456789";
    let app = spawn_app_with(|env| {
        env.insert("SUPABASE_JWT_SECRET".to_owned(), SUPABASE_SECRET.to_owned());
    })
    .await;
    let user = app.create_user("captain@borealis.demo", TEST_PASSWORD, false).await;
    let now = chrono::Utc::now().timestamp();
    let token = |email: &str, aud: &str| {
        sign(
            &Header::new(Algorithm::HS256),
            &json!({"sub": "8f14e45f-supabase-user", "aud": aud, "email": email, "role": "authenticated", "iat": now, "exp": now + 600}),
            SUPABASE_SECRET,
        )
    };

    let me = app.get_as("/v1/auth/me", &token("captain@borealis.demo", "authenticated")).await;
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.expect("json")["user"]["id"], user.to_string());
    let linked: Option<String> = sqlx::query_scalar("SELECT external_subject FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&app.master_pool().await)
        .await
        .expect("user row");
    assert_eq!(linked.as_deref(), Some("8f14e45f-supabase-user"));
    // Once linked, the subject alone identifies the user, whatever email the token carries.
    assert_eq!(app.get_as("/v1/auth/me", &token("someone@else.demo", "authenticated")).await.status(), 200);

    let (status, _) = problem(app.get_as("/v1/auth/me", &token("captain@borealis.demo", "anon")).await).await;
    assert_eq!(status, 401, "Supabase tokens need aud=authenticated");
}

#[tokio::test]
async fn supabase_tokens_are_refused_when_not_configured() {
    let app = spawn_app().await;
    app.create_user("captain@borealis.demo", TEST_PASSWORD, false).await;
    let now = chrono::Utc::now().timestamp();
    let token = sign(
        &Header::new(Algorithm::HS256),
        &json!({"sub": "x", "aud": "authenticated", "email": "captain@borealis.demo", "exp": now + 600}),
        "supabase-project-jwt-secret-0123456789",
    );
    let (status, _) = problem(app.get_as("/v1/auth/me", &token).await).await;
    assert_eq!(status, 401);
}
