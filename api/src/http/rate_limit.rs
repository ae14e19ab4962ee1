//! Rate limits: a token bucket per client IP on every route but the probes, a stricter one per IP
//! on the sign-in routes, and one per signed-in user (checked where the token is read). Over
//! the limit is 429 `rate_limited` with `Retry-After`.
//!
//! With `REDIS_URL` set the buckets live in Redis, so every instance draws on the same ones; a
//! Redis that cannot answer falls back to buckets in this process. Without it, each instance
//! keeps its own buckets, and N instances let through N times the configured rates.

use std::collections::HashMap;
use std::fmt::Display;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pms_infra::shared::{Admission, SharedStore};
use uuid::Uuid;

pub use crate::config::{Rate, RateLimitSettings};
use crate::error::{ApiError, ErrorCode};

/// Past this many tracked clients, buckets that have refilled are forgotten.
const PRUNE_ABOVE: usize = 10_000;
/// Routes that are never limited: load balancers and scrapers call them constantly.
pub const UNLIMITED: [&str; 3] = ["/health", "/ready", "/metrics"];
/// Routes limited by [`RateLimits::sign_in`] as well.
const SIGN_IN: [&str; 3] = ["/v1/auth/login", "/v1/auth/refresh", "/v1/auth/accept-invite"];

/// The limiters, shared by the middleware and the token extractor.
#[derive(Debug)]
pub struct RateLimits {
    per_ip: Limiter<IpAddr>,
    sign_in: Limiter<IpAddr>,
    per_user: Limiter<Uuid>,
    trust_forwarded_for: bool,
}

impl RateLimits {
    /// Limits kept in `shared` when given, else in this process.
    pub fn new(settings: RateLimitSettings, shared: Option<SharedStore>) -> Arc<Self> {
        for (scope, rate) in [("ip", settings.per_ip), ("sign_in", settings.sign_in), ("user", settings.per_user)] {
            metrics::gauge!("rate_limit_requests_per_second", "scope" => scope).set(rate.per_second);
            metrics::gauge!("rate_limit_burst", "scope" => scope).set(f64::from(rate.burst));
        }
        Arc::new(Self {
            per_ip: Limiter::new("ip", settings.per_ip, shared.clone()),
            sign_in: Limiter::new("sign_in", settings.sign_in, shared.clone()),
            per_user: Limiter::new("user", settings.per_user, shared),
            trust_forwarded_for: settings.trust_forwarded_for,
        })
    }

    /// One request of a signed-in user.
    pub async fn check_user(&self, user: Uuid) -> Result<(), ApiError> {
        self.per_user.take(user).await
    }

    fn client_ip(&self, request: &Request) -> Option<IpAddr> {
        if self.trust_forwarded_for
            && let Some(ip) = last_forwarded_for(request.headers())
        {
            return Some(ip);
        }
        request.extensions().get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())
    }
}

/// The middleware: per-IP limits before anything else runs.
pub async fn limit_by_ip(limits: Arc<RateLimits>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if UNLIMITED.contains(&path) {
        return next.run(request).await;
    }
    if let Some(ip) = limits.client_ip(&request) {
        let sign_in = SIGN_IN.contains(&path);
        let mut verdict = limits.per_ip.take(ip).await;
        if verdict.is_ok() && sign_in {
            verdict = limits.sign_in.take(ip).await;
        }
        if let Err(refusal) = verdict {
            return refusal.into_response();
        }
    }
    next.run(request).await
}

fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let value = headers.get_all("x-forwarded-for").iter().next_back()?.to_str().ok()?;
    value.rsplit(',').next()?.trim().parse().ok()
}

#[derive(Debug)]
struct Limiter<K> {
    scope: &'static str,
    rate: Rate,
    /// This process's buckets: the only ones without Redis, the fallback with it.
    buckets: Mutex<HashMap<K, Bucket>>,
    shared: Option<SharedStore>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl<K: Eq + Hash + Copy + Display> Limiter<K> {
    fn new(scope: &'static str, rate: Rate, shared: Option<SharedStore>) -> Self {
        Self { scope, rate, buckets: Mutex::new(HashMap::new()), shared }
    }

    /// Takes a token for `key`, or says when the next one will be there.
    async fn take(&self, key: K) -> Result<(), ApiError> {
        if let Some(shared) = &self.shared {
            let bucket = format!("{}:{key}", self.scope);
            match shared.take_token(&bucket, self.rate.per_second, self.rate.burst).await {
                Ok(Admission::Allowed) => return Ok(()),
                Ok(Admission::RetryAfter(wait)) => return Err(self.refusal(wait.as_secs_f64())),
                Err(error) => crate::shared_store::fell_back("rate_limit", &error),
            }
        }
        self.take_locally(key)
    }

    fn take_locally(&self, key: K) -> Result<(), ApiError> {
        let now = Instant::now();
        let burst = f64::from(self.rate.burst.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() > PRUNE_ABOVE {
            let refill = Duration::from_secs_f64(burst / self.rate.per_second);
            buckets.retain(|_, bucket| now.duration_since(bucket.updated) < refill);
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: burst, updated: now });
        let refilled = now.duration_since(bucket.updated).as_secs_f64() * self.rate.per_second;
        bucket.tokens = (bucket.tokens + refilled).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / self.rate.per_second;
        drop(buckets);
        Err(self.refusal(wait))
    }

    /// The 429 for a client that may retry in `wait` seconds.
    fn refusal(&self, wait: f64) -> ApiError {
        metrics::counter!("http_rate_limited_total", "scope" => self.scope).increment(1);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a few seconds, rounded up
        let retry_after = wait.ceil().max(1.0) as u32;
        ApiError::new(ErrorCode::RateLimited, format!("Too many requests ({} limit); slow down.", self.scope))
            .with_retry_after(retry_after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate() {
        let limiter = Limiter::new("ip", Rate { per_second: 1000.0, burst: 3 }, None);
        for _ in 0..3 {
            assert!(limiter.take_locally(1).is_ok());
        }
        let refused = limiter.take_locally(1).expect_err("over the burst");
        assert_eq!(refused.code(), ErrorCode::RateLimited);
        assert!(limiter.take_locally(2).is_ok(), "another client has its own bucket");
        std::thread::sleep(Duration::from_millis(5));
        assert!(limiter.take_locally(1).is_ok(), "tokens come back at the rate");
    }

    #[test]
    fn the_last_forwarded_address_is_the_one_the_proxy_saw() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "10.0.0.1, 203.0.113.9".parse().expect("header"));
        assert_eq!(last_forwarded_for(&headers), Some("203.0.113.9".parse().expect("ip")));
        headers.insert("x-forwarded-for", "not an address".parse().expect("header"));
        assert_eq!(last_forwarded_for(&headers), None);
    }
}
