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

const SHAPE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/openapi-shape.json");

/// What a client depends on: every operation (path, method, id, parameters, body, responses
/// with their status, media types and schemas) and every component schema, with shared
/// parameters, responses and headers resolved and the prose (descriptions, summaries,
/// examples) left out, so documentation may change but the contract may not.
fn shape(spec: &Value) -> Value {
    fn resolve(value: &Value, spec: &Value, depth: usize) -> Value {
        match value {
            Value::Object(map) => {
                let shared =
                    map.get("$ref").and_then(Value::as_str).filter(|r| !r.starts_with("#/components/schemas/"));
                if let (Some(reference), true) = (shared, depth < 8) {
                    let target = spec.pointer(reference.trim_start_matches('#')).unwrap_or(&Value::Null);
                    return resolve(target, spec, depth + 1);
                }
                let prose = ["description", "summary", "example", "examples"];
                map.iter()
                    .filter(|(k, _)| !prose.contains(&k.as_str()))
                    .map(|(k, v)| (k.clone(), resolve(v, spec, depth)))
                    .collect::<serde_json::Map<_, _>>()
                    .into()
            }
            Value::Array(items) => items.iter().map(|v| resolve(v, spec, depth)).collect(),
            other => other.clone(),
        }
    }
    serde_json::json!({
        "paths": resolve(&spec["paths"], spec, 0),
        "schemas": resolve(&spec["components"]["schemas"], spec, 0),
        "security": resolve(&spec["components"]["securitySchemes"], spec, 0),
    })
}

/// Refactors keep the contract: `tests/fixtures/openapi-shape.json` is the spec's shape, and a
/// change to it is a change to what clients see (rewrite it with `UPDATE_OPENAPI_SHAPE=1`).
#[test]
fn the_spec_keeps_its_shape() {
    let spec: Value = serde_json::from_str(&pms_api::openapi::spec_json()).expect("json");
    let current = serde_json::to_string_pretty(&shape(&spec)).expect("json") + "\n";
    if std::env::var_os("UPDATE_OPENAPI_SHAPE").is_some() {
        std::fs::write(SHAPE, &current).expect("fixture written");
    }
    let recorded = std::fs::read_to_string(SHAPE).expect("tests/fixtures/openapi-shape.json exists");
    assert!(
        recorded == current,
        "the spec's shape changed (operations, parameters, bodies, responses or schemas): if that is meant, \
         rerun with UPDATE_OPENAPI_SHAPE=1 and say why in the commit"
    );
}
