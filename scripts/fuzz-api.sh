#!/usr/bin/env bash
# `make fuzz-api`: schemathesis (from PyPI) against the running service, over every operation
# of its own spec, once with the token of each demo role (and the platform administrator's for the
# admin routes), bounded in time.
# Knobs: FUZZ_SECONDS per role (60), FUZZ_CHECKS (all), FUZZ_PORT (18090), FUZZ_SEED (random),
# FUZZ_PHASES (all four; .ci/run runs only the deterministic ones, examples and coverage, so CI
# checks the same cases every time while random exploration stays with `make fuzz-api`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${FUZZ_SECONDS:-60}
port=${FUZZ_PORT:-18090}
checks=${FUZZ_CHECKS:-all}
seed=()
[ -n "${FUZZ_SEED:-}" ] && seed=(--seed "$FUZZ_SEED")
phases=()
[ -n "${FUZZ_PHASES:-}" ] && phases=(--phases "$FUZZ_PHASES")

command -v st >/dev/null || python3 -m pip install -q 'schemathesis>=4.32,<5' >&2
cargo build --locked -p pms-api --bin pipeline-core >&2
bin=target/debug/pipeline-core

export RUST_LOG=error
source scripts/demo-service.sh
start_demo_service "$bin" fuzz "${FUZZ_PG_PORT:-54359}" "$port"

failed=0
# Tokens first: a captain's fuzzing may deactivate the other demo accounts along the way.
declare -A tokens
for account in crew@aurora.demo engineer@aurora.demo chief@aurora.demo captain@aurora.demo admin@pipeline.demo; do
    tokens[$account]=$(demo_token "$account")
done
fuzz() { # account, then st options
    local account=$1
    shift
    echo "== schemathesis as $account, ${seconds}s"
    # One worker: with several threads, CPython 3.11.7's ast module (hypothesis parses sources
    # with it) fails with "AST constructor recursion depth mismatch", a bug fixed in 3.11.8.
    st run "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer ${tokens[$account]}" \
        --checks "$checks" --max-time "$seconds" --workers 1 --request-timeout 10 --no-color "${seed[@]}" "${phases[@]}" "$@" || failed=1
}
# The crew's roles over the yacht routes, least privileged first; the platform administrator
# over the admin routes.
for account in crew@aurora.demo engineer@aurora.demo chief@aurora.demo captain@aurora.demo; do
    fuzz "$account" --exclude-path-regex '^/v1/admin/'
done
fuzz admin@pipeline.demo --include-path-regex '^/v1/admin/'
exit $failed
