//! Extractors for who is calling: the bearer token's user and where the request came from.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use pms_domain::auth::{RequestMeta, UserStatus};
use pms_domain::directory::Directory as _;
use pms_domain::identity::Email;
use pms_domain::ids::UserId;

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
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| unauthorized("Use the Bearer scheme."))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(unauthorized("Use the Bearer scheme."));
    }
    Ok(token.trim())
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        const REFUSED: &str = "The access token is invalid or expired; sign in or refresh.";
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
        let profile = state.directory.profile(user).await?;
        let profile = profile
            .filter(|p| p.status == UserStatus::Active)
            .ok_or_else(|| unauthorized(REFUSED))?;
        tracing::Span::current().record("user_id", tracing::field::display(user));
        Ok(Self {
            id: user,
            is_platform_admin: profile.is_platform_admin,
        })
    }
}

/// Where the request came from, for the auth event log.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(RequestMeta {
            ip: parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
            user_agent: parts
                .headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: parts
                .extensions
                .get::<RequestId>()
                .map(|id| id.as_str().to_owned()),
        }))
    }
}
