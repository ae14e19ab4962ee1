//! Signing in, rotating refresh tokens and signing out: the rules, with storage, hashing and
//! token minting behind ports.

use std::net::IpAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::identity::Email;
use crate::ids::UserId;
use crate::store::StoreError;

pub type Timestamp = DateTime<Utc>;

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    /// Created by an invitation that has not been accepted yet: no password.
    Invited,
    Active,
    Disabled,
}

impl UserStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Active => "active",
            Self::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Invited, Self::Active, Self::Disabled].into_iter().find(|s| s.as_str() == raw)
    }
}

/// What sign-in needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user_id: UserId,
    pub password_hash: Option<String>,
    pub status: UserStatus,
}

/// Failed sign-ins recorded for one email address. Its times are the store's: instances whose
/// clocks differ must still agree on when a lock ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Consecutive failures within the store's counting window.
    pub failures: u32,
    /// How much longer the address is locked, if it is.
    pub locked_for: Option<Duration>,
}

/// How failed sign-ins slow an attacker down: a few free attempts, then locks that double.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    pub free_attempts: u32,
    pub first_lock: Duration,
    pub max_lock: Duration,
}

impl ThrottlePolicy {
    pub const DEFAULT: Self =
        Self { free_attempts: 5, first_lock: Duration::from_secs(30), max_lock: Duration::from_secs(15 * 60) };

    /// How long to lock after the `failures`-th consecutive failure, if at all.
    pub fn lock_after(&self, failures: u32) -> Option<Duration> {
        let over = failures.checked_sub(self.free_attempts)?;
        let factor = 2u32.saturating_pow(over.min(16));
        Some(self.first_lock.saturating_mul(factor).min(self.max_lock))
    }
}

/// Where a request came from, for the auth event log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
    pub request_id: Option<String>,
}

/// A refresh token about to be stored: only its hash is kept.
#[derive(Debug, Clone)]
pub struct NewRefreshToken {
    pub hash: [u8; 32],
    pub expires_at: Timestamp,
}

/// What happened when a refresh token was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now rotated and the replacement stored in its family.
    Rotated { user_id: UserId },
    /// The token had already been rotated: its whole family is now revoked.
    ReuseDetected { user_id: UserId },
    /// Unknown, expired, revoked, or the account is not active.
    Invalid,
}

/// Why a refresh token is being revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    Logout,
}

/// Storage of accounts, throttles, refresh tokens and auth events. Each method is one atomic
/// change together with its auth event.
pub trait AuthStore: Send + Sync {
    fn throttle(&self, email: &Email) -> impl Future<Output = Result<Option<Throttle>, StoreError>> + Send;

    fn credentials(&self, email: &Email) -> impl Future<Output = Result<Option<Credentials>, StoreError>> + Send;

