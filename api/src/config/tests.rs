use std::collections::HashMap;

use super::*;

fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    let map: HashMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    Settings::from_lookup(|name| map.get(name).cloned())
}

#[test]
fn an_empty_environment_gives_working_development_defaults() {
    let s = settings(&[]).expect("defaults are valid");
    assert_eq!(s.app_env, AppEnv::Development);
    assert_eq!(s.http.port, 8080);
    assert_eq!(s.master_database_name(), "pipeline_master");
    assert_eq!(s.tenant_database_url.expose_secret(), s.master_database_url.expose_secret());
    assert!(s.jwt_secret_generated);
    assert!(s.jwt_secret.expose_secret().len() >= MIN_JWT_SECRET_LEN);
    assert_eq!(s.log_format, LogFormat::Pretty);
    assert_eq!(s.http.cors, CorsOrigins::None);
}

#[test]
fn production_requires_a_database_url_and_a_jwt_secret() {
    let err = settings(&[("APP_ENV", "production")]).expect_err("must refuse");
    assert_eq!(err.variable, "MASTER_DATABASE_URL");
    let err =
        settings(&[("APP_ENV", "production"), ("MASTER_DATABASE_URL", "postgres://db/m")]).expect_err("must refuse");
    assert_eq!(err.variable, "JWT_SECRET");
    let ok = settings(&[
        ("APP_ENV", "production"),
        ("MASTER_DATABASE_URL", "postgres://db/m"),
        ("JWT_SECRET", &"s".repeat(40)),
    ])
    .expect("complete production settings");
    assert_eq!(ok.log_format, LogFormat::Json);
    assert!(!ok.jwt_secret_generated);
}

#[test]
fn each_bad_value_names_its_variable() {
    let cases: &[(&str, &str)] = &[
        ("APP_ENV", "staging"),
        ("PORT", "eighty"),
        ("PORT", "70000"),
        ("HOST", "example.com"),
        ("MASTER_DATABASE_URL", "mysql://x/y"),
        ("MASTER_DATABASE_URL", "postgres://localhost"),
        ("TENANT_DATABASE_URL", "not a url"),
        ("JWT_SECRET", "short"),
        ("OPENAI_BASE_URL", "ftp://models"),
        ("LOG_FORMAT", "xml"),
        ("RUST_LOG", "info,[[["),
        ("HTTP_BODY_LIMIT_BYTES", "0"),
        ("HTTP_REQUEST_TIMEOUT_SECS", "-1"),
        ("SHUTDOWN_GRACE_SECS", "soon"),
        ("MASTER_DB_MAX_CONNECTIONS", "0"),
        ("REFRESH_TOKEN_TTL_DAYS", "0"),
        ("SUPABASE_JWT_SECRET", "short"),
        ("CORS_ALLOWED_ORIGINS", "https://ok.example,javascript:alert(1)"),
        ("DETECTOR", "magic"),
        ("DETECTOR", "llm"),
        ("DETECTOR_LLM_TIMEOUT_MS", "0"),
        ("RATE_LIMIT_IP_PER_SEC", "0"),
        ("RATE_LIMIT_IP_BURST", "-3"),
        ("RATE_LIMIT_SIGN_IN_PER_MIN", "fast"),
        ("RATE_LIMIT_USER_BURST", "0"),
        ("TRUST_FORWARDED_FOR", "yes please"),
        ("REDIS_URL", "http://cache:6379"),
        ("REDIS_URL", "rediss://cache:6380"),
        ("REDIS_KEY_PREFIX", "a b"),
    ];
    for (variable, value) in cases {
        let err = settings(&[(variable, value)]).expect_err(&format!("{variable}={value} must be refused"));
        assert_eq!(err.variable, *variable, "{variable}={value}: {err}");
    }
}

#[test]
fn cors_origins_are_parsed_as_a_list_or_a_wildcard() {
    let s = settings(&[("CORS_ALLOWED_ORIGINS", "https://app.example.com, http://localhost:3000/")]).expect("valid");
    assert_eq!(
        s.http.cors,
        CorsOrigins::List(vec![
            HeaderValue::from_static("https://app.example.com"),
            HeaderValue::from_static("http://localhost:3000"),
        ])
    );
    assert_eq!(settings(&[("CORS_ALLOWED_ORIGINS", "*")]).expect("valid").http.cors, CorsOrigins::Any);
}

#[test]
fn the_tenant_server_defaults_to_the_master_server() {
    let s = settings(&[("MASTER_DATABASE_URL", "postgres://u@db:6543/m"), ("TENANT_DATABASE_URL", "")]).expect("valid");
    assert_eq!(s.tenant_database_url.expose_secret(), "postgres://u@db:6543/m");
}

#[test]
fn named_tenant_servers_are_parsed_in_order() {
    let s = settings(&[("TENANT_SERVERS", "eu=postgres://a@eu-db/x; us=postgres://b@us-db/y;")]).expect("valid");
    let keys: Vec<&str> = s.tenancy.extra_servers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["eu", "us"]);
    assert_eq!(s.tenancy.extra_servers[1].1.expose_secret(), "postgres://b@us-db/y");
}

#[test]
fn a_pool_cannot_be_bigger_than_the_budget() {
    let err = settings(&[("TENANT_CONNECTION_BUDGET", "4"), ("TENANT_POOL_SIZE", "5")]).expect_err("refused");
    assert_eq!(err.variable, "TENANT_POOL_SIZE");
}

#[test]
fn the_detector_uses_a_model_only_when_one_is_configured() {
    assert_eq!(settings(&[]).expect("valid").llm.detector, DetectorMode::Local);
    let with_key = settings(&[("OPENAI_API_KEY", "sk-test")]).expect("valid");
    assert_eq!(with_key.llm.detector, DetectorMode::Llm);
    assert_eq!(with_key.llm.timeout, Duration::from_millis(1500));
    let ollama = settings(&[("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"), ("DETECTOR", "auto")]).expect("valid");
    assert_eq!(ollama.llm.detector, DetectorMode::Llm);
    let pinned = settings(&[("OPENAI_API_KEY", "sk-test"), ("DETECTOR", "local")]).expect("valid");
    assert_eq!(pinned.llm.detector, DetectorMode::Local);
}

#[test]
fn redis_is_optional_and_its_keys_are_prefixed() {
    assert!(settings(&[]).expect("defaults").redis.is_none(), "no REDIS_URL: per-instance state");
    let redis = settings(&[("REDIS_URL", "redis://cache:6379/0")]).expect("valid").redis.expect("configured");
    assert_eq!(redis.key_prefix, "pipeline-core");
    let redis = settings(&[("REDIS_URL", "redis://cache"), ("REDIS_KEY_PREFIX", "staging.pc")])
        .expect("valid")
        .redis
        .expect("configured");
    assert_eq!(redis.key_prefix, "staging.pc");
}
