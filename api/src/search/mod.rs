//! The search bar: detection (local rules, or a language model checked against them), entity
//! resolution, prefilled payloads, full-text search over the yacht's records, and the search
//! log with the user's feedback.

mod cache;
pub mod catalogues;
pub mod command;
pub mod detector;
pub mod feedback;
pub mod mentions;
mod prefill;
mod resolve;

use std::time::Instant;

use axum::Json;
use axum::extract::State;
use pms_domain::actions::{self, ActionName};
use pms_domain::catalogue::Hit;
use pms_domain::catalogue::people::{Person, people};
use pms_domain::detect::{Candidate, Detection, MentionKind, redact, slots};
use pms_domain::identity::MembershipStatus;
use pms_domain::ids::YachtId;
use pms_domain::members::MemberStore as _;
use pms_infra::tenant::search_log::{self, SearchRecord};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use self::mentions::MentionView;
use self::resolve::EntityView;
use crate::error::{ApiError, Problem};
use crate::extract::{AuthUser, TenantCtx};
use crate::http::json::ApiJson;
use crate::state::AppState;

/// Longest query accepted, in characters (a pasted log still gets an answer, without action).
const MAX_QUERY_CHARS: usize = 4000;

/// What the user typed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    /// 1 to 4000 characters, not only spaces.
    #[schema(min_length = 1, max_length = 4000, pattern = r"^[^\x00]*\S[^\x00]*$")]
    pub query: String,
    /// Ranked records to return: 1 to 50 (default 10).
    #[schema(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
    /// For `POST /search`: the yacht, when the caller belongs to several.
    pub yacht_id: Option<Uuid>,
}

impl SearchRequest {
    fn validate(&self) -> Result<usize, ApiError> {
        if self.query.trim().is_empty() {
            return Err(ApiError::field("query", "required", "type something to search for".to_owned()));
        }
        if self.query.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::field("query", "too_long", format!("at most {MAX_QUERY_CHARS} characters")));
        }
        match self.limit.unwrap_or(10) {
            limit @ 1..=50 => Ok(limit as usize),
            _ => Err(ApiError::field("limit", "out_of_range", "must be 1 to 50".to_owned())),
        }
    }
}

/// An action the query may mean.
#[derive(Debug, Serialize, ToSchema)]
pub struct DetectedAction {
    pub action: &'static str,
    pub label: &'static str,
    /// 0 to 1.
    pub confidence: f32,
    /// `read_only`, `mutation_light` or `mutation_heavy`.
    pub side_effect: &'static str,
    /// Whether the caller's role may run it.
    pub allowed: bool,
    /// The payload as far as the query fills it, ready for `…/actions/execute`.
    #[schema(value_type = Object)]
    pub prefill: Map<String, Value>,
    /// Required payload fields the query did not fill.
    pub missing_fields: Vec<String>,
}

/// A record the query's words found.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    /// `equipment`, `fault`, `work_order` or `part`.
    pub entity_type: &'static str,
    pub id: Uuid,
    pub title: String,
    pub score: f64,
    /// The actions the caller may run on it in its current state.
    pub actions: Vec<&'static str>,
}

/// Where the time went, in milliseconds.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timings {
    pub detect: f64,
    pub resolve: f64,
    pub search: f64,
    pub total: f64,
}

/// What the search bar makes of a query.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// This search in the search log: send the user's verdict to `…/search/{search_id}/feedback`.
    pub search_id: Uuid,
    pub query: String,
    /// Which detector answered: `local` (the rules), `llm` (the model), `cache` (the model's
    /// earlier answer to the same query) or `fallback` (the model failed; the rules answered).
    pub detector: &'static str,
    /// Best first; empty when the query asks for nothing this product does.
    pub actions: Vec<DetectedAction>,
    /// Records the query names (several for one span when it is ambiguous).
    pub entities: Vec<EntityView>,
    /// Everything the detector read in the query.
    pub mentions: Vec<MentionView>,
    pub results: Vec<SearchResult>,
    pub timing_ms: Timings,
}

