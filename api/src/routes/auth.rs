//! Sign-in, token refresh, sign-out and the caller's own profile.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use pms_domain::auth::{LoginError, RefreshError, Session};
use pms_domain::directory::{Directory as _, MembershipSummary, UserProfile, YachtStatus};
use pms_domain::identity::{Email, MembershipStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{ApiError, ErrorCode, Problem};
use crate::extract::{AuthUser, ClientMeta};
use crate::http::json::ApiJson;
use crate::state::AppState;
use crate::validation::Validation;

/// Longest password we will spend a hash on.
const MAX_PASSWORD_BYTES: usize = 1024;

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "chief@aurora.demo", "password": "correct horse battery"}))]
pub struct LoginRequest {
    /// The account's email address (case does not matter).
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    #[schema(min_length = 1, max_length = 1024, format = Password)]
    pub password: String,
}

/// A refresh token, as returned by login or a previous refresh.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(min_length = 1, max_length = 256)]
    pub refresh_token: String,
}

impl RefreshRequest {
    /// The schema's bounds, so a request outside them is refused as the spec says.
    fn validate(&self) -> Result<&str, ApiError> {
        match self.refresh_token.chars().count() {
            0 => Err(ApiError::field("refresh_token", "required", "give the refresh token".to_owned())),
            1..=256 => Ok(&self.refresh_token),
            _ => Err(ApiError::field("refresh_token", "too_long", "at most 256 characters".to_owned())),
        }
    }
}

/// A signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    /// May provision and suspend yachts.
    pub is_platform_admin: bool,
}

/// A yacht the user is an active member of.
#[derive(Debug, Serialize, ToSchema)]
pub struct MembershipView {
    pub yacht_id: Uuid,
    pub yacht_name: String,
    /// One of `crew`, `engineer`, `eto`, `chief_engineer`, `chief_officer`, `captain`, `manager`, `admin`.
    #[schema(example = "chief_engineer")]
    pub role: String,
}

/// Tokens for a signed-in session, with who it belongs to.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9…",
    "refresh_token": "q3Yb2m0n…",
    "token_type": "Bearer",
    "expires_in": 900,
    "user": {"id": "0193a5f2-8c1e-7d3a-9b7e-2f4c1d0e5a6b", "email": "chief@aurora.demo", "display_name": "Chief Engineer", "is_platform_admin": false},
    "memberships": [{"yacht_id": "0193a5f2-0000-7000-8000-000000000001", "yacht_name": "M/Y Aurora", "role": "chief_engineer"}]
}))]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Exchange at `/v1/auth/refresh` for a new pair; usable once.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

/// The caller and their yachts.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserView,
    pub memberships: Vec<MembershipView>,
}

impl From<UserProfile> for UserView {
    fn from(p: UserProfile) -> Self {
        Self {
            id: p.id.as_uuid(),
            email: p.email.to_string(),
            display_name: p.display_name,
            is_platform_admin: p.is_platform_admin,
        }
    }
}

/// Only memberships that grant access: active, on an active yacht.
fn usable(memberships: Vec<MembershipSummary>) -> Vec<MembershipView> {
    memberships
        .into_iter()
        .filter(|m| m.status == MembershipStatus::Active && m.yacht_status == YachtStatus::Active)
        .map(|m| MembershipView { yacht_id: m.yacht_id.as_uuid(), yacht_name: m.yacht_name, role: m.role.to_string() })
        .collect()
}

async fn who(state: &AppState, user: pms_domain::ids::UserId) -> Result<(UserView, Vec<MembershipView>), ApiError> {
    let profile = state
        .directory
        .profile(user)
        .await?
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("signed-in user {user} vanished")))?;
    Ok((profile.into(), usable(state.directory.memberships(user).await?)))
}

/// Shapes a session for the client.
pub async fn token_response(state: &AppState, session: Session) -> Result<TokenResponse, ApiError> {
    let (user, memberships) = who(state, session.user_id).await?;
    Ok(TokenResponse {
        access_token: session.access_token,
        refresh_token: session.refresh_token,
        token_type: "Bearer",
        expires_in: session.expires_in.as_secs(),
        user,
        memberships,
    })
}

