# Argine: the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/argine
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
# The commit's date, not the build's: two builds of one commit give the same binary.
DATE     ?= $(shell git log -1 --format=%cI 2>/dev/null || echo unknown)
LDFLAGS  := -s -w -X github.com/argine-pa/argine/internal/cli.version=$(VERSION) \
	-X github.com/argine-pa/argine/internal/cli.commit=$(COMMIT) -X github.com/argine-pa/argine/internal/cli.date=$(DATE)

# The Go release with the security fixes that govulncheck (make vuln) asks for. The go command fetches it once
# through the Go module proxy (about 76 MB) when the installed Go is older; GOTOOLCHAIN=local uses the installed Go.
export GOTOOLCHAIN ?= go1.27.3

# One set of compiler flags for build, vet and test, so the three share one build cache: a package compiled for
# the binary is not compiled again for vet or for the tests (-trimpath keeps the work tree's paths out of the
# binary; flags that differ would key a second, cold copy of every package).
GOFLAGS_BUILD := -trimpath

.PHONY: run build ui ui-deps test test-go test-ui vuln lint e2e perf bench ci clean FORCE release lint-api

## run: build and start Argine on SQLite (./argine.db) with the demo data on http://localhost:8080
run: build
	@echo "run: starting ./$(BIN) serve --demo on http://localhost:8080 (Ctrl-C stops it)"
	./$(BIN) serve --demo

## build: compile the single binary (with the web interface when Node is available)
build: ui
	@echo "build: compiling $(BIN) ($$($(GO) env GOVERSION), version $(VERSION))"
	$(GO) build $(GOFLAGS_BUILD) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/argine

NPM_STAMP := frontend/node_modules/.argine-installed
# The web interface is rebuilt only when one of its sources, its dependencies or the version it shows changed.
UI_STAMP  := frontend/node_modules/.argine-ui-built
UI_VERSION_FILE := frontend/node_modules/.argine-ui-version
UI_SOURCES := $(shell find frontend/src frontend/scripts -type f ! -name '*.test.ts' ! -name '*.test.tsx' 2>/dev/null) \
	frontend/index.html frontend/package.json frontend/vite.config.ts frontend/tsconfig.json

## ui: build the web interface into frontend/dist when npm exists; otherwise the placeholder page is embedded
ui:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(UI_STAMP); \
	else \
		echo "ui: npm not found, embedding the placeholder page (install Node.js 22 to build the web interface)"; \
	fi

FORCE:

# Rewritten only when the version changes, so its timestamp says when the version last changed.
$(UI_VERSION_FILE): FORCE | $(NPM_STAMP)
	@[ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" > $@

# A missing dist/index.html (make clean, a fresh clone) forces a build whatever the stamp says.
$(UI_STAMP): $(UI_SOURCES) $(NPM_STAMP) $(UI_VERSION_FILE) $(if $(wildcard frontend/dist/index.html),,FORCE)
	@echo "ui: building the web interface into frontend/dist (its sources, dependencies or version changed)"
	cd frontend && ARGINE_VERSION=$(VERSION) npm run build
	@touch $@

## ui-deps: install the frontend's locked dependencies (again only when package-lock.json changes)
ui-deps: $(NPM_STAMP)
$(NPM_STAMP): frontend/package-lock.json
	@echo "ui-deps: installing the web interface's locked dependencies (npm ci)"
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

## test: the Go suite (the PostgreSQL half runs when ARGINE_TEST_POSTGRES_URL is set, the read-replica tests
## when .ci/pg-replica.sh's variables are; .ci/run sets both) and the web interface's Vitest suite (when npm exists)
# The two halves run side by side: the Go suite spends about a third of its time waiting on the databases and
# Vitest about a third on starting workers, so on two cores each fills the other's gaps (each half's output is
# printed whole when it ends, so the log stays readable; a failure in either fails the target).
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-go test-ui

# go vet runs every analyzer once; go test's own vet subset would repeat part of that work, hence -vet=off.
# -timeout 30m: a package takes 1–2 min on a quiet machine, but go test's default 10-minute cap killed the cli and
# demo packages of a run that shared two cores with a dozen other processes; the cap is for a hung test, not a slow one.
# Both test databases run in this one invocation (internal/dbtest runs each test on SQLite and PostgreSQL).
test-go:
	$(GO) vet $(GOFLAGS_BUILD) ./...
	$(GO) test $(GOFLAGS_BUILD) -vet=off -count=1 -timeout 30m ./...

test-ui:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory ui-deps && cd frontend && npx tsc -b && npx vitest run; \
	elif [ -n "$$CI" ]; then \
		echo "test-ui: npm is required in CI"; exit 1; \
	else \
		echo "test-ui: npm not found, skipping the web interface tests"; \
	fi

## vuln: govulncheck with an offline copy of the Go vulnerability database; fails on a vulnerability the code reaches
vuln:
	bash .ci/govulncheck.sh

## lint: errcheck on the non-test code (every returned error handled, or ignored with `_ =` and a reason)
ERRCHECK_VERSION := v1.30.0
lint:
	$(GO) run github.com/kisielk/errcheck@$(ERRCHECK_VERSION) -ignoretests -exclude .ci/errcheck-excludes.txt ./...

## lint-api: the OpenAPI document linted by Redocly CLI (recommended-strict) and Spectral (spectral:oas), failing on
## any warning; both installed once from the npm registry into ~/.cache/argine/apilint (.ci/lint-api.sh)
lint-api:
	bash .ci/lint-api.sh

## e2e: the functional browser suite (Playwright driving /usr/bin/chromium against the built binary; screenshots
## and axe reports land in frontend/e2e-artifacts; ports are picked free at run time, or ARGINE_E2E_PORT=N uses N)
e2e: build
	cd frontend && npx playwright test --project=functional

## perf: the performance budgets (register load and sort, typing in the editor) measured in the browser against
## the fully assessed demo register, Lighthouse's mobile scores of the sign-in, home, register, map and heat-map
## pages (.ci/lighthouse.sh), and the Go benchmarks; reports the figures (frontend/e2e-artifacts/*.json,
## lighthouse.md) and fails only with ARGINE_PERF_STRICT=1 when a figure is over its budget
perf: build
	cd frontend && ARGINE_E2E_PERF=1 npx playwright test --project=perf
	bash .ci/lighthouse.sh
	$(MAKE) --no-print-directory bench

## bench: the Go benchmarks (set ARGINE_TEST_POSTGRES_URL for the PostgreSQL figures)
bench:
	$(GO) test $(GOFLAGS_BUILD) -vet=off -run '^$$' -bench . -benchmem -count=1 ./...

## release: reproducible binaries for linux/amd64, linux/arm64 and windows/amd64 with the web interface, their
## SHA256SUMS and a CycloneDX SBOM each, in dist/ (.ci/release.sh; RELEASE_CHECK=1 builds twice and compares)
release: ui
	GO=$(GO) VERSION=$(VERSION) COMMIT=$(COMMIT) DATE=$(DATE) bash .ci/release.sh

## ci: what CI runs (makes sure PostgreSQL is up, then make test, vuln, lint and e2e)
ci:
	bash .ci/run

clean:
	rm -rf bin dist argine.db argine.db-shm argine.db-wal frontend/e2e-artifacts $(UI_STAMP) $(UI_VERSION_FILE)
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
