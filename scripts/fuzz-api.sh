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

server=$(scripts/postgres.sh fresh fuzz "${FUZZ_PG_PORT:-54359}")
export MASTER_DATABASE_URL="$server/pipeline_master" PORT=$port HOST=127.0.0.1 RUST_LOG=error
export JWT_SECRET=fuzz-secret-fuzz-secret-fuzz-secret-0123456789 DEMO_PASSWORD=fuzz-Password-2026
export RATE_LIMIT_IP_PER_SEC=1000000 RATE_LIMIT_IP_BURST=1000000 RATE_LIMIT_SIGN_IN_PER_MIN=60000000
export RATE_LIMIT_SIGN_IN_BURST=1000000 RATE_LIMIT_USER_PER_SEC=1000000 RATE_LIMIT_USER_BURST=1000000
"$bin" migrate >/dev/null
"$bin" seed-demo >/dev/null
"$bin" serve & service=$!
cleanup() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; scripts/postgres.sh stop fuzz; }
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done

failed=0
for account in captain chief engineer crew; do
    token=$(curl -sf "http://127.0.0.1:$port/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\": \"$account@aurora.demo\", \"password\": \"$DEMO_PASSWORD\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    echo "== schemathesis as $account@aurora.demo, ${seconds}s"
    st run "http://127.0.0.1:$port/openapi.json" -H "Authorization: Bearer $token" --checks "$checks" \
        --max-time "$seconds" --workers 2 --request-timeout 10 --no-color || failed=1
done
exit $failed
