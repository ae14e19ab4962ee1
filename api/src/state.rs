//! The state every handler can reach: adapters chosen by the composition root.

use std::ops::Deref;
use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use pms_domain::auth::AuthService;
use pms_infra::auth::passwords::Argon2Passwords;
use pms_infra::auth::store::PgAuthStore;
use pms_infra::auth::tokens::{JwtTokens, SupabaseTokens};
use pms_infra::master::MasterDb;
use pms_infra::master::access_cache::CachedAccess;
use pms_infra::master::directory::PgDirectory;
use pms_infra::master::members::PgMemberStore;
use pms_infra::master::registry::{PgTenantProvisioner, PgYachtRegistry};
use pms_infra::shared::SharedStore;
use pms_infra::tenant::router::TenantRouter;

use crate::http::cursor::CursorKey;
use crate::http::rate_limit::RateLimits;
use crate::search::catalogues::Catalogues;
use crate::search::detector::Detector;

/// The sign-in use cases over their production adapters.
pub type Auth = AuthService<PgAuthStore, Argon2Passwords, JwtTokens>;

/// Shared application state: every extractor clones it, so a clone is one reference count
/// (cloning the services themselves copied keys, hash sets and connection options per request).
#[derive(Debug, Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The adapters behind [`AppState`].
#[derive(Debug)]
pub struct Services {
    pub master: MasterDb,
    pub metrics: PrometheusHandle,
    pub auth: Arc<Auth>,
    pub tokens: JwtTokens,
    /// Signs the lists' page cursors.
    pub cursors: CursorKey,
    pub supabase: Option<SupabaseTokens>,
    pub directory: PgDirectory,
    /// Each request's access check, cached until the master database reports a change.
    pub access: CachedAccess,
    pub passwords: Argon2Passwords,
    pub router: TenantRouter,
    pub registry: PgYachtRegistry,
    pub provisioner: PgTenantProvisioner,
    pub members: PgMemberStore,
    /// The search bar's detector: local rules, or a model with the rules as fallback.
    pub detector: Arc<Detector>,
    /// Each yacht's records as the search bar matches them, kept between searches.
    pub catalogues: Arc<Catalogues>,
    /// Per-IP limits run as middleware; the per-user one where the token is read.
    pub rate_limits: Arc<RateLimits>,
    /// Redis, when instances share rate limits and model answers (`REDIS_URL`).
    pub shared: Option<SharedStore>,
}

impl axum::extract::FromRef<AppState> for CursorKey {
    fn from_ref(state: &AppState) -> Self {
        state.cursors.clone()
    }
}
