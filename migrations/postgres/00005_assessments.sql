-- +goose Up
-- The assessment of one leaf of the map in one cycle: its risk entries and the measures it plans.
CREATE TABLE assessments (
    id          UUID PRIMARY KEY,
    ente_id     UUID NOT NULL,
    cycle_id    UUID NOT NULL,
    node_id     UUID NOT NULL REFERENCES process_nodes (id),
    state       TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'returned')),
    level       TEXT NOT NULL, -- worst inherent level of its risk entries ('' when none)
    level_rank  INTEGER NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, node_id)
);
CREATE INDEX assessments_ente_cycle ON assessments (ente_id, cycle_id);

-- Judgements are kept whole as JSON (indicator values with their reasons, the override); the computed
-- results sit in columns so the register and the heat map can filter and count in SQL.
CREATE TABLE risk_entries (
    id                  UUID PRIMARY KEY,
    ente_id             UUID NOT NULL,
    cycle_id            UUID NOT NULL,
    assessment_id       UUID NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    event_code          TEXT NOT NULL,
    event_description   TEXT NOT NULL,
    context             TEXT NOT NULL,
    enabling_factors    TEXT NOT NULL,
    inherent            TEXT NOT NULL,
    inherent_level      TEXT NOT NULL,
    inherent_rank       INTEGER NOT NULL,
    inherent_cell_l     INTEGER NOT NULL,
    inherent_cell_i     INTEGER NOT NULL,
    decision            TEXT NOT NULL,
    priority            INTEGER NOT NULL,
    residual            TEXT NOT NULL,
    residual_level      TEXT NOT NULL,
    residual_rank       INTEGER NOT NULL,
    residual_cell_l     INTEGER NOT NULL,
    residual_cell_i     INTEGER NOT NULL
);
CREATE INDEX risk_entries_ente_cycle ON risk_entries (ente_id, cycle_id, inherent_rank);
CREATE INDEX risk_entries_assessment ON risk_entries (assessment_id, position);

CREATE TABLE measures (
    id                   UUID PRIMARY KEY,
    ente_id              UUID NOT NULL,
    cycle_id             UUID NOT NULL,
    assessment_id        UUID NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    position             INTEGER NOT NULL,
    nature               TEXT NOT NULL CHECK (nature IN ('general', 'specific')),
    general_code         TEXT NOT NULL,
    measure_type         TEXT NOT NULL,
    title                TEXT NOT NULL,
    description          TEXT NOT NULL,
    unit_code            TEXT NOT NULL,
    owner                TEXT NOT NULL,
    start_date           TEXT NOT NULL, -- ISO dates: the same text on both databases
    end_date             TEXT NOT NULL,
    phases               TEXT NOT NULL, -- JSON
    indicators           TEXT NOT NULL, -- JSON
    strategic_objective  TEXT NOT NULL,
    status               TEXT NOT NULL
);
CREATE INDEX measures_ente_cycle ON measures (ente_id, cycle_id, measure_type);
CREATE INDEX measures_assessment ON measures (assessment_id, position);

CREATE TABLE measure_risks (
    measure_id     UUID NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    risk_entry_id  UUID NOT NULL REFERENCES risk_entries (id) ON DELETE CASCADE,
    ente_id        UUID NOT NULL,
    PRIMARY KEY (measure_id, risk_entry_id)
);
CREATE INDEX measure_risks_risk ON measure_risks (risk_entry_id);

-- +goose Down
DROP TABLE measure_risks;
DROP TABLE measures;
DROP TABLE risk_entries;
DROP TABLE assessments;
