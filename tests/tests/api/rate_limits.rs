//! Rate limits: per client address on every route but the probes, stricter on sign-in, per
//! signed-in user; each refusal a 429 problem with `Retry-After`, counted in `/metrics`.

use pms_tests::{problem, spawn_app_with};
use serde_json::json;

fn limits(env: &mut std::collections::HashMap<String, String>, pairs: &[(&str, &str)]) {
    for (key, value) in pairs {
        env.insert((*key).to_owned(), (*value).to_owned());
    }
}

#[tokio::test]
async fn an_address_over_its_burst_gets_429_with_retry_after_and_probes_stay_open() {
    // One request a minute after a burst of three: the fourth is refused however fast CI is.
    let app = spawn_app_with(|env| {
        limits(env, &[("RATE_LIMIT_IP_PER_SEC", "0.016"), ("RATE_LIMIT_IP_BURST", "3")]);
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.get("/openapi.json").await.status(), 200);
    }
    let response = app.get("/openapi.json").await;
    let retry_after: u64 =
        response.headers().get("retry-after").expect("Retry-After").to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=63).contains(&retry_after), "{retry_after}");
    let (status, body) = problem(response).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    for probe in ["/health", "/ready", "/metrics"] {
        assert_eq!(app.get(probe).await.status(), 200, "{probe} is never limited");
    }
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("http_rate_limited_total{scope=\"ip\"}"), "{metrics}");
    assert!(metrics.contains("rate_limit_burst{scope=\"ip\"}"), "the limits are visible");
}

#[tokio::test]
async fn sign_in_is_limited_more_strictly_than_other_routes() {
    let app =
        spawn_app_with(|env| limits(env, &[("RATE_LIMIT_SIGN_IN_PER_MIN", "1"), ("RATE_LIMIT_SIGN_IN_BURST", "2")]))
            .await;
    let body = json!({ "email": "nobody@yacht.test", "password": "wrong-password-1" });
    for _ in 0..2 {
        assert_eq!(app.post_json("/v1/auth/login", &body, None).await.status(), 401);
    }
    let (status, problem_body) = problem(app.post_json("/v1/auth/login", &body, None).await).await;
    assert_eq!((status, problem_body["code"].as_str()), (429, Some("rate_limited")));
    assert_eq!(app.get("/openapi.json").await.status(), 200, "other routes keep the per-address limit");
}

#[tokio::test]
async fn a_user_over_their_limit_is_refused_before_any_work() {
    let app =
        spawn_app_with(|env| limits(env, &[("RATE_LIMIT_USER_PER_SEC", "0.016"), ("RATE_LIMIT_USER_BURST", "2")]))
            .await;
    app.create_user("limited@yacht.test", "a-long-enough-password-1", false).await;
    let token = app.access_token("limited@yacht.test", "a-long-enough-password-1").await;
    for _ in 0..2 {
        assert_eq!(app.get_as("/v1/auth/me", &token).await.status(), 200);
    }
    let (status, body) = problem(app.get_as("/v1/auth/me", &token).await).await;
    assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    app.create_user("other@yacht.test", "a-long-enough-password-2", false).await;
    let other = app.access_token("other@yacht.test", "a-long-enough-password-2").await;
    assert_eq!(app.get_as("/v1/auth/me", &other).await.status(), 200, "each user has their own bucket");
}
