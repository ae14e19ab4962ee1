//! Two instances of the binary behind one load balancer: same databases, same Redis. A client
//! alternating between them sees one service — tokens, refresh rotation, idempotency keys, the
//! per-user rate limit, the model's cached answers and access changes all behave as with one
//! instance. And a Redis that cannot answer leaves the service working on each instance's own
//! memory.

use std::collections::HashMap;

use pms_tests::fake_llm::FakeLlm;
use pms_tests::{TEST_PASSWORD, TestApp, base_environment, problem, redis_url, serve_binary_with, spawn_app_with};
use serde_json::{Value, json};
use uuid::Uuid;

/// A user's burst: the alternating client below spends exactly this many requests.
const USER_BURST: usize = 10;

fn shared_environment(master: &str, fake: &FakeLlm) -> HashMap<String, String> {
    let mut env = base_environment(master);
    env.extend([
        ("REDIS_URL".to_owned(), redis_url()),
        // Tests share one Redis server; each test's keys are its own.
        ("REDIS_KEY_PREFIX".to_owned(), format!("test-{}", Uuid::new_v4().simple())),
        // One request a minute after the burst: nothing refills while the test runs.
        ("RATE_LIMIT_USER_PER_SEC".to_owned(), "0.016".to_owned()),
        ("RATE_LIMIT_USER_BURST".to_owned(), USER_BURST.to_string()),
        ("OPENAI_BASE_URL".to_owned(), fake.base_url.clone()),
        ("OPENAI_API_KEY".to_owned(), "sk-test-key-for-the-fake-server".to_owned()),
    ]);
    env
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("json body")
}

async fn refresh(app: &TestApp, token: &Value) -> reqwest::Response {
    app.post_json("/v1/auth/refresh", &json!({ "refresh_token": token }), None).await
}

