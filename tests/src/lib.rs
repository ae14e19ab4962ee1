//! Harness for the black-box tests: the real application on port 0 and the real
//! `pipeline-core` binary, each against its own freshly created databases on the PostgreSQL
//! server named by `TEST_DATABASE_URL` (`make test` starts a private one).

pub mod fake_llm;
pub mod proxy;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Once;

use pms_api::config::{LogFormat, Settings};
use pms_api::startup::Application;
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection as _, PgConnection, PgPool};
use tokio::sync::oneshot;

/// A fixed secret so tokens made by tests are predictable in shape.
pub const TEST_JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-0123456789";

/// The URL of the test PostgreSQL server, without a database.
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .map(|url| url.trim_end_matches('/').to_owned())
        .expect("TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL")
}

/// A database name no other test uses.
pub fn unique_database_name(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// A connection to the server's maintenance database, for test set-up and inspection.
pub async fn admin_connection() -> PgConnection {
    PgConnection::connect(&format!("{}/postgres", server_url())).await.expect("connecting to the test server")
}

/// A small pool on one database of the test server.
pub async fn pool_for(database: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(2)
        .connect(&format!("{}/{database}", server_url()))
        .await
        .unwrap_or_else(|e| panic!("connecting to {database}: {e}"))
}

/// Creates an empty database and returns its name.
pub async fn create_database(prefix: &str) -> String {
    let name = unique_database_name(prefix);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin_connection().await)
        .await
        .expect("creating a test database");
    name
}

/// The environment the app and binary get in tests: a fresh master database, port 0, loopback.
pub fn base_environment(master_database: &str) -> HashMap<String, String> {
    HashMap::from([
        ("MASTER_DATABASE_URL".to_owned(), format!("{}/{master_database}", server_url())),
        ("HOST".to_owned(), "127.0.0.1".to_owned()),
        ("PORT".to_owned(), "0".to_owned()),
        ("JWT_SECRET".to_owned(), TEST_JWT_SECRET.to_owned()),
        ("MASTER_DB_MAX_CONNECTIONS".to_owned(), "4".to_owned()),
        ("RUST_LOG".to_owned(), "info,sqlx=warn".to_owned()),
        // Every test client is 127.0.0.1: limits are tested on their own (rate_limits.rs).
        ("RATE_LIMIT_IP_PER_SEC".to_owned(), "100000".to_owned()),
        ("RATE_LIMIT_IP_BURST".to_owned(), "100000".to_owned()),
        ("RATE_LIMIT_SIGN_IN_PER_MIN".to_owned(), "6000000".to_owned()),
        ("RATE_LIMIT_SIGN_IN_BURST".to_owned(), "100000".to_owned()),
        ("RATE_LIMIT_USER_PER_SEC".to_owned(), "100000".to_owned()),
        ("RATE_LIMIT_USER_BURST".to_owned(), "100000".to_owned()),
    ])
}

/// The application running in this process.
#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    pub port: u16,
    /// Name of this app's own master database.
    pub master_database: String,
    pub client: reqwest::Client,
    /// Dropping the app (or sending) stops the server gracefully.
    _shutdown: oneshot::Sender<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    /// A pool on this app's master database, for checking what was written.
    pub async fn master_pool(&self) -> PgPool {
        pool_for(&self.master_database).await
    }
}

/// Spawns the application with the test defaults.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Spawns the application after letting the test adjust its environment.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut HashMap<String, String>)) -> TestApp {
    init_test_logging();
    let master_database = unique_database_name("master");
    let mut env = base_environment(&master_database);
    adjust(&mut env);
    let settings = Settings::from_lookup(|name| env.get(name).cloned()).expect("test settings are valid");
    let app = Application::build(&settings).await.expect("the application builds");
    let port = app.port();
    let (shutdown, stopped) = oneshot::channel::<()>();
    tokio::spawn(app.run_until_stopped(async move {
        let _ = stopped.await;
    }));
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        port,
        master_database,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .expect("http client"),
        _shutdown: shutdown,
    }
}

impl TestApp {
    /// A client of an instance running elsewhere (a binary started by the test) on `port`, whose
    /// master database is `master_database`.
    pub fn running_at(port: u16, master_database: &str) -> Self {
        TestApp {
            address: format!("http://127.0.0.1:{port}"),
            port,
            master_database: master_database.to_owned(),
            client: reqwest::Client::new(),
            _shutdown: oneshot::channel().0,
        }
    }
}

/// Logs from the app under test appear only with `TEST_LOG=1`.
fn init_test_logging() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            pms_api::telemetry::init_logging(LogFormat::Pretty, "debug,sqlx=info,hyper=info");
        }
    });
}

/// The `pipeline-core` binary built by `make test` (or `PIPELINE_CORE_BIN`).
pub fn binary() -> PathBuf {
    if let Some(path) = std::env::var_os("PIPELINE_CORE_BIN") {
        return PathBuf::from(path);
    }
    // Test executables live in target/<profile>/deps; the binary one level up.
    let exe = std::env::current_exe().expect("test executable path");
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("pipeline-core"))
        .expect("target directory layout");
    assert!(path.exists(), "{} is missing: build it with `cargo build -p pms-api` (make test does)", path.display());
    path
}

