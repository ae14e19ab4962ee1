//! Who may reach which yacht, kept in memory between requests until the master database says it
//! changed.
//!
//! Every request to a yacht asks [`Directory::active_access`]; under load that read was a quarter
//! of the database round trips of a list request. Triggers on the rows that answer it notify
//! `access_changed` at commit (migration `…_access_notifications`), and a listener here forgets
//! everything it cached, so a removed member or a suspended yacht is refused on every instance as
//! soon as the change commits — whoever made it, the API, the CLI or SQL. The cache answers only
//! while the listener is connected; each entry also expires after [`TTL`], bounding staleness if
//! the listener's connection dies silently.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::{Duration, Instant};

use pms_domain::directory::{Directory as _, YachtAccess};
use pms_domain::ids::{UserId, YachtId};
use pms_domain::store::StoreError;
use sqlx::PgPool;
use sqlx::postgres::PgListener;

use super::directory::PgDirectory;

/// The channel the master database's triggers notify.
pub const CHANNEL: &str = "access_changed";
/// The longest an answer is kept, whatever the listener hears.
pub const TTL: Duration = Duration::from_secs(5);
/// Past this many entries the cache starts again (each is a few dozen bytes).
const MAX_ENTRIES: usize = 100_000;
/// How long the listener waits before reconnecting after losing its connection.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// What [`Directory::active_access`] answers: `None` for an account that is not active.
pub type Access = Option<Option<YachtAccess>>;

/// [`PgDirectory::active_access`] behind a cache the master database invalidates.
#[derive(Debug, Clone)]
pub struct CachedAccess {
    directory: PgDirectory,
    cache: Arc<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    entries: Mutex<HashMap<(UserId, YachtId), (Instant, Access)>>,
    /// Bumped by every invalidation: an answer read before one is not kept after it.
    generation: AtomicU64,
    /// Whether the listener is connected, i.e. whether an invalidation would be heard.
    listening: AtomicBool,
}

impl CachedAccess {
    /// The cache, with its listener running on a connection of `pool` (the master database).
    pub fn listening(directory: PgDirectory, pool: PgPool) -> Self {
        let cache = Arc::new(Cache::default());
        tokio::spawn(listen(pool, Arc::downgrade(&cache)));
        Self { directory, cache }
    }

    /// `user`'s access to `yacht`, from memory when a current answer is there.
    pub async fn active_access(&self, user: UserId, yacht: YachtId) -> Result<Access, StoreError> {
        if let Some(access) = self.cache.get(user, yacht) {
            metrics::counter!("access_cache_total", "result" => "hit").increment(1);
            return Ok(access);
        }
        metrics::counter!("access_cache_total", "result" => "miss").increment(1);
        let generation = self.cache.generation.load(Ordering::SeqCst);
        let access = self.directory.active_access(user, yacht).await?;
        self.cache.keep(generation, (user, yacht), access.clone());
        Ok(access)
    }
}

impl CachedAccess {
    /// Forgets everything now: a change made through this instance is enforced by its next
    /// request, not from when the notification arrives (which every other instance waits for).
    pub fn forget_all(&self) {
        self.cache.forget_all();
    }
}

impl Cache {
    fn get(&self, user: UserId, yacht: YachtId) -> Option<Access> {
        if !self.listening.load(Ordering::SeqCst) {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, access) = entries.get(&(user, yacht))?;
        (at.elapsed() < TTL).then(|| access.clone())
    }

    fn keep(&self, generation: u64, key: (UserId, YachtId), access: Access) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        // Changed (or unheard) since the read began: the answer may already be stale.
        if !self.listening.load(Ordering::SeqCst) || self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), access));
    }

    fn forget_all(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        self.generation.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }

    fn set_listening(&self, listening: bool) {
        self.forget_all();
        self.listening.store(listening, Ordering::SeqCst);
    }
}

/// Listens for invalidations until the cache is dropped or the pool closes, reconnecting after
/// every loss (the cache answers nothing meanwhile).
async fn listen(pool: PgPool, cache: Weak<Cache>) {
    loop {
        let outcome = listen_once(&pool, &cache).await;
        let Some(cache) = cache.upgrade() else { return };
        cache.set_listening(false);
        match outcome {
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => tracing::warn!(%error, "access cache: the listener lost the master database; reconnecting"),
            Ok(()) => tracing::warn!("access cache: the listener's connection closed; reconnecting"),
        }
        tokio::time::sleep(RECONNECT_AFTER).await;
    }
}

async fn listen_once(pool: &PgPool, cache: &Weak<Cache>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    // A lost connection ends this round (Ok(None)) instead of reconnecting behind our back.
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    // Whatever was cached before listening began may have changed unheard.
    match cache.upgrade() {
        Some(cache) => cache.set_listening(true),
        None => return Ok(()),
    }
    while listener.try_recv().await?.is_some() {
        let Some(cache) = cache.upgrade() else { return Ok(()) };
        cache.forget_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids() -> (UserId, YachtId) {
        (UserId::from_uuid(uuid::Uuid::new_v4()), YachtId::from_uuid(uuid::Uuid::new_v4()))
    }

    #[test]
    fn nothing_is_kept_or_answered_unless_listening() {
        let cache = Cache::default();
        let (user, yacht) = ids();
        cache.keep(0, (user, yacht), Some(None));
        assert_eq!(cache.get(user, yacht), None);
        cache.set_listening(true);
        let generation = cache.generation.load(Ordering::SeqCst);
        cache.keep(generation, (user, yacht), Some(None));
        assert_eq!(cache.get(user, yacht), Some(Some(None)));
        cache.set_listening(false);
        assert_eq!(cache.get(user, yacht), None, "a lost listener forgets everything");
    }

    #[test]
    fn an_answer_read_before_an_invalidation_is_not_kept() {
        let cache = Cache::default();
        cache.set_listening(true);
        let (user, yacht) = ids();
        let before = cache.generation.load(Ordering::SeqCst);
        cache.forget_all();
        cache.keep(before, (user, yacht), None);
        assert_eq!(cache.get(user, yacht), None);
    }
}
