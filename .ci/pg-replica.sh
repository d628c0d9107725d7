#!/usr/bin/env bash
# A throw-away PostgreSQL primary and streaming replica on loopback, for the read-replica tests
# (internal/replica, internal/httpapi). It never touches the machine's own cluster: both servers live in a new
# temporary directory, listen on 127.0.0.1 only, on the first two free ports from 5433 up, with their sockets in
# that directory, trust authentication, and no fsync (nothing in them outlives the run).
#
#   eval "$(.ci/pg-replica.sh start)"     # prints the export lines below; takes a few seconds
#   go test ./internal/replica/            # uses ARGINE_TEST_POSTGRES_PRIMARY_URL and ..._REPLICA_URL
#   .ci/pg-replica.sh stop "$ARGINE_PG_REPLICA_DIR"
#
# As root the servers run as the postgres OS user (PostgreSQL refuses to run as root); otherwise as yourself.
set -euo pipefail

log() { printf '[pg-replica] %s\n' "$*" >&2; }

bindir() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1)
  [ -n "$v" ] && [ -x "/usr/lib/postgresql/$v/bin/initdb" ] || { log "no PostgreSQL server binaries under /usr/lib/postgresql"; exit 1; }
  printf '/usr/lib/postgresql/%s/bin' "$v"
}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local bin dir p1 p2 port
  bin=$(bindir)
  p1="" p2=""
  for port in $(seq 5433 5499); do
    port_free "$port" || continue
    if [ -z "$p1" ]; then p1=$port; else p2=$port; break; fi
  done
  [ -n "$p2" ] || { log "no two free ports between 5433 and 5499"; exit 1; }
  dir=$(mktemp -d /tmp/argine-pg-replica.XXXXXX)
  # Half a pair is no use and must not linger: any failure stops what started and removes the directory.
  if ! setup "$bin" "$dir" "$p1" "$p2" >&2; then
    stop "$dir"
    exit 1
  fi
  log "primary 127.0.0.1:$p1 and streaming replica 127.0.0.1:$p2 in $dir"
  cat <<EOF
export ARGINE_PG_REPLICA_DIR='$dir'
export ARGINE_TEST_POSTGRES_PRIMARY_URL='postgres://postgres@127.0.0.1:$p1/argine_replica_test?sslmode=disable'
export ARGINE_TEST_POSTGRES_REPLICA_URL='postgres://postgres@127.0.0.1:$p2/argine_replica_test?sslmode=disable'
EOF
}

setup() {
  local bin=$1 dir=$2 p1=$3 p2=$4
  chmod 755 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir" || return 1; fi
  as_pg "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  # Small and fast: loopback only, no fsync; wal_level=replica and the WAL senders are PostgreSQL's defaults.
  cat >>"$dir/primary/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 60
hot_standby_feedback = on
wal_receiver_status_interval = 1s
EOF
  as_pg "$bin/pg_ctl" -D "$dir/primary" -o "-p $p1" -l "$dir/primary.log" -w -t 30 start >/dev/null ||
    { cat "$dir/primary.log" >&2; return 1; }
  # The base backup streams the WAL it needs (-X stream) and writes standby.signal and primary_conninfo (-R).
  as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$p1" -U postgres -D "$dir/replica" -R -X stream --no-sync -c fast ||
    { log "pg_basebackup failed"; return 1; }
  as_pg "$bin/pg_ctl" -D "$dir/replica" -o "-p $p2" -l "$dir/replica.log" -w -t 30 start >/dev/null ||
    { cat "$dir/replica.log" >&2; return 1; }
  as_pg "$bin/psql" -h 127.0.0.1 -p "$p1" -U postgres -qc "CREATE DATABASE argine_replica_test" >/dev/null || return 1
  # Ready when the replica streams and has replayed the new database (30 s at most).
  local i
  for i in $(seq 1 300); do
    if [ "$(as_pg "$bin/psql" -h 127.0.0.1 -p "$p2" -U postgres -d argine_replica_test -tAc \
      "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')" 2>/dev/null)" = t ]; then
      return 0
    fi
    sleep 0.1
  done
  log "the replica did not start streaming"
  cat "$dir/replica.log" >&2
  return 1
}

stop() {
  local dir=${1:-${ARGINE_PG_REPLICA_DIR:-}} bin
  case "$dir" in /tmp/argine-pg-replica.*) ;; *) log "usage: $0 stop /tmp/argine-pg-replica.XXXXXX"; exit 2 ;; esac
  [ -d "$dir" ] || return 0
  bin=$(bindir)
  local d
  for d in replica primary; do
    [ -f "$dir/$d/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) log "usage: $0 start | stop DIR"; exit 2 ;;
esac
