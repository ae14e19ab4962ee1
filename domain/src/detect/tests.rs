//! Unit tests of the detector's pieces working together; the labelled set is in
//! `domain/tests/detector.rs`.

use super::*;
use crate::actions;

fn top(query: &str) -> Option<&'static str> {
    detect(query).top().map(|c| c.action.name.as_str())
}

fn mentions(query: &str) -> Vec<(MentionKind, String)> {
    detect(query).mentions.into_iter().map(|m| (m.kind, m.value)).collect()
}

#[test]
fn work_order_references_in_every_spelling() {
    for (query, value) in [
        ("show WO-2026-031", "2026-031"),
        ("details of wo 57", "57"),
        ("open work order 1203", "1203"),
        ("WO1133", "1133"),
    ] {
        assert!(
            mentions(query).contains(&(MentionKind::WorkOrder, value.to_owned())),
            "{query}: {:?}",
            mentions(query)
        );
    }
}

#[test]
fn fault_codes_quantities_and_readings() {
    assert!(mentions("what does SPN 110 FMI 0 mean").contains(&(MentionKind::FaultCode, "SPN 110 FMI 0".to_owned())));
    assert!(mentions("E047 on the port main").contains(&(MentionKind::FaultCode, "E047".to_owned())));
    let used = detect("used 2 oil filters on the port main");
    assert_eq!(used.mention(MentionKind::Quantity).and_then(|m| m.number), Some(2.0));
    assert_eq!(used.mention(MentionKind::Part).map(|m| m.value.as_str()), Some("oil filters"));
    assert_eq!(used.mention(MentionKind::Equipment).map(|m| m.value.as_str()), Some("port main engine"));
    let reading = detect("port main is at 12,450 hours");
    assert_eq!(reading.mention(MentionKind::RunningHours).and_then(|m| m.number), Some(12_450.0));
    let spent = detect("book 45 minutes to the sea strainer job");
    assert_eq!(spent.mention(MentionKind::Duration).and_then(|m| m.number), Some(0.75));
}

#[test]
fn spans_point_at_the_words_typed() {
    let query = "create a work order for generator 2 oil change";
    let detection = detect(query);
    let equipment = detection.mention(MentionKind::Equipment).expect("equipment");
    let typed: String =
        query.chars().skip(equipment.span.start).take(equipment.span.end - equipment.span.start).collect();
    assert_eq!(typed, "generator 2");
    assert_eq!(equipment.text, "generator 2");
    assert_eq!(detection.mention(MentionKind::Text).map(|m| m.value.as_str()), Some("generator 2 oil change"));
}

#[test]
fn people_a_job_is_given_to() {
    assert!(mentions("assign WO-2026-031 to Marco").contains(&(MentionKind::Person, "Marco".to_owned())));
    assert!(mentions("assign work order 88 to me").contains(&(MentionKind::Person, "me".to_owned())));
    assert!(mentions("give the job to the 2nd engineer").contains(&(MentionKind::Person, "2nd engineer".to_owned())));
}

#[test]
fn polite_and_misspelt_requests_are_understood() {
    assert_eq!(top("could you please make a work order for generator 2 oil change"), Some("create_work_order"));
    assert_eq!(top("cretae work order for bow leaking"), Some("create_work_order"));
    assert_eq!(top("assing task for deck crane"), Some("assign_work_order"));
}

#[test]
fn negations_retractions_and_hedges_propose_no_mutation() {
    for query in
        ["don't close WO-2026-031 yet", "forget about ordering the filters", "maybe we should create a work order"]
    {
        let detection = detect(query);
        assert!(
            detection.candidates.iter().all(|c| c.action.side_effect == SideEffect::ReadOnly),
            "{query}: {:?}",
            detection.top()
        );
    }
}

#[test]
fn a_long_paste_is_not_a_request() {
    let paste = "ERROR engine overheating, create work order ".repeat(50);
    assert!(detect(&paste).candidates.is_empty());
}

#[test]
fn every_rule_names_a_registry_action() {
    for rule in RULES {
        assert_eq!(rule.action.spec().name, rule.action, "{}", rule.action);
    }
}

#[test]
fn every_registry_action_can_be_detected() {
    for action in &actions::ACTIONS {
        assert!(RULES.iter().any(|r| r.action == action.name), "no rule proposes {}", action.name.as_str());
    }
}

#[test]
fn search_terms_keep_names_and_drop_requests() {
    assert_eq!(search_terms("used 2 oil filters on DG2"), ["2", "oil", "filter", "generator"]);
    assert_eq!(search_terms("show me the stbd main"), ["starboard", "main", "engine"]);
    assert!(search_terms("'; DROP TABLE faults; --").iter().all(|t| t.chars().all(char::is_alphanumeric)));
}

