//! Connection-level faults (issue 22): a tenant or master database that refuses connections
//! answers 503 with `Retry-After` (item 12); a master database that stops answering fails
//! requests within a few seconds, not at the request deadline (item 14); a client that sends
//! nothing, or its request too slowly, is disconnected and cannot exhaust the server (item 13).

use std::time::{Duration, Instant};

use pms_tests::proxy::Proxy;
use pms_tests::{TEST_PASSWORD, admin_connection, server_url, spawn_app_with};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

async fn set_accepting_connections(database: &str, accepting: bool) {
    let mut admin = admin_connection().await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("ALTER DATABASE {database} ALLOW_CONNECTIONS {accepting}")))
        .execute(&mut admin)
        .await
        .expect("ALTER DATABASE");
    if !accepting {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            .bind(database)
            .execute(&mut admin)
            .await
            .expect("terminating the database's sessions");
    }
}

/// Asserts a 503 `service_unavailable` with a `Retry-After` of at least a second.
async fn assert_unavailable(response: reqwest::Response, what: &str) {
    let status = response.status().as_u16();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let body: Value = response.json().await.expect("problem body");
    assert_eq!((status, body["code"].as_str()), (503, Some("service_unavailable")), "{what}: {body}");
    assert!(retry_after.is_some_and(|secs| secs >= 1), "{what}: Retry-After {retry_after:?}");
}

/// Retries `request` until it answers 200 (the service recovers on its own).
async fn eventually_ok(what: &str, request: impl AsyncFn() -> reqwest::Response) {
    for _ in 0..50 {
        if request().await.status() == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what} did not recover");
}

#[tokio::test]
async fn a_tenant_database_refusing_connections_is_503_with_retry_after_for_its_yacht_only() {
    let app = spawn_app_with(|_| {}).await;
    let (refusing, refusing_chief) = app.yacht_with_chief("Refusing").await;
    let (healthy, healthy_chief) = app.yacht_with_chief("Healthy").await;
    let equipment = |yacht: &pms_tests::TestYacht| format!("/v1/yachts/{}/equipment", yacht.id);
    assert_eq!(app.get_as(&equipment(&refusing), &refusing_chief).await.status(), 200);

    set_accepting_connections(&refusing.database, false).await;
    for attempt in 0..4 {
        assert_unavailable(app.get_as(&equipment(&refusing), &refusing_chief).await, &format!("read {attempt}")).await;
    }
    let created = app
        .post_json(&equipment(&refusing), &json!({"code": "DG-9", "name": "Generator 9"}), Some(&refusing_chief))
        .await;
    assert_unavailable(created, "a write").await;
    assert_eq!(app.get_as(&equipment(&healthy), &healthy_chief).await.status(), 200, "the other yacht is unaffected");

    set_accepting_connections(&refusing.database, true).await;
    eventually_ok("the yacht", async || app.get_as(&equipment(&refusing), &refusing_chief).await).await;
}

#[tokio::test]
async fn a_master_database_refusing_connections_is_503_with_retry_after() {
    let app = spawn_app_with(|_| {}).await;
    let yacht = app.yacht_with_captain("Aurora").await;
    let login = json!({"email": yacht.captain_email, "password": TEST_PASSWORD});

    set_accepting_connections(&app.master_database, false).await;
    for attempt in 0..3 {
        assert_unavailable(app.post_json("/v1/auth/login", &login, None).await, &format!("login {attempt}")).await;
        assert_unavailable(app.get_as("/v1/auth/me", &yacht.captain_token).await, &format!("me {attempt}")).await;
    }

    set_accepting_connections(&app.master_database, true).await;
    eventually_ok("sign-in", async || app.post_json("/v1/auth/login", &login, None).await).await;
}

#[tokio::test]
async fn a_master_database_that_stops_answering_fails_requests_fast() {
    let server_port: u16 = url::Url::parse(&server_url()).expect("url").port().expect("a port");
    let proxy = Proxy::start(server_port).await;
    let app = spawn_app_with(|env| {
        let master = env["MASTER_DATABASE_URL"].replace(&format!(":{server_port}/"), &format!(":{}/", proxy.port));
        env.insert("MASTER_DATABASE_URL".to_owned(), master);
        env.insert("TENANT_DATABASE_URL".to_owned(), server_url());
        // Far beyond the master's own bound, so only that bound can answer in time.
        env.insert("HTTP_REQUEST_TIMEOUT_SECS".to_owned(), "120".to_owned());
    })
    .await;
    let yacht = app.yacht_with_captain("Aurora").await;
    let login = json!({"email": yacht.captain_email, "password": TEST_PASSWORD});
    let equipment = format!("/v1/yachts/{}/equipment", yacht.id);

    proxy.go_silent();
    for attempt in 0..2 {
        let started = Instant::now();
        assert_unavailable(app.post_json("/v1/auth/login", &login, None).await, &format!("login {attempt}")).await;
        assert_unavailable(app.get_as("/v1/auth/me", &yacht.captain_token).await, &format!("me {attempt}")).await;
        assert_unavailable(app.get_as(&equipment, &yacht.captain_token).await, &format!("equipment {attempt}")).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(30), "three requests took {took:?}: held to the deadline, not failed fast");
    }

    proxy.speak();
    eventually_ok("sign-in", async || app.post_json("/v1/auth/login", &login, None).await).await;
    eventually_ok("the yacht", async || app.get_as(&equipment, &yacht.captain_token).await).await;
}

/// Whether the server closes `stream` within `within`, reading (and discarding) what it sends.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buffer = [0; 1024];
    let deadline = Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) => return false,
        }
    }
}

#[tokio::test]
async fn a_client_that_sends_nothing_or_too_slowly_is_disconnected() {
    let app = spawn_app_with(|env| {
        env.insert("HTTP_HEADER_READ_TIMEOUT_SECS".to_owned(), "1".to_owned());
        env.insert("HTTP_MAX_CONNECTIONS".to_owned(), "8".to_owned());
    })
    .await;
    let address = ("127.0.0.1", app.port);
    // Twice as many silent clients as the server takes connections.
    let mut silent = Vec::new();
    for _ in 0..16 {
        silent.push(TcpStream::connect(address).await.expect("connects"));
    }
    let mut half_line = TcpStream::connect(address).await.expect("connects");
    half_line.write_all(b"GET /health HT").await.expect("writes");
    let mut trickling = TcpStream::connect(address).await.expect("connects");
    trickling.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").await.expect("writes");
    let trickle = tokio::spawn(async move {
        for n in 0..20 {
            if trickling.write_all(format!("X-Slow-{n}: 1\r\n").as_bytes()).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        closed_within(&mut trickling, Duration::from_millis(10)).await
    });

    // The silent clients are let go, so an ordinary request is served behind them.
    assert_eq!(app.get("/health").await.status(), 200, "served despite the silent clients");
    for (n, stream) in silent.iter_mut().enumerate() {
        assert!(closed_within(stream, Duration::from_secs(15)).await, "silent client {n} still connected");
    }
    assert!(closed_within(&mut half_line, Duration::from_secs(5)).await, "half a request line still connected");
    assert!(trickle.await.expect("joins"), "headers trickled in for 8 s and the connection stayed open");

    // A kept-alive connection that goes quiet after its response is closed too.
    let mut idle = TcpStream::connect(address).await.expect("connects");
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").await.expect("writes");
    let mut response = [0; 12];
    idle.read_exact(&mut response).await.expect("a response");
    assert_eq!(&response, b"HTTP/1.1 200");
    assert!(closed_within(&mut idle, Duration::from_secs(5)).await, "an idle kept-alive connection stayed open");
}
