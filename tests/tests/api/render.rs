//! `render.yaml` agrees with the code: real subcommands, a served health path, and every
//! variable the configuration reads declared.

use std::cell::RefCell;
use std::collections::BTreeSet;

use clap::Parser as _;
use pms_api::cli::{Cli, Command};
use pms_api::config::Settings;
use pms_tests::spawn_app;
use serde_yaml::Value;

fn blueprint() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../render.yaml"))
        .expect("render.yaml at the repository root");
    serde_yaml::from_str(&text).expect("render.yaml is YAML")
}

fn service<'a>(blueprint: &'a Value, kind: &str) -> &'a Value {
    blueprint["services"]
        .as_sequence()
        .and_then(|services| services.iter().find(|s| s["type"] == kind))
        .unwrap_or_else(|| panic!("a {kind} service"))
}

fn web_service(blueprint: &Value) -> &Value {
    service(blueprint, "web")
}

fn declared(service: &Value) -> BTreeSet<String> {
    service["envVars"]
        .as_sequence()
        .expect("envVars")
        .iter()
        .map(|v| v["key"].as_str().expect("key").to_owned())
        .collect()
}

/// Parses a Render command line with our CLI, as the shell would split it.
fn parse_command(line: &str) -> Command {
    let words: Vec<&str> = line.split_whitespace().collect();
    assert!(words[0].ends_with("/pipeline-core"), "runs the pipeline-core binary: {line}");
    let cli = Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line:?} is not a valid command: {e}"));
    cli.command.unwrap_or(Command::Serve)
}

/// Every variable name the configuration asks for, in development and in production.
fn variables_read() -> BTreeSet<String> {
    let seen = RefCell::new(BTreeSet::new());
    for production in [false, true] {
        let _ = Settings::from_lookup(|name| {
            seen.borrow_mut().insert(name.to_owned());
            match name {
                "APP_ENV" if production => Some("production".to_owned()),
                "MASTER_DATABASE_URL" => Some("postgres://db/pipeline_master".to_owned()),
                "JWT_SECRET" => Some("x".repeat(40)),
                _ => None,
            }
        })
        .expect("valid settings");
    }
    seen.into_inner()
}

#[test]
fn the_build_start_and_pre_deploy_commands_name_real_subcommands() {
    let blueprint = blueprint();
    let web = web_service(&blueprint);
    assert_eq!(web["runtime"], "rust");
    assert_eq!(web["buildCommand"], "cargo build --release --locked");
    assert_eq!(parse_command(web["startCommand"].as_str().expect("startCommand")), Command::Serve);
    assert_eq!(parse_command(web["preDeployCommand"].as_str().expect("preDeployCommand")), Command::Migrate);
}

#[test]
fn every_variable_the_configuration_reads_is_declared() {
    let blueprint = blueprint();
    let declared = declared(web_service(&blueprint));
    let read = variables_read();
    assert!(read.len() >= 10, "the recording lookup saw the variables: {read:?}");
    let missing: Vec<_> = read.difference(&declared).collect();
    assert!(missing.is_empty(), "declare these in render.yaml: {missing:?}");
    let unknown: Vec<_> = declared.difference(&read).collect();
    assert!(unknown.is_empty(), "render.yaml declares variables nothing reads: {unknown:?}");
}

#[test]
fn the_scheduler_cron_job_runs_the_real_subcommand_with_the_settings_production_requires() {
    use pms_api::cli::SchedulerCommand;
    let blueprint = blueprint();
    let cron = service(&blueprint, "cron");
    assert_eq!(cron["buildCommand"], web_service(&blueprint)["buildCommand"]);
    let schedule = cron["schedule"].as_str().expect("a cron schedule");
    assert_eq!(schedule.split_whitespace().count(), 5, "{schedule}");
    let command = parse_command(cron["startCommand"].as_str().expect("startCommand"));
    assert_eq!(command, Command::Scheduler { command: SchedulerCommand::Run });
    let declared = declared(cron);
    let read = variables_read();
    let unknown: Vec<_> = declared.difference(&read).collect();
    assert!(unknown.is_empty(), "the cron job declares variables nothing reads: {unknown:?}");
    for required in ["APP_ENV", "MASTER_DATABASE_URL", "TENANT_DATABASE_URL", "TENANT_SERVERS", "JWT_SECRET"] {
        assert!(declared.contains(required), "the cron job needs {required}");
    }
    let vars = cron["envVars"].as_sequence().expect("envVars");
    let jwt = vars.iter().find(|v| v["key"] == "JWT_SECRET").expect("JWT_SECRET");
    assert_eq!(jwt["fromService"]["name"], web_service(&blueprint)["name"], "the web service's secret");
}

#[test]
fn secrets_are_generated_or_left_to_the_dashboard() {
    let blueprint = blueprint();
    let vars = web_service(&blueprint)["envVars"].as_sequence().expect("envVars").clone();
    let var = |key: &str| vars.iter().find(|v| v["key"] == key).unwrap_or_else(|| panic!("{key} declared")).clone();
    assert_eq!(var("JWT_SECRET")["generateValue"], true);
    assert_eq!(var("OPENAI_API_KEY")["sync"], false);
    assert_eq!(var("APP_ENV")["value"], "production");
    assert!(var("MASTER_DATABASE_URL")["fromDatabase"]["name"].is_string());
    let shared = service(&blueprint, "keyvalue");
    assert_eq!(var("REDIS_URL")["fromService"]["name"], shared["name"], "instances share the blueprint's Key Value");
    assert_eq!(shared["ipAllowList"], Value::Sequence(Vec::new()), "reachable from Render's private network only");
}

#[tokio::test]
async fn the_health_check_path_is_served() {
    let blueprint = blueprint();
    let path = web_service(&blueprint)["healthCheckPath"].as_str().expect("healthCheckPath").to_owned();
    let app = spawn_app().await;
    assert_eq!(app.get(&path).await.status(), 200);
}
