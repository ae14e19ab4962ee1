//! A yacht's members, managed by its captain, manager or admin; and accepting an invitation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use pms_domain::identity::{Email, Role};
use pms_domain::ids::UserId;
use pms_domain::members::{
    AcceptError, INVITATION_TTL, Inviter, Member, MemberError, NewInvitation, accept_invitation, change_member, invite,
    list_members,
};
use pms_domain::membership::{MemberChange, MemberRuleError};
use pms_domain::yacht::AuditContext;
use pms_infra::auth::tokens::{hash_token, one_time_token};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::auth::{TokenResponse, token_response};
use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{ClientMeta, TenantCtx};
use crate::http::json::ApiJson;
use crate::http::path::ApiPath;
use crate::http::request_id::current_request_id;
use crate::state::AppState;
use crate::validation::Validation;

const ROLES: &str = "crew, engineer, eto, chief_engineer, chief_officer, captain, manager or admin";

/// A member of the yacht.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    #[schema(example = "engineer")]
    pub role: &'static str,
    /// `invited` (not accepted yet), `active` or `suspended`.
    #[schema(example = "active")]
    pub status: &'static str,
    pub invited_by: Option<Uuid>,
    /// When the membership was created.
    pub since: DateTime<Utc>,
}

impl From<Member> for MemberView {
    fn from(m: Member) -> Self {
        Self {
            user_id: m.user_id.as_uuid(),
            email: m.email.to_string(),
            display_name: m.display_name,
            role: m.role.as_str(),
            status: m.status.as_str(),
            invited_by: m.invited_by.map(UserId::as_uuid),
            since: m.since,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<MemberView>,
}

/// Someone to invite.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "deckhand@aurora.demo", "role": "crew", "display_name": "Sam Deck"}))]
pub struct InviteRequest {
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// One of `crew`, `engineer`, `eto`, `chief_engineer`, `chief_officer`, `captain`, `manager`, `admin`;
    /// never above the inviter's own role.
    pub role: String,
    /// What the yacht calls the invitee until they accept; a new account starts with it, an
    /// existing account keeps its own. One line, not blank.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub display_name: Option<String>,
}

/// The invitation: hand `invite_token` to the invitee, who accepts it at `/v1/auth/accept-invite`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub member: MemberView,
    /// One-time token, shown only now.
    pub invite_token: String,
    pub expires_at: DateTime<Utc>,
}

/// A new role.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRoleRequest {
    #[schema(example = "chief_engineer")]
    pub role: String,
}

/// Accepting an invitation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInviteRequest {
    #[schema(min_length = 1, max_length = 256)]
    pub token: String,
    /// A new account's password (at least 12 characters), or an existing account's current one.
    #[schema(min_length = 1, max_length = 1024, format = Password)]
    pub password: String,
    /// A new account's display name (an existing account keeps its own). One line, not blank.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
    )]
    pub display_name: Option<String>,
}

/// Path of one member.
#[derive(Debug, Deserialize)]
pub struct MemberPath {
    #[allow(dead_code, reason = "read by TenantCtx")]
    yacht_id: Uuid,
    user_id: Uuid,
}

fn audit(ctx: &TenantCtx) -> AuditContext {
    AuditContext { actor: ctx.user, request_id: current_request_id() }
}

fn member_error(error: MemberError) -> ApiError {
    match error {
        MemberError::Rule(MemberRuleError::LastTenantAdmin) => {
            ApiError::new(ErrorCode::LastTenantAdmin, MemberRuleError::LastTenantAdmin.to_string())
        }
        MemberError::Rule(rule) => ApiError::new(ErrorCode::Forbidden, rule.to_string()),
        MemberError::NotFound => ApiError::new(ErrorCode::NotFound, "This user is not a member of the yacht."),
        MemberError::AlreadyMember => {
            ApiError::new(ErrorCode::Conflict, "This person is already a member of the yacht.")
        }
        MemberError::NotSuspended => ApiError::new(ErrorCode::InvalidStateTransition, error.to_string()),
        MemberError::Store(e) => e.into(),
    }
}

