//! The composition root: builds adapters from settings, wires the router and runs the server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use pms_domain::auth::{AuthService, ThrottlePolicy};
use pms_infra::auth::passwords::Argon2Passwords;
use pms_infra::auth::store::PgAuthStore;
use pms_infra::auth::tokens::{JwtTokens, SupabaseTokens};
use pms_infra::master::MasterDb;
use pms_infra::master::access_cache::CachedAccess;
use pms_infra::master::directory::PgDirectory;
use pms_infra::master::members::PgMemberStore;
use pms_infra::master::registry::{PgTenantProvisioner, PgYachtRegistry};
use pms_infra::migrate::migrate_master;
use pms_infra::postgres::{PoolSize, ensure_database, lazy_pool, parse_url};
use pms_infra::tenant::router::TenantRouter;
use pms_infra::tenant::servers::TenantServers;
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::ConnectionLimits;
use crate::config::{HttpSettings, Settings};
use crate::http::cursor::CursorKey;
use crate::http::rate_limit::RateLimits;
use crate::search::detector::Detector;
use crate::state::{AppState, Services};
use crate::{http, openapi, routes, telemetry};

/// How long start-up waits for the master database (a container's Postgres may still be booting).
const DATABASE_STARTUP_WAIT: Duration = Duration::from_secs(30);
/// Access tokens are short-lived; refresh tokens carry the session.
const ACCESS_TOKEN_TTL: Duration = Duration::from_secs(15 * 60);
/// How often histogram storage is compacted.
const METRICS_UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// A bound, ready-to-run HTTP server.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    connections: ConnectionLimits,
    shutdown_grace: Duration,
}

impl Application {
    /// Prepares the master database, builds the state and binds `HOST:PORT` (port 0 picks one).
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        // The intent model trains from its embedded corpus in a few seconds (release build): do it
        // now, off the runtime, rather than in the first search.
        tokio::task::spawn_blocking(|| {
            pms_domain::detect::intent::model();
        });
        let master = prepare_master(settings).await?;
        let state = app_state(settings, master, tenant_servers(settings)?)?;
        let address = SocketAddr::new(settings.http.host, settings.http.port);
        let listener = TcpListener::bind(address).await.with_context(|| format!("binding {address}"))?;
        Ok(Self {
            listener,
            router: router(state, &settings.http),
            connections: settings.http.connections,
            shutdown_grace: settings.http.shutdown_grace,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// Serves until `shutdown` resolves, then drains in-flight requests for up to the grace period.
    pub async fn run_until_stopped<F>(self, shutdown: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let metrics = telemetry::metrics_handle();
        let upkeep = tokio::spawn(async move {
            let mut every = tokio::time::interval(METRICS_UPKEEP_EVERY);
            loop {
                every.tick().await;
                metrics.run_upkeep();
            }
        });
        let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
        let server = http::server::serve(self.listener, self.router, self.connections, async move {
            shutdown.await;
            tracing::info!("shutting down: draining in-flight requests");
            let _ = stopping_tx.send(());
        });
        let grace = self.shutdown_grace;
        tokio::select! {
            () = server => {}
            () = async move {
                match stopping_rx.await {
                    Ok(()) => tokio::time::sleep(grace).await,
                    Err(_) => std::future::pending().await,
                }
            } => {
                tracing::warn!(?grace, "requests still running after the shutdown grace period; stopping anyway");
            }
        }
        upkeep.abort();
    }
}

/// Wires the adapters every handler reaches.
fn app_state(settings: &Settings, master: MasterDb, servers: TenantServers) -> anyhow::Result<AppState> {
    let pool = master.pool().clone();
    let shared = crate::shared_store::open(settings.redis.as_ref())?;
    let router = TenantRouter::new(servers.clone(), settings.tenancy.limits);
    router.spawn_reaper();
    let tokens = JwtTokens::new(settings.jwt_secret.expose_secret().as_bytes(), ACCESS_TOKEN_TTL);
    let auth = AuthService::new(
        PgAuthStore::new(pool.clone()),
        Argon2Passwords,
        tokens.clone(),
        ThrottlePolicy::DEFAULT,
        settings.refresh_token_ttl,
    );
    Ok(AppState::new(Services {
        master,
        metrics: telemetry::metrics_handle(),
        auth: Arc::new(auth),
        tokens,
        cursors: CursorKey::derive(settings.jwt_secret.expose_secret().as_bytes()),
        supabase: settings.supabase_jwt_secret.as_ref().map(|s| SupabaseTokens::new(s.expose_secret().as_bytes())),
        directory: PgDirectory::new(pool.clone()),
        access: CachedAccess::listening(PgDirectory::new(pool.clone()), pool.clone()),
        passwords: Argon2Passwords,
        router,
        registry: PgYachtRegistry::new(pool.clone()),
        members: PgMemberStore::new(pool),
        provisioner: PgTenantProvisioner::new(servers),
        detector: Arc::new(Detector::from_settings(&settings.llm, shared.clone())),
        catalogues: Arc::default(),
        rate_limits: RateLimits::new(settings.http.rate_limits, shared.clone()),
        shared,
    }))
}

/// The tenant servers: `TENANT_DATABASE_URL` as `default`, plus `TENANT_SERVERS`.
pub fn tenant_servers(settings: &Settings) -> anyhow::Result<TenantServers> {
    let default = parse_url(settings.tenant_database_url.expose_secret()).context("TENANT_DATABASE_URL")?;
    let mut servers = TenantServers::new(default);
    for (key, url) in &settings.tenancy.extra_servers {
        let options = parse_url(url.expose_secret()).with_context(|| format!("TENANT_SERVERS entry {key}"))?;
        servers = servers.with_server(key.clone(), options);
    }
    Ok(servers)
}

/// The full router: documented routes, the spec, Swagger UI, and every middleware layer.
pub fn router(state: AppState, http_settings: &HttpSettings) -> Router {
    let (documented, _) = routes::api_router(utoipa::openapi::OpenApi::default()).split_for_parts();
    let limits = state.rate_limits.clone();
    let router = documented.merge(SwaggerUi::new("/docs").url("/openapi.json", openapi::spec())).with_state(state);
    http::layers::apply(router, http_settings, limits)
}

/// Creates the master database if missing and brings it to the newest schema.
pub async fn prepare_master(settings: &Settings) -> anyhow::Result<MasterDb> {
    let options = parse_url(settings.master_database_url.expose_secret()).context("MASTER_DATABASE_URL")?;
    let name = settings.master_database_name();
    let started = tokio::time::Instant::now();
    loop {
        match ensure_database(&options).await {
            Ok(created) => {
                if created {
                    tracing::info!(database = %name, "created the master database");
                }
                break;
            }
            Err(e) if started.elapsed() < DATABASE_STARTUP_WAIT => {
                tracing::warn!(database = %name, error = %e, "master database not reachable yet; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                return Err(e).with_context(|| format!("reaching the master database {name:?}"));
            }
        }
    }
    let pool = lazy_pool(
        options,
        PoolSize {
            max_connections: settings.master_max_connections,
            acquire_timeout: pms_infra::master::MASTER_TIMEOUT,
        },
    );
    migrate_master(&pool).await.context("migrating the master database")?;
    Ok(MasterDb::new(pool))
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (what Render and Docker send).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
