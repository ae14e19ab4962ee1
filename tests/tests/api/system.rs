//! Liveness, readiness, request ids, metrics and the Swagger UI.

use pms_tests::{admin_connection, spawn_app};
use serde_json::Value;
use sqlx::AssertSqlSafe;

#[tokio::test]
async fn health_reports_status_and_version() {
    let app = spawn_app().await;
    let response = app.get("/health").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert!(body.get("commit").is_some(), "commit is reported (null when unknown): {body}");
}

#[tokio::test]
async fn ready_reports_the_master_database_check() {
    let app = spawn_app().await;
    let response = app.get("/ready").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json body");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["checks"][0]["name"], "master_database");
    assert_eq!(body["checks"][0]["status"], "ok");
}

#[tokio::test]
async fn ready_turns_503_while_the_master_database_is_unreachable_and_recovers() {
    let app = spawn_app().await;
    assert_eq!(app.get("/ready").await.status(), 200);

    let mut admin = admin_connection().await;
    let db = &app.master_database;
    sqlx::raw_sql(AssertSqlSafe(format!("ALTER DATABASE {db} ALLOW_CONNECTIONS false")))
        .execute(&mut admin)
        .await
        .expect("blocking connections");
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
        .bind(db)
        .execute(&mut admin)
        .await
        .expect("dropping the app's connections");

    let response = app.get("/ready").await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    assert_eq!(response.headers()["retry-after"], "5");
    let request_id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
    let problem: Value = response.json().await.expect("problem body");
    assert_eq!(problem["code"], "service_unavailable");
    assert_eq!(problem["status"], 503);
    assert_eq!(problem["request_id"], request_id.as_str());
    assert!(!problem.to_string().contains(db.as_str()), "no internal detail leaks: {problem}");
    assert_eq!(app.get("/health").await.status(), 200, "liveness does not depend on the database");

    sqlx::raw_sql(AssertSqlSafe(format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true")))
        .execute(&mut admin)
        .await
        .expect("allowing connections again");
    let mut recovered = false;
    for _ in 0..20 {
        if app.get("/ready").await.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(recovered, "readiness recovers without restarting the service");
}

#[tokio::test]
async fn a_sane_request_id_is_echoed_and_others_are_replaced() {
    let app = spawn_app().await;
    let send = |id: Option<&'static str>| {
        let mut request = app.client.get(app.url("/health"));
        if let Some(id) = id {
            request = request.header("x-request-id", id);
        }
        request.send()
    };

    let echoed = send(Some("mobile-7f3a.retry:2")).await.expect("sent");
    assert_eq!(echoed.headers()["x-request-id"], "mobile-7f3a.retry:2");

    for bad in [None, Some("has spaces in it"), Some("<script>")] {
        let response = send(bad).await.expect("sent");
        let id = response.headers()["x-request-id"].to_str().expect("ascii");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{bad:?} was replaced by a UUID, got {id}");
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern_and_status() {
    let app = spawn_app().await;
    for _ in 0..3 {
        assert_eq!(app.get("/health").await.status(), 200);
    }
    let random_path = format!("/no-such-{}", uuid::Uuid::new_v4().simple());
    assert_eq!(app.get(&random_path).await.status(), 404);

    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/plain"));
    let text = response.text().await.expect("text body");

    let health_count: f64 = text
        .lines()
        .find(|l| l.starts_with(r#"http_requests_total{method="GET",route="/health",status="200"}"#))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no /health counter in:\n{text}"));
    assert!(health_count >= 3.0, "counted {health_count}");
    assert!(text.contains(r#"route="unmatched",status="404""#), "unknown paths share one label");
    assert!(!text.contains(&random_path), "raw paths never become labels");
    assert!(
        text.lines().any(|l| l.starts_with("http_request_duration_seconds_bucket{")
            && l.contains(r#"route="/health""#)
            && l.contains(r#"le="0.005""#)),
        "latency is a histogram with buckets"
    );
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary_without_internet() {
    let app = spawn_app().await;
    let page = app.get("/docs").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "no asset is fetched from the internet: {html}");

    let bundle = app.get("/docs/swagger-ui-bundle.js").await;
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.expect("bundle").len() > 100_000, "the real bundle is vendored");

    let initializer = app.get("/docs/swagger-initializer.js").await.text().await.expect("js");
    assert!(initializer.contains("/openapi.json"), "Swagger UI loads our spec: {initializer}");
}

#[tokio::test]
async fn responses_carry_security_headers_and_tokens_are_never_cached() {
    let app = spawn_app().await;
    let header = |response: &reqwest::Response, name: &str| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    };
    let docs = app.get("/docs/").await;
    assert_eq!(docs.status(), 200);
    let policy = header(&docs, "content-security-policy");
    assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "{policy}");
    for response in [docs, app.get("/health").await, app.get("/no/such/route").await] {
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
        assert!(!header(&response, "content-security-policy").is_empty());
    }
    assert!(header(&app.get("/health").await, "content-security-policy").starts_with("default-src 'none'"));

    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let login = serde_json::json!({"email": yacht.captain_email, "password": pms_tests::TEST_PASSWORD});
    let signed_in = app.post_json("/v1/auth/login", &login, None).await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(header(&signed_in, "cache-control"), "no-store");
    let tokens: Value = signed_in.json().await.expect("json");
    let refreshed =
        app.post_json("/v1/auth/refresh", &serde_json::json!({"refresh_token": tokens["refresh_token"]}), None).await;
    assert_eq!((refreshed.status().as_u16(), header(&refreshed, "cache-control")), (200, "no-store".to_owned()));
}
