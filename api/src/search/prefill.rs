//! A detected action's payload, filled in from what the query named: the fields its schema
//! has, from the resolved records and the mentions, and the required ones still missing.

use pms_domain::actions::ActionSpec;
use pms_domain::detect::slots::{Recurrence, Slots};
use pms_domain::detect::{Detection, MentionKind};
use pms_domain::ids::UserId;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::resolve::Resolved;
use crate::actions::executors;

/// Longest title a prefill proposes (the records' limit).
const TITLE_CHARS: usize = 200;

/// What a prefill is made from.
pub struct Sources<'a> {
    pub query: &'a str,
    pub detection: &'a Detection,
    pub resolved: &'a Resolved,
    pub slots: Slots,
    pub caller: UserId,
    /// The member the query hands work to, when it names one.
    pub assignee: Option<Uuid>,
}

/// The prefilled payload and the required fields it could not fill.
pub fn prefill(spec: &ActionSpec, sources: &Sources<'_>) -> (Map<String, Value>, Vec<String>) {
    let Some(schema) = executors::schemas().get(&spec.name) else { return (Map::new(), Vec::new()) };
    let mut out = Map::new();
    for field in &schema.fields {
        if let Some(value) = value_for(spec.name.as_str(), field, sources) {
            out.insert(field.clone(), value);
        }
    }
    let missing = schema.required.iter().filter(|f| !out.contains_key(f.as_str())).cloned().collect();
    (out, missing)
}

