//! Platform administration: provisioning yachts into their own or shared databases, on the
//! default or a named server; suspending them; bootstrapping the first administrator.

use std::collections::HashMap;

use pms_tests::{
    TEST_PASSWORD, base_environment, binary_command, pool_for, problem, schema_snapshot, second_server_url, spawn_app,
    spawn_app_with, unique_database_name,
};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt as _;

async fn count(app: &pms_tests::TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.master_pool().await).await.expect("count")
}

#[tokio::test]
async fn a_platform_admin_provisions_a_yacht_into_a_migrated_database_of_its_own() {
    let app = spawn_app().await;
    let admin = app.platform_admin_token().await;
    let yacht = app
        .provision(
            &admin,
            &json!({"name": " M/Y Aurora ", "imo_number": "IMO 9074729", "flag_state": "Cayman Islands"}),
        )
        .await;
    assert_eq!(yacht["name"], "M/Y Aurora");
    assert_eq!(yacht["imo_number"], "9074729");
    assert_eq!(yacht["status"], "active");
    assert_eq!(yacht["tenant_database"]["server"], "default");
    assert_eq!(yacht["first_admin_invitation"], Value::Null);
    let database = yacht["tenant_database"]["database"].as_str().expect("database");
    assert!(database.starts_with("pms_yacht_"), "{database}");

    let schema = schema_snapshot(&pool_for(database).await).await;
    assert!(schema.contains("policy equipment.equipment_yacht_isolation"), "the tenant schema is in place");

    let tenants: Value = app.get_as("/v1/admin/tenants", &admin).await.json().await.expect("json");
    let tenant =
        tenants["items"].as_array().expect("items").iter().find(|t| t["database"] == database).expect("listed");
    assert_eq!(tenant["migration_status"], "ok");
    assert_eq!(tenant["schema_version"], pms_infra::migrate::latest_tenant_version());
    assert_eq!(tenant["yachts"], 1);

    let listed: Value = app.get_as("/v1/admin/yachts", &admin).await.json().await.expect("json");
    assert_eq!(listed["items"][0]["id"], yacht["id"]);
    assert_eq!(count(&app, "SELECT count(*) FROM admin_audit_log WHERE action = 'yacht.provisioned'").await, 1);
}

#[tokio::test]
async fn yachts_can_share_one_tenant_database() {
    let app = spawn_app().await;
    let admin = app.platform_admin_token().await;
    let first = app.provision(&admin, &json!({"name": "M/Y Aurora"})).await;
    let database = first["tenant_database"]["database"].clone();
    let second =
        app.provision(&admin, &json!({"name": "M/Y Borealis", "tenant_database": {"database": database}})).await;
    assert_eq!(second["tenant_database"]["database"], database);
    let tenants: Value = app.get_as("/v1/admin/tenants", &admin).await.json().await.expect("json");
    assert_eq!(tenants["items"].as_array().expect("items").len(), 1);
    assert_eq!(tenants["items"][0]["yachts"], 2);
}

