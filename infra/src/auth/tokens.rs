//! Access tokens (HS256 JWTs with pinned algorithm, issuer and audience), opaque refresh
//! tokens, and verification of tokens issued by Supabase Auth.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use pms_domain::auth::{Timestamp, TokenMinter};
use pms_domain::ids::UserId;
use pms_domain::store::StoreError;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// Who issues our access tokens and who they are for.
pub const ISSUER: &str = "pipeline-core";
pub const AUDIENCE: &str = "pipeline-core";
/// The audience Supabase Auth puts in user tokens.
const SUPABASE_AUDIENCE: &str = "authenticated";
/// Clock skew tolerated between servers: a few seconds, so an expired token stops working at
/// once rather than up to half a minute later.
const LEEWAY_SECS: u64 = 5;

#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    sub: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// Why a bearer token was refused. Deliberately coarse: the client only learns "401".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token expired")]
    Expired,
    #[error("token invalid: {0}")]
    Invalid(String),
}

impl From<jsonwebtoken::errors::Error> for TokenError {
    fn from(e: jsonwebtoken::errors::Error) -> Self {
        match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => Self::Expired,
            _ => Self::Invalid(e.to_string()),
        }
    }
}

/// Mints and verifies our own tokens.
#[derive(Clone)]
pub struct JwtTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    access_ttl: Duration,
}

impl std::fmt::Debug for JwtTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtTokens").field("access_ttl", &self.access_ttl).finish_non_exhaustive()
    }
}

impl JwtTokens {
    pub fn new(secret: &[u8], access_ttl: Duration) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation: pinned_validation(Algorithm::HS256, ISSUER, AUDIENCE),
            access_ttl,
        }
    }

    /// The user an access token was issued to, if it is genuine and current.
    pub fn verify_access(&self, token: &str) -> Result<UserId, TokenError> {
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)?.claims;
        claims.sub.parse().map_err(|_| TokenError::Invalid("subject is not a user id".to_owned()))
    }
}

/// Validation that accepts exactly one algorithm and requires `exp`, `iss`, `aud` and `sub`.
fn pinned_validation(algorithm: Algorithm, issuer: &str, audience: &str) -> Validation {
    let mut validation = Validation::new(algorithm);
    validation.algorithms = vec![algorithm];
    validation.leeway = LEEWAY_SECS;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    validation
}

impl TokenMinter for JwtTokens {
    fn access_token(&self, user: UserId, now: Timestamp) -> Result<(String, Duration), StoreError> {
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = AccessClaims {
            sub: user.to_string(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: now.timestamp().saturating_add(ttl),
        };
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(StoreError::new)?;
        Ok((token, self.access_ttl))
    }

    fn refresh_token(&self) -> (String, [u8; 32]) {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let hash = self.hash_refresh_token(&token);
        (token, hash)
    }

    fn hash_refresh_token(&self, token: &str) -> [u8; 32] {
        hash_token(token)
    }
}

/// SHA-256 of an opaque token: what is stored instead of the token itself.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// A fresh random one-time token (invitations), URL-safe, and its hash.
pub fn one_time_token() -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

/// The identity in a verified Supabase Auth token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub subject: String,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SupabaseClaims {
    sub: String,
    email: Option<String>,
}

/// Verifies HS256 tokens issued by a Supabase project (`SUPABASE_JWT_SECRET`).
#[derive(Clone)]
pub struct SupabaseTokens {
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for SupabaseTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SupabaseTokens").finish_non_exhaustive()
    }
}

impl SupabaseTokens {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = LEEWAY_SECS;
        validation.set_audience(&[SUPABASE_AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        Self { decoding: DecodingKey::from_secret(secret), validation }
    }

    pub fn verify(&self, token: &str) -> Result<ExternalIdentity, TokenError> {
        let claims = jsonwebtoken::decode::<SupabaseClaims>(token, &self.decoding, &self.validation)?.claims;
        Ok(ExternalIdentity { subject: claims.sub, email: claims.email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn tokens() -> JwtTokens {
        JwtTokens::new(SECRET, Duration::from_secs(900))
    }

    fn sign(header: &Header, claims: &serde_json::Value, secret: &[u8]) -> String {
        jsonwebtoken::encode(header, claims, &EncodingKey::from_secret(secret)).expect("signs")
    }

    fn claims(overrides: &[(&str, serde_json::Value)]) -> serde_json::Value {
        let now = chrono::Utc::now().timestamp();
        let mut claims = serde_json::json!({
            "sub": UserId::generate().to_string(), "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600,
        });
        for (key, value) in overrides {
            if value.is_null() {
                claims.as_object_mut().expect("object").remove(*key);
            } else {
                claims[*key] = value.clone();
            }
        }
        claims
    }

    #[test]
    fn a_minted_access_token_verifies_to_its_user() {
        let user = UserId::generate();
        let (token, ttl) = tokens().access_token(user, chrono::Utc::now()).expect("mints");
        assert_eq!(ttl, Duration::from_secs(900));
        assert_eq!(tokens().verify_access(&token), Ok(user));
    }

    #[test]
    fn forged_expired_or_misaddressed_tokens_are_refused() {
        let hs256 = Header::new(Algorithm::HS256);
        let past = chrono::Utc::now().timestamp() - 3600;
        let cases = [
            ("wrong secret", sign(&hs256, &claims(&[]), b"another-secret-another-secret-xx")),
            ("expired", sign(&hs256, &claims(&[("exp", past.into())]), SECRET)),
            ("no exp", sign(&hs256, &claims(&[("exp", serde_json::Value::Null)]), SECRET)),
            ("wrong audience", sign(&hs256, &claims(&[("aud", "authenticated".into())]), SECRET)),
            ("wrong issuer", sign(&hs256, &claims(&[("iss", "someone-else".into())]), SECRET)),
            ("other algorithm", sign(&Header::new(Algorithm::HS512), &claims(&[]), SECRET)),
            ("subject not a user id", sign(&hs256, &claims(&[("sub", "admin".into())]), SECRET)),
        ];
        for (name, token) in cases {
            assert!(tokens().verify_access(&token).is_err(), "{name} must be refused");
        }
    }

    #[test]
    fn an_unsigned_alg_none_token_is_refused() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(claims(&[]).to_string());
        assert!(tokens().verify_access(&format!("{header}.{payload}.")).is_err());
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_only_as_their_hash() {
        let (a, hash_a) = tokens().refresh_token();
        let (b, _) = tokens().refresh_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_a, hash_token(&a));
    }

    #[test]
    fn supabase_tokens_need_the_authenticated_audience() {
        let supabase = SupabaseTokens::new(SECRET);
        let hs256 = Header::new(Algorithm::HS256);
        let good =
            sign(&hs256, &claims(&[("aud", "authenticated".into()), ("email", "chief@aurora.demo".into())]), SECRET);
        let identity = supabase.verify(&good).expect("accepted");
        assert_eq!(identity.email.as_deref(), Some("chief@aurora.demo"));
        assert!(supabase.verify(&sign(&hs256, &claims(&[]), SECRET)).is_err(), "our own audience is not Supabase's");
    }
}