#[test]
fn numbers_in_the_forms_crews_type() {
    let number = |query: &str, kind| detect(query).mention(kind).and_then(|m| m.number);
    assert_eq!(number("DG1 at 12 450 hours", MentionKind::RunningHours), Some(12_450.0));
    assert_eq!(number("4,230 hours on the separator", MentionKind::RunningHours), Some(4230.0));
    assert_eq!(number("DG2 12450", MentionKind::RunningHours), Some(12_450.0));
    assert_eq!(number("two and a half hours on WO 12", MentionKind::Duration), Some(2.5));
    assert_eq!(number("spent 2,5 hrs on the chiller job", MentionKind::Duration), Some(2.5));
    assert_eq!(number("oil filter x3", MentionKind::Quantity), Some(3.0));
    assert_eq!(number("3x racor elements", MentionKind::Quantity), Some(3.0));
    assert_eq!(number("received 10ltr coolant", MentionKind::Quantity), Some(10.0));
    assert_eq!(number("a dozen zinc anodes", MentionKind::Quantity), Some(12.0));
    assert_eq!(number("report a fault on the fire pump", MentionKind::Quantity), None);
}

#[test]
fn whom_work_is_handed_to() {
    let person = |query: &str| detect(query).mention(MentionKind::Person).map(|m| m.value.clone());
    assert_eq!(person("put Sofia on WO-2026-031").as_deref(), Some("Sofia"));
    assert_eq!(person("WO 57 → ETO").as_deref(), Some("eto"));
    assert_eq!(person("assign Priya to the chiller job").as_deref(), Some("Priya"));
    assert_eq!(person("give me the davit job").as_deref(), Some("me"));
    assert_eq!(person("put 2 filters on the job"), None);
}

#[test]
fn number_words_count_items_through_one_describing_word() {
    let used = detect("used one fuel filter on generator 2");
    assert_eq!(used.mention(MentionKind::Quantity).and_then(|m| m.number), Some(1.0));
    assert_eq!(detect("one of the pumps is noisy").mention(MentionKind::Quantity), None);
}

#[test]
fn me_is_the_main_engine_after_a_side() {
    for query in ["stbd ME hours now 12,420", "port me running rough"] {
        let equipment = detect(query).mention(MentionKind::Equipment).map(|m| m.value.clone());
        assert!(equipment.is_some_and(|e| e.ends_with("main engine")), "{query}: {:?}", mentions(query));
    }
    assert!(mentions("assign it to me").contains(&(MentionKind::Person, "me".to_owned())));
}

#[test]
fn time_against_a_work_order_is_logged_not_viewed() {
    assert_eq!(top("3 hours on WO-2026-0001"), Some("log_work_order_hours"));
    assert_eq!(top("2.5 hrs wo 57"), Some("log_work_order_hours"));
    assert_eq!(top("WO-2026-0001"), Some("view_work_order"));
}

#[test]
fn several_requests_come_in_the_order_typed() {
    let names = |query: &str| -> Vec<&'static str> {
        detect(query).candidates.iter().map(|c| c.action.name.as_str()).collect()
    };
    for (query, first, then) in [
        ("create a work order for the bilge pump and add it to handover", "create_work_order", "add_to_handover"),
        ("used 2 oil filters on DG1, then order 4 more", "log_part_usage", "order_part"),
        ("report a fault on gen 2 and create a work order", "report_fault", "create_work_order"),
        (
            "add to handover that the tender is fuelled and log 3 hours on WO-2026-0041",
            "add_to_handover",
            "log_work_order_hours",
        ),
    ] {
        let got = names(query);
        assert_eq!(got.first().copied(), Some(first), "{query}: {got:?}");
        assert!(got.contains(&then), "{query}: {got:?}");
    }
    // One request: a list of things, a colon before the note, a line that opens with what happened.
    assert_eq!(top("order 4 oil filters and 2 fuel filters for DG1"), Some("order_part"));
    assert_eq!(top("bowl seal check done on the separator job and tick it"), Some("mark_checklist_item_complete"));
    let note = names("add a note to WO-2026-0041: used the last gasket");
    assert_eq!(note.first().copied(), Some("add_work_order_note"), "{note:?}");
    // The line's guards still hold for every request in it.
    let hypothetical = names("if the watermaker fails again, then create a work order and order membranes");
    assert!(hypothetical.iter().all(|a| is_read(a)), "{hypothetical:?}");
}

fn is_read(name: &str) -> bool {
    actions::find(name).is_some_and(|a| a.side_effect == SideEffect::ReadOnly)
}
