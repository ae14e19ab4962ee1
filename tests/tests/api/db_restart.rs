//! The database crashes and restarts under a steady write load: every write the service
//! acknowledged is there afterwards, `/ready` reports the outage while it lasts, refused writes
//! are 503s, and the service recovers on its own. A cluster of this test's own (fsync and
//! synchronous commit on, as in production), since it is taken down.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use pms_tests::{base_environment, binary_command, serve_binary_with};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const PASSWORD: &str = "restart-Password-2026";

async fn postgres_sh(args: &[&str]) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/postgres.sh");
    let out = tokio::process::Command::new(script)
        .args(args)
        .env("PG_FSYNC", "on")
        .env("PG_SYNCHRONOUS_COMMIT", "on")
        .output()
        .await
        .expect("postgres.sh runs");
    assert!(out.status.success(), "postgres.sh {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

async fn status_of(client: &reqwest::Client, url: &str) -> Option<u16> {
    client.get(url).send().await.ok().map(|r| r.status().as_u16())
}

async fn wait_for(client: &reqwest::Client, url: &str, wanted: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if status_of(client, url).await == Some(wanted) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[derive(Default)]
struct Outcomes {
    acknowledged: Vec<String>,
    after_restart: usize,
    unavailable: usize,
    other: Vec<String>,
}

#[tokio::test]
async fn a_database_restart_under_write_load_loses_no_acknowledged_write() {
    let server = postgres_sh(&["fresh", "fault-restart", "54379"]).await;
    let pg_port = server.rsplit(':').next().expect("port").to_owned();
    let mut env = base_environment("pipeline_master");
    env.extend([
        ("MASTER_DATABASE_URL".to_owned(), format!("{server}/pipeline_master")),
        ("DEMO_PASSWORD".to_owned(), PASSWORD.to_owned()),
        ("RUST_LOG".to_owned(), "info,sqlx=error".to_owned()),
        ("TENANT_ACQUIRE_TIMEOUT_MS".to_owned(), "500".to_owned()),
    ]);
    let seeded = binary_command(&env).arg("seed-demo").output().await.expect("seed-demo runs");
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let (mut child, port) = serve_binary_with(env).await;
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("client");
    let login: Value = client
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({ "email": "chief@aurora.demo", "password": PASSWORD }))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let token = login["access_token"].as_str().expect("token").to_owned();
    let yacht = pms_api::demo::AURORA;

    let stop = Arc::new(AtomicBool::new(false));
    let restarted = Arc::new(AtomicBool::new(false));
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let mut writers = Vec::new();
    for worker in 0..4 {
        let (client, stop, restarted, outcomes) = (client.clone(), stop.clone(), restarted.clone(), outcomes.clone());
        let (url, token) = (format!("{base}/v1/yachts/{yacht}/actions/execute"), token.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let title = format!("Restart load {worker}-{n}");
                let body = json!({ "action": "create_work_order", "payload": { "title": title } });
                let sent = client.post(&url).bearer_auth(&token).json(&body).send().await;
                let mut outcomes = outcomes.lock().await;
                match sent.map(|r| r.status().as_u16()) {
                    Ok(200..=299) => {
                        outcomes.acknowledged.push(title);
                        outcomes.after_restart += usize::from(restarted.load(Ordering::Relaxed));
                    }
                    Ok(503) => outcomes.unavailable += 1,
                    Ok(other) => outcomes.other.push(format!("{title}: {other}")),
                    Err(error) => outcomes.other.push(format!("{title}: {error}")),
                }
                drop(outcomes);
                if !restarted.load(Ordering::Relaxed) {
                    tokio::task::yield_now().await;
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_millis(800)).await;
    postgres_sh(&["crash", "fault-restart"]).await;
    let ready = format!("{base}/ready");
    assert!(wait_for(&client, &ready, 503, Duration::from_secs(10)).await, "/ready reports the outage");
    tokio::time::sleep(Duration::from_millis(500)).await;
    postgres_sh(&["start", "fault-restart", &pg_port]).await;
    assert!(wait_for(&client, &ready, 200, Duration::from_secs(30)).await, "/ready recovers");
    restarted.store(true, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("writer");
    }
    assert!(child.try_wait().expect("child status").is_none(), "the service kept running");

    let outcomes = outcomes.lock().await;
    assert!(outcomes.other.is_empty(), "only successes and 503s: {:?}", &outcomes.other[..outcomes.other.len().min(5)]);
    assert!(outcomes.acknowledged.len() > outcomes.after_restart, "writes succeeded before the crash");
    assert!(outcomes.unavailable > 0, "writes during the outage were refused with 503");
    assert!(outcomes.after_restart > 0, "writes succeed again after the restart");
    let database = format!("pms_yacht_{}", yacht.simple());
    let pool = sqlx::PgPool::connect(&format!("{server}/{database}")).await.expect("Aurora's database");
    let stored: Vec<String> = sqlx::query_scalar("SELECT title FROM work_orders WHERE title LIKE 'Restart load %'")
        .fetch_all(&pool)
        .await
        .expect("titles");
    let missing: Vec<&String> = outcomes.acknowledged.iter().filter(|t| !stored.contains(t)).collect();
    assert!(missing.is_empty(), "{} acknowledged writes lost, e.g. {:?}", missing.len(), missing.first());
    pool.close().await;
    drop(child);
    postgres_sh(&["stop", "fault-restart"]).await;
}
