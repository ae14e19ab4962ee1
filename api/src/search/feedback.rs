//! The learning loop's other half: after a search, the client says which action the user
//! actually ran, or that the suggestion was wrong. Searches and verdicts together are the
//! labelled set `pipeline-core detect export` writes out for review.

use axum::Json;
use chrono::{DateTime, Utc};
use pms_domain::actions;
use pms_infra::tenant::search_log::{self, LabelledSearch, Verdict};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode};
use crate::extract::TenantCtx;
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;

/// What the user did about a search's suggestions.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackOutcome {
    /// They ran `action` (the one proposed or another).
    Ran,
    /// The suggestion was wrong; `action`, if given, is what they meant.
    Wrong,
}

/// The user's verdict on one of their searches. A later verdict replaces an earlier one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    pub outcome: FeedbackOutcome,
    /// A micro-action name; required with `ran`.
    pub action: Option<String>,
}

/// A search with the verdict recorded on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub search_id: Uuid,
    /// The query as it was logged: redacted.
    pub query: String,
    /// `local`, `llm`, `cache` or `fallback`.
    pub detector: String,
    /// What the search proposed first, if anything.
    pub proposed_action: Option<String>,
    pub outcome: FeedbackOutcome,
    pub action: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

impl FeedbackView {
    fn from_row(row: LabelledSearch, outcome: FeedbackOutcome) -> Self {
        Self {
            search_id: row.id,
            query: row.query,
            detector: row.detector,
            proposed_action: row.proposed_action,
            outcome,
            action: row.feedback_action,
            recorded_at: row.feedback_at,
        }
    }
}

impl FeedbackRequest {
    fn validate(&self) -> Result<Option<&'static str>, ApiError> {
        let action = match self.action.as_deref() {
            None => None,
            Some(name) => Some(actions::find(name).map(|spec| spec.name.as_str()).ok_or_else(|| {
                ApiError::field("action", "unknown_action", "not a micro-action; GET …/actions lists them".to_owned())
            })?),
        };
        if self.outcome == FeedbackOutcome::Ran && action.is_none() {
            return Err(ApiError::field("action", "required", "say which action was run".to_owned()));
        }
        Ok(action)
    }
}

/// Path of one search.
#[derive(Debug, Deserialize)]
pub struct SearchPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    search_id: Uuid,
}

/// Record what the user did after a search: the action they ran, or that the suggestion was
/// wrong. Only the user who searched can; a later verdict replaces an earlier one.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/search/{search_id}/feedback",
    tag = "search",
    security(("bearer" = [])),
    params(
        ("yacht_id" = Uuid, Path, description = "The yacht."),
        ("search_id" = Uuid, Path, description = "The `search_id` a search answered with."),
    ),
    request_body = FeedbackRequest,
    responses((status = OK, description = "The verdict is recorded.", body = FeedbackView)),
)]
pub async fn feedback(
    ctx: TenantCtx,
    ApiPath(path): ApiPath<SearchPath>,
    ApiJson(request): ApiJson<FeedbackRequest>,
) -> Result<Json<FeedbackView>, ApiError> {
    let action = request.validate()?;
    let verdict = match request.outcome {
        FeedbackOutcome::Ran => Verdict::Ran,
        FeedbackOutcome::Wrong => Verdict::Wrong,
    };
    let mut tx = ctx.store.begin().await?;
    let row = search_log::record_feedback(&mut tx, ctx.user, path.search_id, verdict, action)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "No search of yours with this id on this yacht."))?;
    tx.commit().await?;
    Ok(Json(FeedbackView::from_row(row, request.outcome)))
}
