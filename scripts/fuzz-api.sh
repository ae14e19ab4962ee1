#!/usr/bin/env bash
# `make fuzz-api`: schemathesis (from PyPI) against the running service, over every operation
# of its own spec, once with the token of each demo role, bounded in time.
# Knobs: FUZZ_SECONDS per role (60), FUZZ_CHECKS (all), FUZZ_PORT (18090).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${FUZZ_SECONDS:-60}
port=${FUZZ_PORT:-18090}
checks=${FUZZ_CHECKS:-all}

command -v st >/dev/null || python3 -m pip install -q 'schemathesis>=4.32,<5' >&2
cargo build --locked -p pms-api --bin pipeline-core >&2
bin=target/debug/pipeline-core

export RUST_LOG=error
source scripts/demo-service.sh
start_demo_service "$bin" fuzz "${FUZZ_PG_PORT:-54359}" "$port"

failed=0
for account in captain chief engineer crew; do
    token=$(demo_token "$account@aurora.demo")
    echo "== schemathesis as $account@aurora.demo, ${seconds}s"
    st run "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer $token" --checks "$checks" \
        --max-time "$seconds" --workers 2 --request-timeout 10 --no-color || failed=1
done
exit $failed