#[tokio::test]
async fn provisioning_refuses_bad_requests_and_records_nothing() {
    let app = spawn_app().await;
    let admin = app.platform_admin_token().await;
    app.provision(&admin, &json!({"name": "M/Y Aurora", "imo_number": "9074729"})).await;
    let before =
        (count(&app, "SELECT count(*) FROM yachts").await, count(&app, "SELECT count(*) FROM tenant_databases").await);

    app.create_user("captain@aurora.demo", TEST_PASSWORD, false).await;
    let not_admin = app.access_token("captain@aurora.demo", TEST_PASSWORD).await;
    let (status, body) =
        problem(app.post_json("/v1/admin/yachts", &json!({"name": "X"}), Some(&not_admin)).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let (status, _) = problem(app.post_json("/v1/admin/yachts", &json!({"name": "X"}), None).await).await;
    assert_eq!(status, 401);

    let invalid = [
        (json!({"name": ""}), "name"),
        (json!({"name": "X", "imo_number": "9074728"}), "imo_number"),
        (json!({"name": "X", "flag_state": "K"}), "flag_state"),
        (json!({"name": "X", "tenant_database": {"database": "Bad-Name"}}), "tenant_database.database"),
        (json!({"name": "X", "first_admin": {"email": "a@b.c", "role": "engineer"}}), "first_admin.role"),
    ];
    for (request, field) in invalid {
        let (status, body) = problem(app.post_json("/v1/admin/yachts", &request, Some(&admin)).await).await;
        assert_eq!(status, 422, "{request}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{request}");
    }
    let unregistered = [
        (json!({"name": "X", "tenant_database": {"server": "mars"}}), "tenant_database.server"),
        (json!({"name": "X", "tenant_database": {"database": "no_such_db"}}), "tenant_database.database"),
    ];
    for (request, field) in unregistered {
        let (status, body) = problem(app.post_json("/v1/admin/yachts", &request, Some(&admin)).await).await;
        assert_eq!((status, body["code"].as_str()), (404, Some("not_found")), "{request}: {body}");
        assert_eq!(body["errors"][0]["field"], field, "{request}");
    }
    let (status, body) = problem(
        app.post_json("/v1/admin/yachts", &json!({"name": "Copy", "imo_number": "9074729"}), Some(&admin)).await,
    )
    .await;
    assert_eq!((status, body["code"].as_str()), (409, Some("conflict")));

    let after =
        (count(&app, "SELECT count(*) FROM yachts").await, count(&app, "SELECT count(*) FROM tenant_databases").await);
    assert_eq!(after, before, "a refused request records no yacht and no tenant database");
}

/// Yacht databases created since `since` (a `pg_database` oid) that no master database on the
/// server registers: the orphans a refused provisioning would leave. A database is registered
/// before it is created and dropped before it is unregistered, so other tests' work in flight
/// never shows up here.
async fn orphaned_yacht_databases(since: i64) -> Vec<String> {
    let mut admin = pms_tests::admin_connection().await;
    let created: Vec<String> =
        sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'pms_yacht_%' AND oid::int8 > $1")
            .bind(since)
            .fetch_all(&mut admin)
            .await
            .expect("databases");
    let masters: Vec<String> = sqlx::query_scalar("SELECT datname FROM pg_database WHERE datname LIKE 'master_%'")
        .fetch_all(&mut admin)
        .await
        .expect("masters");
    let mut registered = std::collections::HashSet::new();
    for master in masters {
        let url = format!("{}/{master}", pms_tests::server_url());
        let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&url).await else {
            continue;
        };
        let names: Vec<String> =
            sqlx::query_scalar("SELECT name FROM tenant_databases").fetch_all(&mut conn).await.unwrap_or_default();
        registered.extend(names);
    }
    created.into_iter().filter(|name| !registered.contains(name)).collect()
}

#[tokio::test]
async fn racing_creations_with_one_imo_number_leave_one_yacht_and_no_orphaned_database() {
    let app = spawn_app().await;
    let admin = app.platform_admin_token().await;
    let since: i64 = sqlx::query_scalar("SELECT max(oid::int8) FROM pg_database")
        .fetch_one(&mut pms_tests::admin_connection().await)
        .await
        .expect("oid");
    let create = |n: usize| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let body = json!({"name": format!("M/Y Racer {n}"), "imo_number": "9074729"});
            app.post_json("/v1/admin/yachts", &body, Some(&admin)).await.status().as_u16()
        }
    };
    let (a, b, c, d) = tokio::join!(create(0), create(1), create(2), create(3));
    let mut statuses = [a, b, c, d];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409], "exactly one wins the IMO number");
    assert_eq!(create(4).await, 409, "refused before any database is made");
    assert_eq!(count(&app, "SELECT count(*) FROM yachts").await, 1);
    assert_eq!(count(&app, "SELECT count(*) FROM tenant_databases").await, 1, "the losers' registrations are gone");
    assert_eq!(orphaned_yacht_databases(since).await, Vec::<String>::new(), "and so are their databases");
}

