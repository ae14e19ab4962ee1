//! The connection pool of one tenant database, shaped for short yacht-scoped transactions.
//!
//! sqlx's pool pings a connection when it hands it out and again when it takes it back: two
//! round trips per request that PostgreSQL does nothing with (they were two of the five a list
//! request made). Here a connection whose transaction committed goes straight back to the idle
//! list without a word to the server; one whose transaction was left open is rolled back in the
//! background first; one whose state is unknown (its `BEGIN` or `COMMIT` did not finish) is
//! closed. Only a connection that sat idle for a while is pinged before use.
//!
//! A connection runs as the tenant role with its yacht set for the whole session, not per
//! transaction: switching role and yacht in every transaction cost PostgreSQL a parse, a plan
//! and a role lookup per request, and kept `BEGIN` off the prepared-statement path. The session
//! is switched only when a connection serves another yacht of the same database (an idle
//! connection already on the requested yacht is preferred).

use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pms_domain::ids::YachtId;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::postgres::PING_WHEN_IDLE_FOR;

/// The role every tenant transaction runs as: owns nothing, cannot bypass row-level security.
pub const TENANT_ROLE: &str = "pms_tenant_app";

/// A connection older than this is closed when returned, so the server can free what a session
/// accumulates (sqlx's default too).
const MAX_LIFETIME: Duration = Duration::from_secs(30 * 60);

/// Sizing of one pool.
#[derive(Debug, Clone, Copy)]
pub struct PoolLimits {
    pub max_connections: u32,
    /// How long `acquire` may wait for a free connection, or to open one.
    pub acquire_timeout: Duration,
}

/// Connections to one database; cloning shares the pool.
#[derive(Debug, Clone)]
pub struct TenantPool {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    options: PgConnectOptions,
    limits: PoolLimits,
    /// One permit per connection that may be out of the idle list at once.
    permits: Arc<Semaphore>,
    /// Most recently returned last.
    idle: Mutex<Vec<Live>>,
    open: Arc<AtomicU32>,
    closed: AtomicBool,
}

#[derive(Debug)]
struct Live {
    conn: PgConnection,
    /// The yacht the session is set to (as the tenant role); `None` until set.
    yacht: Option<YachtId>,
    born: Instant,
    idle_since: Instant,
    _open: OpenGuard,
}

/// Counts a connection as open for as long as it exists, however it ends.
#[derive(Debug)]
struct OpenGuard(Arc<AtomicU32>);

impl OpenGuard {
    fn new(open: &Arc<AtomicU32>) -> Self {
        open.fetch_add(1, Ordering::Relaxed);
        Self(open.clone())
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Live {
    async fn close(self) {
        let Self { conn, _open, .. } = self;
        let _ = conn.close().await;
    }
}

impl TenantPool {
    /// A pool that opens its connections on demand.
    pub fn new(options: PgConnectOptions, limits: PoolLimits) -> Self {
        Self {
            shared: Arc::new(Shared {
                options,
                limits,
                permits: Arc::new(Semaphore::new(limits.permits())),
                idle: Mutex::new(Vec::new()),
                open: Arc::new(AtomicU32::new(0)),
                closed: AtomicBool::new(false),
            }),
        }
    }

    /// Connections open now, idle or in use.
    pub fn size(&self) -> u32 {
        self.shared.open.load(Ordering::Relaxed)
    }

    /// Whether any connection is checked out.
    pub fn in_use(&self) -> bool {
        self.shared.permits.available_permits() < self.shared.limits.permits()
    }

    /// A connection, preferably one whose session is already on `yacht`, waiting at most the
    /// acquire timeout (then `PoolTimedOut`). Without a yacht, the session is reset to the
    /// connecting role. Its state is unknown until [`PooledConnection::begin`] succeeds, so
    /// returned as it is, it is closed.
    pub async fn acquire(&self, yacht: Option<YachtId>) -> Result<PooledConnection, sqlx::Error> {
        match tokio::time::timeout(self.shared.limits.acquire_timeout, self.checkout(yacht)).await {
            Ok(result) => result,
            Err(_) => Err(sqlx::Error::PoolTimedOut),
        }
    }

    async fn checkout(&self, yacht: Option<YachtId>) -> Result<PooledConnection, sqlx::Error> {
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(sqlx::Error::PoolClosed);
        }
        let permit = self.shared.permits.clone().acquire_owned().await.map_err(|_| sqlx::Error::PoolClosed)?;
        while let Some(mut live) = self.shared.pop_idle(yacht) {
            // Should this future be cancelled, `live` goes with it and the connection is closed,
            // so no half-finished exchange reaches the next user.
            if live.idle_since.elapsed() >= PING_WHEN_IDLE_FOR && live.conn.ping().await.is_err() {
                continue;
            }
            // Taken without a yacht: back to the connecting role, no yacht set.
            if yacht.is_none()
                && live.yacht.take().is_some()
                && sqlx::raw_sql("RESET ROLE; RESET app.yacht_id").execute(&mut live.conn).await.is_err()
            {
                continue;
            }
            return Ok(PooledConnection::new(live, true, permit, &self.shared));
        }
        let conn = PgConnection::connect_with(&self.shared.options).await?;
        let now = Instant::now();
        let live = Live { conn, yacht: None, born: now, idle_since: now, _open: OpenGuard::new(&self.shared.open) };
        Ok(PooledConnection::new(live, false, permit, &self.shared))
    }

    /// Closes connections idle for longer than `older_than`; returns how many.
    pub async fn retire_idle(&self, older_than: Duration) -> usize {
        let retired: Vec<Live> = {
            let mut idle = self.shared.idle.lock().expect("pool lock");
            let (old, young) = idle.drain(..).partition(|live| live.idle_since.elapsed() > older_than);
            *idle = young;
            old
        };
        let count = retired.len();
        for live in retired {
            live.close().await;
        }
        count
    }

    /// Refuses new checkouts, waits for every connection in use to be returned, and closes all.
    pub async fn close(&self) {
        self.shared.closed.store(true, Ordering::Release);
        let all = u32::try_from(self.shared.limits.permits()).unwrap_or(u32::MAX);
        // Fair semaphore: this waits behind earlier checkouts, until all are returned.
        let _all = self.shared.permits.acquire_many(all).await;
        self.shared.permits.close();
        let idle = std::mem::take(&mut *self.shared.idle.lock().expect("pool lock"));
        for live in idle {
            live.close().await;
        }
    }
}

impl PoolLimits {
    /// One per connection that may be out of the idle list at once (at least one).
    fn permits(self) -> usize {
        usize::try_from(self.max_connections.max(1)).unwrap_or(usize::MAX)
    }
}

impl Shared {
    /// The most recently returned idle connection on `yacht`, else the most recently returned.
    fn pop_idle(&self, yacht: Option<YachtId>) -> Option<Live> {
        let mut idle = self.idle.lock().expect("pool lock");
        let same = yacht.and_then(|yacht| idle.iter().rposition(|live| live.yacht == Some(yacht)));
        match same {
            Some(index) => Some(idle.remove(index)),
            None => idle.pop(),
        }
    }

