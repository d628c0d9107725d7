-- +goose Up
-- The monitoring plan of a cycle, and its rounds (e.g. at 30 June and 31 December).
CREATE TABLE monitoring_plans (
    cycle_id           UUID PRIMARY KEY,
    ente_id            UUID NOT NULL,
    frequency          TEXT NOT NULL,
    reference_dates    TEXT NOT NULL, -- JSON list of dates
    sampling_criteria  TEXT NOT NULL,
    sample_percent     INTEGER NOT NULL CHECK (sample_percent BETWEEN 0 AND 100),
    updated_at         TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE
);

CREATE TABLE monitoring_rounds (
    id              UUID PRIMARY KEY,
    ente_id         UUID NOT NULL,
    cycle_id        UUID NOT NULL,
    reference_date  TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    sample_seed     BIGINT NOT NULL DEFAULT 0,
    sample          TEXT NOT NULL DEFAULT '', -- JSON list of the measure ids drawn for the second-level check
    opened_at       TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ,
    FOREIGN KEY (cycle_id, ente_id) REFERENCES cycles (id, ente_id) ON DELETE CASCADE,
    UNIQUE (cycle_id, reference_date)
);

-- One measure in one round: the unit's self-assessment and the RPCT's check.
CREATE TABLE monitoring_entries (
    id                  UUID PRIMARY KEY,
    ente_id             UUID NOT NULL,
    round_id            UUID NOT NULL REFERENCES monitoring_rounds (id) ON DELETE CASCADE,
    measure_id          UUID NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    status              TEXT NOT NULL,
    reason              TEXT NOT NULL,
    indicator_values    TEXT NOT NULL, -- JSON
    notes               TEXT NOT NULL,
    assessed_by         TEXT NOT NULL,
    assessed_at         TIMESTAMPTZ NOT NULL,
    check_outcome       TEXT NOT NULL DEFAULT '',
    check_notes         TEXT NOT NULL DEFAULT '',
    suitability         TEXT NOT NULL DEFAULT '',
    suitability_reason  TEXT NOT NULL DEFAULT '',
    checked_by          TEXT NOT NULL DEFAULT '',
    version             BIGINT NOT NULL DEFAULT 1,
    UNIQUE (round_id, measure_id)
);

-- +goose Down
DROP TABLE monitoring_entries;
DROP TABLE monitoring_rounds;
DROP TABLE monitoring_plans;
