#!/usr/bin/env bash
# Finds or starts the PostgreSQL server the service and its tests need, on any fresh machine.
#
#   scripts/postgres.sh run-url        URL of a server for `make run`: $MASTER_DATABASE_URL if set,
#                                      else a server on localhost:5432 that lets us in, else a
#                                      throwaway cluster under .data/ (installing PostgreSQL if absent)
#   scripts/postgres.sh fresh NAME PORT   a new, empty throwaway cluster; prints its server URL
#   scripts/postgres.sh start NAME PORT   start (creating if needed) a throwaway cluster; prints its URL
#   scripts/postgres.sh stop NAME         stop a throwaway cluster
#   scripts/postgres.sh crash NAME        stop it as a crash would (immediate: recovery on next start)
#
# Throwaway clusters listen on 127.0.0.1 only, trust local connections, and keep their data in
# .data/pg-NAME (or under /tmp when the postgres user cannot reach the checkout, e.g. in /root).
# Progress goes to stderr; stdout carries only the URL.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf 'postgres.sh: %s\n' "$*" >&2; }

pg_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1 && dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ]; then
        echo "$dir"; return 0
    fi
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    return 1
}

ensure_binaries() {
    if bindir=$(pg_bindir); then return 0; fi
    if [ "$(id -u)" != 0 ]; then
        log "PostgreSQL server binaries not found; install postgresql-15 (Debian) or set MASTER_DATABASE_URL"
        exit 1
    fi
    log "installing Debian's postgresql-15 (binaries only are used)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql-15 >&2
    bindir=$(pg_bindir) || { log "postgresql-15 installed but initdb not found"; exit 1; }
}

# Runs a command as the cluster owner: initdb and postgres refuse to run as root.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_dir() {
    local name=$1 dir="$repo/.data/pg-$1"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$repo" 2>/dev/null; then
        dir="/tmp/pipeline-core-pg/$(printf '%s' "$repo" | md5sum | cut -c1-12)-$name"
    fi
    echo "$dir"
}

server_url() { echo "postgres://postgres@127.0.0.1:$1"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 on that nothing listens on (another checkout's cluster may hold $1).
free_port() {
    local port=$1
    while port_in_use "$port"; do
        port=$((port + 1))
        [ "$port" -lt $(($1 + 100)) ] || { log "no free port near $1"; exit 1; }
    done
    echo "$port"
}

is_running() { [ -f "$1/postmaster.pid" ] && as_owner "$bindir/pg_ctl" -D "$1" status >/dev/null 2>&1; }

start_cluster() {
    local name=$1 port=$2 dir
    dir=$(cluster_dir "$name")
    if [ ! -f "$dir/PG_VERSION" ]; then
        log "creating cluster $name in $dir"
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
        as_owner "$bindir/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        # Tests and demos tolerate losing the last transactions on a crash; benchmarks use their own cluster.
        cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 400
shared_buffers = 128MB
fsync = ${PG_FSYNC:-off}
synchronous_commit = ${PG_SYNCHRONOUS_COMMIT:-off}
full_page_writes = ${PG_FSYNC:-off}
CONF
    fi
    if is_running "$dir"; then
        port=$(sed -n 4p "$dir/postmaster.pid")
    else
        port=$(free_port "$port")
        log "starting cluster $name on 127.0.0.1:$port"
        as_owner "$bindir/pg_ctl" -D "$dir" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null \
            || { log "cluster $name failed to start; its log:"; tail -n 20 "$dir/server.log" >&2; exit 1; }
    fi
    server_url "$port"
}

stop_cluster() {
    local dir
    dir=$(cluster_dir "$1")
    if is_running "$dir"; then as_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
}

answers() { # url
    command -v psql >/dev/null 2>&1 || [ -x "$bindir/psql" ] || return 1
    "${bindir:+$bindir/}psql" "$1/postgres" -Atqc 'SELECT 1' >/dev/null 2>&1
}

case "${1:-}" in
run-url)
    if [ -n "${MASTER_DATABASE_URL:-}" ]; then echo "$MASTER_DATABASE_URL"; exit 0; fi
    bindir=$(pg_bindir || true)
    if answers "postgres://postgres@127.0.0.1:5432"; then
        log "using the PostgreSQL server on localhost:5432"
        echo "postgres://postgres@127.0.0.1:5432/pipeline_master"
        exit 0
    fi
    ensure_binaries
    echo "$(start_cluster run "${PG_RUN_PORT:-54320}")/pipeline_master"
    ;;
fresh)
    ensure_binaries
    stop_cluster "$2"
    rm -rf "$(cluster_dir "$2")"
    start_cluster "$2" "$3"
    ;;
start)
    ensure_binaries
    start_cluster "$2" "$3"
    ;;
stop)
    ensure_binaries
    stop_cluster "$2"
    ;;
crash)
    ensure_binaries
    dir=$(cluster_dir "$2")
    if is_running "$dir"; then as_owner "$bindir/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null; fi
    ;;
*)
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
