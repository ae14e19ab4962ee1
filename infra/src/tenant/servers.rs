//! The PostgreSQL servers tenant databases may live on. Credentials come from configuration,
//! never from the registry.

use std::collections::BTreeMap;

use pms_domain::tenancy::{DatabaseName, ServerKey};
use sqlx::postgres::PgConnectOptions;

/// The PostgreSQL servers tenant databases may live on, by configuration key.
#[derive(Debug, Clone)]
pub struct TenantServers {
    servers: BTreeMap<ServerKey, PgConnectOptions>,
}

impl TenantServers {
    /// Starts with the default server (`TENANT_DATABASE_URL`).
    pub fn new(default_server: PgConnectOptions) -> Self {
        let mut servers = BTreeMap::new();
        servers.insert(ServerKey::default_server(), default_server);
        Self { servers }
    }

    /// Adds a named server.
    #[must_use]
    pub fn with_server(mut self, key: ServerKey, options: PgConnectOptions) -> Self {
        self.servers.insert(key, options);
        self
    }

    /// Connection options for `database` on the server named `key`, if that server is configured.
    /// Whether a server with this key is configured.
    pub fn contains(&self, key: &ServerKey) -> bool {
        self.servers.contains_key(key)
    }

    pub fn database_options(&self, key: &ServerKey, database: &DatabaseName) -> Option<PgConnectOptions> {
        self.servers.get(key).map(|server| server.clone().database(database.as_str()))
    }
}
