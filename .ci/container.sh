#!/usr/bin/env bash
# Builds the container image and runs it: the image must start as a non-root user, answer /readyz, and be
# reported healthy by its own HEALTHCHECK (argine healthcheck).
#
# Build stages pull golang and node images from Docker Hub. Where no registry is reachable (this CI machine),
# CONTAINER_PREBUILT=1 (the default when Docker Hub does not resolve) stages a static binary built here, the CA
# certificates and the time-zone database into build/container/ and builds the same Dockerfile with
# --build-arg BINARY_FROM=prebuilt: every instruction of the runtime stage is the one that ships.
#
# CONTAINER_FULL=1 instead builds every stage (web interface, binary, runtime) without a registry, on a base image
# made from Debian's packages by .ci/container-bases.sh (debootstrap: a few minutes; not part of CI's run).
#
# On machines whose kernel refuses the OCI runtime's default limits (crun: setrlimit RLIMIT_NOFILE/NPROC,
# cgroups v1+v2 hybrid), the container runs with runc and limits at or below the current ones.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[container] %s\n' "$*"; }

command -v podman >/dev/null || { log "podman is not installed (apt-get install podman)"; exit 1; }
: "${GO:=go}"
image=localhost/argine:ci
prebuilt=${CONTAINER_PREBUILT:-}
if [ -z "$prebuilt" ]; then
  if getent hosts registry-1.docker.io >/dev/null 2>&1; then prebuilt=0; else prebuilt=1; fi
fi

started=$(date +%s)
build_args=(--format docker -t "$image")
if [ "${CONTAINER_FULL:-0}" = 1 ] && [ "$prebuilt" = 1 ]; then
  # Every stage of the Dockerfile, compiled inside the build as where Docker Hub is reachable, on a base image
  # made here from Debian's packages (.ci/container-bases.sh). Buildah prunes the stage named only through
  # `FROM ${BINARY_FROM}`, hence --skip-unused-stages=false; --network host reaches the registries (npm, Go).
  base=$(bash .ci/container-bases.sh)
  # Built too (nothing prunes it now) though unused: it only needs its directory to exist.
  mkdir -p build/container
  log "building every stage on $base (CONTAINER_FULL=1)"
  build_args+=(--skip-unused-stages=false --network host --build-arg "GO_IMAGE=$base" --build-arg "NODE_IMAGE=$base"
    --build-arg "VERSION=$(git describe --tags --always 2>/dev/null || echo dev)" --build-arg "COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
    --build-arg "DATE=$(git log -1 --format=%cI 2>/dev/null || echo unknown)")
  prebuilt=0
elif [ "$prebuilt" = 1 ]; then
  log "Docker Hub unreachable: building the runtime stage from a binary built here (BINARY_FROM=prebuilt)"
  stage=build/container
  rm -rf "$stage" && mkdir -p "$stage/usr/local/bin" "$stage/etc/ssl/certs" "$stage/usr/share" "$stage/var/lib/argine/evidence"
  CGO_ENABLED=0 "$GO" build -trimpath -buildvcs=false -ldflags "-s -w -buildid=" -o "$stage/usr/local/bin/argine" ./cmd/argine
  cp /etc/ssl/certs/ca-certificates.crt "$stage/etc/ssl/certs/"
  cp -r /usr/share/zoneinfo "$stage/usr/share/"
  echo 'argine:x:10001:10001:Argine:/var/lib/argine:/sbin/nologin' > "$stage/etc/passwd"
  echo 'argine:x:10001:' > "$stage/etc/group"
  build_args+=(--build-arg BINARY_FROM=prebuilt)
fi
old_id=$(podman image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
podman build -q "${build_args[@]}" . >/dev/null
new_id=$(podman image inspect --format '{{.Id}}' "$image")
# The previous build of this tag only, nothing else on the machine.
[ -n "$old_id" ] && [ "$old_id" != "$new_id" ] && podman rmi "$old_id" >/dev/null 2>&1 || true
log "image built in $(( $(date +%s) - started )) s: $(podman image inspect --format '{{.Size}}' "$image") bytes"

user=$(podman image inspect --format '{{.Config.User}}' "$image")
[ "$user" = 10001:10001 ] || { log "the image runs as '$user', not 10001:10001"; exit 1; }
podman image inspect --format '{{json .Config.Healthcheck}}' "$image" | grep -q '"/usr/local/bin/argine","healthcheck"' \
  || { log "the image has no HEALTHCHECK running argine healthcheck"; exit 1; }

run_args=()
if ! podman run --rm "$image" version >/dev/null 2>&1; then
  run_args=(--runtime runc --ulimit "nofile=$(ulimit -n):$(ulimit -Hn)" --ulimit nproc=4096:4096)
  log "default OCI runtime refused (rlimits or cgroups here): using ${run_args[*]}"
fi
podman run --rm "${run_args[@]}" "$image" version 2>/dev/null

name="argine-ci-$$"
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
podman run -d --name "$name" "${run_args[@]}" --network none -e ARGINE_JWT_SECRET="$secret" "$image" >/dev/null 2>&1
for i in $(seq 1 60); do
  if podman exec "$name" /usr/local/bin/argine healthcheck >/dev/null 2>&1; then break; fi
  [ "$i" = 60 ] && { log "the container never became ready:"; podman logs "$name"; exit 1; }
  sleep 0.5
done
pid=$(podman inspect --format '{{.State.Pid}}' "$name")
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")
[ "$uid" = 10001 ] || { log "the server runs as uid $uid"; exit 1; }
# The image's HEALTHCHECK run once by the runtime (its schedule needs systemd, absent on this machine).
podman healthcheck run "$name" 2>/dev/null || { log "the image's HEALTHCHECK reports unhealthy"; exit 1; }
podman logs "$name" 2>&1 | grep -q '"msg":"argine is ready"' || { log "no ready line in the log"; podman logs "$name"; exit 1; }
podman stop -t 10 "$name" >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || { log "the server exited $code on stop"; podman logs "$name"; exit 1; }
log "ok in $(( $(date +%s) - started )) s: non-root (uid 10001), ready, healthcheck 0, clean stop on SIGTERM"