/// `pipeline-core serve` on a fresh master database, with JSON logs; returns the running child
/// (killed when dropped), its port and the master database's name once it is listening.
pub async fn serve_binary() -> (tokio::process::Child, u16, String) {
    let master = unique_database_name("master");
    let (child, port) = serve_binary_with(base_environment(&master)).await;
    (child, port, master)
}

/// `pipeline-core serve` with `env` (plus JSON logs); returns the running child (killed when
/// dropped) and its port once it is listening.
pub async fn serve_binary_with<S: std::hash::BuildHasher>(
    mut env: HashMap<String, String, S>,
) -> (tokio::process::Child, u16) {
    use tokio::io::AsyncBufReadExt as _;
    env.insert("LOG_FORMAT".to_owned(), "json".to_owned());
    let mut child = binary_command(&env).arg("serve").stderr(std::process::Stdio::piped()).spawn().expect("spawns");
    let mut lines = tokio::io::BufReader::new(child.stderr.take().expect("stderr")).lines();
    // The service logs the port it bound (PORT=0 lets the OS choose).
    let port = tokio::time::timeout(std::time::Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("reads stderr") {
            if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                && event["message"] == "listening"
            {
                return u16::try_from(event["port"].as_u64().expect("port field")).expect("a port");
            }
        }
        panic!("the service exited before listening");
    })
    .await
    .expect("the service starts listening");
    // Keep draining its log so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, port)
}

/// A command running the binary with exactly `env` as its environment.
pub fn binary_command<S: std::hash::BuildHasher>(env: &HashMap<String, String, S>) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(binary());
    command.env_clear().envs(env).kill_on_drop(true);
    command
}

/// Everything about a database's schema that a migration could change, as sorted text, plus
/// the migration ledger (with install times, so a re-applied migration shows up).
pub async fn schema_snapshot(pool: &PgPool) -> String {
    sqlx::query_scalar(
        r"SELECT string_agg(item, E'\n' ORDER BY item) FROM (
            SELECT format('column %s.%s %s null=%s default=%s', table_name, column_name, data_type,
                          is_nullable, column_default) AS item
              FROM information_schema.columns WHERE table_schema = 'public'
            UNION ALL SELECT format('index %s', indexdef) FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL SELECT format('constraint %s %s', conname, pg_get_constraintdef(oid))
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL SELECT format('trigger %s', tgname) FROM pg_trigger WHERE NOT tgisinternal
            UNION ALL SELECT format('function %s', proname) FROM pg_proc
              WHERE pronamespace = 'public'::regnamespace
            UNION ALL SELECT format('policy %s.%s', tablename, policyname) FROM pg_policies
            UNION ALL SELECT format('migration %s %s %s', version, encode(checksum, 'hex'), installed_on)
              FROM _sqlx_migrations
        ) AS schema_items",
    )
    .fetch_one(pool)
    .await
    .expect("reading the schema")
}

/// A password every test user gets unless a test says otherwise.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Sends `body` as JSON to `path`, with a bearer token when given.
    pub async fn post_json(&self, path: &str, body: &serde_json::Value, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent")
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request sent")
    }

    /// Inserts an active user straight into the master database (test set-up only).
    pub async fn create_user(&self, email: &str, password: &str, is_platform_admin: bool) -> uuid::Uuid {
        let hash = pms_infra::auth::passwords::Argon2Passwords.hash(password).await.expect("hashes");
        sqlx::query_scalar(
            "INSERT INTO users (email, display_name, password_hash, is_platform_admin)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email.to_lowercase())
        .bind(email.split('@').next().unwrap_or("user"))
        .bind(hash)
        .bind(is_platform_admin)
        .fetch_one(&self.master_pool().await)
        .await
        .expect("inserting a user")
    }

    /// Signs in and returns the token response, panicking unless it succeeds.
    pub async fn login(&self, email: &str, password: &str) -> serde_json::Value {
        let response =
            self.post_json("/v1/auth/login", &serde_json::json!({"email": email, "password": password}), None).await;
        assert_eq!(response.status(), 200, "login as {email}");
        response.json().await.expect("token response")
    }

    /// The access token of a fresh sign-in.
    pub async fn access_token(&self, email: &str, password: &str) -> String {
        self.login(email, password).await["access_token"].as_str().expect("access token").to_owned()
    }
}

/// Asserts a problem+json response and returns its status and body.
pub async fn problem(response: reqwest::Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    assert_eq!(
        response.headers().get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "status {status} is problem+json"
    );
    (status, response.json().await.expect("problem body"))
}

/// Creates a tenant database and applies the tenant migrations to it.
pub async fn migrated_tenant_database() -> String {
    let name = create_database("tenant").await;
    let options = pms_infra::postgres::parse_url(&format!("{}/{name}", server_url())).expect("url");
    pms_infra::migrate::migrate_tenant_database(&options).await.expect("tenant migrations apply");
    name
}

