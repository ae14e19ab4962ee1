//! The committed OpenAPI document is what the code generates, what the service serves and what
//! the binary prints; and it documents the errors every operation can return.

use std::collections::HashMap;

use pms_tests::{binary_command, spawn_app};
use serde_json::Value;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");

fn committed() -> Value {
    serde_json::from_str(&std::fs::read_to_string(COMMITTED).expect("openapi/openapi.json exists"))
        .expect("committed spec is JSON")
}

#[test]
fn the_committed_spec_matches_the_code() {
    let committed = std::fs::read_to_string(COMMITTED).expect("openapi/openapi.json exists");
    assert!(
        committed == pms_api::openapi::spec_json(),
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    );
}

#[tokio::test]
async fn the_service_serves_the_committed_spec() {
    let app = spawn_app().await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), 200);
    let served: Value = response.json().await.expect("json");
    assert_eq!(served, committed());
}

#[tokio::test]
async fn the_binary_prints_the_spec_without_configuration() {
    let output = binary_command(&HashMap::new()).arg("openapi").output().await.expect("binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed: Value = serde_json::from_slice(&output.stdout).expect("stdout is exactly the JSON document");
    assert_eq!(printed, committed());
}

#[test]
fn the_spec_is_openapi_3_1_and_documents_every_error_each_operation_can_return() {
    let spec = committed();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().expect("paths");
    assert!(paths.contains_key("/health") && paths.contains_key("/ready") && paths.contains_key("/metrics"));
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let responses = operation["responses"].as_object().expect("responses");
            for status in ["500", "503"] {
                assert!(responses.contains_key(status), "{method} {path} documents {status}");
            }
            assert!(operation["operationId"].is_string(), "{method} {path} has an operationId");
            assert!(operation["tags"].as_array().is_some_and(|t| !t.is_empty()), "{method} {path} is tagged");
            assert!(
                operation["description"].is_string() || operation["summary"].is_string(),
                "{method} {path} is described"
            );
        }
    }
    for name in ["InternalError", "Unavailable"] {
        let content = &spec["components"]["responses"][name]["content"];
        assert_eq!(content["application/problem+json"]["schema"]["$ref"], "#/components/schemas/Problem");
    }
    let problem = &spec["components"]["schemas"]["Problem"]["properties"];
    for field in ["type", "title", "status", "detail", "code", "request_id", "errors"] {
        assert!(problem.get(field).is_some(), "Problem documents {field}");
    }
}

#[test]
fn the_error_code_schema_lists_the_codes_sent_on_the_wire() {
    let spec = committed();
    let documented: Vec<&str> = spec["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .expect("an enum")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let sent: Vec<&str> = pms_api::error::ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(documented, sent);
    assert!(documented.contains(&"rate_limited") && documented.contains(&"not_found"));
}
