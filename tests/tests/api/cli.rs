//! The real binary: help, configuration errors, serving and stopping on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use pms_tests::{base_environment, binary_command, serve_binary};

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
    let (mut child, port, _) = serve_binary().await;
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

async fn detect_lines(
    env: &std::collections::HashMap<String, String>,
    args: &[&str],
    input: &str,
) -> Vec<serde_json::Value> {
    use tokio::io::AsyncWriteExt;
    let mut child = binary_command(env)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).await.expect("writes the queries");
    drop(stdin);
    let output = child.wait_with_output().await.expect("finishes");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

#[tokio::test]
async fn detect_answers_one_line_per_query_and_keeps_bad_lines_aligned() {
    let input = "{\"query\": \"close WO-2026-031\"}\nnot json\n{\"query\": \"hello there\"}\n";
    let lines = detect_lines(&std::collections::HashMap::new(), &["detect"], input).await;
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["action"], "mark_work_order_complete");
    assert_eq!(lines[0]["detector"], "local");
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["action"], serde_json::Value::Null);
}

#[tokio::test]
async fn detect_llm_asks_the_configured_model_as_the_given_role() {
    use pms_tests::fake_llm::FakeLlm;
    let fake = FakeLlm::start(FakeLlm::answer("view_part_stock", 0.88, &[("part", "impellers")])).await;
    let env = std::collections::HashMap::from([("OPENAI_BASE_URL".to_owned(), fake.base_url.clone())]);
    let lines =
        detect_lines(&env, &["detect", "--llm", "--role", "crew"], "{\"query\": \"any impellers left\"}\n").await;
    assert_eq!(lines[0]["detector"], "llm");
    assert_eq!(lines[0]["action"], "view_part_stock");
    let offered =
        fake.requests()[0]["response_format"]["json_schema"]["schema"]["properties"]["action"]["enum"].clone();
    assert!(!offered.as_array().expect("enum").contains(&serde_json::json!("adjust_stock")), "crew's actions only");

    let output =
        binary_command(&std::collections::HashMap::new()).args(["detect", "--llm"]).output().await.expect("runs");
    assert!(!output.status.success(), "no model configured");
    assert!(String::from_utf8_lossy(&output.stderr).contains("OPENAI_BASE_URL"));
}

#[tokio::test]
async fn detect_latency_summarises_the_local_detector() {
    use tokio::io::AsyncWriteExt;
    let mut child = binary_command(&std::collections::HashMap::new())
        .args(["detect", "--latency", "3"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"{\"query\": \"used 2 oil filters on DG1\"}\n{\"query\": \"port main at 12,450 hours\"}\n")
        .await
        .expect("writes");
    drop(stdin);
    let output = child.wait_with_output().await.expect("finishes");
    assert!(output.status.success());
    let summary = String::from_utf8_lossy(&output.stdout);
    assert!(summary.starts_with("detector latency over 2 queries x 3 rounds: p50 "), "{summary}");
    assert!(summary.contains(" p99 "), "{summary}");
}

#[tokio::test]
async fn detect_train_holds_one_voice_out_and_scores_each_engine_on_it() {
    let env = std::collections::HashMap::new();
    let output = binary_command(&env)
        .args(["detect", "train", "--hold-out", "conventions", "--misses"])
        .output()
        .await
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report = String::from_utf8_lossy(&output.stdout);
    let lines = include_str!("../../../domain/src/detect/corpus/conventions.jsonl").lines().count();
    let first = report.lines().next().expect("a report");
    let counted: usize =
        first.split([':', ',']).filter_map(|part| part.split_whitespace().next()?.parse::<usize>().ok()).sum();
    assert_eq!(counted, lines, "every line of the voice is scored: {first}");
    for engine in ["combined", "rules", "model"] {
        assert!(report.lines().any(|l| l.trim_start().starts_with(&format!("{engine}: action "))), "{report}");
    }

    let unknown = binary_command(&env).args(["detect", "train", "--hold-out", "pirates"]).output().await.expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("the voices are engineers, "));
}