fn millis(since: Instant) -> f64 {
    (since.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

async fn search(state: &AppState, ctx: &TenantCtx, request: &SearchRequest) -> Result<SearchResponse, ApiError> {
    let limit = request.validate()?;
    let started = Instant::now();
    let (mut detection, source) = state.detector.detect(&request.query, ctx.role).await;
    let detect_ms = millis(started);
    let resolving = Instant::now();
    let mut tx = ctx.store.begin().await?;
    let catalogue = state.catalogues.current(&mut tx).await?;
    catalogue.retarget_note(&request.query, &mut detection);
    catalogue.propose_by_make(&mut detection);
    let resolved = resolve::resolve(&catalogue, &detection, detection.top().map(|c| c.action));
    let resolve_ms = millis(resolving);
    let searching = Instant::now();
    let results =
        catalogue.records_matching(&detection.terms, limit).into_iter().map(|hit| result(ctx, &hit)).collect();
    let search_ms = millis(searching);
    let assignee = assignee(state, ctx, &detection).await?;
    let today = chrono::Utc::now().date_naive();
    let requests = own_words(&request.query, &detection.candidates);
    let actions: Vec<DetectedAction> = detection
        .candidates
        .iter()
        .zip(&requests)
        .map(|(candidate, own)| {
            let spec = candidate.action;
            // One request of several: its own words fill the text and numbers, the line's
            // records the ids ("create a WO for the bilge pump and add it to handover").
            let (query, words) = own.as_ref().map_or((request.query.as_str(), &detection), |(t, d)| (t.as_str(), d));
            let sources = prefill::Sources {
                query,
                detection: words,
                resolved: &resolved,
                slots: slots::slots(query, today),
                caller: ctx.user,
                assignee,
            };
            let (prefill, missing_fields) = prefill::prefill(spec, &sources);
            DetectedAction {
                action: spec.name.as_str(),
                label: spec.label,
                confidence: (candidate.confidence * 100.0).round() / 100.0,
                side_effect: spec.side_effect.as_str(),
                allowed: spec.allowed_for(ctx.role),
                prefill,
                missing_fields,
            }
        })
        .collect();
    let search_id = Uuid::now_v7();
    log_search(&mut tx, ctx, search_id, &request.query, source.as_str(), &actions, started).await?;
    tx.commit().await?;
    Ok(SearchResponse {
        search_id,
        query: request.query.clone(),
        detector: source.as_str(),
        actions,
        entities: resolved.entities,
        mentions: detection.mentions.iter().map(MentionView::from).collect(),
        results,
        timing_ms: Timings { detect: detect_ms, resolve: resolve_ms, search: search_ms, total: millis(started) },
    })
}

/// For each candidate that answers one request of several, that request's words and what the
/// detector finds in them alone. A request with no words of its own for a text field ("and add
/// it to handover") takes the first request's: it is about the same thing.
fn own_words(query: &str, candidates: &[Candidate]) -> Vec<Option<(String, Detection)>> {
    let mut own: Vec<Option<(String, Detection)>> = candidates
        .iter()
        .map(|candidate| {
            let span = candidate.request?;
            let text: String = query.chars().skip(span.start).take(span.end - span.start).collect();
            let detection = pms_domain::detect::detect(&text);
            Some((text, detection))
        })
        .collect();
    let subject = own.iter().flatten().find_map(|(_, d)| d.mention(MentionKind::Text).cloned());
    if let Some(subject) = subject {
        for (_, detection) in own.iter_mut().flatten() {
            if detection.mention(MentionKind::Text).is_none() {
                detection.mentions.push(subject.clone());
            }
        }
    }
    own
}

/// The member a query hands work to, when it proposes assigning work and names one active
/// member unambiguously (the yacht's members come from the master database, so only then).
async fn assignee(state: &AppState, ctx: &TenantCtx, detection: &Detection) -> Result<Option<Uuid>, ApiError> {
    let Some(person) = detection.mention(MentionKind::Person) else { return Ok(None) };
    if !detection.candidates.iter().any(|c| c.action.name == ActionName::AssignWorkOrder) {
        return Ok(None);
    }
    let members: Vec<Person> = state
        .members
        .members(ctx.yacht)
        .await?
        .into_iter()
        .filter(|m| m.status == MembershipStatus::Active)
        .map(|m| Person { user: m.user_id, display_name: m.display_name, role: m.role })
        .collect();
    match people(&person.value, ctx.user, &members).as_slice() {
        [one] => Ok(Some(one.user.as_uuid())),
        _ => Ok(None),
    }
}

/// Keeps the search, redacted, for the learning loop.
async fn log_search(
    tx: &mut pms_infra::tenant::tx::TenantTx,
    ctx: &TenantCtx,
    id: Uuid,
    query: &str,
    detector: &str,
    actions: &[DetectedAction],
    started: Instant,
) -> Result<(), ApiError> {
    let redacted = redact(query);
    let record = SearchRecord {
        id,
        user: ctx.user,
        role: ctx.role.as_str(),
        query: &redacted,
        detector,
        proposed: actions.first().map(|a| (a.action, a.confidence.clamp(0.0, 1.0))),
        alternatives: actions.iter().skip(1).map(|a| a.action).collect(),
        latency_us: i64::try_from(started.elapsed().as_micros()).unwrap_or(i64::MAX),
    };
    search_log::record(tx, &record).await?;
    Ok(())
}

fn result(ctx: &TenantCtx, hit: &Hit<'_>) -> SearchResult {
    let record = hit.record;
    SearchResult {
        entity_type: record.entity.as_str(),
        id: record.id,
        title: hit.title.clone(),
        score: (hit.score * 1000.0).round() / 1000.0,
        actions: actions::offered_for(ctx.role, record.entity, record.state).map(|spec| spec.name.as_str()).collect(),
    }
}

/// Search the yacht: the micro-actions the query may mean, with payloads prefilled from the
/// records it names, those records, and the yacht's records matching its words.
///
/// Nothing is executed: run a proposed action with `POST …/actions/execute`.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/search",
    tag = "search",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    request_body = SearchRequest,
    responses((status = OK, description = "Detected actions, resolved entities and ranked records.", body = SearchResponse)),
)]
pub async fn search_yacht(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiJson(request): ApiJson<SearchRequest>,
) -> Result<Json<SearchResponse>, ApiError> {
    if request.yacht_id.is_some_and(|y| y != ctx.yacht.as_uuid()) {
        return Err(ApiError::field("yacht_id", "mismatch", "must be the yacht in the path, or omitted".to_owned()));
    }
    Ok(Json(search(&state, &ctx, &request).await?))
}

/// Search the yacht in `yacht_id`, or the caller's only yacht (the earlier product's route).
#[utoipa::path(
    post,
    path = "/search",
    tag = "search",
    security(("bearer" = [])),
    request_body = SearchRequest,
    responses(
        (status = OK, description = "Detected actions, resolved entities and ranked records.", body = SearchResponse),
        (status = FORBIDDEN, description = "`yacht_suspended` or `membership_inactive`.", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "`not_found`: `yacht_id` is not a yacht of yours.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn search_anywhere(
    State(state): State<AppState>,
    user: AuthUser,
    ApiJson(request): ApiJson<SearchRequest>,
) -> Result<Json<SearchResponse>, ApiError> {
    let yacht = match request.yacht_id {
        Some(yacht) => YachtId::from_uuid(yacht),
        None => crate::actions::only_yacht(&state, user, "yacht_id").await?,
    };
    let ctx = TenantCtx::resolve(&state, user.id, yacht).await?;
    Ok(Json(search(&state, &ctx, &request).await?))
}
