#!/usr/bin/env bash
# `make test`: fresh private PostgreSQL clusters and a Redis server, the binary the end-to-end
# tests run, then every test of the workspace.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The servers are throwaway: stopped when the tests end (KEEP_TEST_SERVERS=1 leaves them up).
stop_servers() {
    scripts/postgres.sh stop test || true
    scripts/postgres.sh stop test-second || true
    scripts/redis.sh stop test || true
}
[ -n "${KEEP_TEST_SERVERS:-}" ] || trap stop_servers EXIT

TEST_DATABASE_URL=$(scripts/postgres.sh fresh test "${TEST_PG_PORT:-54329}")
export TEST_DATABASE_URL
# A second server, for yachts placed on another PostgreSQL server than the default.
TEST_SECOND_DATABASE_URL=$(scripts/postgres.sh fresh test-second "${TEST_SECOND_PG_PORT:-54339}")
export TEST_SECOND_DATABASE_URL
# Redis, for instances that share rate limits and model answers.
TEST_REDIS_URL=$(scripts/redis.sh fresh test "${TEST_REDIS_PORT:-56379}")
export TEST_REDIS_URL
cargo build --locked -p pms-api --bin pipeline-core
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --no-fail-fast "$@"
else
    cargo test --workspace --locked --no-fail-fast "$@"
fi
