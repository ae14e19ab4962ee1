//! The Redis store instances share (`REDIS_URL`): opened from settings, and how its users report
//! falling back to their own memory when it cannot answer.

use pms_infra::shared::{SharedError, SharedStore};
use secrecy::ExposeSecret;

use crate::config::RedisSettings;

/// The store, when one is configured; the connection opens on first use.
pub fn open(settings: Option<&RedisSettings>) -> anyhow::Result<Option<SharedStore>> {
    let Some(settings) = settings else {
        tracing::info!("REDIS_URL is not set: rate limits and model answers are kept per instance");
        return Ok(None);
    };
    let store = SharedStore::connect_lazily(settings.url.expose_secret(), &settings.key_prefix)?;
    tracing::info!(prefix = settings.key_prefix, "rate limits and model answers are shared through Redis");
    Ok(Some(store))
}

/// Counts a call the store could not answer, and logs why (its caller falls back).
pub fn fell_back(purpose: &'static str, error: &SharedError) {
    metrics::counter!("shared_store_fallbacks_total", "use" => purpose).increment(1);
    // While backing off nothing was tried: the failure that started it was logged.
    if !matches!(error, SharedError::BackingOff) {
        tracing::warn!(purpose, %error, "the shared store (Redis) failed; this instance's memory stands in");
    }
}
