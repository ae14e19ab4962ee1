//! The registry, the executors and the documentation agree: one table each, held together here.

use pms_domain::actions::{ACTIONS, ActionName};
use serde_json::Value;

use super::executors::schemas;
use super::executors::{Call, EXECUTABLE, documented};
use super::id_field;

#[test]
fn every_registry_action_has_exactly_one_executor_in_registry_order() {
    let registry: Vec<ActionName> = ACTIONS.iter().map(|a| a.name).collect();
    assert_eq!(EXECUTABLE, registry.as_slice());
    assert_eq!(ActionName::ALL, registry.as_slice(), "the registry lists the actions in ActionName order");
}

#[test]
fn every_documented_example_is_a_valid_payload() {
    for d in documented() {
        let parsed = Call::parse(d.name, d.example.clone());
        assert!(parsed.is_ok(), "{}: {:?}", d.name, parsed.err().map(|e| e.problem()));
    }
}

#[test]
fn every_payload_schema_is_self_contained_and_knows_its_fields() {
    for spec in &ACTIONS {
        let schema = &schemas()[&spec.name];
        let text = schema.schema.to_string();
        assert!(!text.contains("$ref"), "{}: {text}", spec.name);
        for field in &schema.fields {
            assert!(field.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}: {field}", spec.name);
        }
    }
}

#[test]
fn required_fields_include_those_of_every_composed_part() {
    // log_part_usage flattens the consumption body into {part_id, …}: both parts require a field.
    let required = &schemas()[&ActionName::LogPartUsage].required;
    assert!(required.contains("part_id") && required.contains("quantity"), "{required:?}");
    for spec in &ACTIONS {
        let schema = &schemas()[&spec.name];
        assert!(schema.required.is_subset(&schema.fields), "{}: {:?}", spec.name, schema.required);
    }
    // An empty payload is refused for exactly the fields listed as required.
    for spec in ACTIONS.iter().filter(|a| !schemas()[&a.name].required.is_empty()) {
        let Err(error) = Call::parse(spec.name, serde_json::json!({})) else { continue };
        let refused: std::collections::BTreeSet<String> = error
            .problem()
            .errors
            .into_iter()
            .filter(|e| e.code == "required")
            .filter_map(|e| e.field.strip_prefix("payload.").map(str::to_owned))
            .collect();
        assert!(refused.is_subset(&schemas()[&spec.name].required), "{}: {refused:?}", spec.name);
    }
}

#[test]
fn an_action_about_a_record_takes_that_records_id() {
    for spec in ACTIONS.iter().filter(|a| a.is_bound()) {
        let field = id_field(spec.entity);
        assert!(schemas()[&spec.name].fields.contains(&field), "{} lacks {field}", spec.name);
    }
}

#[test]
fn unknown_fields_and_wrong_types_are_field_errors_under_payload() {
    let fields = |name: &str, payload: Value| {
        let error = Call::parse(ActionName::parse(name).expect("an action"), payload).expect_err("refused");
        error.problem().errors.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>()
    };
    let id = "0193a5f2-3b00-7000-8000-000000000401";
    assert_eq!(
        fields("start_work_order", serde_json::json!({"work_order_id": id, "force": true})),
        [("payload.force".to_owned(), "unknown_field".to_owned())]
    );
    assert_eq!(
        fields("start_work_order", serde_json::json!({})),
        [("payload.work_order_id".to_owned(), "required".to_owned())]
    );
    assert_eq!(
        fields("log_work_order_hours", serde_json::json!({"work_order_id": id, "hours": "two"})),
        [("payload.hours".to_owned(), "invalid".to_owned())]
    );
    assert_eq!(
        fields("mark_work_order_complete", serde_json::json!({"work_order_id": id})),
        [("payload.completion_notes".to_owned(), "required".to_owned())]
    );
    assert_eq!(fields("view_worklist", serde_json::json!([])), [("payload".to_owned(), "invalid".to_owned())]);
}

#[test]
fn the_openapi_execute_body_has_one_variant_per_action() {
    let doc = serde_json::to_value(crate::openapi::spec()).expect("json");
    let variants = doc["components"]["schemas"]["ActionCall"]["oneOf"].as_array().expect("a union");
    let names: Vec<&str> =
        variants.iter().map(|v| v["properties"]["action"]["enum"][0].as_str().expect("name")).collect();
    let registry: Vec<&str> = ACTIONS.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, registry);
    for variant in variants {
        let payload = variant["properties"]["payload"]["$ref"].as_str().expect("a payload schema");
        let name = payload.trim_start_matches("#/components/schemas/");
        assert!(doc["components"]["schemas"][name].is_object(), "{name} is documented");
        assert!(variant["examples"][0]["payload"].is_object(), "{payload} has an example");
    }
}
