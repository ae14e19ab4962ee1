//! The tenant router: one lazily created pool per tenant database, a process-wide budget on open
//! connections across all of them, and transactions confined to one yacht.
//!
//! Budget accounting is per pool: a live pool holds `pool_size` permits of the budget for as long
//! as it exists, so the sum of open connections can never exceed the budget. Pools nobody uses
//! are closed (their permits returned) after `idle_timeout`, or sooner when another tenant needs
//! the room. When no room can be made within `acquire_wait` the caller gets
//! [`RouterError::Exhausted`] (the API answers 503 with `Retry-After`), never a hang.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pms_domain::ids::YachtId;
use pms_domain::store::{StoreError, Unavailable};
use pms_domain::tenancy::{DatabaseName, ServerKey};
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

pub use super::pool::TENANT_ROLE;
use super::pool::{PoolLimits, PooledConnection, TenantPool};
use super::servers::TenantServers;
use crate::postgres::store_error;

/// How often a waiting caller re-checks for pools it could close to make room.
const RECHECK_EVERY: Duration = Duration::from_millis(25);

/// Sizing of the router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouterLimits {
    /// Most connections open at once across every tenant pool.
    pub connection_budget: u32,
    /// Most connections one tenant database's pool may open.
    pub pool_size: u32,
    /// A pool unused this long is closed.
    pub idle_timeout: Duration,
    /// How long a request may wait for a connection (or for room to open one).
    pub acquire_wait: Duration,
}

/// Where a tenant database lives.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantLocation {
    pub server: ServerKey,
    pub database: DatabaseName,
}

#[derive(Debug, thiserror::Error)]
pub enum RouterError {
    #[error("the tenant connection budget is exhausted")]
    Exhausted,
    #[error("tenant server {0:?} is not configured")]
    UnknownServer(ServerKey),
    #[error("tenant database error")]
    Database(#[from] sqlx::Error),
}

impl From<RouterError> for StoreError {
    fn from(error: RouterError) -> Self {
        match error {
            RouterError::Exhausted => StoreError::new(Unavailable(error.to_string())),
            RouterError::Database(e) => store_error(e),
            RouterError::UnknownServer(_) => StoreError::new(error),
        }
    }
}

/// What the router holds right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouterStats {
    pub pools: usize,
    pub open_connections: u32,
    pub free_budget: usize,
}

/// Hands out pools and yacht-scoped transactions for tenant databases.
#[derive(Debug, Clone)]
pub struct TenantRouter {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    servers: TenantServers,
    limits: RouterLimits,
    budget: Arc<Semaphore>,
    slots: Mutex<HashMap<TenantLocation, Arc<Slot>>>,
    epoch: Instant,
}

#[derive(Debug, Default)]
struct Slot {
    live: OnceCell<LivePool>,
    last_used_ms: AtomicU64,
}

#[derive(Debug)]
struct LivePool {
    pool: TenantPool,
    _budget: OwnedSemaphorePermit,
}

impl LivePool {
    fn in_use(&self) -> bool {
        self.pool.in_use()
    }
}

impl TenantRouter {
    /// A router over `servers`; a pool may not be bigger than the whole budget.
    pub fn new(servers: TenantServers, mut limits: RouterLimits) -> Self {
        limits.pool_size = limits.pool_size.clamp(1, limits.connection_budget.max(1));
        let permits = usize::try_from(limits.connection_budget).unwrap_or(usize::MAX);
        Self {
            inner: Arc::new(Inner {
                servers,
                limits,
                budget: Arc::new(Semaphore::new(permits)),
                slots: Mutex::new(HashMap::new()),
                epoch: Instant::now(),
            }),
        }
    }

    pub fn servers(&self) -> &TenantServers {
        &self.inner.servers
    }

    /// The pool of `location`, creating it (once, however many callers race) if needed.
    pub async fn pool(&self, location: &TenantLocation) -> Result<TenantPool, RouterError> {
        let slot = self.slot(location);
        slot.last_used_ms.store(self.now_ms(), Ordering::Relaxed);
        let live = slot.live.get_or_try_init(|| self.open(location)).await?;
        Ok(live.pool.clone())
    }

    /// A transaction on `location` that runs as [`TENANT_ROLE`] with `app.yacht_id = yacht`,
    /// so row-level security confines every statement in it to that yacht.
    pub async fn begin(&self, location: &TenantLocation, yacht: YachtId) -> Result<PooledConnection, RouterError> {
        let pool = self.pool(location).await?;
        // A connection that went stale while idle (the server restarted) fails its first
        // statement, which changed nothing: try the next, then a new one. Each attempt closes
        // the one that failed.
        let attempts = self.inner.limits.pool_size + 1;
        for _ in 0..attempts {
            let mut conn = match pool.acquire(Some(yacht)).await {
                Err(sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed) => return Err(RouterError::Exhausted),
                other => other?,
            };
            match conn.begin(yacht).await {
                Ok(()) => return Ok(conn),
                Err(error) if !(conn.reused() && lost_connection(&error)) => return Err(error.into()),
                Err(_) => {}
            }
        }
        Err(RouterError::Exhausted)
    }