    /// Records a failed attempt for `email` and, when given, locks it for `lock` from now.
    fn record_failure(
        &self,
        email: &Email,
        user: Option<UserId>,
        lock: Option<Duration>,
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Records an attempt refused because `email` is locked.
    fn record_throttled(
        &self,
        email: &Email,
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Clears the throttle, stamps the login and stores the first refresh token of a new family.
    fn start_session(
        &self,
        email: &Email,
        user: UserId,
        refresh: NewRefreshToken,
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Rotates the token whose hash is `presented`, detecting reuse (see [`Rotation`]).
    fn rotate_refresh(
        &self,
        presented: [u8; 32],
        replacement: NewRefreshToken,
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<Rotation, StoreError>> + Send;

    /// Revokes the family of the token whose hash is `presented`; unknown tokens are ignored.
    fn revoke_family(
        &self,
        presented: [u8; 32],
        reason: RevokeReason,
        meta: &RequestMeta,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Checks passwords against stored hashes.
pub trait PasswordVerifier: Send + Sync {
    /// Verifies `password` against `hash`; with no hash, spends the same effort and says no, so
    /// response times do not reveal which accounts exist.
    fn verify(&self, password: &str, hash: Option<&str>) -> impl Future<Output = bool> + Send;
}

/// Hashes new passwords.
pub trait PasswordHasher: Send + Sync {
    fn hash(&self, password: &str) -> impl Future<Output = Result<String, StoreError>> + Send;
}

/// Mints access and refresh tokens.
pub trait TokenMinter: Send + Sync {
    /// A signed access token for `user` and its lifetime.
    fn access_token(&self, user: UserId, now: Timestamp) -> Result<(String, Duration), StoreError>;
    /// A new random refresh token and its hash.
    fn refresh_token(&self) -> (String, [u8; 32]);
    /// The hash under which a presented refresh token would be stored.
    fn hash_refresh_token(&self, token: &str) -> [u8; 32];
}

/// Tokens handed to a client that signed in.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub access_token: String,
    pub expires_in: Duration,
    pub refresh_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Wrong email or password; deliberately does not say which.
    #[error("invalid email or password")]
    InvalidCredentials,
    #[error("too many failed attempts; retry in {retry_after:?}")]
    Throttled { retry_after: Duration },
    #[error("the account is disabled")]
    AccountDisabled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error("the refresh token is invalid, expired or revoked")]
    InvalidToken,
    #[error("the refresh token was already used; every session of its family is revoked")]
    ReuseDetected,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The sign-in use cases.
#[derive(Debug, Clone)]
pub struct AuthService<S, P, T> {
    store: S,
    passwords: P,
    tokens: T,
    policy: ThrottlePolicy,
    refresh_ttl: Duration,
}

impl<S: AuthStore, P: PasswordVerifier, T: TokenMinter> AuthService<S, P, T> {
    pub fn new(store: S, passwords: P, tokens: T, policy: ThrottlePolicy, refresh_ttl: Duration) -> Self {
        Self { store, passwords, tokens, policy, refresh_ttl }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// Signs in with email and password.
    pub async fn login(
        &self,
        email: &Email,
        password: &str,
        now: Timestamp,
        meta: &RequestMeta,
    ) -> Result<Session, LoginError> {
        let account = self.authenticate(email, password, meta).await?;
        match account.status {
            UserStatus::Active => {}
            UserStatus::Disabled => return Err(LoginError::AccountDisabled),
            UserStatus::Invited => return Err(LoginError::InvalidCredentials),
        }
        Ok(self.issue_session(email, account.user_id, now, meta).await?)
    }

    /// Checks the password of the account of `email` as every sign-in does: refused while the
    /// address is locked, a wrong password (or an unknown email) counted towards the lock, both
    /// in the auth event log. Whether the account may sign in is the caller's to judge.
    pub async fn authenticate(
        &self,
        email: &Email,
        password: &str,
        meta: &RequestMeta,
    ) -> Result<Credentials, LoginError> {
        let throttle = self.store.throttle(email).await?;
        if let Some(locked_for) = throttle.and_then(|t| t.locked_for) {
            self.store.record_throttled(email, meta).await?;
            return Err(LoginError::Throttled { retry_after: locked_for.max(Duration::from_secs(1)) });
        }
        let account = self.store.credentials(email).await?;
        let hash = account.as_ref().and_then(|a| a.password_hash.as_deref());
        if !self.passwords.verify(password, hash).await {
            let failures = throttle.map_or(0, |t| t.failures) + 1;
            let lock = self.policy.lock_after(failures);
            self.store.record_failure(email, account.map(|a| a.user_id), lock, meta).await?;
            return Err(LoginError::InvalidCredentials);
        }
        account.ok_or(LoginError::InvalidCredentials)
    }

    /// Starts a session for a user whose identity was proven another way (an accepted invitation).
    pub async fn issue_session(
        &self,
        email: &Email,
        user: UserId,
        now: Timestamp,
        meta: &RequestMeta,
    ) -> Result<Session, StoreError> {
        let (refresh_token, hash) = self.tokens.refresh_token();
        let refresh = NewRefreshToken { hash, expires_at: self.refresh_expiry(now) };
        self.store.start_session(email, user, refresh, meta).await?;
        let (access_token, expires_in) = self.tokens.access_token(user, now)?;
        Ok(Session { user_id: user, access_token, expires_in, refresh_token })
    }

    /// Exchanges a refresh token for a new pair; the presented token can never be used again.
    pub async fn refresh(&self, presented: &str, now: Timestamp, meta: &RequestMeta) -> Result<Session, RefreshError> {
        let (refresh_token, hash) = self.tokens.refresh_token();
        let replacement = NewRefreshToken { hash, expires_at: self.refresh_expiry(now) };
        match self.store.rotate_refresh(self.tokens.hash_refresh_token(presented), replacement, meta).await? {
            Rotation::Rotated { user_id } => {
                let (access_token, expires_in) = self.tokens.access_token(user_id, now)?;
                Ok(Session { user_id, access_token, expires_in, refresh_token })
            }
            Rotation::ReuseDetected { .. } => Err(RefreshError::ReuseDetected),
            Rotation::Invalid => Err(RefreshError::InvalidToken),
        }
    }

    /// Ends the session a refresh token belongs to (its whole family).
    pub async fn logout(&self, presented: &str, meta: &RequestMeta) -> Result<(), StoreError> {
        self.store.revoke_family(self.tokens.hash_refresh_token(presented), RevokeReason::Logout, meta).await
    }

    fn refresh_expiry(&self, now: Timestamp) -> Timestamp {
        now + chrono::Duration::from_std(self.refresh_ttl).unwrap_or(chrono::Duration::days(30))
    }
}

#[cfg(test)]
mod tests;
