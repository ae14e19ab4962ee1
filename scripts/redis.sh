#!/usr/bin/env bash
# Starts the private Redis server the tests need (the service itself only needs one with REDIS_URL).
#
#   scripts/redis.sh fresh NAME PORT   a running, empty server (installing Redis if absent); prints its URL
#   scripts/redis.sh stop NAME         stop it
#
# The server listens on 127.0.0.1 only, keeps nothing on disk, and has its pid and log in
# .data/redis-NAME. Progress goes to stderr; stdout carries only the URL.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'redis.sh: %s\n' "$*" >&2; }

ensure_binaries() {
    if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        log "redis-server not found; install Debian's redis-server package"
        exit 1
    fi
    log "installing Debian's redis-server (the binary only is used)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq redis-server >&2
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_server() {
    local dir="$repo/.data/redis-$1" pid
    [ -f "$dir/redis.pid" ] || return 0
    pid=$(cat "$dir/redis.pid")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$dir/redis.pid"
}

start_server() {
    local name=$1 port=$2 dir="$repo/.data/redis-$1"
    while port_in_use "$port"; do
        port=$((port + 1))
        [ "$port" -lt $(($2 + 100)) ] || { log "no free port near $2"; exit 1; }
    done
    mkdir -p "$dir"
    log "starting redis $name on 127.0.0.1:$port"
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2
    for _ in $(seq 50); do
        if redis-cli -p "$port" ping >/dev/null 2>&1; then echo "redis://127.0.0.1:$port"; return 0; fi
        sleep 0.1
    done
    log "redis $name did not start; its log:"
    tail -n 20 "$dir/redis.log" >&2
    exit 1
}

case "${1:-}" in
fresh)
    ensure_binaries
    stop_server "$2"
    start_server "$2" "$3"
    ;;
stop)
    stop_server "$2"
    ;;
*)
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