#[tokio::test]
async fn a_yacht_placed_on_a_second_server_lives_there() {
    let second = second_server_url();
    let app = spawn_app_with(|env| {
        env.insert("TENANT_SERVERS".to_owned(), format!("second={second}/postgres"));
    })
    .await;
    let admin = app.platform_admin_token().await;
    let yacht = app.provision(&admin, &json!({"name": "M/Y Far Away", "tenant_database": {"server": "second"}})).await;
    assert_eq!(yacht["tenant_database"]["server"], "second");
    let database = yacht["tenant_database"]["database"].as_str().expect("database").to_owned();

    let on_second: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&database)
        .fetch_one(&sqlx::PgPool::connect(&format!("{second}/postgres")).await.expect("second server"))
        .await
        .expect("query");
    assert!(on_second, "the database is on the second server");
    let on_first: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&database)
        .fetch_one(&pool_for("postgres").await)
        .await
        .expect("query");
    assert!(!on_first, "and not on the default one");
    let schema = schema_snapshot(&sqlx::PgPool::connect(&format!("{second}/{database}")).await.expect("tenant")).await;
    assert!(schema.contains("table equipment") || schema.contains("column equipment.yacht_id"), "migrated there");
}

#[tokio::test]
async fn suspending_a_yacht_locks_its_members_out_until_it_is_reactivated() {
    let app = spawn_app().await;
    let yacht = app.yacht_with_captain("M/Y Aurora").await;
    let admin = app.platform_admin_token().await;
    let members = format!("/v1/yachts/{}/members", yacht.id);
    assert_eq!(app.get_as(&members, &yacht.captain_token).await.status(), 200);

    let suspended: Value = app
        .post_json(&format!("/v1/admin/yachts/{}/suspend", yacht.id), &json!({}), Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(suspended["status"], "suspended");
    let (status, body) = problem(app.get_as(&members, &yacht.captain_token).await).await;
    assert_eq!((status, body["code"].as_str()), (403, Some("yacht_suspended")));
    let me: Value = app.get_as("/v1/auth/me", &yacht.captain_token).await.json().await.expect("json");
    assert_eq!(me["memberships"], json!([]), "a suspended yacht is not offered");

    let response = app.post_json(&format!("/v1/admin/yachts/{}/reactivate", yacht.id), &json!({}), Some(&admin)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.get_as(&members, &yacht.captain_token).await.status(), 200);

    let unknown =
        app.post_json(&format!("/v1/admin/yachts/{}/suspend", uuid::Uuid::new_v4()), &json!({}), Some(&admin)).await;
    assert_eq!(problem(unknown).await.0, 404);
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM admin_audit_log WHERE yacht_id = $1::uuid ORDER BY id")
            .bind(&yacht.id)
            .fetch_all(&app.master_pool().await)
            .await
            .expect("audit");
    assert_eq!(
        actions,
        ["yacht.provisioned", "member.invited", "member.joined", "yacht.suspended", "yacht.reactivated"]
    );
}

#[tokio::test]
async fn other_yachts_and_guessed_ids_are_indistinguishable_404s() {
    let app = spawn_app().await;
    let aurora = app.yacht_with_captain("M/Y Aurora").await;
    let borealis = app.yacht_with_captain("M/Y Borealis").await;
    let mut bodies = Vec::new();
    for yacht in [borealis.id.clone(), uuid::Uuid::new_v4().to_string()] {
        let (status, mut body) =
            problem(app.get_as(&format!("/v1/yachts/{yacht}/members"), &aurora.captain_token).await).await;
        assert_eq!(status, 404, "{yacht}");
        body.as_object_mut().expect("object").remove("request_id");
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|pair| pair[0] == pair[1]), "{bodies:?}");
    // What is not an id at all is a 422 on the segment, for anyone.
    let (status, body) = problem(app.get_as("/v1/yachts/not-a-uuid/members", &aurora.captain_token).await).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (422, Some("yacht_id")));
    // Borealis's captain is unaffected.
    assert_eq!(app.get_as(&format!("/v1/yachts/{}/members", borealis.id), &borealis.captain_token).await.status(), 200);
}

