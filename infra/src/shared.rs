//! Redis, where instances share what would otherwise live in one process: rate-limit buckets and
//! the language model's answers.
//!
//! Redis is an accelerator here, never the source of truth: every call is bounded by a short
//! timeout, and after a failure the store stays out of the way for a moment (callers fall back to
//! their own memory) rather than making every request wait on a dead server.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

/// The longest any one call may take; past it the caller falls back.
const CALL_TIMEOUT: Duration = Duration::from_millis(250);
/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// How long the store is skipped after a failure before it is tried again.
const BACK_OFF: Duration = Duration::from_secs(2);

/// A token bucket kept in one Redis hash, refilled from the server's clock so that instances
/// with drifting clocks still agree. Answers `{1, 0}` when a token was taken, else `{0, ms}`.
const TAKE_TOKEN: &str = r"
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or burst
local at = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed, wait_ms = 0, 0
if tokens >= 1 then
    tokens = tokens - 1
    allowed = 1
else
    wait_ms = math.ceil((1 - tokens) / rate * 1000)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return {allowed, wait_ms}
";

/// Why the shared store did not answer.
#[derive(Debug, thiserror::Error)]
pub enum SharedError {
    #[error("REDIS_URL is not usable: {0}")]
    Url(String),
    #[error("redis is backing off after a recent failure")]
    BackingOff,
    #[error("redis did not answer within {CALL_TIMEOUT:?}")]
    Timeout,
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
}

/// Whether a token bucket let a request through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// Refused; a token is back after this long.
    RetryAfter(Duration),
}

/// A connection to the Redis server the instances share, with every key under one prefix.
#[derive(Clone)]
pub struct SharedStore {
    connection: ConnectionManager,
    prefix: Arc<str>,
    take_token: Arc<redis::Script>,
    breaker: Arc<Breaker>,
}

impl std::fmt::Debug for SharedStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedStore").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl SharedStore {
    /// Prepares the connection without opening it: the service starts even while Redis is still
    /// booting, and connects on first use.
    pub fn connect_lazily(url: &str, prefix: &str) -> Result<Self, SharedError> {
        let client = redis::Client::open(url).map_err(|e| SharedError::Url(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection =
            ConnectionManager::new_lazy_with_config(client, config).map_err(|e| SharedError::Url(e.to_string()))?;
        Ok(Self {
            connection,
            prefix: prefix.into(),
            take_token: Arc::new(redis::Script::new(TAKE_TOKEN)),
            breaker: Arc::new(Breaker::new()),
        })
    }

    /// Takes one token from the bucket `name` (refilling at `per_second`, holding at most `burst`).
    pub async fn take_token(&self, name: &str, per_second: f64, burst: u32) -> Result<Admission, SharedError> {
        let key = self.key("rate", name);
        let mut connection = self.connection.clone();
        let (allowed, wait_ms): (u8, u64) = self
            .call(async {
                self.take_token.key(key).arg(per_second).arg(burst.max(1)).invoke_async(&mut connection).await
            })
            .await?;
        Ok(if allowed == 1 { Admission::Allowed } else { Admission::RetryAfter(Duration::from_millis(wait_ms)) })
    }

    /// The value stored under `kind:name`, if any.
    pub async fn get(&self, kind: &str, name: &str) -> Result<Option<String>, SharedError> {
        let key = self.key(kind, name);
        let mut connection = self.connection.clone();
        self.call(async { redis::cmd("GET").arg(key).query_async(&mut connection).await }).await
    }

    /// Stores `value` under `kind:name` for `ttl`.
    pub async fn put(&self, kind: &str, name: &str, value: &str, ttl: Duration) -> Result<(), SharedError> {
        let key = self.key(kind, name);
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let mut connection = self.connection.clone();
        self.call(async {
            redis::cmd("SET").arg(key).arg(value).arg("PX").arg(ttl_ms).query_async(&mut connection).await
        })
        .await
    }

    /// Asks the server to answer, ignoring the back-off (readiness reports the truth).
    pub async fn ping(&self) -> Result<(), SharedError> {
        let mut connection = self.connection.clone();
        let pong: Result<String, _> =
            tokio::time::timeout(CALL_TIMEOUT, redis::cmd("PING").query_async(&mut connection))
                .await
                .map_err(|_| SharedError::Timeout)?;
        pong?;
        self.breaker.close();
        Ok(())
    }

    fn key(&self, kind: &str, name: &str) -> String {
        format!("{}:{kind}:{name}", self.prefix)
    }

    async fn call<T>(&self, call: impl Future<Output = redis::RedisResult<T>>) -> Result<T, SharedError> {
        if self.breaker.is_open() {
            return Err(SharedError::BackingOff);
        }
        let outcome = match tokio::time::timeout(CALL_TIMEOUT, call).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => SharedError::Redis(error),
            Err(_) => SharedError::Timeout,
        };
        self.breaker.open_for(BACK_OFF);
        Err(outcome)
    }
}

/// Remembers until when calls should not be tried.
#[derive(Debug)]
struct Breaker {
    epoch: Instant,
    /// Milliseconds since `epoch` before which calls are skipped.
    closed_from_ms: AtomicU64,
}

impl Breaker {
    fn new() -> Self {
        Self { epoch: Instant::now(), closed_from_ms: AtomicU64::new(0) }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn is_open(&self) -> bool {
        self.now_ms() < self.closed_from_ms.load(Ordering::Relaxed)
    }

    fn open_for(&self, pause: Duration) {
        let until = self.now_ms().saturating_add(u64::try_from(pause.as_millis()).unwrap_or(u64::MAX));
        self.closed_from_ms.fetch_max(until, Ordering::Relaxed);
    }

    fn close(&self) {
        self.closed_from_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_skips_calls_for_a_while_after_a_failure() {
        let breaker = Breaker::new();
        assert!(!breaker.is_open());
        breaker.open_for(Duration::from_millis(30));
        assert!(breaker.is_open());
        std::thread::sleep(Duration::from_millis(40));
        assert!(!breaker.is_open());
        breaker.open_for(Duration::from_secs(60));
        breaker.close();
        assert!(!breaker.is_open());
    }

    #[test]
    fn a_url_that_is_not_redis_is_refused() {
        assert!(matches!(SharedStore::connect_lazily("postgres://x", "p"), Err(SharedError::Url(_))));
    }
}
