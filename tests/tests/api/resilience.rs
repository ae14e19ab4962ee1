//! Faults: a tenant database that disappears affects only its yacht; a model server that
//! resets connections or hangs leaves the search bar answering from the local detector; SIGTERM
//! under load lets in-flight requests finish.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use pms_tests::fake_llm::{Behaviour, FakeLlm};
use pms_tests::{admin_connection, pool_for, serve_binary, spawn_app, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test]
async fn a_vanished_tenant_database_affects_only_its_own_yacht() {
    let app = spawn_app().await;
    let (doomed, doomed_chief) = app.yacht_with_chief("Doomed").await;
    let (healthy, healthy_chief) = app.yacht_with_chief("Healthy").await;
    for (yacht, token) in [(&doomed, &doomed_chief), (&healthy, &healthy_chief)] {
        assert_eq!(app.get_as(&format!("/v1/yachts/{}/equipment", yacht.id), token).await.status(), 200);
    }
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP DATABASE {} WITH (FORCE)", doomed.database)))
        .execute(&mut admin_connection().await)
        .await
        .expect("the tenant database is dropped");

    let response = app.get_as(&format!("/v1/yachts/{}/equipment", doomed.id), &doomed_chief).await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "service_unavailable");
    assert!(!body["detail"].as_str().unwrap_or_default().contains(&doomed.database), "no internals: {body}");
    for _ in 0..3 {
        let response = app.get_as(&format!("/v1/yachts/{}/equipment", healthy.id), &healthy_chief).await;
        assert_eq!(response.status(), 200, "the other yacht is unaffected");
    }
    let created =
        app.create_equipment(&healthy, &healthy_chief, json!({ "code": "DG-9", "name": "Generator 9" })).await;
    assert_eq!(created["code"], "DG-9");
}

/// A server that accepts connections and drops them at once.
async fn resetting_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let port = listener.local_addr().expect("address").port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            drop(socket);
        }
    });
    format!("http://127.0.0.1:{port}/v1")
}

#[tokio::test]
async fn a_model_that_resets_or_hangs_leaves_search_answering_from_the_rules() {
    let hanging = FakeLlm::start(Behaviour::Hang(Duration::from_secs(60))).await;
    for base_url in [resetting_server().await, hanging.base_url.clone()] {
        let app = spawn_app_with(|env| {
            env.insert("OPENAI_BASE_URL".to_owned(), base_url.clone());
            env.insert("DETECTOR_LLM_TIMEOUT_MS".to_owned(), "500".to_owned());
        })
        .await;
        let (yacht, chief) = app.yacht_with_chief("Fallback").await;
        let started = Instant::now();
        let response = app
            .post_json(
                &format!("/v1/yachts/{}/search", yacht.id),
                &json!({ "query": "create work order for the bilge pump" }),
                Some(&chief),
            )
            .await;
        let waited = started.elapsed();
        assert_eq!(response.status(), 200, "{base_url}");
        let answer: Value = response.json().await.expect("json");
        assert_eq!(answer["detector"], "fallback", "{base_url}");
        assert_eq!(answer["actions"][0]["action"], "create_work_order");
        // Bounded by the detector's deadline, not by the model's 60 s hang.
        assert!(waited < Duration::from_secs(10), "{base_url}: {waited:?}");
    }
}

#[tokio::test]
async fn sigterm_under_load_lets_in_flight_requests_finish() {
    let (mut child, port, master) = serve_binary().await;
    let pool = pool_for(&master).await;
    let hash = pms_infra::auth::passwords::Argon2Passwords.hash("a-long-enough-password-1").await.expect("hash");
    sqlx::query("INSERT INTO users (email, display_name, password_hash) VALUES ('load@yacht.test', 'Load', $1)")
        .bind(hash)
        .execute(&pool)
        .await
        .expect("a user");

    // Sign-ins (argon2, tens of milliseconds each) keep requests in flight when SIGTERM lands.
    let client = reqwest::Client::new();
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for _ in 0..8 {
        let (client, stop) = (client.clone(), stop.clone());
        workers.push(tokio::spawn(async move {
            let (mut answered, mut server_errors, mut refused) = (0, 0, 0);
            while !stop.load(Ordering::Relaxed) {
                let sent = client
                    .post(format!("http://127.0.0.1:{port}/v1/auth/login"))
                    .json(&json!({ "email": "load@yacht.test", "password": "a-long-enough-password-1" }))
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_server_error() => server_errors += 1,
                    Ok(_) => answered += 1,
                    // After the listener closes, new connections are refused: not in flight.
                    Err(_) => {
                        refused += 1;
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }
            (answered, server_errors, refused)
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    let pid = child.id().expect("running").to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait()).await.expect("stops").expect("status");
    stop.store(true, Ordering::Relaxed);
    let (mut answered, mut server_errors) = (0, 0);
    for worker in workers {
        let (a, s, _) = worker.await.expect("worker");
        answered += a;
        server_errors += s;
    }
    assert!(status.success(), "a graceful stop exits 0: {status}");
    assert!(answered > 0, "the load was served");
    assert_eq!(server_errors, 0, "no request in flight failed");
}

#[tokio::test]
async fn a_client_that_hangs_up_does_not_cut_a_write_in_half() {
    let app = spawn_app().await;
    let (yacht, chief) = app.yacht_with_chief("Hangup").await;
    let owner = pool_for(&yacht.database).await;
    let mut lock = owner.begin().await.expect("tx");
    sqlx::query("LOCK TABLE work_orders IN ACCESS EXCLUSIVE MODE").execute(&mut *lock).await.expect("lock");

    // The client gives up while the write waits for the lock.
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().expect("client");
    let sent = impatient
        .post(app.url(&format!("/v1/yachts/{}/actions/execute", yacht.id)))
        .bearer_auth(&chief)
        .json(&json!({ "action": "create_work_order", "payload": { "title": "Written after the hang-up" } }))
        .send()
        .await;
    assert!(sent.is_err(), "the client timed out: {sent:?}");
    lock.rollback().await.expect("the lock is released");

    // The write finishes anyway, with its audit entry, and leaves no connection mid-transaction.
    let deadline = Instant::now() + Duration::from_secs(10);
    let (written, audited) = loop {
        let written: i64 =
            sqlx::query_scalar("SELECT count(*) FROM work_orders WHERE title = 'Written after the hang-up'")
                .fetch_one(&owner)
                .await
                .expect("count");
        let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'work_order.created'")
            .fetch_one(&owner)
            .await
            .expect("count");
        if written > 0 || Instant::now() > deadline {
            break (written, audited);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!((written, audited), (1, 1), "the whole write landed");
    let listed = app.get_as(&format!("/v1/yachts/{}/work-orders", yacht.id), &chief).await;
    assert_eq!(listed.status(), 200);
    let stuck: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'",
    )
    .bind(&yacht.database)
    .fetch_one(&mut admin_connection().await)
    .await
    .expect("activity");
    assert_eq!(stuck, 0, "no connection was left inside a transaction");
}
