//! `pipeline-core`: see `pipeline-core --help`.

use std::process::ExitCode;

use clap::Parser as _;

#[tokio::main]
async fn main() -> ExitCode {
    pms_api::cli::run(pms_api::cli::Cli::parse()).await
}
