//! `pipeline-core`: see `pipeline-core --help`.

use std::process::ExitCode;

use clap::Parser as _;

/// Small, short-lived allocations dominate request handling; mimalloc serves them from
/// per-thread pages instead of glibc's arenas.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    pms_api::cli::run(pms_api::cli::Cli::parse()).await
}