async fn create_admin(env: &HashMap<String, String>, args: &[&str], stdin: Option<&str>) -> (bool, String) {
    let mut command = binary_command(env);
    command.args(["admin", "create-platform-admin"]).args(args);
    command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().expect("spawns");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).await.expect("writes");
    }
    drop(input);
    let output = child.wait_with_output().await.expect("runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

#[tokio::test]
async fn the_first_platform_admin_is_bootstrapped_from_the_command_line() {
    let master = unique_database_name("master");
    let env = base_environment(&master);
    let (ok, out) =
        create_admin(&env, &["--email", "Ops@Pipeline.Demo", "--password-stdin"], Some("a sturdy admin password\n"))
            .await;
    assert!(ok, "{out}");
    assert!(out.contains("created platform admin ops@pipeline.demo"), "{out}");
    let (ok, out) = create_admin(&env, &["--email", "second@pipeline.demo"], None).await;
    assert!(ok, "{out}");
    let generated =
        out.lines().find_map(|l| l.strip_prefix("password: ")).expect("a generated password is printed").to_owned();
    let (ok, out) = create_admin(&env, &["--email", "weak@pipeline.demo", "--password-stdin"], Some("short\n")).await;
    assert!(!ok && out.contains("password"), "a weak password is refused: {out}");

    let app = spawn_app_with(|e| {
        e.insert("MASTER_DATABASE_URL".to_owned(), env["MASTER_DATABASE_URL"].clone());
    })
    .await;
    for (email, password) in
        [("ops@pipeline.demo", "a sturdy admin password"), ("second@pipeline.demo", generated.as_str())]
    {
        let login = app.login(email, password).await;
        assert_eq!(login["user"]["is_platform_admin"], true, "{email}");
        let token = login["access_token"].as_str().expect("token");
        assert_eq!(app.get_as("/v1/admin/yachts", token).await.status(), 200);
    }
    let (ok, out) = create_admin(&env, &["--email", "ops@pipeline.demo"], None).await;
    assert!(ok && out.contains("is now a platform admin"), "re-running promotes instead of failing: {out}");
}

#[tokio::test]
async fn captains_of_yachts_sharing_a_database_cannot_reach_each_other() {
    let app = spawn_app().await;
    let admin = app.platform_admin_token().await;
    let first = app
        .provision(
            &admin,
            &json!({"name": "M/Y Aurora", "first_admin": {"email": "captain@aurora.demo", "role": "captain"}}),
        )
        .await;
    let shared = first["tenant_database"]["database"].clone();
    let second = app
        .provision(
            &admin,
            &json!({"name": "M/Y Borealis", "tenant_database": {"database": shared},
                                   "first_admin": {"email": "captain@borealis.demo", "role": "captain"}}),
        )
        .await;
    let token = |created: &Value| created["first_admin_invitation"]["invite_token"].as_str().expect("token").to_owned();
    let aurora = app.accept_invite(&token(&first), TEST_PASSWORD).await;
    let borealis = app.accept_invite(&token(&second), TEST_PASSWORD).await;
    let aurora_token = aurora["access_token"].as_str().expect("token");
    let borealis_captain = borealis["user"]["id"].as_str().expect("id");
    let borealis_id = second["id"].as_str().expect("id");

    let attempts = [
        (reqwest::Method::GET, format!("/v1/yachts/{borealis_id}/members"), None),
        (
            reqwest::Method::POST,
            format!("/v1/yachts/{borealis_id}/members"),
            Some(json!({"email": "spy@aurora.demo", "role": "crew"})),
        ),
        (reqwest::Method::POST, format!("/v1/yachts/{borealis_id}/members/{borealis_captain}/suspend"), None),
        (reqwest::Method::DELETE, format!("/v1/yachts/{borealis_id}/members/{borealis_captain}"), None),
    ];
    for (method, path, body) in attempts {
        let (status, _) = problem(app.send(method.clone(), &path, body.as_ref(), aurora_token).await).await;
        assert_eq!(status, 404, "{method} {path}");
    }
    let borealis_token = borealis["access_token"].as_str().expect("token");
    let members: Value =
        app.get_as(&format!("/v1/yachts/{borealis_id}/members"), borealis_token).await.json().await.expect("json");
    assert_eq!(members["items"].as_array().expect("items").len(), 1, "nothing was added to Borealis");
    assert_eq!(members["items"][0]["status"], "active", "Borealis's captain was not suspended");
}
