#!/usr/bin/env bash
# Runs the README's PostgreSQL block exactly as written (the ```sh block after the marker
# "<!-- ci:readme-postgres"), so that what a person pastes keeps working: against the local PostgreSQL, with a
# fresh database and role, a throw-away HOME (the block writes ~/.config/argine/jwt-secret) and the built
# binary bin/argine. The block ends by starting the server: this script waits for /readyz, checks that the
# first RPCT must change the printed password, then stops the server and drops the database and the role.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

log() { printf '[readme-postgres] %s\n' "$*"; }

[ -x bin/argine ] || { log "bin/argine is missing: run make build first"; exit 1; }

work=$(mktemp -d)
block="$work/block.sh"
awk '/<!-- ci:readme-postgres/ {armed=1; next}
     armed && /^```sh$/ {inside=1; next}
     inside && /^```$/ {exit}
     inside {print}' README.md >"$block"
[ -s "$block" ] || { log "no block after the ci:readme-postgres marker in README.md"; exit 1; }

# The block creates the role with `sudo -u postgres psql`, as on a workstation. CI runs as root, often with no
# sudo installed: runuser does the same thing for root.
if ! command -v sudo >/dev/null 2>&1; then
  mkdir -p "$work/shim"
  cat >"$work/shim/sudo" <<'EOF'
#!/bin/sh
# sudo -u USER CMD...: the only form the README uses
[ "$1" = "-u" ] || { echo "sudo shim: only -u USER is supported" >&2; exit 2; }
user=$2; shift 2
exec runuser -u "$user" -- "$@"
EOF
  chmod +x "$work/shim/sudo"
  export PATH="$work/shim:$PATH"
fi

export DB="argine_readme_$(date +%s)_$$"
export HOME="$work/home"
mkdir -p "$HOME"
# Any free port; the server logs the one it got. The block leaves ARGINE_ADDR to the environment.
export ARGINE_ADDR=127.0.0.1:0
unset ARGINE_DATABASE_URL ARGINE_DATABASE_URL_FILE ARGINE_JWT_SECRET ARGINE_JWT_SECRET_FILE

server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM -- "-$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  sudo -u postgres psql -q -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "DROP ROLE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$(date +%s)
out="$work/out.log"
log "running the README's PostgreSQL block ($(wc -l <"$block") lines) with DB=$DB"
# Its own process group, so that stopping it stops the server the block started in the foreground.
setsid bash -euo pipefail "$block" >"$out" 2>&1 &
server_pid=$!

addr=""
for _ in $(seq 1 250); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    log "the block stopped before the server was ready:"; cat "$out"; exit 1
  fi
  addr=$(sed -n 's/.*msg="argine is ready" addr=\([^ ]*\).*/\1/p' "$out" | head -1)
  [ -n "$addr" ] && break
  sleep 0.1
done
[ -n "$addr" ] || { log "the server did not start:"; cat "$out"; exit 1; }

ready=""
for _ in $(seq 1 100); do
  if curl -fsS "http://$addr/readyz" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
[ -n "$ready" ] || { log "/readyz never answered 200:"; cat "$out"; curl -sS "http://$addr/readyz" || true; exit 1; }

password=$(sed -n 's/^password (shown once, change it at first sign-in): //p' "$out")
[ -n "$password" ] || { log "user create printed no password:"; cat "$out"; exit 1; }
login=$(curl -fsS "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"rpct\",\"password\":\"$password\"}")
case "$login" in
  *'"password_change_required":true'*) ;;
  *) log "the first RPCT is not asked to change the password: $login"; exit 1 ;;
esac
grep -q 'imported\|created\|replaced' "$out" || { log "no import outcome in the output:"; cat "$out"; exit 1; }

# Stop the server as systemd would (SIGTERM to argine, the block's last command): the block then ends with
# argine's own exit status, 0 after a clean shutdown.
kill -TERM $(ps -o pid= --ppid "$server_pid")
wait "$server_pid" || { log "the server did not stop cleanly:"; cat "$out"; exit 1; }
server_pid=""
log "ok in $(( $(date +%s) - started )) s: role, database, secret, ente, map, first RPCT (temporary password), serve, /readyz on $addr"
