//! Extractors for who is calling: the bearer token's user and where the request came from.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, RawPathParams};
use axum::http::header;
use axum::http::request::Parts;
use pms_domain::auth::{RequestMeta, UserStatus};
use pms_domain::directory::{Directory as _, YachtAccess, YachtStatus};
use pms_domain::identity::{Email, MembershipStatus, Role};
use pms_domain::ids::{UserId, YachtId};
use pms_infra::tenant::router::TenantLocation;
use pms_infra::tenant::store::TenantStore;

use crate::error::{ApiError, ErrorCode};
use crate::http::request_id::RequestId;
use crate::state::AppState;

/// The signed-in user behind the request's bearer token (ours, or Supabase's when configured).
#[derive(Debug, Clone, Copy)]
pub struct AuthUser {
    pub id: UserId,
    pub is_platform_admin: bool,
}

fn unauthorized(detail: &'static str) -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, detail)
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("Send `Authorization: Bearer <access token>`."))?
        .to_str()
        .map_err(|_| unauthorized("The Authorization header is not valid text."))?;
    let (scheme, token) = value.split_once(' ').ok_or_else(|| unauthorized("Use the Bearer scheme."))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthorized("Use the Bearer scheme."));
    }
    Ok(token.trim())
}

const REFUSED: &str = "The access token is invalid or expired; sign in or refresh.";

/// The user the bearer token names (ours, or a linked Supabase identity), within their rate
/// limit; whether the account is still active is for the caller to check.
async fn token_user(parts: &Parts, state: &AppState) -> Result<UserId, ApiError> {
    let token = bearer_token(parts)?;
    let user = match (state.tokens.verify_access(token), &state.supabase) {
        (Ok(user), _) => user,
        (Err(_), Some(supabase)) => {
            let identity = supabase.verify(token).map_err(|_| unauthorized(REFUSED))?;
            let email = identity.email.as_deref().and_then(|e| Email::parse(e).ok());
            state
                .directory
                .link_external(&identity.subject, email.as_ref())
                .await?
                .ok_or_else(|| unauthorized("No account is linked to this identity."))?
        }
        (Err(_), None) => return Err(unauthorized(REFUSED)),
    };
    state.rate_limits.check_user(user.as_uuid()).await?;
    tracing::Span::current().record("user_id", tracing::field::display(user));
    Ok(user)
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = token_user(parts, state).await?;
        let profile = state.directory.profile(user).await?;
        let profile = profile.filter(|p| p.status == UserStatus::Active).ok_or_else(|| unauthorized(REFUSED))?;
        Ok(Self { id: user, is_platform_admin: profile.is_platform_admin })
    }
}

/// Where the request came from, for the auth event log.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(RequestMeta {
            ip: parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()),
            user_agent: parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
            request_id: parts.extensions.get::<RequestId>().map(|id| id.as_str().to_owned()),
        }))
    }
}

/// A platform administrator (provisions and suspends yachts).
#[derive(Debug, Clone, Copy)]
pub struct PlatformAdmin(pub AuthUser);

impl FromRequestParts<AppState> for PlatformAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        if user.is_platform_admin {
            Ok(Self(user))
        } else {
            Err(ApiError::new(ErrorCode::Forbidden, "Only platform administrators may do this."))
        }
    }
}

/// The caller acting on the yacht named by the path's `{yacht_id}`: an active member of an
/// active yacht, with their role and a store confined to that yacht's data.
#[derive(Debug, Clone)]
pub struct TenantCtx {
    pub yacht: YachtId,
    pub user: UserId,
    pub role: Role,
    pub store: TenantStore,
}

impl TenantCtx {
    /// The caller as the domain sees them, with this request's id for the audit trail.
    pub fn actor(&self) -> pms_domain::maintenance::Actor {
        pms_domain::maintenance::Actor {
            user: self.user,
            role: self.role,
            request_id: crate::http::request_id::current_request_id(),
        }
    }
}

pub(crate) fn no_such_yacht() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "No yacht with this id is available to you.")
}

impl TenantCtx {
    /// `user` acting on `yacht`: 404 unless they are a member, 403 while the yacht or their
    /// membership is suspended.
    pub async fn resolve(state: &AppState, user: UserId, yacht: YachtId) -> Result<Self, ApiError> {
        let access = state.directory.access(user, yacht).await?;
        Self::with_access(state, user, yacht, access)
    }

    fn with_access(
        state: &AppState,
        user: UserId,
        yacht: YachtId,
        access: Option<YachtAccess>,
    ) -> Result<Self, ApiError> {
        let access = access.ok_or_else(no_such_yacht)?;
        if access.yacht_status != YachtStatus::Active {
            return Err(ApiError::new(ErrorCode::YachtSuspended, "This yacht is suspended."));
        }
        if access.membership_status != MembershipStatus::Active {
            return Err(ApiError::new(ErrorCode::MembershipInactive, "Your membership of this yacht is not active."));
        }
        tracing::Span::current().record("yacht_id", tracing::field::display(yacht));
        let location = TenantLocation { server: access.server, database: access.database };
        Ok(Self { yacht, user, role: access.role, store: TenantStore::new(state.router.clone(), location, yacht) })
    }
}

impl FromRequestParts<AppState> for TenantCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = token_user(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| no_such_yacht())?;
        crate::http::path::check_ids(&params)?;
        let yacht = params
            .iter()
            .find(|(name, _)| *name == "yacht_id")
            .and_then(|(_, value)| crate::http::path::strict_uuid(value))
            .map(YachtId::from_uuid)
            .ok_or_else(no_such_yacht)?;
        // The account's state and the membership in one read of the master database, or none
        // while nothing has changed since the last.
        let access = state.access.active_access(user, yacht).await?.ok_or_else(|| unauthorized(REFUSED))?;
        Self::with_access(state, user, yacht, access)
    }
}
