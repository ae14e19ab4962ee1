//! The `pipeline-core` command line.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use pms_infra::master::registry::PgYachtRegistry;
use pms_infra::migrate::migrate_all_tenants;
use pms_infra::tenant::router::TenantRouter;

use pms_domain::identity::Email;
use pms_domain::password::{check_new_password, check_password_strength};
use pms_infra::auth::passwords::Argon2Passwords;
use pms_infra::master::admins::{AdminUpsert, upsert_platform_admin};
use rand::distr::{Alphanumeric, SampleString};

use crate::config::{DetectorMode, Settings};
use crate::search::command as search_command;
use crate::search::detector::Detector;
use crate::startup::{Application, prepare_master, shutdown_signal, tenant_servers};
use crate::{openapi, telemetry};
use pms_domain::detect::Engine;
use pms_domain::identity::Role;

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

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
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
    /// Create or refresh the demo fleet: M/Y Aurora and M/Y Borealis with their crews, and a
    /// platform admin, all with the password in `DEMO_PASSWORD` (generated and printed if unset).
    /// Safe to run repeatedly.
    SeedDemo {
        #[arg(long, env = "DEMO_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Create or find the fleet `make bench` loads: YACHTS yachts (`M/Y Bench 0001`…), each in a
    /// database of its own with a chief engineer `chief@bench-NNNN.bench` whose password is
    /// `DEMO_PASSWORD`; the first FILLED carry the demo yacht's maintenance data. Prints one JSON
    /// line per yacht. Safe to run repeatedly.
    SeedBench {
        #[arg(long, default_value_t = 20)]
        yachts: u32,
        /// How many of them get maintenance data (default: all).
        #[arg(long)]
        filled: Option<u32>,
        #[arg(long, env = "DEMO_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Detect the micro-action of each query read as JSON lines (`{"query": "…"}`) on standard
    /// input; write one JSON line per query with the top action (or null), its confidence and
    /// side effect, the other candidates, the mentions and which detector answered. Uses the
    /// local detector and needs no configuration, unless `--llm` asks for the configured model.
    Detect {
        /// Ask the model configured by `OPENAI_API_KEY` / `OPENAI_BASE_URL` / `OPENAI_MODEL`, with the
        /// local detector as the fallback (`DETECTOR_LLM_TIMEOUT_MS` applies).
        #[arg(long, conflicts_with = "latency")]
        llm: bool,
        /// The role whose actions the model may choose from.
        #[arg(long, default_value = "captain", value_parser = parse_role)]
        role: Role,
        /// Instead of answers, print the local detector's latency per query (p50/p90/p99/max)
        /// over this many rounds of the input.
        #[arg(long, value_name = "ROUNDS")]
        latency: Option<usize>,
        /// Which scorer picks the intent: `combined` (the learned model where it is sure, else the
        /// rules, else the model), `rules` alone (the baseline) or `model` alone (the rules still feed
        /// it as evidence).
        #[arg(long, value_enum, default_value_t = EngineChoice::Combined, conflicts_with = "llm")]
        engine: EngineChoice,
        #[command(subcommand)]
        command: Option<DetectCommand>,
    },
    /// Planned maintenance.
    Scheduler {
        #[command(subcommand)]
        command: SchedulerCommand,
    },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum DetectCommand {
    /// Write the searches users gave a verdict on (`POST …/search/{id}/feedback`) as JSON lines:
    /// the redacted query, `expected` (the action they ran or meant), the outcome, what was
    /// proposed and by which detector. Every active yacht, or the one given.
    Export {
        #[arg(long)]
        yacht: Option<uuid::Uuid>,
    },
    /// Train the intent model on the embedded corpus (`domain/src/detect/corpus/`) and print its
    /// digest, its k-fold cross-validated accuracy and the corpus it saw. Deterministic: the same
    /// corpus gives the same digest. To close the learning loop, append `detect export` output to
    /// `corpus/feedback.jsonl`, rebuild, run this and commit the corpus with the new digest.
    Train {
        /// Folds of the cross-validation (0: skip it).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Instead, train without this corpus voice (a file name without `.jsonl`) and score
        /// each engine on its lines: how the detector does on a writer it never read.
        #[arg(long, value_name = "VOICE")]
        hold_out: Option<String>,
        /// With `--hold-out`: also list the lines the combined engine gets wrong.
        #[arg(long, requires = "hold_out")]
        misses: bool,
    },
}

fn parse_role(raw: &str) -> Result<Role, String> {
    Role::parse(raw).ok_or_else(|| format!("not a role: {raw}"))
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum SchedulerCommand {
    /// Plan a work order for every schedule that has come due, on every active yacht.
    ///
    /// Safe to run repeatedly and concurrently: a schedule never gets a second open work order.
    /// Prints one line per yacht; exits non-zero if any yacht could not be planned (the others
    /// still are). Meant for a cron job (see render.yaml).
    Run,
}

#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AdminCommand {
    /// Create a platform administrator (or promote the existing account with that email).
    ///
    /// The password is read from the first line of standard input with --password-stdin;
    /// otherwise a new account gets a generated password, printed once.
    CreatePlatformAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Platform admin")]
        name: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Runs the parsed command line to completion.
pub async fn run(cli: Cli) -> ExitCode {
    let command = cli.command.unwrap_or(Command::Serve);
    if matches!(command, Command::Openapi) {
        print!("{}", openapi::spec_json());
        return ExitCode::SUCCESS;
    }
    if let Command::Detect { llm: false, role, latency, engine, command: None } = command {
        let engine = match engine {
            EngineChoice::Combined => Engine::Combined,
            EngineChoice::Rules => Engine::Rules,
            EngineChoice::Model => Engine::Model,
        };
        return detect_locally(role, latency, engine).await;
    }
    if let Command::Detect { command: Some(DetectCommand::Train { folds, hold_out, misses }), .. } = command {
        let report = match hold_out {
            Some(voice) => search_command::hold_out_report(&voice, misses),
            None => Ok(search_command::train_report(folds)),
        };
        return match report {
            Ok(report) => {
                println!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("pipeline-core: {e}");
                ExitCode::from(2)
            }
        };
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
        Command::Admin { command: AdminCommand::CreatePlatformAdmin { email, name, password_stdin } } => {
            create_platform_admin(&settings, &email, &name, password_stdin).await
        }
        Command::SeedDemo { password } => seed_demo(&settings, password).await,
        Command::SeedBench { yachts, filled, password } => seed_bench(&settings, yachts, filled, &password).await,
        Command::Scheduler { command: SchedulerCommand::Run } => run_scheduler(&settings).await,
        Command::Detect { command: Some(DetectCommand::Export { yacht }), .. } => {
            export_searches(&settings, yacht).await
        }
        Command::Detect { command: Some(DetectCommand::Train { .. }), .. } => {
            unreachable!("handled before reading settings")
        }
        Command::Detect { role, .. } => detect_with_model(&settings, role).await,
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

/// The intent scorers `detect --engine` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineChoice {
    Combined,
    Rules,
    Model,
}

/// `detect` and `detect --latency`: the local detector, no configuration needed.
async fn detect_locally(role: Role, latency: Option<usize>, engine: Engine) -> ExitCode {
    let stdin = std::io::stdin().lock();
    let outcome = match latency {
        Some(rounds) => search_command::latency(stdin, rounds.max(1), engine).map(|summary| println!("{summary}")),
        None => search_command::run(stdin, std::io::stdout().lock(), &Detector::local_with(engine), role).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline-core detect: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn detect_with_model(settings: &Settings, role: Role) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        settings.llm.detector == DetectorMode::Llm,
        "detect --llm needs OPENAI_API_KEY or OPENAI_BASE_URL (and DETECTOR not set to local)"
    );
    let detector = Detector::from_settings(&settings.llm, None);
    search_command::run(std::io::stdin().lock(), std::io::stdout().lock(), &detector, role).await?;
    Ok(ExitCode::SUCCESS)
}

async fn export_searches(settings: &Settings, yacht: Option<uuid::Uuid>) -> anyhow::Result<ExitCode> {
    let master = prepare_master(settings).await?;
    let registry = PgYachtRegistry::new(master.pool().clone());
    let router = TenantRouter::new(tenant_servers(settings)?, settings.tenancy.limits);
    let (written, failures) = search_command::export(&registry, &router, yacht, std::io::stdout().lock()).await?;
    router.close().await;
    for failure in &failures {
        eprintln!("{failure}");
    }
    eprintln!("exported {written} labelled searches");
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn serve(settings: &Settings) -> anyhow::Result<ExitCode> {
    if settings.jwt_secret_generated {
        tracing::warn!("JWT_SECRET is not set: using a random secret, so tokens will not survive a restart");
    }
    let app = Application::build(settings).await?;
    tracing::info!(port = app.port(), version = env!("CARGO_PKG_VERSION"), "listening");
    app.run_until_stopped(shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

async fn migrate(settings: &Settings) -> anyhow::Result<ExitCode> {
    let master = prepare_master(settings).await?;
    tracing::info!("master database migrated");
    let servers = tenant_servers(settings)?;
    let outcomes = migrate_all_tenants(master.pool(), &servers).await.context("reading the tenant registry")?;
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    tracing::info!(tenants = outcomes.len(), failed, "tenant migrations finished");
    for outcome in outcomes.iter().filter(|o| o.result.is_err()) {
        if let Err(error) = &outcome.result {
            eprintln!("tenant {}/{} failed: {error}", outcome.server_key, outcome.database);
        }
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn run_scheduler(settings: &Settings) -> anyhow::Result<ExitCode> {
    let master = prepare_master(settings).await?;
    let registry = PgYachtRegistry::new(master.pool().clone());
    let router = TenantRouter::new(tenant_servers(settings)?, settings.tenancy.limits);
    let runs = crate::scheduler::run(&registry, &router).await.context("reading the yacht registry")?;
    let mut failed = 0;
    for run in &runs {
        match &run.outcome {
            Ok(planned) if planned.is_empty() => println!("{} {}: nothing due", run.yacht.id, run.yacht.name),
            Ok(planned) => println!("{} {}: planned {}", run.yacht.id, run.yacht.name, planned.join(", ")),
            Err(error) => {
                failed += 1;
                eprintln!("{} {}: failed: {error}", run.yacht.id, run.yacht.name);
            }
        }
    }
    router.close().await;
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

async fn create_platform_admin(
    settings: &Settings,
    email: &str,
    name: &str,
    password_stdin: bool,
) -> anyhow::Result<ExitCode> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name = name.trim();
    anyhow::ensure!((1..=100).contains(&name.chars().count()), "--name must be 1 to 100 characters");
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
        Some(line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    if let Some(password) = &password {
        check_new_password(password, &email).map_err(|e| anyhow::anyhow!("password {e}"))?;
    }
    let master = prepare_master(settings).await?;
    let generated = password.is_none().then(|| Alphanumeric.sample_string(&mut rand::rng(), 20));
    let chosen = password.as_deref().or(generated.as_deref());
    let hash = match chosen {
        Some(password) => Some(Argon2Passwords.hash(password).await.map_err(|e| anyhow::anyhow!("hashing: {e}"))?),
        None => None,
    };
    match upsert_platform_admin(master.pool(), &email, name, hash.as_deref()).await? {
        AdminUpsert::Created(id) => {
            println!("created platform admin {email} ({id})");
            if let Some(generated) = generated {
                println!("password: {generated}");
            }
        }
        AdminUpsert::Promoted(id) => {
            println!("{email} ({id}) is now a platform admin");
            if let Some(generated) = generated {
                println!("new password: {generated}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn seed_bench(settings: &Settings, yachts: u32, filled: Option<u32>, password: &str) -> anyhow::Result<ExitCode> {
    check_password_strength(password).map_err(|e| anyhow::anyhow!("DEMO_PASSWORD {e}"))?;
    let fleet = crate::demo::bench::seed(settings, yachts, filled.unwrap_or(yachts), password).await?;
    for yacht in fleet {
        println!("{}", serde_json::to_string(&yacht)?);
    }
    Ok(ExitCode::SUCCESS)
}

async fn seed_demo(settings: &Settings, password: Option<String>) -> anyhow::Result<ExitCode> {
    let generated = password.is_none();
    let password = password.unwrap_or_else(|| Alphanumeric.sample_string(&mut rand::rng(), 16));
    check_password_strength(&password).map_err(|e| anyhow::anyhow!("DEMO_PASSWORD {e}"))?;
    crate::demo::seed(settings, &password).await?;
    print!("{}", crate::demo::summary(&password, generated));
    Ok(ExitCode::SUCCESS)
}