#[tokio::test]
async fn a_client_may_alternate_between_two_instances() {
    let fake = FakeLlm::start(FakeLlm::answer("create_work_order", 0.9, &[("equipment", "generator 2")])).await;
    let master = pms_tests::unique_database_name("master");
    let env = shared_environment(&master, &fake);
    let (_first, first_port) = serve_binary_with(env.clone()).await;
    let (_second, second_port) = serve_binary_with(env).await;
    let (a, b) = (TestApp::running_at(first_port, &master), TestApp::running_at(second_port, &master));
    let yacht = a.yacht_with_captain("M/Y Twin").await;
    let chief_email = format!("chief-{}@yacht.test", Uuid::new_v4().simple());
    let (_, _) = a.add_member(&yacht, &chief_email, "chief_engineer").await;

    // Tokens: signed in on one, used, rotated and revoked on the other.
    let login = a.login(&chief_email, TEST_PASSWORD).await;
    let chief = login["access_token"].as_str().expect("access token").to_owned();
    assert_eq!(b.get_as("/v1/auth/me", &chief).await.status(), 200, "an access token works on every instance");
    let rotated = json_of(refresh(&b, &login["refresh_token"]).await).await;
    assert!(rotated["refresh_token"].is_string(), "rotated on the second: {rotated}");
    let (status, body) = problem(refresh(&a, &login["refresh_token"]).await).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("refresh_token_reused")), "reuse is seen on the first");

    // An idempotency key: the retry that lands on the other instance is a replay.
    let execute = format!("/v1/yachts/{}/actions/execute", yacht.id);
    let call = json!({ "action": "create_work_order", "payload": { "title": "Twin instance retry" } });
    let send = |app: &TestApp, call: &Value| {
        let request = app.client.post(app.url(&execute)).bearer_auth(&chief).header("Idempotency-Key", "twin-1");
        request.json(call).send()
    };
    let first = send(&a, &call).await.expect("sent");
    assert_eq!(first.status(), 200);
    let first = json_of(first).await;
    let replay = send(&b, &call).await.expect("sent");
    assert_eq!(replay.headers().get("idempotent-replayed").and_then(|v| v.to_str().ok()), Some("true"));
    assert_eq!(json_of(replay).await, first, "the replay is the first answer");
    let other = json!({ "action": "create_work_order", "payload": { "title": "Something else" } });
    let (status, _) = problem(send(&b, &other).await.expect("sent")).await;
    assert_eq!(status, 409, "the key is taken on every instance");

    // The model is asked once; the other instance answers from the shared cache.
    let search = format!("/v1/yachts/{}/search", yacht.id);
    let query = json!({ "query": "get the oil on generator 2 sorted before we sail" });
    assert_eq!(json_of(a.post_json(&search, &query, Some(&chief)).await).await["detector"], "llm");
    assert_eq!(json_of(b.post_json(&search, &query, Some(&chief)).await).await["detector"], "cache");
    assert_eq!(fake.calls(), 1, "one question, one model call across both instances");

    // A suspension made through one instance is enforced by the other as soon as it commits.
    let engineer_email = format!("engineer-{}@yacht.test", Uuid::new_v4().simple());
    let (engineer, engineer_id) = a.add_member(&yacht, &engineer_email, "engineer").await;
    let work_orders = format!("/v1/yachts/{}/work-orders", yacht.id);
    assert_eq!(b.get_as(&work_orders, &engineer).await.status(), 200, "the second instance caches the access");
    let suspend = format!("/v1/yachts/{}/members/{engineer_id}/suspend", yacht.id);
    assert_eq!(a.post_json(&suspend, &json!({}), Some(&yacht.captain_token)).await.status(), 200);
    let mut refused = false;
    // Within half the cache's TTL, and within the engineer's burst.
    for _ in 0..USER_BURST - 1 {
        if b.get_as(&work_orders, &engineer).await.status() == 403 {
            refused = true;
            break;
        }
        tokio::time::sleep(pms_infra::master::access_cache::TTL / 2 / 10).await;
    }
    assert!(refused, "the second instance heard of the suspension");

    // The per-user limit is one bucket, however the requests are spread.
    let crew_email = format!("crew-{}@yacht.test", Uuid::new_v4().simple());
    let (crew, _) = a.add_member(&yacht, &crew_email, "crew").await;
    let mut accepted = 0;
    for turn in 0..2 * USER_BURST {
        let app = if turn % 2 == 0 { &a } else { &b };
        let response = app.get_as("/v1/auth/me", &crew).await;
        if response.status() == 200 {
            accepted += 1;
            continue;
        }
        assert!(response.headers().contains_key("retry-after"), "a 429 says when to come back");
        let (status, body) = problem(response).await;
        assert_eq!((status, body["code"].as_str()), (429, Some("rate_limited")));
    }
    assert_eq!(accepted, USER_BURST, "two instances let through one burst, not two");
    for app in [&a, &b] {
        let ready = json_of(app.get("/ready").await).await;
        assert_eq!(
            ready["checks"][1],
            json!({ "name": "shared_store", "status": "ok", "latency_ms": ready["checks"][1]["latency_ms"] })
        );
    }
}

#[tokio::test]
async fn without_redis_each_instance_falls_back_to_its_own_memory() {
    // A port nothing listens on: Redis is configured but down.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let app = spawn_app_with(|env| {
        env.insert("REDIS_URL".to_owned(), format!("redis://127.0.0.1:{port}"));
        env.insert("RATE_LIMIT_USER_PER_SEC".to_owned(), "0.016".to_owned());
        env.insert("RATE_LIMIT_USER_BURST".to_owned(), "3".to_owned());
    })
    .await;
    app.create_user("solo@yacht.test", TEST_PASSWORD, false).await;
    let token = app.access_token("solo@yacht.test", TEST_PASSWORD).await;
    for _ in 0..3 {
        assert_eq!(app.get_as("/v1/auth/me", &token).await.status(), 200, "served while Redis is down");
    }
    let (status, _) = problem(app.get_as("/v1/auth/me", &token).await).await;
    assert_eq!(status, 429, "the limit still holds, kept in this instance");

    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200, "Redis does not decide readiness");
    let checks = json_of(ready).await["checks"].clone();
    assert_eq!((checks[1]["name"].as_str(), checks[1]["status"].as_str()), (Some("shared_store"), Some("unreachable")));
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("shared_store_fallbacks_total{use=\"rate_limit\"}"), "{metrics}");
}
