-- +goose Up
-- Catalogues belong to an ente (the RPCT curates them); each ente starts from Argine's starter set.
CREATE TABLE risk_events (
    id           TEXT PRIMARY KEY,
    ente_id      TEXT NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    description  TEXT NOT NULL,
    risk_areas   TEXT NOT NULL, -- ';'-separated area codes, as in the import format
    source       TEXT NOT NULL,
    to_validate  BOOLEAN NOT NULL,
    active       BOOLEAN NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (ente_id, code)
);

CREATE TABLE enabling_factors (
    id           TEXT PRIMARY KEY,
    ente_id      TEXT NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    description  TEXT NOT NULL,
    source       TEXT NOT NULL,
    active       BOOLEAN NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   DATETIME NOT NULL,
    updated_at   DATETIME NOT NULL,
    UNIQUE (ente_id, code)
);

CREATE TABLE measure_types (
    id                 TEXT PRIMARY KEY,
    ente_id            TEXT NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code               TEXT NOT NULL,
    name               TEXT NOT NULL,
    example_indicator  TEXT NOT NULL,
    UNIQUE (ente_id, code)
);

CREATE TABLE general_measures (
    id            TEXT PRIMARY KEY,
    ente_id       TEXT NOT NULL REFERENCES entes (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    measure_type  TEXT NOT NULL,
    UNIQUE (ente_id, code)
);

-- The methodology of a cycle is a copy of a profile (scales, indicators, aggregation, matrix or bands) taken
-- when the RPCT chooses it, so a later change of the shipped profiles never alters a cycle's scores.
CREATE TABLE cycle_methodologies (
    cycle_id      TEXT PRIMARY KEY,
    ente_id       TEXT NOT NULL,
    profile_code  TEXT NOT NULL,
    profile       TEXT NOT NULL, -- JSON
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    DATETIME NOT NULL,
    updated_by    TEXT NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE cycle_methodologies;
DROP TABLE general_measures;
DROP TABLE measure_types;
DROP TABLE enabling_factors;
DROP TABLE risk_events;
