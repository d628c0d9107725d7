#!/usr/bin/env bash
# make perf: Lighthouse (mobile profile) on the built binary's sign-in, home, register, map and heat-map pages,
# through frontend/scripts/lighthouse.mjs; the summary lands in frontend/e2e-artifacts/lighthouse.{json,md}.
# Lighthouse comes from the npm registry at a pinned version, installed once outside the work tree (not in the
# frontend's package.json: the interface does not need it); it drives Debian's Chromium (CHROMIUM_PATH), never a
# downloaded browser. Reports the scores; fails on a score under its goal only with ARGINE_PERF_STRICT=1.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=12.2.3
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/argine/lighthouse"
if ! grep -q "\"version\": \"$VERSION\"" "$prefix/node_modules/lighthouse/package.json" 2>/dev/null; then
  echo "[lighthouse] installing lighthouse@$VERSION into $prefix"
  mkdir -p "$prefix"
  npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" -E "lighthouse@$VERSION" >/dev/null
fi
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium" ] || { echo "[lighthouse] $chromium not found (apt-get install chromium, or set CHROMIUM_PATH)"; exit 1; }
[ -x bin/argine ] || [ -n "${ARGINE_BINARY:-}" ] || { echo "[lighthouse] bin/argine not found: make build first"; exit 1; }
LIGHTHOUSE_PREFIX="$prefix" CHROMIUM_PATH="$chromium" node frontend/scripts/lighthouse.mjs
