-- +goose Up
CREATE TABLE entes (
    id          UUID PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        TEXT NOT NULL CHECK (name <> ''),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);

-- A cycle is a PIAO/PTPCT triennium as updated in a given year; every business row hangs off (ente, cycle).
CREATE TABLE cycles (
    id               UUID PRIMARY KEY,
    ente_id          UUID NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code             TEXT NOT NULL,
    start_year       INTEGER NOT NULL,
    end_year         INTEGER NOT NULL CHECK (end_year > start_year),
    state            TEXT NOT NULL DEFAULT 'open',
    map_hash         TEXT NOT NULL DEFAULT '',
    map_imported_at  TIMESTAMPTZ,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (ente_id, code),
    UNIQUE (id, ente_id)
);

-- +goose Down
DROP TABLE cycles;
DROP TABLE entes;
