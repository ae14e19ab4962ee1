//! Records the git commit the binary is built from, for `GET /health`.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=RENDER_GIT_COMMIT");
    println!("cargo:rerun-if-env-changed=GIT_COMMIT");
    // Watch only files that exist: a missing path would rerun this script on every build.
    for path in ["../.git/HEAD", "../.git/packed-refs"] {
        if Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    if let Ok(head) = std::fs::read_to_string("../.git/HEAD")
        && let Some(reference) = head.trim().strip_prefix("ref: ")
        && Path::new(&format!("../.git/{reference}")).exists()
    {
        println!("cargo:rerun-if-changed=../.git/{reference}");
    }
    let commit = ["RENDER_GIT_COMMIT", "GIT_COMMIT"]
        .into_iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .or_else(git_head);
    if let Some(commit) = commit {
        let short: String = commit.chars().take(12).collect();
        println!("cargo:rustc-env=PIPELINE_CORE_GIT_COMMIT={short}");
    }
}

fn git_head() -> Option<String> {
    let output = Command::new("git").args(["rev-parse", "HEAD"]).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
