//! The HTTP server's settings: where to listen, limits, CORS and rate limits.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderValue;
use url::Url;

use super::{ConfigError, CorsOrigins, Env, HttpSettings};

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub(super) fn http(&self) -> Result<HttpSettings, ConfigError> {
        Ok(HttpSettings {
            host: self.parse_or("HOST", IpAddr::from([0, 0, 0, 0]))?,
            port: self.parse_or("PORT", 8080)?,
            body_limit_bytes: self.positive("HTTP_BODY_LIMIT_BYTES", 1024 * 1024)?,
            request_timeout: Duration::from_secs(self.positive("HTTP_REQUEST_TIMEOUT_SECS", 30)?),
            connections: ConnectionLimits {
                header_read_timeout: Duration::from_secs(self.positive("HTTP_HEADER_READ_TIMEOUT_SECS", 10)?),
                max_connections: self.positive("HTTP_MAX_CONNECTIONS", 2048)?,
            },
            shutdown_grace: Duration::from_secs(self.parse_or("SHUTDOWN_GRACE_SECS", 25)?),
            cors: parse_cors(self.var("CORS_ALLOWED_ORIGINS"))?,
            rate_limits: self.rate_limits()?,
        })
    }

    fn rate_limits(&self) -> Result<RateLimitSettings, ConfigError> {
        let sign_in_per_minute: f64 = self.positive("RATE_LIMIT_SIGN_IN_PER_MIN", 30.0)?;
        Ok(RateLimitSettings {
            per_ip: Rate {
                per_second: self.positive("RATE_LIMIT_IP_PER_SEC", 20.0)?,
                burst: self.positive("RATE_LIMIT_IP_BURST", 40)?,
            },
            sign_in: Rate {
                per_second: sign_in_per_minute / 60.0,
                burst: self.positive("RATE_LIMIT_SIGN_IN_BURST", 10)?,
            },
            per_user: Rate {
                per_second: self.positive("RATE_LIMIT_USER_PER_SEC", 20.0)?,
                burst: self.positive("RATE_LIMIT_USER_BURST", 40)?,
            },
            trust_forwarded_for: match self.var("TRUST_FORWARDED_FOR").as_deref() {
                None | Some("false" | "0") => false,
                Some("true" | "1") => true,
                Some(other) => {
                    return Err(ConfigError::new(
                        "TRUST_FORWARDED_FOR",
                        format!("expected true or false, got {other:?}"),
                    ));
                }
            },
        })
    }
}

fn parse_cors(raw: Option<String>) -> Result<CorsOrigins, ConfigError> {
    let Some(raw) = raw else {
        return Ok(CorsOrigins::None);
    };
    if raw == "*" {
        return Ok(CorsOrigins::Any);
    }
    raw.split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .map(|origin| {
            let valid = Url::parse(origin).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.path() == "/");
            valid.then(|| HeaderValue::from_str(origin.trim_end_matches('/')).ok()).flatten().ok_or_else(|| {
                ConfigError::new(
                    "CORS_ALLOWED_ORIGINS",
                    format!("{origin:?} is not an origin like https://app.example.com"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(CorsOrigins::List)
}

/// A sustained rate and the burst allowed above it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// Every limit the service enforces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimitSettings {
    pub per_ip: Rate,
    pub sign_in: Rate,
    pub per_user: Rate,
    /// Take the client address from the last `X-Forwarded-For` entry (behind Render's proxy).
    pub trust_forwarded_for: bool,
}

/// Limits on the connections themselves, before any request is routed.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The most time a client has to send a request's line and headers, counted from the
    /// moment the connection is ready for it (just opened, or idle after a response).
    pub header_read_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
}
