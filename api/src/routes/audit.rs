//! The yacht's audit trail: who changed what, before and after, and whether the chain is intact.

use axum::Json;
use chrono::{DateTime, Utc};
use pms_domain::ids::UserId;
use pms_domain::maintenance::audit::{
    AuditFilter, AuditRecord, AuditTrail as _, ChainVerification, EntityKind, require_view,
};
use pms_domain::maintenance::paging::PageRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::dates::DateTimeUtc;
use crate::http::query::ApiQuery;
use crate::validation::Validation;

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

/// Trail filters and paging.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A kind of record, e.g. `work_order`, `schedule` or `part`.
    entity_type: Option<String>,
    entity_id: Option<Uuid>,
    /// Changes made by this user.
    user_id: Option<Uuid>,
    /// From this time (inclusive).
    from: Option<DateTimeUtc>,
    /// Before this time.
    to: Option<DateTimeUtc>,
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
    /// `next_cursor` of the previous page of this list with the same filters and sort (opaque, signed).
    #[param(max_length = 2048)]
    cursor: Option<String>,
}

/// The audit trail, newest first (heads of department).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/audit",
    tag = "audit",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), AuditQuery),
    responses(
        (status = OK, description = "A page of entries.", body = AuditList),
    ),
)]
pub async fn list(
    paging: Paging,
    ctx: TenantCtx,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    require_view(&ctx.actor())?;
    let mut v = Validation::default();
    let entity = query.entity_type.as_deref().and_then(|raw| {
        let kinds = EntityKind::ALL.map(EntityKind::as_str).join(", ");
        v.check("entity_type", "invalid", EntityKind::parse(raw).ok_or_else(|| format!("must be one of: {kinds}")))
    });
    v.page_limit(query.limit);
    v.finish()?;
    let after = paging.after(query.cursor.as_deref())?;
    let filter = AuditFilter {
        entity,
        entity_id: query.entity_id,
        user: query.user_id.map(UserId::from_uuid),
        from: query.from.map(|t| t.0),
        to: query.to.map(|t| t.0),
    };
    let mut tx = ctx.store.begin().await?;
    let page = tx.entries(&filter, &PageRequest::new(query.limit, after)).await?;
    tx.commit().await?;
    Ok(Json(AuditList {
        next_cursor: paging.next(page.next.as_ref()),
        items: page.items.into_iter().map(Into::into).collect(),
    }))
}

/// Recompute the yacht's hash chain and report the first broken link, if any (heads of department).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/audit/verify",
    tag = "audit",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    responses(
        (status = OK, description = "The verification result.", body = AuditVerification),
    ),
)]
pub async fn verify(ctx: TenantCtx) -> Result<Json<AuditVerification>, ApiError> {
    require_view(&ctx.actor())?;
    let mut tx = ctx.store.begin().await?;
    let verification = tx.verify().await?;
    tx.commit().await?;
    Ok(Json(match verification {
        ChainVerification::Intact { entries } => {
            AuditVerification { intact: true, entries: Some(entries), first_broken_seq: None, break_kind: None }
        }
        ChainVerification::Broken { seq, kind } => AuditVerification {
            intact: false,
            entries: None,
            first_broken_seq: Some(seq),
            break_kind: Some(kind.as_str()),
        },
    }))
}
