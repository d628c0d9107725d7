#!/usr/bin/env bash
# govulncheck against an offline copy of the Go vulnerability database: fails when the code reaches a known
# vulnerability (in a dependency or in the Go standard library of the toolchain in use), and only then —
# vulnerabilities in modules or functions that the code does not call are listed by `-show verbose` runs, not here.
#
# The online database is not reachable from these machines; the same data ships in the golang.org/x/vulndb
# module (data/osv/*.json), which the Go module proxy serves. .ci/vulndb-index.go builds the v1 database layout
# from it once per vulndb version, cached outside the work tree (ARGINE_VULNDB_CACHE), so a warm run only
# analyses the code.
#
# Bump the two versions below together with the toolchain: newer vulndb versions know newer vulnerabilities.
set -euo pipefail
cd "$(dirname "$0")/.."

GOVULNCHECK_VERSION="${GOVULNCHECK_VERSION:-v1.9.0}"
VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
CACHE="${ARGINE_VULNDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/argine/vulndb}"
DB="$CACHE/$VULNDB_VERSION"

log() { printf '[vuln] %s\n' "$*"; }

if [ ! -f "$DB/index/modules.json" ]; then
  log "building the vulnerability database from golang.org/x/vulndb@$VULNDB_VERSION"
  # Outside the module, so the download never touches go.mod.
  info=$(cd "${TMPDIR:-/tmp}" && go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION")
  dir=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  info_file=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Info": "\(.*\)",$/\1/p')
  modified=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info_file")
  [ -d "$dir/data/osv" ] || { log "no data/osv in $dir"; exit 1; }
  mkdir -p "$CACHE"
  go run .ci/vulndb-index.go -osv "$dir/data/osv" -out "$DB" ${modified:+-modified "$modified"}
fi

log "$(go version), govulncheck $GOVULNCHECK_VERSION, database golang.org/x/vulndb@$VULNDB_VERSION"
# govulncheck exits 3 when it finds a vulnerability that the code reaches, 0 otherwise. `go run pkg@version`
# caches the built tool in the build cache.
go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$DB" "$@" ./...
