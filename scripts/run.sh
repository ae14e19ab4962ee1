#!/usr/bin/env bash
# `make run`: finds or starts PostgreSQL, builds the service and runs it in the foreground.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MASTER_DATABASE_URL=$(scripts/postgres.sh run-url)
export MASTER_DATABASE_URL
export PORT=${PORT:-8080}
cargo build --locked -p pms-api --bin pipeline-core
bin=target/debug/pipeline-core

cat <<BANNER

  pipeline-core is starting on http://localhost:${PORT}
    Swagger UI     http://localhost:${PORT}/docs
    OpenAPI        http://localhost:${PORT}/openapi.json
    Health         http://localhost:${PORT}/health   (readiness: /ready, metrics: /metrics)
    Database       ${MASTER_DATABASE_URL%%\?*}
  Stop with Ctrl-C.

BANNER
exec "$bin" serve
