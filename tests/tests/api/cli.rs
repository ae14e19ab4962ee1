//! The real binary: help, configuration errors, serving and stopping on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use pms_tests::{base_environment, binary_command, unique_database_name};
use tokio::io::{AsyncBufReadExt, BufReader};

#[tokio::test]
async fn help_documents_every_subcommand() {
    let output = binary_command(&std::collections::HashMap::new()).arg("--help").output().await.expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for subcommand in ["serve", "migrate", "openapi"] {
        assert!(help.lines().any(|l| l.trim_start().starts_with(subcommand)), "{subcommand} in:\n{help}");
    }
}

#[tokio::test]
async fn a_bad_variable_stops_start_up_with_a_message_naming_it() {
    for (variable, value) in [("PORT", "eighty"), ("APP_ENV", "staging"), ("JWT_SECRET", "short")] {
        let mut env = base_environment("unused");
        env.insert(variable.to_owned(), value.to_owned());
        let output = binary_command(&env).arg("serve").output().await.expect("runs");
        assert_eq!(output.status.code(), Some(2), "{variable}={value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(variable), "{variable} named in: {stderr}");
    }
}

#[tokio::test]
async fn serve_answers_and_stops_cleanly_on_sigterm() {
    let master = unique_database_name("master");
    let mut env = base_environment(&master);
    env.insert("LOG_FORMAT".to_owned(), "json".to_owned());
    let mut child = binary_command(&env).arg("serve").stderr(Stdio::piped()).spawn().expect("spawns");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();

    // The service logs the port it bound (PORT=0 lets the OS choose).
    let port = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("reads stderr") {
            let Ok(event) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            if event["message"] == "listening" {
                return event["port"].as_u64().expect("port field");
            }
        }
        panic!("the service exited before listening");
    })
    .await
    .expect("the service starts listening");

    let health = reqwest::get(format!("http://127.0.0.1:{port}/health")).await.expect("answers");
    assert_eq!(health.status(), 200);

    let pid = child.id().expect("running").to_string();
    let killed = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .expect("stops after SIGTERM")
        .expect("exit status");
    assert!(status.success(), "graceful stop exits 0, got {status}");
}
