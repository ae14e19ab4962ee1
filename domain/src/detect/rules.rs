//! How concepts add up to an action. Each rule names the intents that may drive it (or that it
//! needs none), the concepts it needs, at least one of which it needs, and those that rule it
//! out; its score is how sure a match makes us. The best-scoring rule per action is its
//! confidence.

#[allow(clippy::enum_glob_use)] // the tables read as sentences of concepts
use super::concepts::Concept::{self, *};
use super::concepts::Concepts;

/// Which intents a rule needs.
#[derive(Debug, Clone, Copy)]
pub enum Verb {
    /// One of these intents, ideally in the command part of the query.
    Any(Concepts),
    /// No intent at all in the command part: `wo for anchor chain inspection`, `E047 on the port main`.
    None,
    /// Indifferent to intents.
    Either,
}

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub action: &'static str,
    pub verb: Verb,
    pub all: Concepts,
    pub any: Concepts,
    pub unless: Concepts,
    pub score: f32,
}

const fn rule(
    action: &'static str,
    verb: &[Concept],
    all: &[Concept],
    any: &[Concept],
    unless: &[Concept],
    score: f32,
) -> Rule {
    Rule {
        action,
        verb: if verb.is_empty() { Verb::Either } else { Verb::Any(Concepts::of(verb)) },
        all: Concepts::of(all),
        any: Concepts::of(any),
        unless: Concepts::of(unless),
        score,
    }
}

/// A rule that only applies when the query has no intent word.
const fn bare(action: &'static str, all: &[Concept], any: &[Concept], unless: &[Concept], score: f32) -> Rule {
    let mut rule = rule(action, &[], all, any, unless, score);
    rule.verb = Verb::None;
    rule
}

const PARTS: &[Concept] = &[Item, PartWord];
const WO: &[Concept] = &[WorkOrder];
const NONE: &[Concept] = &[];

