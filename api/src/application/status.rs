//! `communicate_status`, `comply_audit` and `procure_suppliers`: the handover, the audit trail
//! and purchase requests.

use pms_domain::ids::{PurchaseRequestId, UserId};
use pms_domain::maintenance::audit::{AuditFilter, AuditTrail as _, EntityKind, require_view};
use pms_domain::maintenance::notes::{HandoverFilter, NoteRepo as _, add_to_handover};
use pms_domain::maintenance::paging::PageRequest;
use pms_domain::maintenance::purchase::{PurchaseAction, PurchaseRepo as _, PurchaseStatus, advance_purchase};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Exec, Limit};
use crate::dto::audit::AuditEntryView;
use crate::dto::notes::{AddHandoverRequest, HandoverCategoryDto, HandoverItemView};
use crate::dto::purchases::{DecisionRequest, PurchaseRequestView, decision_note};
use crate::error::ApiError;
use crate::http::dates::DateTimeUtc;

pub async fn add_handover(x: &mut Exec<'_>, p: AddHandoverRequest) -> Result<HandoverItemView, ApiError> {
    let (subject, summary, category) = p.validate()?;
    let item = add_to_handover(x.tx, &x.actor, subject, summary, category, x.now).await.map_err(ApiError::from)?;
    Ok(HandoverItemView::from(&item))
}

/// Which handover items to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HandoverQuery {
    /// Only these categories (all when omitted).
    #[serde(default)]
    pub category: Vec<HandoverCategoryDto>,
    /// Items added at or after this time (the last crew change).
    pub since: Option<DateTimeUtc>,
    #[serde(flatten)]
    pub limit: Limit,
}

/// Handover items, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct HandoverView {
    pub items: Vec<HandoverItemView>,
}

pub async fn handover(x: &mut Exec<'_>, p: HandoverQuery) -> Result<HandoverView, ApiError> {
    let filter =
        HandoverFilter { category: p.category.into_iter().map(Into::into).collect(), since: p.since.map(|t| t.0) };
    let page = x.tx.handover(&filter, &PageRequest::new(Some(p.limit.get()?), None)).await?;
    Ok(HandoverView { items: page.items.iter().map(HandoverItemView::from).collect() })
}

/// Which audit entries to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AuditQuery {
    /// `equipment`, `fault`, `work_order`, `part`, `schedule`…
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    /// Only this member's changes.
    pub user_id: Option<Uuid>,
    #[serde(flatten)]
    pub limit: Limit,
}

/// Audit entries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTrail {
    pub items: Vec<AuditEntryView>,
}

pub async fn audit_trail(x: &mut Exec<'_>, p: AuditQuery) -> Result<AuditTrail, ApiError> {
    require_view(&x.actor)?;
    let entity = match p.entity_type.as_deref() {
        None => None,
        Some(raw) => Some(EntityKind::parse(raw).ok_or_else(|| {
            let kinds = EntityKind::ALL.map(EntityKind::as_str).join(", ");
            ApiError::field("entity_type", "invalid", format!("must be one of: {kinds}"))
        })?),
    };
    let filter =
        AuditFilter { entity, entity_id: p.entity_id, user: p.user_id.map(UserId::from_uuid), from: None, to: None };
    let page = x.tx.entries(&filter, &PageRequest::new(Some(p.limit.get()?), None)).await?;
    Ok(AuditTrail { items: page.items.into_iter().map(Into::into).collect() })
}

/// Where a purchase request stands.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseStatusDto {
    Requested,
    Approved,
    Rejected,
    Ordered,
    Received,
}

impl From<PurchaseStatusDto> for PurchaseStatus {
    fn from(s: PurchaseStatusDto) -> Self {
        match s {
            PurchaseStatusDto::Requested => Self::Requested,
            PurchaseStatusDto::Approved => Self::Approved,
            PurchaseStatusDto::Rejected => Self::Rejected,
            PurchaseStatusDto::Ordered => Self::Ordered,
            PurchaseStatusDto::Received => Self::Received,
        }
    }
}

/// Which purchase requests to show.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PurchaseQuery {
    /// Only these statuses (all when omitted).
    #[serde(default)]
    pub status: Vec<PurchaseStatusDto>,
    #[serde(flatten)]
    pub limit: Limit,
}

/// Purchase requests, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseRequests {
    pub items: Vec<PurchaseRequestView>,
}

pub async fn purchase_requests(x: &mut Exec<'_>, p: PurchaseQuery) -> Result<PurchaseRequests, ApiError> {
    let status: Vec<PurchaseStatus> = p.status.into_iter().map(Into::into).collect();
    let page = x.tx.purchase_requests(&status, &PageRequest::new(Some(p.limit.get()?), None)).await?;
    Ok(PurchaseRequests { items: page.items.iter().map(PurchaseRequestView::from).collect() })
}

/// A purchase request to approve, with an optional note.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Approval {
    pub purchase_request_id: Uuid,
    #[serde(flatten)]
    pub decision: DecisionRequest,
}

pub async fn approve(x: &mut Exec<'_>, p: Approval) -> Result<PurchaseRequestView, ApiError> {
    let note = decision_note(p.decision.note.as_deref())?;
    let id = PurchaseRequestId::from_uuid(p.purchase_request_id);
    let request =
        advance_purchase(x.tx, &x.actor, id, PurchaseAction::Approve, note, x.now).await.map_err(ApiError::from)?;
    Ok(PurchaseRequestView::from(&request))
}
