//! Typed settings read from the environment, with defaults that run on a fresh machine.
//!
//! Every variable is read through one lookup function so tests can feed a map and can record
//! exactly which variables the service reads (the `render.yaml` check relies on that).

use std::net::IpAddr;
use std::time::Duration;

use axum::http::HeaderValue;
use pms_domain::tenancy::ServerKey;
use pms_infra::tenant::router::RouterLimits;
use rand::distr::{Alphanumeric, SampleString};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub use self::http::{ConnectionLimits, Rate, RateLimitSettings};

/// Where the service runs; production refuses unsafe defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

/// Which browser origins may call the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorsOrigins {
    /// No CORS headers: same-origin callers and non-browser clients only.
    None,
    /// Any origin (credentials are never allowed with a wildcard).
    Any,
    List(Vec<HeaderValue>),
}

/// An OpenAI-compatible model endpoint (OpenAI, Ollama, vLLM…).
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub api_key: Option<SecretString>,
    pub base_url: Option<Url>,
    pub model: String,
    /// Which detector the search bar uses.
    pub detector: DetectorMode,
    /// How long the search bar waits for the model before answering from the local detector.
    pub timeout: Duration,
}

/// `DETECTOR`: which detector reads search queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorMode {
    /// The local detector only: nothing leaves the service.
    Local,
    /// The model, with the local rules as the fallback.
    Llm,
}

impl LlmSettings {
    /// Whether a model is configured at all.
    pub fn configured(&self) -> bool {
        self.api_key.is_some() || self.base_url.is_some()
    }
}

/// HTTP server limits.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    pub host: IpAddr,
    pub port: u16,
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    pub connections: ConnectionLimits,
    pub shutdown_grace: Duration,
    pub cors: CorsOrigins,
    pub rate_limits: RateLimitSettings,
}

/// Where tenant databases live and how many connections they may use.
#[derive(Debug, Clone)]
pub struct TenancySettings {
    /// Named servers besides the default (`TENANT_SERVERS=eu=postgres://…;us=postgres://…`).
    pub extra_servers: Vec<(ServerKey, SecretString)>,
    pub limits: RouterLimits,
}

/// `REDIS_URL`: the Redis server instances share rate limits and model answers through.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    pub url: SecretString,
    /// Every key starts with this (`REDIS_KEY_PREFIX`), so environments may share a server.
    pub key_prefix: String,
}

/// Everything the service is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    pub app_env: AppEnv,
    pub http: HttpSettings,
    pub master_database_url: SecretString,
    pub master_max_connections: u32,
    /// The server (its database part is ignored) that holds tenant databases by default.
    pub tenant_database_url: SecretString,
    pub tenancy: TenancySettings,
    pub jwt_secret: SecretString,
    /// True when no `JWT_SECRET` was given in development and a random one was made up.
    pub jwt_secret_generated: bool,
    /// How long a refresh token (and so a signed-in device) lasts without being used.
    pub refresh_token_ttl: Duration,
    /// Accept HS256 tokens from this Supabase project (`aud = authenticated`) as well as our own.
    pub supabase_jwt_secret: Option<SecretString>,
    pub llm: LlmSettings,
    /// None: rate limits and model answers are kept per instance.
    pub redis: Option<RedisSettings>,
    pub log_format: LogFormat,
    pub log_filter: String,
}

/// A variable with a value the service cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    fn new(variable: &'static str, problem: impl Into<String>) -> Self {
        Self { variable, problem: problem.into() }
    }
}

