//! The `pipeline-core` command line.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use pms_infra::migrate::migrate_all_tenants;
use pms_infra::postgres::parse_url;
use pms_infra::tenant::servers::TenantServers;
use secrecy::ExposeSecret;

use crate::config::Settings;
use crate::startup::{Application, prepare_master, shutdown_signal};
use crate::{openapi, telemetry};

/// Backend of a yacht Planned Maintenance System.
///
/// Configuration comes from environment variables (see the README); every command except
/// `openapi` reads them and stops with a message naming any variable whose value is wrong.
#[derive(Debug, Parser)]
#[command(name = "pipeline-core", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Run the HTTP API on HOST:PORT (the default command).
    ///
    /// Creates the master database if it is missing and applies its migrations first. Stops
    /// gracefully on SIGTERM or Ctrl-C, letting in-flight requests finish.
    Serve,
    /// Apply migrations: the master database, then every registered tenant database.
    ///
    /// Tenants are migrated one at a time; a failing tenant is recorded and reported without
    /// stopping the others. Exits non-zero if any tenant failed; running it again resumes.
    Migrate,
    /// Print the OpenAPI 3.1 document as JSON on stdout (needs no configuration or database).
    Openapi,
}

/// Runs the parsed command line to completion.
pub async fn run(cli: Cli) -> ExitCode {
    let command = cli.command.unwrap_or(Command::Serve);
    if command == Command::Openapi {
        print!("{}", openapi::spec_json());
        return ExitCode::SUCCESS;
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("pipeline-core: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init_logging(settings.log_format, &settings.log_filter);
    let outcome = match command {
        Command::Serve => serve(&settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::Openapi => unreachable!("handled before reading settings"),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "pipeline-core failed");
            eprintln!("pipeline-core: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: &Settings) -> anyhow::Result<ExitCode> {
    if settings.jwt_secret_generated {
        tracing::warn!(
            "JWT_SECRET is not set: using a random secret, so tokens will not survive a restart"
        );
    }
    let app = Application::build(settings).await?;
    tracing::info!(
        port = app.port(),
        version = env!("CARGO_PKG_VERSION"),
        "listening"
    );
    app.run_until_stopped(shutdown_signal())
        .await
        .context("serving HTTP")?;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: &Settings) -> anyhow::Result<ExitCode> {
    let master = prepare_master(settings).await?;
    tracing::info!("master database migrated");
    let default_server =
        parse_url(settings.tenant_database_url.expose_secret()).context("TENANT_DATABASE_URL")?;
    let servers = TenantServers::new(default_server);
    let outcomes = migrate_all_tenants(master.pool(), &servers)
        .await
        .context("reading the tenant registry")?;
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    tracing::info!(
        tenants = outcomes.len(),
        failed,
        "tenant migrations finished"
    );
    for outcome in outcomes.iter().filter(|o| o.result.is_err()) {
        if let Err(error) = &outcome.result {
            eprintln!(
                "tenant {}/{} failed: {error}",
                outcome.server_key, outcome.database
            );
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
