//! Notes on equipment, faults and work orders: one use case whatever the note is about.

use pms_domain::actions::ActionName;
use pms_domain::maintenance::notes::{Subject, add_note};

use super::Exec;
use crate::dto::notes::{AddNoteRequest, NoteView};
use crate::error::ApiError;

/// The registry action that adds a note to `subject`.
pub const fn action(subject: Subject) -> ActionName {
    match subject {
        Subject::Equipment(_) => ActionName::AddEquipmentNote,
        Subject::Fault(_) => ActionName::AddFaultNote,
        Subject::WorkOrder(_) => ActionName::AddWorkOrderNote,
    }
}

pub async fn add(x: &mut Exec<'_>, subject: Subject, note: AddNoteRequest) -> Result<NoteView, ApiError> {
    let text = note.validate()?;
    Ok(NoteView::from(&add_note(x.tx, &x.actor, subject, text, x.now).await?))
}
