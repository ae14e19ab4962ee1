//! A detected action's payload, filled in from what the query named: the fields its schema
//! has, from the resolved records and the mentions, and the required ones still missing.

use pms_domain::actions::ActionSpec;
use pms_domain::detect::{Detection, MentionKind};
use pms_domain::ids::UserId;
use serde_json::{Map, Value, json};

use super::resolve::Resolved;
use crate::actions::payload;

/// Longest title a prefill proposes (the records' limit).
const TITLE_CHARS: usize = 200;

/// The prefilled payload and the required fields it could not fill.
pub fn prefill(
    spec: &ActionSpec,
    query: &str,
    detection: &Detection,
    resolved: &Resolved,
    caller: UserId,
) -> (Map<String, Value>, Vec<String>) {
    let Some(schema) = payload::schemas().get(spec.name) else { return (Map::new(), Vec::new()) };
    let mut out = Map::new();
    for field in &schema.fields {
        if let Some(value) = value_for(spec.name, field, query, detection, resolved, caller) {
            out.insert(field.clone(), value);
        }
    }
    let missing = schema.required.iter().filter(|f| !out.contains_key(f.as_str())).cloned().collect();
    (out, missing)
}

fn value_for(
    action: &str,
    field: &str,
    query: &str,
    detection: &Detection,
    resolved: &Resolved,
    caller: UserId,
) -> Option<Value> {
    let number = |kind| detection.mention(kind).and_then(|m| m.number);
    let text = || detection.mention(MentionKind::Text).map(|m| m.value.clone());
    let value = match field {
        "equipment_id" => json!(resolved.best("equipment")?.id),
        "part_id" => json!(resolved.best("part")?.id),
        "work_order_id" => json!(resolved.best("work_order")?.id),
        "title" => json!(title(text().as_deref().unwrap_or(query))),
        "body" | "summary" | "completion_notes" | "resolution" | "reason" | "note" => json!(text()?),
        "code" => json!(detection.mention(MentionKind::FaultCode)?.value),
        "barcode" => json!(detection.mention(MentionKind::Barcode)?.value),
        "quantity" | "counted" => json!(number(MentionKind::Quantity)?),
        "hours" if action == "log_work_order_hours" => json!(number(MentionKind::Duration)?),
        "hours" => json!(number(MentionKind::RunningHours)?),
        "assignee_id" => {
            let person = detection.mention(MentionKind::Person)?;
            (person.value == "me").then(|| json!(caller.as_uuid()))?
        }
        "parts" => {
            json!([{ "part_id": resolved.best("part")?.id, "quantity": number(MentionKind::Quantity).unwrap_or(1.0) }])
        }
        "status" => json!(equipment_status(query)?),
        "every_hours" | "every_days" => interval(field, detection)?,
        _ => return None,
    };
    Some(value)
}

/// The query's words as a title: trimmed, first letter capitalised, within the length limit.
fn title(text: &str) -> String {
    let text: String = text.trim().chars().take(TITLE_CHARS).collect();
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// The equipment status a query asks for, in the words crews use.
fn equipment_status(query: &str) -> Option<&'static str> {
    let lower = query.to_lowercase();
    let said = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if said(&["decommission"]) {
        Some("decommissioned")
    } else if said(&["out of service", "failed", " down", "broken"]) {
        Some("failed")
    } else if said(&["degraded", "reduced"]) {
        Some("degraded")
    } else if said(&["maintenance"]) {
        Some("maintenance")
    } else if said(&["operational", "back in service", "in service", "working again"]) {
        Some("operational")
    } else {
        None
    }
}

/// `every 250 hours` → `every_hours: 250`; `every 2 years` → `every_days: 730`.
fn interval(field: &str, detection: &Detection) -> Option<Value> {
    let mention = detection.mentions.iter().find(|m| m.kind == MentionKind::Interval)?;
    let count = mention.number?;
    let unit = mention.value.split_whitespace().nth(1).unwrap_or("");
    let days = match unit.trim_end_matches('s') {
        "day" => Some(1.0),
        "week" => Some(7.0),
        "month" => Some(30.0),
        "year" => Some(365.0),
        _ => None,
    };
    match (field, days) {
        ("every_days", Some(days)) => Some(json!((count * days).round())),
        ("every_hours", None) if matches!(unit, "h" | "hr" | "hrs" | "hour" | "hours") => Some(json!(count)),
        _ => None,
    }
}