    /// Closes pools unused for longer than the idle timeout (returns how many), and connections
    /// idle that long in the others.
    pub async fn evict_idle(&self) -> usize {
        let cutoff = self.now_ms().saturating_sub(millis(self.inner.limits.idle_timeout));
        let victims: Vec<(TenantLocation, Arc<Slot>)> = {
            let mut slots = self.inner.slots.lock().expect("router lock");
            let idle: Vec<TenantLocation> = slots
                .iter()
                .filter(|(_, slot)| slot.last_used_ms.load(Ordering::Relaxed) < cutoff)
                .filter(|(_, slot)| slot.live.get().is_some_and(|live| !live.in_use()))
                .map(|(location, _)| location.clone())
                .collect();
            idle.into_iter().filter_map(|l| slots.remove(&l).map(|s| (l, s))).collect()
        };
        let closed = close_all(victims).await;
        // In a pool still in use, connections its load no longer needs close one by one.
        let busy: Vec<TenantPool> = {
            let slots = self.inner.slots.lock().expect("router lock");
            slots.values().filter_map(|slot| slot.live.get().map(|live| live.pool.clone())).collect()
        };
        for pool in busy {
            pool.retire_idle(self.inner.limits.idle_timeout).await;
        }
        closed
    }

    /// Closes every pool, waiting for their connections to be returned (when a command ends).
    pub async fn close(&self) {
        let all: Vec<(TenantLocation, Arc<Slot>)> = self.inner.slots.lock().expect("router lock").drain().collect();
        close_all(all).await;
    }

    /// Runs [`Self::evict_idle`] periodically until the router is dropped everywhere else.
    pub fn spawn_reaper(&self) -> tokio::task::JoinHandle<()> {
        let weak = Arc::downgrade(&self.inner);
        let every = (self.inner.limits.idle_timeout / 4).max(Duration::from_millis(100));
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                TenantRouter { inner }.evict_idle().await;
            }
        })
    }

    pub fn stats(&self) -> RouterStats {
        let slots = self.inner.slots.lock().expect("router lock");
        let live: Vec<&LivePool> = slots.values().filter_map(|s| s.live.get()).collect();
        RouterStats {
            pools: live.len(),
            open_connections: live.iter().map(|l| l.pool.size()).sum(),
            free_budget: self.inner.budget.available_permits(),
        }
    }

    fn slot(&self, location: &TenantLocation) -> Arc<Slot> {
        let mut slots = self.inner.slots.lock().expect("router lock");
        slots.entry(location.clone()).or_default().clone()
    }

    async fn open(&self, location: &TenantLocation) -> Result<LivePool, RouterError> {
        let limits = self.inner.limits;
        let options = self
            .inner
            .servers
            .database_options(&location.server, &location.database)
            .ok_or_else(|| RouterError::UnknownServer(location.server.clone()))?;
        let budget = self.reserve(location).await?;
        let pool = TenantPool::new(
            options,
            PoolLimits { max_connections: limits.pool_size, acquire_timeout: limits.acquire_wait },
        );
        tracing::debug!(database = %location.database, server = %location.server, "opened tenant pool");
        Ok(LivePool { pool, _budget: budget })
    }

    /// Takes `pool_size` permits, closing unused pools to make room, for at most `acquire_wait`.
    async fn reserve(&self, requester: &TenantLocation) -> Result<OwnedSemaphorePermit, RouterError> {
        let needed = self.inner.limits.pool_size;
        let deadline = Instant::now() + self.inner.limits.acquire_wait;
        loop {
            if let Ok(permit) = self.inner.budget.clone().try_acquire_many_owned(needed) {
                return Ok(permit);
            }
            self.evict_for_room(requester, needed).await;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(RouterError::Exhausted);
            }
            let wait = tokio::time::timeout(
                remaining.min(RECHECK_EVERY),
                self.inner.budget.clone().acquire_many_owned(needed),
            );
            if let Ok(Ok(permit)) = wait.await {
                return Ok(permit);
            }
        }
    }

    /// Closes least recently used pools with no connection in use until `needed` permits are free
    /// (or no such pool is left).
    async fn evict_for_room(&self, requester: &TenantLocation, needed: u32) {
        let victims: Vec<(TenantLocation, Arc<Slot>)> = {
            let mut slots = self.inner.slots.lock().expect("router lock");
            let mut candidates: Vec<(u64, TenantLocation)> = slots
                .iter()
                .filter(|(location, slot)| *location != requester && slot.live.get().is_some_and(|l| !l.in_use()))
                .map(|(location, slot)| (slot.last_used_ms.load(Ordering::Relaxed), location.clone()))
                .collect();
            candidates.sort_unstable_by_key(|(last_used, _)| *last_used);
            let mut free = self.inner.budget.available_permits();
            let mut chosen = Vec::new();
            for (_, location) in candidates {
                if free >= needed as usize {
                    break;
                }
                if let Some(slot) = slots.remove(&location) {
                    free += self.inner.limits.pool_size as usize;
                    chosen.push((location, slot));
                }
            }
            chosen
        };
        close_all(victims).await;
    }

    fn now_ms(&self) -> u64 {
        millis(self.inner.epoch.elapsed())
    }
}

/// Closes each pool (waiting for its connections to close); dropping the slot returns its permits.
async fn close_all(victims: Vec<(TenantLocation, Arc<Slot>)>) -> usize {
    let count = victims.len();
    for (location, slot) in victims {
        if let Some(live) = slot.live.get() {
            live.pool.close().await;
            tracing::debug!(database = %location.database, "closed tenant pool");
        }
    }
    count
}

/// Whether `error` says the connection itself is gone (rather than the statement failing).
fn lost_connection(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => true,
        // 57P01..57P03: the server is shutting down or restarting; 08xxx: connection exceptions.
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")),
        _ => false,
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