fn value_for(action: &str, field: &str, sources: &Sources<'_>) -> Option<Value> {
    let Sources { query, detection, resolved, slots, caller, assignee } = sources;
    let number = |kind| detection.mention(kind).and_then(|m| m.number);
    let text = || detection.mention(MentionKind::Text).map(|m| m.value.clone());
    let value = match field {
        "equipment_id" => json!(resolved.best("equipment")?),
        "part_id" => json!(resolved.best("part")?),
        "work_order_id" => json!(resolved.best("work_order")?),
        "fault_id" => json!(resolved.best("fault")?),
        "title" if slots.recurrence.is_some() => json!(title(without_interval(text().as_deref().unwrap_or(query)))),
        "title" => json!(title(text().as_deref().unwrap_or(query))),
        "summary" if action == "add_to_handover" => {
            json!(text().or_else(|| after_comma(query)).or_else(|| for_the_next_crew(query))?)
        }
        "body" | "summary" | "completion_notes" | "resolution" | "reason" | "note" => {
            json!(text().or_else(|| after_comma(query))?)
        }
        "code" => json!(detection.mention(MentionKind::FaultCode)?.value),
        "barcode" => json!(detection.mention(MentionKind::Barcode)?.value),
        "quantity" | "counted" => json!(number(MentionKind::Quantity)?),
        "hours" if action == "log_work_order_hours" => json!(number(MentionKind::Duration)?),
        "hours" => json!(number(MentionKind::RunningHours)?),
        "assignee_id" if query.to_lowercase().contains("unassign") => Value::Null,
        "assignee_id" => match detection.mention(MentionKind::Person)?.value.as_str() {
            "me" => json!(caller.as_uuid()),
            _ => json!((*assignee)?),
        },
        "parts" => {
            json!([{ "part_id": resolved.best("part")?, "quantity": number(MentionKind::Quantity).unwrap_or(1.0) }])
        }
        "status" => json!(slots.equipment_status?.as_str()),
        "severity" => json!(slots.severity?.as_str()),
        "priority" => json!(slots.priority?.as_str()),
        "category" if action == "add_to_handover" => json!(slots.handover_category?.as_str()),
        "due_on" | "until" => json!(slots.date?.to_string()),
        "within_days" => json!(slots.within_days?),
        "every_days" => match slots.recurrence? {
            Recurrence::Days(days) => json!(days),
            Recurrence::Hours(_) => return None,
        },
        "every_hours" => match slots.recurrence? {
            Recurrence::Hours(hours) => json!(hours),
            Recurrence::Days(_) => return None,
        },
        "subject_type" | "subject_id" if action == "add_to_handover" => {
            let (kind, id) = ["fault", "work_order", "equipment"]
                .into_iter()
                .find_map(|kind| resolved.best(kind).map(|id| (kind, id)))?;
            if field == "subject_type" { json!(kind) } else { json!(id) }
        }
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

/// A plan's title without the interval it is filled in beside: `inspect the davit wire every 30
/// days` → `inspect the davit wire`. Only a trailing interval goes; one mid-sentence stays.
fn without_interval(text: &str) -> &str {
    const ADVERBS: &[&str] = &["daily", "weekly", "fortnightly", "monthly", "quarterly", "annually", "yearly"];
    // ASCII lower-casing keeps byte offsets, so a cut found in `lower` cuts `text` alike.
    let lower = text.to_ascii_lowercase();
    let cut = lower
        .rfind(" every ")
        .or_else(|| ["twice a ", "once a ", "each "].iter().filter_map(|p| lower.rfind(&format!(" {p}"))).max())
        .filter(|&at| lower[at..].split_whitespace().count() <= 4)
        .or_else(|| {
            let last = lower.trim_end().rsplit(' ').next()?;
            if ADVERBS.contains(&last) { lower.trim_end().len().checked_sub(last.len() + 1) } else { None }
        });
    match cut {
        Some(at) if at > 0 && text.is_char_boundary(at) => text[..at].trim_end_matches([' ', ',', '-']),
        _ => text,
    }
}

/// What follows the command after a comma: `cancel WO 2, duplicate of WO 8` → `duplicate of WO
/// 8`. Not a further request (`…, then order 4 more`), and at least two words.
fn after_comma(query: &str) -> Option<String> {
    const NEXT_REQUEST: &[&str] = &["and", "then", "also", "pls", "please", "can", "could"];
    let (_, rest) = query.split_once(',')?;
    let rest = rest.trim();
    let first = rest.split_whitespace().next()?.to_lowercase();
    (rest.split_whitespace().count() >= 2 && !NEXT_REQUEST.contains(&first.as_str())).then(|| rest.to_owned())
}

/// What a handover line says after naming the handover: `add to handover the stbd main turbo
/// whistle`, `tell the next shift the prefilters need changing`. At least two words.
fn for_the_next_crew(query: &str) -> Option<String> {
    const NAMING: &[&str] = &["handover", "hand-over", "shift", "relief", "rotation"];
    let words: Vec<&str> = query.split_whitespace().collect();
    let at = words
        .iter()
        .position(|w| NAMING.contains(&w.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric() && c != '-')))?;
    let mut rest = &words[at + 1..];
    if rest.first().is_some_and(|w| w.eq_ignore_ascii_case("that")) {
        rest = &rest[1..];
    }
    (rest.len() >= 2).then(|| rest.join(" "))
}

#[cfg(test)]
mod tests {
    use super::{after_comma, for_the_next_crew, without_interval};

    #[test]
    fn a_handover_line_says_its_item_after_naming_the_handover() {
        for (query, want) in [
            ("add to handover the stbd main turbo whistle", Some("the stbd main turbo whistle")),
            (
                "tell the next shift that the watermaker 1 prefilters need changing",
                Some("the watermaker 1 prefilters need changing"),
            ),
            ("add it to handover", None),
            ("handover", None),
        ] {
            assert_eq!(for_the_next_crew(query).as_deref(), want, "{query}");
        }
    }

    #[test]
    fn the_words_after_a_comma_are_the_reason_or_the_note() {
        for (query, want) in [
            ("cancel WO 2, duplicate of WO 8", Some("duplicate of WO 8")),
            (
                "resolve E047, oil pressure sender was faulty, replaced",
                Some("oil pressure sender was faulty, replaced"),
            ),
            ("used 2 oil filters on DG1, then order 4 more", None),
            ("close it, thanks", None),
            ("defer WO 10", None),
        ] {
            assert_eq!(after_comma(query).as_deref(), want, "{query}");
        }
    }

    #[test]
    fn a_trailing_interval_leaves_the_title() {
        for (text, want) in [
            ("inspect the davit crane wire every 30 days", "inspect the davit crane wire"),
            ("grease the windlass, every 2 weeks", "grease the windlass"),
            ("service the tender outboard twice a year", "service the tender outboard"),
            ("test the bilge alarms weekly", "test the bilge alarms"),
            ("check every valve on the fire main", "check every valve on the fire main"),
            ("weekly", "weekly"),
        ] {
            assert_eq!(without_interval(text), want, "{text}");
        }
    }
}