    fn push_idle(&self, mut live: Live) {
        live.idle_since = Instant::now();
        self.idle.lock().expect("pool lock").push(live);
    }
}

/// What is known of a checked-out connection's session, which decides its return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// No transaction open, nothing pending: reusable as it is.
    Clean,
    /// A transaction is open (perhaps with replies pending): reusable after a rollback.
    InTransaction,
    /// A `BEGIN` or `COMMIT` did not finish: closed rather than guessed at.
    Unknown,
}

/// A connection checked out of a [`TenantPool`]; dereferences to the sqlx connection.
#[derive(Debug)]
pub struct PooledConnection {
    live: Option<Live>,
    state: State,
    reused: bool,
    /// Held until the connection is back in the idle list or closed, so the pool never opens
    /// more than its size while a rollback is under way.
    permit: Option<OwnedSemaphorePermit>,
    shared: Arc<Shared>,
}

impl PooledConnection {
    fn new(live: Live, reused: bool, permit: OwnedSemaphorePermit, shared: &Arc<Shared>) -> Self {
        Self { live: Some(live), state: State::Unknown, reused, permit: Some(permit), shared: shared.clone() }
    }

    /// Whether the connection served an earlier checkout (so it may have gone stale since).
    pub fn reused(&self) -> bool {
        self.reused
    }

    /// Opens a transaction as [`TENANT_ROLE`] with `app.yacht_id = yacht`, so row-level
    /// security confines every statement in it to that yacht. One round trip (a prepared
    /// `BEGIN`) when the session is already on the yacht, two when it has to be switched.
    pub async fn begin(&mut self, yacht: YachtId) -> Result<(), sqlx::Error> {
        self.state = State::Unknown;
        let live = self.live.as_mut().expect("a checked-out connection");
        if live.yacht != Some(yacht) {
            live.yacht = None;
            // The yacht id is a formatted UUID (hex digits and dashes) and the role a constant,
            // so neither can carry SQL.
            let session = format!(
                "SET ROLE {TENANT_ROLE}; SELECT set_config('app.yacht_id', '{}', false)",
                yacht.as_uuid().hyphenated()
            );
            sqlx::raw_sql(AssertSqlSafe(session)).execute(&mut live.conn).await?;
            live.yacht = Some(yacht);
        }
        sqlx::query("BEGIN").execute(&mut live.conn).await?;
        self.state = State::InTransaction;
        Ok(())
    }

    /// Commits the transaction [`Self::begin`] opened and returns the connection to the pool.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        self.state = State::Unknown;
        sqlx::query("COMMIT").execute(&mut *self).await?;
        self.state = State::Clean;
        Ok(())
    }

    fn conn(&mut self) -> &mut PgConnection {
        &mut self.live.as_mut().expect("a checked-out connection").conn
    }
}

impl Deref for PooledConnection {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.live.as_ref().expect("a checked-out connection").conn
    }
}

impl DerefMut for PooledConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        self.conn()
    }
}

impl Drop for PooledConnection {
    fn drop(&mut self) {
        let (Some(live), Some(permit)) = (self.live.take(), self.permit.take()) else { return };
        let shared = self.shared.clone();
        let expired = live.born.elapsed() > MAX_LIFETIME;
        let closing = shared.closed.load(Ordering::Acquire);
        match self.state {
            State::Clean if !expired && !closing && !live.conn.should_flush() => shared.push_idle(live),
            state => {
                // Outside a runtime (a test's teardown) the connection is simply dropped.
                let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
                runtime.spawn(async move {
                    let _permit = permit;
                    match state {
                        State::InTransaction if !expired && !closing => {
                            let mut live = live;
                            if sqlx::raw_sql("ROLLBACK").execute(&mut live.conn).await.is_ok() {
                                shared.push_idle(live);
                            }
                        }
                        _ => live.close().await,
                    }
                });
            }
        }
    }
}
