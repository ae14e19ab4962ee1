//! How the detector's mentions are written out.

use pms_domain::detect::{Mention, MentionKind};
use serde::Serialize;
use utoipa::ToSchema;

/// Character offsets (Unicode scalar values) into the query, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct SpanView {
    pub start: usize,
    pub end: usize,
}

/// Something the query names, as the detector read it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MentionView {
    /// `work_order`, `fault`, `purchase_request`, `fault_code`, `equipment`, `part`, `person`,
    /// `quantity`, `running_hours`, `duration`, `barcode`, `interval` or `text`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The words as typed.
    pub text: String,
    pub span: SpanView,
    /// Normalised: abbreviations expanded, references canonical.
    pub value: String,
    /// The number a quantity, reading, duration (hours) or interval carries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
}

impl From<&Mention> for MentionView {
    fn from(mention: &Mention) -> Self {
        MentionView {
            kind: kind_name(mention.kind),
            text: mention.text.clone(),
            span: SpanView { start: mention.span.start, end: mention.span.end },
            value: mention.value.clone(),
            number: mention.number,
        }
    }
}

pub fn kind_name(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::WorkOrder => "work_order",
        MentionKind::Fault => "fault",
        MentionKind::PurchaseRequest => "purchase_request",
        MentionKind::FaultCode => "fault_code",
        MentionKind::Equipment => "equipment",
        MentionKind::Part => "part",
        MentionKind::Person => "person",
        MentionKind::Quantity => "quantity",
        MentionKind::RunningHours => "running_hours",
        MentionKind::Duration => "duration",
        MentionKind::Barcode => "barcode",
        MentionKind::Interval => "interval",
        MentionKind::Text => "text",
    }
}
