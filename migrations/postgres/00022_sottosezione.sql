-- +goose Up
-- The parts of PIAO sottosezione 2.3 beside the register (issue 17): per cycle, the context analysis, the
-- strategic objectives, the annual riesame, the public consultation and ANAC's self-check, each one versioned
-- document of structured fields (validated by internal/domain/sottosezione.go); the process descriptions on
-- process and sub-process nodes, by node code so a re-imported map keeps them; the ente's simplified regime.
-- Rows are edited, never deleted: cycles and entes restrict.
CREATE TABLE sottosezione_parts (
    ente_id     UUID NOT NULL,
    cycle_id    UUID NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('context', 'objectives', 'riesame', 'consultation', 'self_check')),
    content     TEXT NOT NULL, -- JSON
    version     INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, kind),
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id)
);

CREATE TABLE process_descriptions (
    ente_id           UUID NOT NULL,
    cycle_id          UUID NOT NULL,
    node_code         TEXT NOT NULL,
    input             TEXT NOT NULL,
    output            TEXT NOT NULL,
    phases            TEXT NOT NULL,
    responsibilities  TEXT NOT NULL,
    timing            TEXT NOT NULL,
    constraints       TEXT NOT NULL,
    version           INTEGER NOT NULL,
    updated_by        TEXT NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cycle_id, node_code),
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id)
);

CREATE TABLE ente_sottosezione_settings (
    ente_id          UUID PRIMARY KEY REFERENCES entes (id),
    simplified       BOOLEAN NOT NULL,
    headcount        INTEGER,
    headcount_date   TEXT NOT NULL, -- ISO date of the count (31 December of the year before the cycle)
    version          INTEGER NOT NULL,
    updated_by       TEXT NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE ente_sottosezione_settings;
DROP TABLE process_descriptions;
DROP TABLE sottosezione_parts;