fn parse_role(v: &mut Validation, raw: &str) -> Option<Role> {
    v.check("role", "invalid", Role::parse(raw).ok_or_else(|| format!("must be one of {ROLES}")))
}

/// The yacht's members (tenant admins only).
#[utoipa::path(
    get,
    path = "/v1/yachts/{yacht_id}/members",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    responses(
        (status = OK, description = "Every member, in any state.", body = MemberList),
    ),
)]
pub async fn list(State(state): State<AppState>, ctx: TenantCtx) -> Result<Json<MemberList>, ApiError> {
    let members = list_members(&state.members, ctx.role, ctx.yacht).await.map_err(member_error)?;
    Ok(Json(MemberList { items: members.into_iter().map(Into::into).collect() }))
}

/// Invite someone by email with a role no higher than the caller's own.
///
/// Returns the one-time invite token (valid 7 days). Inviting someone who has a pending
/// invitation replaces it.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/members",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht.")),
    request_body = InviteRequest,
    responses(
        (status = CREATED, description = "Invited.", body = InvitationView),
        (status = CONFLICT, description = "`conflict`: already an active or suspended member.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_invitation(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiJson(body): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InvitationView>), ApiError> {
    let mut v = Validation::default();
    let email = v.check("email", "invalid_format", Email::parse(&body.email));
    let role = parse_role(&mut v, &body.role);
    let display_name = v.display_name("display_name", body.display_name.as_deref());
    v.finish()?;
    let (token, token_hash) = one_time_token();
    let expires_at = crate::clock::now() + chrono::Duration::from_std(INVITATION_TTL).unwrap_or_default();
    let invitation = NewInvitation {
        email: email.expect("validated"),
        display_name,
        role: role.expect("validated"),
        token_hash,
        expires_at,
    };
    let member = invite(&state.members, Inviter::Member(ctx.role), ctx.yacht, &invitation, &audit(&ctx))
        .await
        .map_err(member_error)?;
    Ok((StatusCode::CREATED, Json(InvitationView { member: member.into(), invite_token: token, expires_at })))
}

async fn apply(
    state: &AppState,
    ctx: &TenantCtx,
    user_id: Uuid,
    change: MemberChange,
) -> Result<Option<Member>, ApiError> {
    let changed = change_member(&state.members, ctx.role, ctx.yacht, UserId::from_uuid(user_id), change, &audit(ctx))
        .await
        .map_err(member_error)?;
    state.access.forget_all();
    Ok(changed)
}

fn changed(member: Option<Member>) -> Result<Json<MemberView>, ApiError> {
    member.map(|m| Json(m.into())).ok_or_else(|| ApiError::internal(anyhow::anyhow!("member vanished during a change")))
}

/// Change a member's role. Nobody grants a role above their own or changes a member who outranks
/// them; the yacht's last active captain, manager or admin cannot be demoted.
#[utoipa::path(
    patch,
    path = "/v1/yachts/{yacht_id}/members/{user_id}",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("user_id" = Uuid, Path, description = "The member.")),
    request_body = ChangeRoleRequest,
    responses(
        (status = OK, description = "The member with the new role.", body = MemberView),
        (status = CONFLICT, description = "`last_tenant_admin`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn change_role(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<MemberPath>,
    ApiJson(body): ApiJson<ChangeRoleRequest>,
) -> Result<Json<MemberView>, ApiError> {
    let mut v = Validation::default();
    let role = parse_role(&mut v, &body.role);
    v.finish()?;
    changed(apply(&state, &ctx, path.user_id, MemberChange::ChangeRole(role.expect("validated"))).await?)
}

/// Suspend a member: they keep their history but lose access to the yacht.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/members/{user_id}/suspend",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("user_id" = Uuid, Path, description = "The member.")),
    responses(
        (status = OK, description = "Suspended.", body = MemberView),
        (status = CONFLICT, description = "`last_tenant_admin`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn suspend(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<MemberPath>,
) -> Result<Json<MemberView>, ApiError> {
    changed(apply(&state, &ctx, path.user_id, MemberChange::Suspend).await?)
}

/// Reactivate a suspended member.
#[utoipa::path(
    post,
    path = "/v1/yachts/{yacht_id}/members/{user_id}/reactivate",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("user_id" = Uuid, Path, description = "The member.")),
    responses(
        (status = OK, description = "Active again.", body = MemberView),
        (status = CONFLICT, description = "`invalid_state_transition`: the membership is not suspended.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reactivate(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<MemberPath>,
) -> Result<Json<MemberView>, ApiError> {
    changed(apply(&state, &ctx, path.user_id, MemberChange::Reactivate).await?)
}

/// Remove a member from the yacht (their account remains).
#[utoipa::path(
    delete,
    path = "/v1/yachts/{yacht_id}/members/{user_id}",
    tag = "members",
    security(("bearer" = [])),
    params(("yacht_id" = Uuid, Path, description = "The yacht."), ("user_id" = Uuid, Path, description = "The member.")),
    responses(
        (status = NO_CONTENT, description = "Removed."),
        (status = CONFLICT, description = "`last_tenant_admin`.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn remove(
    State(state): State<AppState>,
    ctx: TenantCtx,
    ApiPath(path): ApiPath<MemberPath>,
) -> Result<StatusCode, ApiError> {
    apply(&state, &ctx, path.user_id, MemberChange::Remove).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Accept an invitation and sign in.
///
/// A new account sets its password (at least 12 characters); an account that already exists
/// gives its current password, so holding the token alone never grants an existing account.
/// That password is checked as at sign-in: failures count towards the same lock and are logged.
#[utoipa::path(
    post,
    path = "/v1/auth/accept-invite",
    tag = "auth",
    request_body = AcceptInviteRequest,
    responses(
        (status = OK, description = "Accepted and signed in.", body = TokenResponse),
        (status = UNAUTHORIZED, description = "`invalid_credentials`: wrong password for the existing account.", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`account_disabled`.", body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, description = "`not_found`: the invitation is unknown, used or expired.", body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, description = "`too_many_attempts`: the existing account's address is locked by failed sign-ins, as at `/v1/auth/login`; or `rate_limited`.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
    ),
)]
pub async fn accept(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ApiJson(body): ApiJson<AcceptInviteRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let mut v = Validation::default();
    let display_name = v.display_name("display_name", body.display_name.as_deref());
    v.finish()?;
    // An existing account proves itself exactly as at sign-in: same lock, same event log.
    let authenticate = |email: Email| {
        let (auth, password, meta) = (state.auth.clone(), body.password.clone(), meta.clone());
        async move { auth.authenticate(&email, &password, &meta).await.map(|_| ()) }
    };
    let (user, email) = accept_invitation(
        &state.members,
        &state.passwords,
        hash_token(&body.token),
        &body.password,
        display_name,
        authenticate,
    )
    .await
    .map_err(|e| match e {
        AcceptError::InvalidInvitation => {
            ApiError::new(ErrorCode::NotFound, "This invitation is unknown, already used or expired.")
        }
        AcceptError::WeakPassword(reason) => ApiError::field("password", "weak", reason.to_string()),
        AcceptError::WrongPassword => {
            ApiError::new(ErrorCode::InvalidCredentials, "Give the current password of the existing account.")
        }
        AcceptError::AccountDisabled => ApiError::new(ErrorCode::AccountDisabled, "This account is disabled."),
        AcceptError::Throttled { retry_after } => super::auth::too_many_attempts(retry_after),
        AcceptError::Store(e) => e.into(),
    })?;
    state.access.forget_all();
    let session = state.auth.issue_session(&email, user, crate::clock::now(), &meta).await?;
    Ok(Json(token_response(&state, session).await?))
}
