//! The yacht's audit trail: who changed what, before and after, and whether the chain is intact.

use axum::Json;
use pms_domain::ids::UserId;
use pms_domain::maintenance::audit::{AuditFilter, AuditTrail as _, ChainVerification, EntityKind, require_view};
use pms_domain::maintenance::paging::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

pub use crate::dto::audit::*;
use crate::error::ApiError;
use crate::extract::TenantCtx;
use crate::http::cursor::Paging;
use crate::http::dates::DateTimeUtc;
use crate::http::query::ApiQuery;
use crate::validation::Validation;

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