/// The servers of the test cluster, as the service would configure them.
pub fn test_tenant_servers() -> pms_infra::tenant::servers::TenantServers {
    let default = pms_infra::postgres::parse_url(&server_url()).expect("url");
    pms_infra::tenant::servers::TenantServers::new(default)
}

/// Connections currently open to any of `databases`.
pub async fn open_connections(databases: &[String]) -> i64 {
    // Client connections only: an autovacuum worker in one of them is not ours.
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = ANY($1) AND backend_type = 'client backend'",
    )
    .bind(databases)
    .fetch_one(&mut admin_connection().await)
    .await
    .expect("pg_stat_activity")
}

/// The second PostgreSQL server `make test` starts, for placement on a named server.
pub fn second_server_url() -> String {
    std::env::var("TEST_SECOND_DATABASE_URL")
        .map(|url| url.trim_end_matches('/').to_owned())
        .expect("TEST_SECOND_DATABASE_URL is not set: run the tests with `make test`")
}

/// The private Redis server `make test` starts.
pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL")
        .expect("TEST_REDIS_URL is not set: run the tests with `make test`, which starts Redis")
}

/// A yacht provisioned for a test, with its first captain signed in.
#[derive(Debug, Clone)]
pub struct TestYacht {
    pub id: String,
    pub captain_email: String,
    pub captain_token: String,
    pub database: String,
}

impl TestApp {
    /// A new platform administrator's access token.
    pub async fn platform_admin_token(&self) -> String {
        let email = format!("root-{}@pipeline.test", uuid::Uuid::new_v4().simple());
        self.create_user(&email, TEST_PASSWORD, true).await;
        self.access_token(&email, TEST_PASSWORD).await
    }

    /// Provisions a yacht as a platform admin and returns the response body (asserting 201).
    pub async fn provision(&self, admin_token: &str, body: &serde_json::Value) -> serde_json::Value {
        let response = self.post_json("/v1/admin/yachts", body, Some(admin_token)).await;
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(status, 201, "provisioning: {body}");
        body
    }

    /// Accepts an invitation and returns the token response (asserting 200).
    pub async fn accept_invite(&self, token: &str, password: &str) -> serde_json::Value {
        let response = self
            .post_json("/v1/auth/accept-invite", &serde_json::json!({"token": token, "password": password}), None)
            .await;
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(status, 200, "accepting an invitation: {body}");
        body
    }

    /// Provisions a yacht in a database of its own with a signed-in captain.
    pub async fn yacht_with_captain(&self, name: &str) -> TestYacht {
        let admin = self.platform_admin_token().await;
        let captain_email = format!("captain-{}@yacht.test", uuid::Uuid::new_v4().simple());
        let created = self
            .provision(
                &admin,
                &serde_json::json!({"name": name, "first_admin": {"email": captain_email, "role": "captain"}}),
            )
            .await;
        let invite = created["first_admin_invitation"]["invite_token"].as_str().expect("invite token");
        let login = self.accept_invite(invite, TEST_PASSWORD).await;
        TestYacht {
            id: created["id"].as_str().expect("id").to_owned(),
            captain_email,
            captain_token: login["access_token"].as_str().expect("token").to_owned(),
            database: created["tenant_database"]["database"].as_str().expect("database").to_owned(),
        }
    }

    /// Invites `email` to the yacht as `role` (by the captain), accepts, and returns the new
    /// member's access token and user id.
    pub async fn add_member(&self, yacht: &TestYacht, email: &str, role: &str) -> (String, String) {
        let response = self
            .post_json(
                &format!("/v1/yachts/{}/members", yacht.id),
                &serde_json::json!({"email": email, "role": role}),
                Some(&yacht.captain_token),
            )
            .await;
        let status = response.status();
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(status, 201, "inviting {email}: {body}");
        let login = self.accept_invite(body["invite_token"].as_str().expect("token"), TEST_PASSWORD).await;
        (
            login["access_token"].as_str().expect("token").to_owned(),
            login["user"]["id"].as_str().expect("user id").to_owned(),
        )
    }

    /// Sends a request with a method, optional JSON body and bearer token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
        token: &str,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }
}

impl TestApp {
    /// Registers equipment as `token` and returns the created body (asserting 201).
    pub async fn create_equipment(&self, yacht: &TestYacht, token: &str, body: serde_json::Value) -> serde_json::Value {
        let response = self.post_json(&format!("/v1/yachts/{}/equipment", yacht.id), &body, Some(token)).await;
        let status = response.status();
        let created: serde_json::Value = response.json().await.expect("json");
        assert_eq!(status, 201, "creating equipment: {created}");
        created
    }

    /// A yacht with a signed-in captain and chief engineer: (yacht, chief's token).
    pub async fn yacht_with_chief(&self, name: &str) -> (TestYacht, String) {
        let yacht = self.yacht_with_captain(name).await;
        let email = format!("chief-{}@yacht.test", uuid::Uuid::new_v4().simple());
        let (chief, _) = self.add_member(&yacht, &email, "chief_engineer").await;
        (yacht, chief)
    }
}
