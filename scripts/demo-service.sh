# Sourced by bench/search.sh and scripts/fuzz-api.sh: a throwaway cluster, the demo fleet and
# the service on 127.0.0.1, rate limits lifted (the load comes from one address and few users).
#   start_demo_service BIN CLUSTER PG_PORT HTTP_PORT   (extra settings: export them first)
#   demo_token EMAIL                                   access token of a demo account
# Sets $service (the server's pid) and stops everything on exit.

DEMO_PASSWORD=demo-Password-2026

start_demo_service() {
    local bin=$1 cluster=$2 pg_port=$3 port=$4 server
    server=$(scripts/postgres.sh fresh "$cluster" "$pg_port")
    export MASTER_DATABASE_URL="$server/pipeline_master" PORT=$port HOST=127.0.0.1 DEMO_PASSWORD
    export JWT_SECRET=demo-service-secret-demo-service-secret-0123456789
    export RATE_LIMIT_IP_PER_SEC=1000000 RATE_LIMIT_IP_BURST=1000000 RATE_LIMIT_SIGN_IN_PER_MIN=60000000
    export RATE_LIMIT_SIGN_IN_BURST=1000000 RATE_LIMIT_USER_PER_SEC=1000000 RATE_LIMIT_USER_BURST=1000000
    "$bin" migrate >/dev/null
    "$bin" seed-demo >/dev/null
    "$bin" serve & service=$!
    demo_cluster=$cluster
    demo_port=$port
    trap stop_demo_service EXIT
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && return; sleep 0.1; done
    echo "the service did not answer /health" >&2
    return 1
}

stop_demo_service() {
    kill "$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
    scripts/postgres.sh stop "$demo_cluster"
}

demo_token() {
    curl -sf "http://127.0.0.1:$demo_port/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\": \"$1\", \"password\": \"$DEMO_PASSWORD\"}" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
