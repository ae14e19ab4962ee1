#!/usr/bin/env bash
# `make run`: finds or starts PostgreSQL, builds the service, seeds the demo fleet and runs the
# service in the foreground.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MASTER_DATABASE_URL=$(scripts/postgres.sh run-url)
export MASTER_DATABASE_URL
export PORT=${PORT:-8080}
cargo build --locked -p pms-api --bin pipeline-core
bin=target/debug/pipeline-core

# A demo password and a signing secret per checkout, kept across runs so the printed password
# stays valid and tokens survive a restart.
mkdir -p .data
keep_secret() { # file length
    [ -s "$1" ] || (umask 077; head -c 64 /dev/urandom | base64 | tr -d '/+=\n' | cut -c1-"$2" >"$1")
    cat "$1"
}
DEMO_PASSWORD=${DEMO_PASSWORD:-$(keep_secret .data/demo-password 16)}
JWT_SECRET=${JWT_SECRET:-$(keep_secret .data/jwt-secret 48)}
export DEMO_PASSWORD JWT_SECRET
# Like Render's pre-deploy step: bring the master and every tenant database up to date first.
"$bin" migrate
"$bin" seed-demo

cat <<BANNER

  pipeline-core is starting on http://localhost:${PORT}
    Swagger UI     http://localhost:${PORT}/docs
    OpenAPI        http://localhost:${PORT}/openapi.json
    Health         http://localhost:${PORT}/health   (readiness: /ready, metrics: /metrics)
    Database       ${MASTER_DATABASE_URL%%\?*}

  Try it: in Swagger UI run POST /v1/auth/login with
    {"email": "chief@aurora.demo", "password": "${DEMO_PASSWORD}"}
  then press Authorize, paste the access_token, and call GET /v1/auth/me.
  Stop with Ctrl-C.

BANNER
exec "$bin" serve
