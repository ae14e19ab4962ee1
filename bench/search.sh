#!/usr/bin/env bash
# `make bench-search`: the search bar's two benchmarks (issue 6), on this machine.
#   1. The local detector's latency per query (p50/p90/p99/max) over the dev set.
#   2. POST /v1/yachts/{id}/search on the demo yacht M/Y Aurora with the local detector: a
#      release build against a throwaway PostgreSQL with default durability (fsync on), loaded by
#      wrk at a fixed concurrency with a mix of realistic queries, after a warm-up.
# Knobs: BENCH_CONNECTIONS (32), BENCH_DURATION (20s), BENCH_WARMUP (5s), BENCH_PORT (18080).
# Load generator and service share the machine's cores; read the figures with that in mind.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-5s}
port=${BENCH_PORT:-18080}

if ! command -v wrk >/dev/null; then
    echo "bench: installing wrk (Debian package)" >&2
    (apt-get update -qq && apt-get install -y -qq wrk) >&2
fi
cargo build --release --locked -p pms-api --bin pipeline-core >&2
bin=target/release/pipeline-core

echo "== local detector latency (domain/tests/detector/dev.jsonl, 200 rounds)"
"$bin" detect --latency 200 < domain/tests/detector/dev.jsonl

# The benchmark's PostgreSQL keeps default durability.
export PG_FSYNC=on PG_SYNCHRONOUS_COMMIT=on APP_ENV=development DETECTOR=local RUST_LOG=warn
export TENANT_CONNECTION_BUDGET=${BENCH_BUDGET:-40} TENANT_POOL_SIZE=${BENCH_POOL:-16}
source scripts/demo-service.sh
start_demo_service "$bin" bench "${BENCH_PG_PORT:-54349}" "$port"
token=$(demo_token chief@aurora.demo)
yacht=$(curl -sf "http://127.0.0.1:$port/v1/auth/me" -H "authorization: Bearer $token" \
    | python3 -c 'import json,sys; print([m["yacht_id"] for m in json.load(sys.stdin)["memberships"] if "Aurora" in m["yacht_name"]][0])')

# The same realistic queries make bench's search scenario sends, as a Lua table.
queries=$(python3 -c 'import json; print("{" + ", ".join(json.dumps(q) for q in json.load(open("bench/search-queries.json"))) + "}")')
script=$(mktemp --suffix=.lua)
cat > "$script" <<LUA
local queries = $queries
local i = 0
request = function()
  i = i + 1
  local body = '{"query": "' .. queries[(i % #queries) + 1] .. '"}'
  return wrk.format("POST", "/v1/yachts/$yacht/search", {
    ["content-type"] = "application/json",
    ["authorization"] = "Bearer $token",
  }, body)
end
done = function(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

rss_kib() { awk -v key="$1" '$1 == key":" {print $2}' "/proc/$service/status"; }
idle=$(rss_kib VmRSS)
wrk -t2 -c"$connections" -d"$warmup" -s "$script" "http://127.0.0.1:$port" >/dev/null
echo "== POST /v1/yachts/{id}/search, M/Y Aurora, local detector, $connections connections, $duration, $(nproc) cores"
wrk -t2 -c"$connections" -d"$duration" -s "$script" "http://127.0.0.1:$port"
echo "service memory: resident $((idle / 1024)) MiB idle (before load), $(( $(rss_kib VmHWM) / 1024 )) MiB peak"
rm -f "$script"
