# Argine: the two commands a newcomer needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/argine
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X github.com/argine-pa/argine/internal/cli.version=$(VERSION)

.PHONY: run build ui test test-postgres bench ci clean

## run: build and start Argine on SQLite (./argine.db) with the demo data on http://localhost:8080
run: build
	./$(BIN) serve --demo

## build: compile the single binary (with the web interface when Node is available)
build: ui
	$(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/argine

## ui: build the web interface into frontend/dist when frontend/package.json and npm exist; otherwise the
## committed placeholder page is embedded
ui:
	@if [ -f frontend/package.json ] && command -v npm >/dev/null 2>&1; then \
		cd frontend && npm ci --no-audit --no-fund && npm run build; \
	else \
		echo "ui: Node or frontend/package.json not found, embedding the placeholder page"; \
	fi

## test: the whole Go suite; the PostgreSQL half runs when ARGINE_TEST_POSTGRES_URL is set (.ci/run sets it)
test:
	$(GO) vet ./...
	$(GO) test -count=1 ./...

## bench: the Go benchmarks (set ARGINE_TEST_POSTGRES_URL for the PostgreSQL figures)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count=1 ./...

## ci: what CI runs (makes sure PostgreSQL is up, then make test)
ci:
	bash .ci/run

clean:
	rm -rf bin argine.db argine.db-shm argine.db-wal
