//! How concepts add up to an action. Each rule names the intents that may drive it (or that it
//! needs none), the concepts it needs, at least one of which it needs, and those that rule it
//! out; its score is how sure a match makes us. The best-scoring rule per action is its
//! confidence.

#[allow(clippy::enum_glob_use)] // the tables read as sentences of concepts
use super::concepts::Concept::{self, *};
use super::concepts::Concepts;
use crate::actions::ActionName::{self, self as A};

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
    pub action: ActionName,
    pub verb: Verb,
    pub all: Concepts,
    pub any: Concepts,
    pub unless: Concepts,
    pub score: f32,
}

const fn rule(
    action: ActionName,
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
const fn bare(action: ActionName, all: &[Concept], any: &[Concept], unless: &[Concept], score: f32) -> Rule {
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
    rule(A::ReportFault, &[Report], &[Fault], NONE, &[Note, Handover, History, FalseAlarm], 0.9),
    rule(A::ReportFault, &[Report], NONE, &[Symptom, Equipment], &[Question, History, Note, Fault], 0.82),
    rule(A::ReportFault, &[Create, Log, Add], &[Fault], NONE, &[WorkOrder, Note, Handover, PartWord, Show], 0.86),
    bare(A::ReportFault, &[Labelled, Fault], NONE, &[Note, Handover], 0.84),
    bare(A::ReportFault, &[Equipment, Symptom], &[Fault, Reopen], &[Question, Code, History, Diagnose], 0.74),
    rule(A::AcknowledgeFault, &[Acknowledge], NONE, NONE, &[Note], 0.9),
    rule(A::DiagnoseFault, &[Diagnose], NONE, NONE, &[Note, Handover, Stock, PartWord], 0.86),
    rule(A::DiagnoseFault, &[], &[Code], NONE, &[Note, Handover, WorkOrder, History, Report], 0.84),
    rule(A::DiagnoseFault, &[], &[Question, Symptom], NONE, &[PartWord, Handover, History], 0.8),
    bare(A::DiagnoseFault, &[Symptom], NONE, &[Handover, Note], 0.72),
    bare(A::DiagnoseFault, &[Fault], NONE, &[Handover, Note, Equipment], 0.62),
    rule(A::AddFaultNote, &[Add, Log, Update, Create], &[Note, Fault], NONE, &[Handover, WorkOrder], 0.88),
    bare(A::AddFaultNote, &[Note, Fault], NONE, &[Handover, WorkOrder], 0.84),
    rule(A::CreateWorkOrderFromFault, &[Create, Log, Add], &[WorkOrder, Fault], NONE, &[Note, Show, Symptom], 0.93),
    rule(A::CloseFault, &[Resolve], &[Fault], NONE, &[WorkOrder, Question], 0.9),
    rule(A::ReopenFault, &[Reopen], &[Fault], NONE, &[WorkOrder, Question], 0.9),
    rule(A::MarkFaultFalseAlarm, &[], &[FalseAlarm], NONE, &[Question, History], 0.92),
    rule(A::ViewFaultHistory, &[], &[History, Fault], NONE, &[WorkOrder, Note, PartWord, Add, Audit], 0.87),
    rule(A::ViewFaultHistory, &[Show], &[Fault, Plural], &[Equipment], &[Linked, Note, Due], 0.76),
    rule(A::SuggestParts, &[], &[PartWord, Fault], &[Need, Question, Diagnose], &[Add, Use, Order], 0.88),
    rule(A::SuggestParts, &[], &[Need, PartWord], &[Symptom, Fault, Diagnose], &[Add, Use, Order], 0.86),
    rule(A::ViewLinkedFaults, &[], &[Fault, Equipment, Linked], NONE, &[History, Note, Diagnose, Report], 0.85),
    rule(A::ViewLinkedFaults, &[Show], &[Fault, Equipment], NONE, &[History, Note, Diagnose, Report], 0.8),
    rule(A::ViewLinkedFaults, &[], &[Fault, Question, Plural], &[Equipment], &[History, Note, Diagnose], 0.78),
    // Do maintenance.
    rule(A::CreateWorkOrder, &[Create], WO, NONE, &[Recur, Show], 0.88),
    rule(A::CreateWorkOrder, &[Schedule], WO, NONE, &[Recur], 0.84),
    rule(A::CreateWorkOrder, &[Add, Log], WO, NONE, &[Note, Item, PartWord, Handover, Duration, WoRef, Fault], 0.8),
    bare(A::CreateWorkOrder, WO, NONE, &[WoRef, Question, Plural, Mine, Due, History, Note, Handover, Checklist], 0.8),
    rule(A::ViewWorkOrder, &[Show], &[WoRef], NONE, &[Checklist, History, Audit, Note], 0.88),
    rule(A::ViewWorkOrder, &[], &[WoRef, Question], NONE, &[Checklist, History, Audit, Note], 0.86),
    bare(A::ViewWorkOrder, &[WoRef], NONE, &[Checklist, Note, Handover, Duration], 0.84),
    rule(A::ViewWorkOrder, &[Show], &[WorkOrder, Details], NONE, &[Checklist, Plural], 0.82),
    rule(A::StartWorkOrder, &[Start], NONE, &[WorkOrder, Maintenance], &[Question, Checklist], 0.9),
    rule(A::StartWorkOrder, &[Start], NONE, NONE, &[Question, Fault], 0.76),
    rule(A::AddWorkOrderNote, &[Add, Log, Update, Create], &[Note, WorkOrder], NONE, &[Handover], 0.88),
    bare(A::AddWorkOrderNote, &[Note, WorkOrder], NONE, &[Handover], 0.84),
    rule(A::AddPartsToWorkOrder, &[Add, Log], &[WorkOrder], PARTS, &[Note, Handover, Stock, Usage, Duration], 0.89),
    rule(A::LogWorkOrderHours, &[Log, Spend, Add, Update], &[Duration], NONE, &[Recur], 0.88),
    rule(A::LogWorkOrderHours, &[Spend], &[WorkOrder], NONE, &[Recur], 0.82),
    bare(A::LogWorkOrderHours, &[Duration], &[WorkOrder, WoRef], &[Recur, Question, Due], 0.85),
    rule(A::AssignWorkOrder, &[Assign], NONE, &[WorkOrder, Person, Maintenance], &[Question, Handover], 0.88),
    rule(A::AssignWorkOrder, &[Assign], NONE, NONE, &[Question, Handover, Show], 0.74),
    rule(A::MarkWorkOrderComplete, &[Complete, SignOff], WO, NONE, &[Checklist, Question, History], 0.89),
    rule(A::MarkWorkOrderComplete, &[Resolve], WO, NONE, &[Fault, Question, History], 0.88),
    rule(A::MarkWorkOrderComplete, &[Complete, SignOff], NONE, &[Maintenance, Equipment, Item], &[Checklist, Question, Fault, PurchaseRequest, Order, History, Period], 0.78),
    rule(A::DeferWorkOrder, &[Defer], NONE, NONE, &[Question], 0.84),
    rule(A::DeferWorkOrder, &[Defer], NONE, &[WorkOrder, Maintenance], &[Question], 0.88),
    rule(A::CancelWorkOrder, &[Cancel], WO, NONE, &[Question, PurchaseRequest], 0.88),
    rule(A::ReopenWorkOrder, &[Reopen], WO, NONE, &[Fault, Question], 0.9),
    rule(A::ViewWorkOrderChecklist, &[], &[Checklist], NONE, &[Complete, Tick, SignOff, Add, Handover, Create], 0.84),
    rule(A::MarkChecklistItemComplete, &[Complete, Tick, SignOff], &[Checklist], NONE, &[Question], 0.9),
    rule(A::MarkChecklistItemComplete, &[Tick], NONE, NONE, &[Question], 0.86),
    rule(A::ViewWorklist, &[], &[Mine], &[WorkOrder, Show, Due], &[Assign, Create, Add, Note, Handover], 0.86),
    rule(A::ViewWorklist, &[Show], &[WorkOrder, Plural], NONE, &[Equipment, History, Fault, Period, Create], 0.8),
    rule(A::ViewWorklist, &[], &[WorkOrder, Due], NONE, &[Maintenance, Recur, Create, Assign, Defer], 0.82),
    rule(A::ViewWorkOrderHistory, &[], &[History, WorkOrder], NONE, &[Fault, Note, Audit, Create, Start], 0.87),
    rule(A::ViewWorkOrderHistory, &[Show], &[WorkOrder, Plural, Equipment], NONE, &[Fault, Note, Due, Linked, Mine], 0.78),
    rule(A::ScheduleMaintenance, &[Schedule], NONE, &[Recur, Maintenance], &[Show, Question, WorkOrder], 0.87),
    rule(A::ScheduleMaintenance, &[Schedule], &[Recur], NONE, &[Show, Question], 0.88),
    rule(A::ScheduleMaintenance, &[Create, Add, Log], &[Recur], NONE, &[Show, Question, Due], 0.86),
    rule(A::ViewMaintenanceDue, &[], &[Due], &[Maintenance, Recur], &[Create, Add, Schedule, Assign], 0.87),
    rule(A::ViewMaintenanceDue, &[Show], &[Recur], NONE, &[Create, Add], 0.8),
    // Manage equipment.
    rule(A::ViewEquipmentDetails, &[], &[Details, Equipment], NONE, &[Fault, WorkOrder, History, Note, Update, Symptom], 0.86),
    rule(A::ViewEquipmentDetails, &[Show], &[Equipment], NONE, &[ Fault, WorkOrder, PartWord, Item, History, Note, Handover, Checklist, Stock, Due, Symptom, Audit, Location, Usage, Low, PurchaseRequest, Recur, ], 0.78),
    rule(A::ViewEquipmentDetails, &[Show], &[Equipment, Status], NONE, &[Fault, WorkOrder, History], 0.8),
    bare(A::ViewEquipmentDetails, &[Equipment], NONE, &[ Fault, WorkOrder, PartWord, Item, Symptom, History, Note, Handover, Hours, Code, Due, Reading, Status, Checklist, Stock, ], 0.7),
    rule(A::ViewEquipmentHistory, &[], &[History, Equipment], NONE, &[Fault, WorkOrder, Note, Audit, Add, Usage], 0.86),
    rule(A::ViewEquipmentHistory, &[], &[Period, Equipment], &[Complete, Maintenance, Fault, WorkOrder, Hours, PartWord, Symptom], &[Create, Add, Assign, Order, Update, History], 0.84),
    rule(A::ViewEquipmentParts, &[], &[PartWord, Equipment], NONE, &[Item, Fault, Add, Use, Order, Receive, Stock, Low, Location, Need, Usage, WorkOrder, Symptom], 0.84),
    rule(A::AddEquipmentNote, &[Add, Log, Update, Create], &[Note, Equipment], NONE, &[Fault, WorkOrder, Handover], 0.86),
    bare(A::AddEquipmentNote, &[Note, Equipment], NONE, &[Fault, WorkOrder, Handover], 0.82),
    rule(A::UpdateEquipmentStatus, &[Update, Add, Log], &[Status], NONE, &[Question, Show, Fault, WorkOrder], 0.88),
    rule(A::RecordRunningHours, &[], &[Reading], &[Equipment, Hours], &[Recur, Duration, WorkOrder, Maintenance, Period], 0.86),
    rule(A::RecordRunningHours, &[Log, Update, Add], &[Hours], NONE, &[Duration, WorkOrder, Recur, Maintenance, Question, Period], 0.84),
    // Control inventory.
    rule(A::ViewPartStock, &[], &[Stock], PARTS, &[Adjust, Receive, Use, Low, Add, Order, Location], 0.85),
    rule(A::ViewPartStock, &[], &[HowMany], PARTS, &[Use, Usage, Low, History], 0.85),
    rule(A::ViewPartStock, &[], &[Have, Question], PARTS, &[Use, Usage, Low, Fault], 0.84),
    rule(A::ViewPartLocation, &[], &[Location], PARTS, &[Add, Use, Order], 0.88),
    rule(A::ViewPartUsage, &[], &[Usage], NONE, &[Add, Order, Log, Update, Create], 0.87),
    rule(A::ViewPartUsage, &[Use], &[Question], PARTS, &[Add, Order, Fault], 0.87),
    rule(A::LogPartUsage, &[Log, Add, Update, Create], &[Usage], NONE, &[Question, Show], 0.87),
    rule(A::LogPartUsage, &[Use], NONE, &[Item, PartWord, Quantity], &[Question, Handover, Note, Checklist], 0.86),
    rule(A::ReceivePart, &[Receive], NONE, &[Item, PartWord, Quantity, Stock], &[Question, Order, Note], 0.87),
    rule(A::ReceivePart, &[Add, Log], &[Stock], &[Item, PartWord, Quantity], &[Adjust, Question, WorkOrder], 0.86),
    rule(A::AdjustStock, &[Update], &[Stock], NONE, &[Question, Show, Low, Add], 0.85),
    rule(A::AdjustStock, &[Adjust], NONE, &[Stock, Item, PartWord, Quantity], &[Question, Show], 0.88),
    rule(A::OrderPart, &[Order], NONE, &[Item, PartWord, Quantity, Need], &[Cancel, Approve, SignOff, Question, Receive], 0.87),
    rule(A::OrderPart, &[Add, Create, Log, Report], &[PurchaseRequest], NONE, &[Show, Approve, Question, Plural], 0.86),
    rule(A::OrderPart, &[Add, Create, Log], &[Order], NONE, &[Cancel, Show, Question, Approve], 0.84),
    rule(A::OrderPart, &[Order], NONE, NONE, &[Cancel, Approve, SignOff, Question, Receive, Show, Plural], 0.76),
    rule(A::ScanPartBarcode, &[Scan], NONE, NONE, &[Handover], 0.9),
    rule(A::ViewLowStock, &[], &[Low], &[Stock, Item, PartWord], &[Adjust, Order, Update, Code, Symptom], 0.88),
    // Communicate status.
    rule(A::AddToHandover, &[Add, Log, Update, Create], &[Handover], NONE, &[Show, Question], 0.9),
    bare(A::AddToHandover, &[Handover, Labelled], NONE, NONE, 0.86),
    rule(A::ViewHandover, &[Show], &[Handover], NONE, &[Add], 0.87),
    rule(A::ViewHandover, &[], &[Handover, Question], NONE, &[Add, Labelled], 0.86),
    bare(A::ViewHandover, &[Handover], NONE, &[Labelled], 0.8),
    // Comply with audit.
    rule(A::ViewAuditTrail, &[], &[Audit], NONE, NONE, 0.9),
    // Procure.
    rule(A::ViewPurchaseRequests, &[], &[PurchaseRequest], &[Show, Question, Due, Plural], &[Approve, Add, Create, SignOff, Cancel], 0.86),
    rule(A::ApprovePurchaseRequest, &[Approve, SignOff], NONE, &[PurchaseRequest, Order], &[Question], 0.91),
    rule(A::ApprovePurchaseRequest, &[Approve], NONE, NONE, &[Question, Complete, WorkOrder], 0.82),
];