const DEFAULT_MASTER_DATABASE_URL: &str = "postgres://postgres@localhost:5432/pipeline_master";
const DEFAULT_OPENAI_MODEL: &str = "gpt-4o-mini";
const MIN_JWT_SECRET_LEN: usize = 32;
const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,tower_http=warn";

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`; an empty value counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut env = Env { lookup, production: false };
        let app_env = match env.var("APP_ENV").as_deref() {
            None | Some("development" | "dev" | "local") => AppEnv::Development,
            Some("production" | "prod") => AppEnv::Production,
            Some(other) => {
                return Err(ConfigError::new("APP_ENV", format!("expected development or production, got {other:?}")));
            }
        };
        env.production = app_env == AppEnv::Production;
        let (master_database_url, tenant_database_url) = env.database_urls()?;
        let (jwt_secret, jwt_secret_generated) = env.jwt_secret()?;
        let (log_format, log_filter) = env.logging()?;
        Ok(Self {
            app_env,
            http: env.http()?,
            master_database_url: master_database_url.into(),
            master_max_connections: env.positive("MASTER_DB_MAX_CONNECTIONS", 10)?,
            tenant_database_url: tenant_database_url.into(),
            tenancy: env.tenancy()?,
            jwt_secret: jwt_secret.into(),
            jwt_secret_generated,
            refresh_token_ttl: Duration::from_secs(24 * 3600 * env.positive("REFRESH_TOKEN_TTL_DAYS", 30u64)?),
            supabase_jwt_secret: env.supabase_secret()?,
            llm: env.llm()?,
            redis: env.redis()?,
            log_format,
            log_filter,
        })
    }

    /// The name of the master database, as given in its URL.
    pub fn master_database_name(&self) -> String {
        Url::parse(self.master_database_url.expose_secret())
            .map(|u| u.path().trim_start_matches('/').to_owned())
            .unwrap_or_default()
    }
}

/// The environment being read, one section at a time.
struct Env<F> {
    lookup: F,
    production: bool,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn var(&self, name: &'static str) -> Option<String> {
        (self.lookup)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn parse_or<T>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        self.var(name).map_or(Ok(default), |v| {
            v.parse().map_err(|e| ConfigError::new(name, format!("invalid value {v:?} ({e})")))
        })
    }

    fn positive<T>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd + Default,
        T::Err: std::fmt::Display,
    {
        let value = self.parse_or(name, default)?;
        if value > T::default() { Ok(value) } else { Err(ConfigError::new(name, "must be greater than zero")) }
    }

    fn required_in_production(&self, name: &'static str) -> Result<Option<String>, ConfigError> {
        match self.var(name) {
            None if self.production => Err(ConfigError::new(name, "is required in production")),
            value => Ok(value),
        }
    }

    fn database_urls(&self) -> Result<(String, String), ConfigError> {
        let master = self
            .required_in_production("MASTER_DATABASE_URL")?
            .unwrap_or_else(|| DEFAULT_MASTER_DATABASE_URL.to_owned());
        let parsed = parse_postgres_url("MASTER_DATABASE_URL", &master)?;
        if parsed.path().trim_start_matches('/').is_empty() {
            return Err(ConfigError::new("MASTER_DATABASE_URL", "must name a database, e.g. …/pipeline_master"));
        }
        let tenant = match self.var("TENANT_DATABASE_URL") {
            Some(url) => {
                parse_postgres_url("TENANT_DATABASE_URL", &url)?;
                url
            }
            None => master.clone(),
        };
        Ok((master, tenant))
    }

    fn tenancy(&self) -> Result<TenancySettings, ConfigError> {
        const VAR: &str = "TENANT_SERVERS";
        let mut extra_servers = Vec::new();
        for entry in self.var(VAR).unwrap_or_default().split(';').map(str::trim).filter(|e| !e.is_empty()) {
            let (key, url) = entry
                .split_once('=')
                .ok_or_else(|| ConfigError::new(VAR, "expected key=postgres://… entries separated by ';'"))?;
            let key =
                ServerKey::parse(key.trim()).map_err(|e| ConfigError::new(VAR, format!("server key {key:?} {e}")))?;
            if key.as_str() == ServerKey::DEFAULT || extra_servers.iter().any(|(k, _)| k == &key) {
                return Err(ConfigError::new(
                    VAR,
                    format!("server key {key} is given twice (default is TENANT_DATABASE_URL)"),
                ));
            }
            parse_postgres_url(VAR, url.trim())?;
            extra_servers.push((key, SecretString::from(url.trim().to_owned())));
        }
        let limits = RouterLimits {
            connection_budget: self.positive("TENANT_CONNECTION_BUDGET", 40)?,
            pool_size: self.positive("TENANT_POOL_SIZE", 4)?,
            idle_timeout: Duration::from_secs(self.positive("TENANT_POOL_IDLE_SECS", 300)?),
            acquire_wait: Duration::from_millis(self.positive("TENANT_ACQUIRE_TIMEOUT_MS", 2000)?),
        };
        if limits.pool_size > limits.connection_budget {
            return Err(ConfigError::new("TENANT_POOL_SIZE", "must not exceed TENANT_CONNECTION_BUDGET"));
        }
        Ok(TenancySettings { extra_servers, limits })
    }

    fn jwt_secret(&self) -> Result<(String, bool), ConfigError> {
        match self.required_in_production("JWT_SECRET")? {
            Some(secret) if secret.len() >= MIN_JWT_SECRET_LEN => Ok((secret, false)),
            Some(_) => Err(ConfigError::new("JWT_SECRET", format!("must be at least {MIN_JWT_SECRET_LEN} characters"))),
            None => Ok((Alphanumeric.sample_string(&mut rand::rng(), 48), true)),
        }
    }

    fn supabase_secret(&self) -> Result<Option<SecretString>, ConfigError> {
        match self.var("SUPABASE_JWT_SECRET") {
            Some(secret) if secret.len() < MIN_JWT_SECRET_LEN => Err(ConfigError::new(
                "SUPABASE_JWT_SECRET",
                format!("must be at least {MIN_JWT_SECRET_LEN} characters"),
            )),
            secret => Ok(secret.map(SecretString::from)),
        }
    }

    fn llm(&self) -> Result<LlmSettings, ConfigError> {
        let base_url = self
            .var("OPENAI_BASE_URL")
            .map(|raw| {
                Url::parse(&raw)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| ConfigError::new("OPENAI_BASE_URL", "must be an http(s) URL"))
            })
            .transpose()?;
        let api_key = self.var("OPENAI_API_KEY").map(SecretString::from);
        let configured = api_key.is_some() || base_url.is_some();
        let detector = match self.var("DETECTOR").as_deref() {
            Some("local") => DetectorMode::Local,
            None | Some("auto") => {
                if configured {
                    DetectorMode::Llm
                } else {
                    DetectorMode::Local
                }
            }
            Some("llm") if configured => DetectorMode::Llm,
            Some("llm") => {
                return Err(ConfigError::new("DETECTOR", "llm needs OPENAI_API_KEY or OPENAI_BASE_URL"));
            }
            Some(other) => {
                return Err(ConfigError::new("DETECTOR", format!("expected local, llm or auto, got {other:?}")));
            }
        };
        Ok(LlmSettings {
            api_key,
            base_url,
            model: self.var("OPENAI_MODEL").unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_owned()),
            detector,
            timeout: Duration::from_millis(self.positive("DETECTOR_LLM_TIMEOUT_MS", 1500)?),
        })
    }

    fn redis(&self) -> Result<Option<RedisSettings>, ConfigError> {
        let key_prefix = self.var("REDIS_KEY_PREFIX").unwrap_or_else(|| "pipeline-core".to_owned());
        let valid = key_prefix.len() <= 64
            && key_prefix.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if !valid {
            return Err(ConfigError::new("REDIS_KEY_PREFIX", "at most 64 letters, digits, '-', '_' or '.'"));
        }
        let Some(url) = self.var("REDIS_URL") else { return Ok(None) };
        match Url::parse(&url).map(|u| u.scheme().to_owned()).as_deref() {
            Ok("redis") => Ok(Some(RedisSettings { url: url.into(), key_prefix })),
            Ok("rediss") => Err(ConfigError::new(
                "REDIS_URL",
                "rediss:// (TLS) is not supported; use the server's internal redis:// URL",
            )),
            _ => Err(ConfigError::new("REDIS_URL", "must be a redis:// URL")),
        }
    }

    fn logging(&self) -> Result<(LogFormat, String), ConfigError> {
        let format = match self.var("LOG_FORMAT").as_deref() {
            None if self.production => LogFormat::Json,
            Some("json") => LogFormat::Json,
            None | Some("pretty") => LogFormat::Pretty,
            Some(other) => {
                return Err(ConfigError::new("LOG_FORMAT", format!("expected json or pretty, got {other:?}")));
            }
        };
        let filter = self.var("RUST_LOG").unwrap_or_else(|| DEFAULT_LOG_FILTER.to_owned());
        tracing_subscriber::EnvFilter::try_new(&filter).map_err(|e| ConfigError::new("RUST_LOG", e.to_string()))?;
        Ok((format, filter))
    }
}

fn parse_postgres_url(variable: &'static str, raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw).map_err(|e| ConfigError::new(variable, format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(ConfigError::new(variable, "must start with postgres:// or postgresql://"));
    }
    Ok(url)
}

mod http;
#[cfg(test)]
mod tests;
