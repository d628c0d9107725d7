#!/usr/bin/env bash
# make lint-api: lints internal/httpapi/openapi.json with Redocly CLI and Spectral, failing on any warning.
# Both come from the npm registry at pinned versions, installed once outside the work tree (not in the
# frontend's package.json: the interface does not need them).
set -euo pipefail
cd "$(dirname "$0")/.."
REDOCLY=@redocly/cli@2.77.0
SPECTRAL=@stoplight/spectral-cli@6.16.3
prefix="${XDG_CACHE_HOME:-$HOME/.cache}/argine/apilint"
bin="$prefix/node_modules/.bin"
if [ ! -x "$bin/redocly" ] || [ ! -x "$bin/spectral" ] || ! grep -q '"version": "2.77.0"' "$prefix/node_modules/@redocly/cli/package.json" 2>/dev/null; then
  echo "[lint-api] installing $REDOCLY and $SPECTRAL into $prefix"
  npm install --no-audit --no-fund --loglevel=error --prefix "$prefix" "$REDOCLY" "$SPECTRAL" >/dev/null
fi
doc=internal/httpapi/openapi.json
echo "[lint-api] redocly lint (recommended-strict)"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin/redocly" lint --config .ci/redocly.yaml --format=stylish "$doc" 2>&1 \
  | grep -v -e '^\s*[║╔╚]' -e 'Node.js' || true
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$bin/redocly" lint --config .ci/redocly.yaml --format=summary "$doc" >/dev/null 2>&1 \
  || { echo "[lint-api] Redocly found problems (above)"; exit 1; }
echo "[lint-api] spectral lint (spectral:oas, failing on warnings)"
"$bin/spectral" lint --ruleset .ci/spectral.yaml --fail-severity=warn "$doc"
echo "[lint-api] ok"
