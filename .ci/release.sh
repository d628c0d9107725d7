#!/usr/bin/env bash
# make release: reproducible binaries of argine for the platforms public bodies run (Linux servers on amd64
# and arm64, Windows servers), their SHA256SUMS and a CycloneDX SBOM per binary, in dist/.
#
# Reproducible: the same commit built with the same Go release gives the same bytes, on any machine and in any
# folder: -trimpath (no local paths), -buildid= (no build id derived from the build cache), -buildvcs=false and
# a version, commit and date taken from git (the commit's date, not the build's), CGO_ENABLED=0 (no host C
# toolchain). RELEASE_CHECK=1 builds every binary a second time with an empty build cache and fails unless
# the two sets of hashes are equal.
#
# The web interface is embedded: frontend/dist must hold the built interface (make release builds it first
# through make ui). A binary with the placeholder page is refused unless ARGINE_RELEASE_ALLOW_PLACEHOLDER=1.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[release] %s\n' "$*"; }

: "${GO:=go}"
: "${VERSION:=$(git describe --tags --always --dirty 2>/dev/null || echo dev)}"
: "${COMMIT:=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}"
: "${DATE:=$(git log -1 --format=%cI 2>/dev/null || echo unknown)}"
PLATFORMS=${RELEASE_PLATFORMS:-"linux/amd64 linux/arm64 windows/amd64"}
CYCLONEDX=github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0
DIST=${DIST:-dist}

if [ ! -f frontend/dist/index.html ]; then
  if [ "${ARGINE_RELEASE_ALLOW_PLACEHOLDER:-}" != 1 ]; then
    log "frontend/dist/index.html is missing: a release embeds the web interface (run make ui with Node.js 22)"
    exit 1
  fi
  log "WARNING: releasing with the placeholder page instead of the web interface (ARGINE_RELEASE_ALLOW_PLACEHOLDER=1)"
fi

pkg=github.com/argine-pa/argine/internal/cli
ldflags="-s -w -buildid= -X $pkg.version=$VERSION -X $pkg.commit=$COMMIT -X $pkg.date=$DATE"

# build OUTDIR: every platform's binary into OUTDIR, named argine_VERSION_OS_ARCH[.exe].
build() {
  local out=$1 p os arch ext start
  mkdir -p "$out"
  for p in $PLATFORMS; do
    os=${p%/*} arch=${p#*/} ext=""
    [ "$os" = windows ] && ext=.exe
    start=$(date +%s)
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS=-mod=readonly \
      "$GO" build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$out/argine_${VERSION}_${os}_${arch}${ext}" ./cmd/argine
    log "built $out/argine_${VERSION}_${os}_${arch}${ext} in $(( $(date +%s) - start )) s"
  done
}

rm -rf "$DIST"
log "argine $VERSION (commit $COMMIT, $DATE) with $("$GO" env GOVERSION) for: $PLATFORMS"
build "$DIST"

git rev-parse --git-dir >/dev/null 2>&1 || { log "the SBOM needs a git checkout (cyclonedx-gomod reads the main module's version from it)"; exit 1; }
# One SBOM per binary: the modules linked into it (build constraints differ between platforms). The tool is
# built once for this machine from the module proxy at a pinned version (never added to go.mod), then run with
# each target's GOOS/GOARCH, which it passes to the go command it asks (`go run` with them set would build the
# tool itself for the target: an arm64 or Windows executable that cannot start here).
tools=$(mktemp -d)
GOOS= GOARCH= GOBIN="$tools" CGO_ENABLED=0 "$GO" install "$CYCLONEDX"
for p in $PLATFORMS; do
  os=${p%/*} arch=${p#*/}
  GOOS=$os GOARCH=$arch CGO_ENABLED=0 "$tools/cyclonedx-gomod" app -json -std -noserial -notimestamp \
    -output "$DIST/argine_${VERSION}_${os}_${arch}.cdx.json" -main cmd/argine .
done
rm -rf "$tools"
log "CycloneDX SBOMs written"

(cd "$DIST" && sha256sum argine_* > SHA256SUMS)
cat "$DIST/SHA256SUMS"

if [ "${RELEASE_CHECK:-}" = 1 ]; then
  second=$(mktemp -d)
  trap 'rm -rf "$second"' EXIT
  log "reproducibility: building again with an empty build cache"
  GOCACHE="$second/cache" build "$second/bin"
  mine=$(cd "$DIST" && sha256sum argine_* | grep -v '\.cdx\.json$')
  theirs=$(cd "$second/bin" && sha256sum argine_*)
  if [ "$mine" != "$theirs" ]; then
    log "NOT reproducible:"; diff <(echo "$mine") <(echo "$theirs") || true
    exit 1
  fi
  log "reproducible: both builds have the same SHA-256 for every binary"
fi
