# Argine: the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/argine
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/argine-pa/argine/internal/cli.version=$(VERSION)

.PHONY: run build ui ui-deps test test-go test-ui e2e bench ci clean

## run: build and start Argine on SQLite (./argine.db) with the demo data on http://localhost:8080
run: build
	./$(BIN) serve --demo

## build: compile the single binary (with the web interface when Node is available)
build: ui
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/argine

NPM_STAMP := frontend/node_modules/.argine-installed

## ui: build the web interface into frontend/dist when npm exists; otherwise the placeholder page is embedded
ui:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory ui-deps && cd frontend && ARGINE_VERSION=$(VERSION) npm run build; \
	else \
		echo "ui: npm not found, embedding the placeholder page (install Node.js 20 to build the web interface)"; \
	fi

## ui-deps: install the frontend's locked dependencies (again only when package-lock.json changes)
ui-deps: $(NPM_STAMP)
$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

## test: the Go suite (the PostgreSQL half runs when ARGINE_TEST_POSTGRES_URL is set; .ci/run sets it) and the
## web interface's Vitest suite (when npm exists)
test: test-go test-ui

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

test-ui:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory ui-deps && cd frontend && npx tsc -b && npx vitest run; \
	elif [ -n "$$CI" ]; then \
		echo "test-ui: npm is required in CI"; exit 1; \
	else \
		echo "test-ui: npm not found, skipping the web interface tests"; \
	fi

## e2e: the browser suite (Playwright driving /usr/bin/chromium against the built binary; screenshots, axe
## reports and timings land in frontend/e2e-artifacts)
e2e: build
	cd frontend && npx playwright test

## bench: the Go benchmarks (set ARGINE_TEST_POSTGRES_URL for the PostgreSQL figures)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

## ci: what CI runs (makes sure PostgreSQL is up, then make test)
ci:
	bash .ci/run

clean:
	rm -rf bin argine.db argine.db-shm argine.db-wal frontend/e2e-artifacts
	find frontend/dist -mindepth 1 ! -name .gitkeep -delete 2>/dev/null || true