/// Every rule. Scores: ≥ 0.85 an explicit request, 0.75–0.85 a clear but verbless or indirect
/// one, below that a guess (never enough for a mutation).
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    // Fix something.
    rule("report_fault", &[Report], &[Fault], NONE, &[Note, Handover, History, FalseAlarm], 0.9),
    rule("report_fault", &[Report], NONE, &[Symptom, Equipment], &[Question, History, Note, Fault], 0.82),
    rule("report_fault", &[Create, Log, Add], &[Fault], NONE, &[WorkOrder, Note, Handover, PartWord, Show], 0.86),
    bare("report_fault", &[Labelled, Fault], NONE, &[Note, Handover], 0.84),
    bare("report_fault", &[Equipment, Symptom], &[Fault, Reopen], &[Question, Code, History, Diagnose], 0.74),
    rule("acknowledge_fault", &[Acknowledge], NONE, NONE, &[Note], 0.9),
    rule("diagnose_fault", &[Diagnose], NONE, NONE, &[Note, Handover, Stock, PartWord], 0.86),
    rule("diagnose_fault", &[], &[Code], NONE, &[Note, Handover, WorkOrder, History, Report], 0.84),
    rule("diagnose_fault", &[], &[Question, Symptom], NONE, &[PartWord, Handover, History], 0.8),
    bare("diagnose_fault", &[Symptom], NONE, &[Handover, Note], 0.72),
    bare("diagnose_fault", &[Fault], NONE, &[Handover, Note, Equipment], 0.62),
    rule("add_fault_note", &[Add, Log, Update, Create], &[Note, Fault], NONE, &[Handover, WorkOrder], 0.88),
    bare("add_fault_note", &[Note, Fault], NONE, &[Handover, WorkOrder], 0.84),
    rule("create_work_order_from_fault", &[Create, Log, Add], &[WorkOrder, Fault], NONE, &[Note, Show, Symptom], 0.93),
    rule("close_fault", &[Resolve], &[Fault], NONE, &[WorkOrder, Question], 0.9),
    rule("reopen_fault", &[Reopen], &[Fault], NONE, &[WorkOrder, Question], 0.9),
    rule("mark_fault_false_alarm", &[], &[FalseAlarm], NONE, &[Question, History], 0.92),
    rule("view_fault_history", &[], &[History, Fault], NONE, &[WorkOrder, Note, PartWord, Add, Audit], 0.87),
    rule("view_fault_history", &[Show], &[Fault, Plural], &[Equipment], &[Linked, Note, Due], 0.76),
    rule("suggest_parts", &[], &[PartWord, Fault], &[Need, Question, Diagnose], &[Add, Use, Order], 0.88),
    rule("suggest_parts", &[], &[Need, PartWord], &[Symptom, Fault, Diagnose], &[Add, Use, Order], 0.86),
    rule("view_linked_faults", &[], &[Fault, Equipment, Linked], NONE, &[History, Note, Diagnose, Report], 0.85),
    rule("view_linked_faults", &[Show], &[Fault, Equipment], NONE, &[History, Note, Diagnose, Report], 0.8),
    rule("view_linked_faults", &[], &[Fault, Question, Plural], &[Equipment], &[History, Note, Diagnose], 0.78),
    // Do maintenance.
    rule("create_work_order", &[Create], WO, NONE, &[Recur, Show], 0.88),
    rule("create_work_order", &[Schedule], WO, NONE, &[Recur], 0.84),
    rule("create_work_order", &[Add, Log], WO, NONE, &[Note, Item, PartWord, Handover, Duration, WoRef, Fault], 0.8),
    bare("create_work_order", WO, NONE, &[WoRef, Question, Plural, Mine, Due, History, Note, Handover, Checklist], 0.8),
    rule("view_work_order", &[Show], &[WoRef], NONE, &[Checklist, History, Audit, Note], 0.88),
    rule("view_work_order", &[], &[WoRef, Question], NONE, &[Checklist, History, Audit, Note], 0.86),
    bare("view_work_order", &[WoRef], NONE, &[Checklist, Note, Handover, Duration], 0.84),
    rule("view_work_order", &[Show], &[WorkOrder, Details], NONE, &[Checklist, Plural], 0.82),
    rule("start_work_order", &[Start], NONE, &[WorkOrder, Maintenance], &[Question, Checklist], 0.9),
    rule("start_work_order", &[Start], NONE, NONE, &[Question, Fault], 0.76),
    rule("add_work_order_note", &[Add, Log, Update, Create], &[Note, WorkOrder], NONE, &[Handover], 0.88),
    bare("add_work_order_note", &[Note, WorkOrder], NONE, &[Handover], 0.84),
    rule("add_parts_to_work_order", &[Add, Log], &[WorkOrder], PARTS, &[Note, Handover, Stock, Usage, Duration], 0.89),
    rule("log_work_order_hours", &[Log, Spend, Add, Update], &[Duration], NONE, &[Recur], 0.88),
    rule("log_work_order_hours", &[Spend], &[WorkOrder], NONE, &[Recur], 0.82),
    bare("log_work_order_hours", &[Duration], &[WorkOrder, WoRef], &[Recur, Question, Due], 0.85),
    rule("assign_work_order", &[Assign], NONE, &[WorkOrder, Person, Maintenance], &[Question, Handover], 0.88),
    rule("assign_work_order", &[Assign], NONE, NONE, &[Question, Handover, Show], 0.74),
    rule("mark_work_order_complete", &[Complete, SignOff], WO, NONE, &[Checklist, Question, History], 0.89),
    rule("mark_work_order_complete", &[Resolve], WO, NONE, &[Fault, Question, History], 0.88),
    rule("mark_work_order_complete", &[Complete, SignOff], NONE, &[Maintenance, Equipment, Item], &[Checklist, Question, Fault, PurchaseRequest, Order, History, Period], 0.78),
    rule("defer_work_order", &[Defer], NONE, NONE, &[Question], 0.84),
    rule("defer_work_order", &[Defer], NONE, &[WorkOrder, Maintenance], &[Question], 0.88),
    rule("cancel_work_order", &[Cancel], WO, NONE, &[Question, PurchaseRequest], 0.88),
    rule("reopen_work_order", &[Reopen], WO, NONE, &[Fault, Question], 0.9),
    rule("view_work_order_checklist", &[], &[Checklist], NONE, &[Complete, Tick, SignOff, Add, Handover, Create], 0.84),
    rule("mark_checklist_item_complete", &[Complete, Tick, SignOff], &[Checklist], NONE, &[Question], 0.9),
    rule("mark_checklist_item_complete", &[Tick], NONE, NONE, &[Question], 0.86),
    rule("view_worklist", &[], &[Mine], &[WorkOrder, Show, Due], &[Assign, Create, Add, Note, Handover], 0.86),
    rule("view_worklist", &[Show], &[WorkOrder, Plural], NONE, &[Equipment, History, Fault, Period, Create], 0.8),
    rule("view_worklist", &[], &[WorkOrder, Due], NONE, &[Maintenance, Recur, Create, Assign, Defer], 0.82),
    rule("view_work_order_history", &[], &[History, WorkOrder], NONE, &[Fault, Note, Audit, Create, Start], 0.87),
    rule("view_work_order_history", &[Show], &[WorkOrder, Plural, Equipment], NONE, &[Fault, Note, Due, Linked, Mine], 0.78),
    rule("schedule_maintenance", &[Schedule], NONE, &[Recur, Maintenance], &[Show, Question, WorkOrder], 0.87),
    rule("schedule_maintenance", &[Schedule], &[Recur], NONE, &[Show, Question], 0.88),
    rule("schedule_maintenance", &[Create, Add, Log], &[Recur], NONE, &[Show, Question, Due], 0.86),
    rule("view_maintenance_due", &[], &[Due], &[Maintenance, Recur], &[Create, Add, Schedule, Assign], 0.87),
    rule("view_maintenance_due", &[Show], &[Recur], NONE, &[Create, Add], 0.8),
    // Manage equipment.
    rule("view_equipment_details", &[], &[Details, Equipment], NONE, &[Fault, WorkOrder, History, Note, Update, Symptom], 0.86),
    rule("view_equipment_details", &[Show], &[Equipment], NONE, &[ Fault, WorkOrder, PartWord, Item, History, Note, Handover, Checklist, Stock, Due, Symptom, Audit, Location, Usage, Low, PurchaseRequest, Recur, ], 0.78),
    rule("view_equipment_details", &[Show], &[Equipment, Status], NONE, &[Fault, WorkOrder, History], 0.8),
    bare("view_equipment_details", &[Equipment], NONE, &[ Fault, WorkOrder, PartWord, Item, Symptom, History, Note, Handover, Hours, Code, Due, Reading, Status, Checklist, Stock, ], 0.7),
    rule("view_equipment_history", &[], &[History, Equipment], NONE, &[Fault, WorkOrder, Note, Audit, Add, Usage], 0.86),
    rule("view_equipment_history", &[], &[Period, Equipment], &[Complete, Maintenance, Fault, WorkOrder, Hours, PartWord, Symptom], &[Create, Add, Assign, Order, Update, History], 0.84),
    rule("view_equipment_parts", &[], &[PartWord, Equipment], NONE, &[Item, Fault, Add, Use, Order, Receive, Stock, Low, Location, Need, Usage, WorkOrder, Symptom], 0.84),
    rule("add_equipment_note", &[Add, Log, Update, Create], &[Note, Equipment], NONE, &[Fault, WorkOrder, Handover], 0.86),
    bare("add_equipment_note", &[Note, Equipment], NONE, &[Fault, WorkOrder, Handover], 0.82),
    rule("update_equipment_status", &[Update, Add, Log], &[Status], NONE, &[Question, Show, Fault, WorkOrder], 0.88),
    rule("record_running_hours", &[], &[Reading], &[Equipment, Hours], &[Recur, Duration, WorkOrder, Maintenance, Period], 0.86),
    rule("record_running_hours", &[Log, Update, Add], &[Hours], NONE, &[Duration, WorkOrder, Recur, Maintenance, Question, Period], 0.84),
    // Control inventory.
    rule("view_part_stock", &[], &[Stock], PARTS, &[Adjust, Receive, Use, Low, Add, Order, Location], 0.85),
    rule("view_part_stock", &[], &[HowMany], PARTS, &[Use, Usage, Low, History], 0.85),
    rule("view_part_stock", &[], &[Have, Question], PARTS, &[Use, Usage, Low, Fault], 0.84),
    rule("view_part_location", &[], &[Location], PARTS, &[Add, Use, Order], 0.88),
    rule("view_part_usage", &[], &[Usage], NONE, &[Add, Order, Log, Update, Create], 0.87),
    rule("view_part_usage", &[Use], &[Question], PARTS, &[Add, Order, Fault], 0.87),
    rule("log_part_usage", &[Log, Add, Update, Create], &[Usage], NONE, &[Question, Show], 0.87),
    rule("log_part_usage", &[Use], NONE, &[Item, PartWord, Quantity], &[Question, Handover, Note, Checklist], 0.86),
    rule("receive_part", &[Receive], NONE, &[Item, PartWord, Quantity, Stock], &[Question, Order, Note], 0.87),
    rule("receive_part", &[Add, Log], &[Stock], &[Item, PartWord, Quantity], &[Adjust, Question, WorkOrder], 0.86),
    rule("adjust_stock", &[Update], &[Stock], NONE, &[Question, Show, Low, Add], 0.85),
    rule("adjust_stock", &[Adjust], NONE, &[Stock, Item, PartWord, Quantity], &[Question, Show], 0.88),
    rule("order_part", &[Order], NONE, &[Item, PartWord, Quantity, Need], &[Cancel, Approve, SignOff, Question, Receive], 0.87),
    rule("order_part", &[Add, Create, Log, Report], &[PurchaseRequest], NONE, &[Show, Approve, Question, Plural], 0.86),
    rule("order_part", &[Add, Create, Log], &[Order], NONE, &[Cancel, Show, Question, Approve], 0.84),
    rule("order_part", &[Order], NONE, NONE, &[Cancel, Approve, SignOff, Question, Receive, Show, Plural], 0.76),
    rule("scan_part_barcode", &[Scan], NONE, NONE, &[Handover], 0.9),
    rule("view_low_stock", &[], &[Low], &[Stock, Item, PartWord], &[Adjust, Order, Update, Code, Symptom], 0.88),
    // Communicate status.
    rule("add_to_handover", &[Add, Log, Update, Create], &[Handover], NONE, &[Show, Question], 0.9),
    bare("add_to_handover", &[Handover, Labelled], NONE, NONE, 0.86),
    rule("view_handover", &[Show], &[Handover], NONE, &[Add], 0.87),
    rule("view_handover", &[], &[Handover, Question], NONE, &[Add, Labelled], 0.86),
    bare("view_handover", &[Handover], NONE, &[Labelled], 0.8),
    // Comply with audit.
    rule("view_audit_trail", &[], &[Audit], NONE, NONE, 0.9),
    // Procure.
    rule("view_purchase_requests", &[], &[PurchaseRequest], &[Show, Question, Due, Plural], &[Approve, Add, Create, SignOff, Cancel], 0.86),
    rule("approve_purchase_request", &[Approve, SignOff], NONE, &[PurchaseRequest, Order], &[Question], 0.91),
    rule("approve_purchase_request", &[Approve], NONE, NONE, &[Question, Complete, WorkOrder], 0.82),
];