/// Whole seconds, rounded up so a client that waits `Retry-After` is never early.
fn ceil_secs(duration: std::time::Duration) -> u32 {
    let secs = duration.as_secs() + u64::from(duration.subsec_nanos() > 0);
    u32::try_from(secs).unwrap_or(u32::MAX)
}

/// 429 `too_many_attempts` for an address locked by failed sign-ins.
pub(super) fn too_many_attempts(retry_after: std::time::Duration) -> ApiError {
    ApiError::new(ErrorCode::TooManyAttempts, "Too many failed attempts for this email; wait before trying again.")
        .with_retry_after(ceil_secs(retry_after))
}

/// Sign in with email and password.
///
/// Failures are uniform: a wrong password and an unknown email both answer 401
/// `invalid_credentials`. After five failures for one address, further attempts are refused
/// with 429 and `Retry-After` for a period that doubles each time (up to 15 minutes).
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = OK, description = "Signed in.", body = TokenResponse),
        (status = UNAUTHORIZED, description = "`invalid_credentials`.", body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, description = "`account_disabled` (only said to someone who knows the password).", body = Problem, content_type = "application/problem+json"),
        (status = TOO_MANY_REQUESTS, description = "`too_many_attempts`; retry after `Retry-After` seconds.", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is accepted."))),
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let mut validation = Validation::default();
    let email = validation.check("email", "invalid_format", Email::parse(&body.email));
    validation.require(!body.password.is_empty(), "password", "required", "must not be empty");
    validation.require(body.password.len() <= MAX_PASSWORD_BYTES, "password", "too_long", "must be at most 1024 bytes");
    validation.finish()?;
    let email = email.expect("validated above");
    let session = state.auth.login(&email, &body.password, crate::clock::now(), &meta).await.map_err(|e| match e {
        LoginError::InvalidCredentials => {
            ApiError::new(ErrorCode::InvalidCredentials, "The email or password is wrong.")
        }
        LoginError::AccountDisabled => {
            ApiError::new(ErrorCode::AccountDisabled, "This account is disabled; contact your yacht's admin.")
        }
        LoginError::Throttled { retry_after } => too_many_attempts(retry_after),
        LoginError::Store(e) => e.into(),
    })?;
    Ok(Json(token_response(&state, session).await?))
}

/// Exchange a refresh token for a new access and refresh token.
///
/// Each refresh token works once. Presenting one that was already used revokes every token of
/// its family (every device that descends from the same sign-in) and answers
/// `refresh_token_reused`.
#[utoipa::path(
    post,
    path = "/v1/auth/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = OK, description = "A new token pair.", body = TokenResponse),
        (status = UNAUTHORIZED, description = "`invalid_refresh_token` or `refresh_token_reused`.", body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, description = "`validation_failed`: the token is empty or longer than 256 characters.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let session = state.auth.refresh(body.validate()?, crate::clock::now(), &meta).await.map_err(|e| match e {
        RefreshError::InvalidToken => ApiError::new(
            ErrorCode::InvalidRefreshToken,
            "The refresh token is invalid, expired or revoked; sign in again.",
        ),
        RefreshError::ReuseDetected => ApiError::new(
            ErrorCode::RefreshTokenReused,
            "This refresh token was already used; all sessions from that sign-in are revoked. Sign in again.",
        ),
        RefreshError::Store(e) => e.into(),
    })?;
    Ok(Json(token_response(&state, session).await?))
}

/// Sign out: revoke the refresh token and every token of its family.
///
/// Idempotent: an unknown or already revoked token also answers 204. Access tokens already
/// issued stay valid until they expire (at most 15 minutes).
#[utoipa::path(
    post,
    path = "/v1/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = NO_CONTENT, description = "Signed out."),
        (status = UNPROCESSABLE_ENTITY, description = "`validation_failed`: the token is empty or longer than 256 characters.", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn logout(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    state.auth.logout(body.validate()?, &meta).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's profile and the yachts they can work on.
#[utoipa::path(
    get,
    path = "/v1/auth/me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = OK, description = "The signed-in user.", body = MeResponse),
    ),
)]
pub async fn me(State(state): State<AppState>, user: AuthUser) -> Result<Json<MeResponse>, ApiError> {
    let (user, memberships) = who(&state, user.id).await?;
    Ok(Json(MeResponse { user, memberships }))
}
