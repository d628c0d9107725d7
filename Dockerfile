# syntax=docker/dockerfile:1
# Argine's container image: one static binary (web interface embedded) on an empty base with only the CA
# certificates, the time-zone database and an unprivileged user; its health check is argine itself (there is
# no shell or curl in the image). Data (the SQLite file when no PostgreSQL is given, evidence files) lives in
# the volume /var/lib/argine.
#
#   podman build --format docker -t argine .          # or: docker build -t argine .
#   podman run -p 8080:8080 -e ARGINE_JWT_SECRET_FILE=/run/secrets/jwt ... argine
#
# compose.yaml runs it with PostgreSQL and Mailpit. Where Docker Hub cannot be reached, build the binary first
# (make release, or .ci/container.sh does it) and pass --build-arg BINARY_FROM=prebuilt: the image is then
# made from the files staged in build/container/ without pulling any image.

ARG GO_IMAGE=docker.io/library/golang:1.27.3-bookworm
ARG NODE_IMAGE=docker.io/library/node:22-bookworm-slim
# source: compile here (default); prebuilt: take build/container/ from the build context.
ARG BINARY_FROM=source

# The web interface.
FROM ${NODE_IMAGE} AS ui
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# The binary, with the same reproducible flags as make release, and the files the empty base needs.
FROM ${GO_IMAGE} AS source
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=ui /src/frontend/dist/ frontend/dist/
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
RUN go build -trimpath -buildvcs=false \
      -ldflags "-s -w -buildid= -X github.com/argine-pa/argine/internal/cli.version=${VERSION} -X github.com/argine-pa/argine/internal/cli.commit=${COMMIT} -X github.com/argine-pa/argine/internal/cli.date=${DATE}" \
      -o /out/usr/local/bin/argine ./cmd/argine \
 && mkdir -p /out/etc/ssl/certs /out/usr/share /out/var/lib/argine/evidence \
 && cp /etc/ssl/certs/ca-certificates.crt /out/etc/ssl/certs/ \
 && cp -r /usr/share/zoneinfo /out/usr/share/ \
 && echo 'argine:x:10001:10001:Argine:/var/lib/argine:/sbin/nologin' > /out/etc/passwd \
 && echo 'argine:x:10001:' > /out/etc/group

# The same tree, staged by .ci/container.sh from a binary built on the host.
FROM scratch AS prebuilt
COPY build/container/ /out/

FROM ${BINARY_FROM} AS binary

FROM scratch AS runtime
COPY --from=binary /out/etc/ /etc/
COPY --from=binary /out/usr/share/zoneinfo/ /usr/share/zoneinfo/
COPY --from=binary /out/usr/local/bin/argine /usr/local/bin/argine
COPY --from=binary --chown=10001:10001 /out/var/lib/argine/ /var/lib/argine/
# Never root: the numeric id works on runtimes that do not read /etc/passwd.
USER 10001:10001
WORKDIR /var/lib/argine
ENV ARGINE_ADDR=:8080 \
    ARGINE_EVIDENCE_DIR=/var/lib/argine/evidence \
    ARGINE_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/var/lib/argine"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/argine", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/argine"]
# --create: the SQLite file ./argine.db (in the volume) is made on the first start; with ARGINE_DATABASE_URL
# naming PostgreSQL it has no effect.
CMD ["serve", "--create"]
