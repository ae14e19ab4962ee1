//! Note and handover request and response bodies.

use chrono::{DateTime, Utc};
use pms_domain::ids::{EquipmentId, FaultId, WorkOrderId};
use pms_domain::maintenance::notes::{HandoverCategory, HandoverItem, Note, Subject};
use pms_domain::maintenance::text::paragraph;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::validation::Validation;

/// A note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    pub id: Uuid,
    /// `equipment`, `fault` or `work_order`.
    pub subject_type: &'static str,
    pub subject_id: Uuid,
    pub body: String,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<&Note> for NoteView {
    fn from(n: &Note) -> Self {
        Self {
            id: n.id.as_uuid(),
            subject_type: n.subject.kind(),
            subject_id: n.subject.id(),
            body: n.body.clone(),
            author_id: n.author.as_uuid(),
            created_at: n.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoteList {
    pub items: Vec<NoteView>,
    pub next_cursor: Option<String>,
}

/// A note to add. Newlines allowed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Slight weep at the raw-water pump seal; monitor daily."}))]
pub struct AddNoteRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 5000
    )]
    pub body: String,
}

mirror_enum!(
    /// How a handover item matters to the incoming crew.
    HandoverCategoryDto <-> HandoverCategory { Urgent, InProgress, Completed, Watch, Fyi }
);

/// What a handover item or note is about.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectTypeDto {
    Equipment,
    Fault,
    WorkOrder,
}

/// An item of the handover.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverItemView {
    pub id: Uuid,
    pub subject_type: Option<&'static str>,
    pub subject_id: Option<Uuid>,
    pub summary: String,
    /// `urgent`, `in_progress`, `completed`, `watch` or `fyi`.
    pub category: &'static str,
    pub author_id: Uuid,
    pub created_at: DateTime<Utc>,
}

impl From<&HandoverItem> for HandoverItemView {
    fn from(i: &HandoverItem) -> Self {
        Self {
            id: i.id.as_uuid(),
            subject_type: i.subject.map(Subject::kind),
            subject_id: i.subject.map(Subject::id),
            summary: i.summary.clone(),
            category: i.category.as_str(),
            author_id: i.author.as_uuid(),
            created_at: i.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverList {
    pub items: Vec<HandoverItemView>,
    pub next_cursor: Option<String>,
}

/// An item for the incoming crew.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"summary": "Port stabiliser fin hydraulic leak: WO-2026-0031 awaiting seal kit.", "category": "urgent", "subject_type": "work_order", "subject_id": "0193a5f2-3b00-7000-8000-000000000401"}))]
pub struct AddHandoverRequest {
    #[schema(
        pattern = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$",
        max_length = 2000
    )]
    pub summary: String,
    /// `fyi` when omitted.
    pub category: Option<HandoverCategoryDto>,
    /// Give both or neither.
    pub subject_type: Option<SubjectTypeDto>,
    pub subject_id: Option<Uuid>,
}

impl AddNoteRequest {
    /// The note's text.
    pub fn validate(&self) -> Result<String, ApiError> {
        let mut v = Validation::default();
        let text = v.check("body", "invalid", paragraph(&self.body, 5000));
        v.finish()?;
        Ok(text.expect("validated"))
    }
}

impl AddHandoverRequest {
    /// What the item is about, its summary and its category.
    pub fn validate(&self) -> Result<(Option<Subject>, String, HandoverCategory), ApiError> {
        let mut v = Validation::default();
        let summary = v.check("summary", "invalid", paragraph(&self.summary, 2000));
        let subject = match (self.subject_type, self.subject_id) {
            (None, None) => None,
            (Some(SubjectTypeDto::Equipment), Some(id)) => Some(Subject::Equipment(EquipmentId::from_uuid(id))),
            (Some(SubjectTypeDto::Fault), Some(id)) => Some(Subject::Fault(FaultId::from_uuid(id))),
            (Some(SubjectTypeDto::WorkOrder), Some(id)) => Some(Subject::WorkOrder(WorkOrderId::from_uuid(id))),
            _ => {
                v.require(false, "subject_id", "incomplete", "give subject_type and subject_id together");
                None
            }
        };
        v.finish()?;
        Ok((subject, summary.expect("validated"), self.category.map_or(HandoverCategory::Fyi, Into::into)))
    }
}
