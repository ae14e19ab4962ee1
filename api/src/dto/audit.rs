//! Audit trail views.

use chrono::{DateTime, Utc};
use pms_domain::ids::UserId;
use pms_domain::maintenance::audit::AuditRecord;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// One recorded change.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    /// Position in the yacht's chain, from 1.
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub user_id: Option<Uuid>,
    /// `<entity>.<verb>`, e.g. `equipment.status_changed`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    /// The record before the change (absent for creations).
    pub before: Option<Value>,
    /// The record after the change.
    pub after: Option<Value>,
    /// The request that made the change (`x-request-id`).
    pub request_id: Option<String>,
}

impl From<AuditRecord> for AuditEntryView {
    fn from(r: AuditRecord) -> Self {
        let json = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        Self {
            seq: r.seq,
            occurred_at: r.occurred_at,
            user_id: r.user.map(UserId::as_uuid),
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            before: json(r.before),
            after: json(r.after),
            request_id: r.request_id,
        }
    }
}

/// A page of the trail, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntryView>,
    pub next_cursor: Option<String>,
}

/// The result of recomputing the chain.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"intact": false, "entries": null, "first_broken_seq": 42, "break_kind": "content_altered"}))]
pub struct AuditVerification {
    pub intact: bool,
    /// How many entries were checked, when intact.
    pub entries: Option<i64>,
    /// The first entry that does not verify.
    pub first_broken_seq: Option<i64>,
    /// `content_altered` (an entry was edited), `link_broken` (entries removed or reordered) or
    /// `tail_missing` (the newest entries were removed).
    pub break_kind: Option<&'static str>,
}
