-- +goose Up
CREATE TABLE entes (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 2 AND 63),
    name        TEXT NOT NULL CHECK (name <> ''),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

-- A cycle is a PIAO/PTPCT triennium as updated in a given year; every business row hangs off (ente, cycle).
CREATE TABLE cycles (
    id               TEXT PRIMARY KEY,
    ente_id          TEXT NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code             TEXT NOT NULL,
    start_year       INTEGER NOT NULL,
    end_year         INTEGER NOT NULL CHECK (end_year > start_year),
    state            TEXT NOT NULL DEFAULT 'open',
    map_hash         TEXT NOT NULL DEFAULT '',
    map_imported_at  DATETIME,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    UNIQUE (ente_id, code),
    UNIQUE (id, ente_id)
);

-- +goose Down
DROP TABLE cycles;
DROP TABLE entes;
