//! Payloads: their JSON Schemas (self-contained, for `GET …/actions`), and parsing a payload
//! into its type with every mistake reported as a field error under `payload.`.

use std::collections::{BTreeSet, HashMap};

use pms_domain::actions::ActionName;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::openapi::{RefOr, Schema};

use crate::error::{ApiError, FieldError};

/// One action's documentation: its payload schema (and the schemas it refers to) and an example.
#[allow(missing_debug_implementations, reason = "utoipa's schema types are not Debug without its debug feature")]
pub struct Documented {
    pub name: ActionName,
    pub payload: String,
    pub schema: RefOr<Schema>,
    pub references: Vec<(String, RefOr<Schema>)>,
    pub example: Value,
}

/// One action's payload schema with every reference inlined, and the fields it knows.
#[derive(Debug)]
pub struct PayloadSchema {
    pub schema: Value,
    pub fields: BTreeSet<String>,
    /// The fields a payload must have, from every part of a composed schema.
    pub required: BTreeSet<String>,
}

/// Each documented payload's schema with its references inlined, by action name.
pub fn compile(documented: &[Documented]) -> HashMap<ActionName, PayloadSchema> {
    {
        let mut components: HashMap<String, Value> = HashMap::new();
        for d in documented {
            for (name, schema) in &d.references {
                components.insert(name.clone(), serde_json::to_value(schema).unwrap_or_default());
            }
        }
        documented
            .iter()
            .map(|d| {
                let mut schema = serde_json::to_value(&d.schema).unwrap_or_default();
                inline(&mut schema, &components, 0);
                let (mut fields, mut required) = (BTreeSet::new(), BTreeSet::new());
                collect_fields(&schema, &mut fields, &mut required);
                (d.name, PayloadSchema { schema, fields, required })
            })
            .collect()
    }
}

const REF_PREFIX: &str = "#/components/schemas/";

fn inline(value: &mut Value, components: &HashMap<String, Value>, depth: usize) {
    // Payload types are not recursive; the bound only guards against a future mistake.
    if depth > 16 {
        return;
    }
    if let Some(target) = value.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix(REF_PREFIX))
        && let Some(resolved) = components.get(target)
    {
        *value = resolved.clone();
        inline(value, components, depth + 1);
        return;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| inline(v, components, depth + 1)),
        Value::Array(items) => items.iter_mut().for_each(|v| inline(v, components, depth + 1)),
        _ => {}
    }
}

/// The properties and the required properties of `schema` and of every part it is composed of.
fn collect_fields(schema: &Value, fields: &mut BTreeSet<String>, required: &mut BTreeSet<String>) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        fields.extend(properties.keys().cloned());
    }
    let names = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    required.extend(names.map(str::to_owned));
    for part in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
        collect_fields(part, fields, required);
    }
}

fn payload_error(field: &str, code: &str, message: impl Into<String>) -> ApiError {
    let field = if field.is_empty() { "payload".to_owned() } else { format!("payload.{field}") };
    ApiError::field(&field, code, message)
}

/// Parses `payload` as `name`'s payload type: an object with only the fields it knows, each of
/// the right type.
pub fn parse<T: DeserializeOwned>(name: &str, known: Option<&PayloadSchema>, payload: Value) -> Result<T, ApiError> {
    let Value::Object(object) = &payload else {
        return Err(payload_error("", "invalid", "must be a JSON object"));
    };
    if let Some(known) = known {
        let unknown: Vec<FieldError> = object
            .keys()
            .filter(|key| !known.fields.contains(*key))
            .map(|key| FieldError {
                field: format!("payload.{key}"),
                code: "unknown_field".to_owned(),
                message: format!("`{name}` takes no field `{key}`"),
            })
            .collect();
        if !unknown.is_empty() {
            return Err(ApiError::validation(unknown));
        }
    }
    let object = object.clone();
    serde_path_to_error::deserialize(payload).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        // serde names a missing field in its message, at the path of the object that lacks it.
        if let Some(missing) = message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
            let field = if path == "." { missing.to_owned() } else { format!("{path}.{missing}") };
            return payload_error(&field, "required", "is required");
        }
        let path = if path == "." { culprit::<T>(&object, &message).unwrap_or_default() } else { path };
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        payload_error(&path, "invalid", message)
    })
}

/// The field behind an error serde could not place: fields merged in with `#[serde(flatten)]`
/// lose their path. Without the culprit, the payload fails differently (or not at all).
fn culprit<T: DeserializeOwned>(object: &serde_json::Map<String, Value>, message: &str) -> Option<String> {
    object
        .keys()
        .find(|key| {
            let mut without = object.clone();
            without.remove(key.as_str());
            serde_json::from_value::<T>(Value::Object(without)).map_or_else(|e| e.to_string() != message, |_| true)
        })
        .cloned()
}

/// An executor's result as JSON.
pub fn result<T: Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}
